"""`konfliktmanagement statistics publish --period 2026` (registered in `server/cli.py`)."""

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
@click.option("--period", required=True, help="The year, e.g. 2026.")
def publish(period: str) -> None:
    from konfliktmanagement.domain.statistics.publishing import StatisticsService
    from konfliktmanagement.lib.exceptions import Conflict, ValidationFailed

    async def run(config: SQLAlchemyAsyncConfig) -> list[tuple[str, int]]:
        async with config.get_session() as session:
            publications = await StatisticsService(session).publish(period)
            await session.commit()
            return [(p.table_code, len(p.cells)) for p in publications]

    try:
        published = run_with_database(run)
    except Conflict as exc:
        click.echo(exc.detail, err=True)
        sys.exit(1)
    except ValidationFailed as exc:
        click.echo("; ".join(e.message for e in exc.errors), err=True)
        sys.exit(1)
    click.echo(f"Statistik {period} veröffentlicht:")
    for code, cells in published:
        click.echo(f"  {code:<36} {cells} Zellen")
