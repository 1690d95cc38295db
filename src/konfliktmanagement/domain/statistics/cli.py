"""`konfliktmanagement statistics publish --period 2025` (registered in `server/cli.py`).

The current year is published only with `--vorlaeufig` (`--provisional`), a year ahead never.
"""

from __future__ import annotations

import sys

import click
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig

from konfliktmanagement.lib.cli import run_with_database


@click.group(name="statistics", help="Anonymised statistics (Cell Key Method, DESIGN.md §7).")
def statistics_group() -> None:
    pass


@statistics_group.command(
    name="publish", help="Compute the whole catalogue for a year from one snapshot and freeze it."
)
@click.option("--period", required=True, help="The year, e.g. 2025; one that has begun.")
@click.option(
    "--vorlaeufig",
    "--provisional",
    "provisional",
    is_flag=True,
    help="Confirm that the current year, not yet over, is published as provisional (vorläufig).",
)
def publish(period: str, provisional: bool) -> None:
    from konfliktmanagement.domain.statistics.publishing import StatisticsService
    from konfliktmanagement.lib.exceptions import Conflict, ValidationFailed

    async def run(config: SQLAlchemyAsyncConfig) -> tuple[bool, list[tuple[str, int]]]:
        async with config.get_session() as session:
            publications = await StatisticsService(session).publish(period, provisional=provisional)
            await session.commit()
            return publications[0].provisional, [(p.table_code, len(p.cells)) for p in publications]

    try:
        is_provisional, published = run_with_database(run)
    except Conflict as exc:
        click.echo(exc.detail, err=True)
        sys.exit(1)
    except ValidationFailed as exc:
        # The form's confirmation is this command's flag.
        messages = [f"{e.message} (--vorlaeufig)" if e.field == "provisional" else e.message for e in exc.errors]
        click.echo("; ".join(messages), err=True)
        sys.exit(1)
    click.echo(f"Statistik {period} veröffentlicht{' (vorläufig)' if is_provisional else ''}:")
    for code, cells in published:
        click.echo(f"  {code:<36} {cells} Zellen")
