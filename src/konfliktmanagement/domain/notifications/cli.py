"""`konfliktmanagement notifications run` (registered in `server/cli.py`)."""

from __future__ import annotations

from datetime import date, datetime

import click
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig

from konfliktmanagement.lib.cli import current_app, run_with_database


@click.group(name="notifications", help="Notifications and the daily e-mail digest.")
def notifications_group() -> None:
    pass


@notifications_group.command(
    name="run", help="Write what fell due and enqueue the day's digests now (also done by the app every hour)."
)
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="The day (default today).")
def run(day: datetime | None) -> None:
    from konfliktmanagement.domain.notifications.jobs import run_notifications
    from konfliktmanagement.lib.clock import today

    settings = current_app().state["settings"]
    when: date = day.date() if day is not None else today()

    async def work(config: SQLAlchemyAsyncConfig) -> int:
        async with config.get_session() as session:
            sent = await run_notifications(session, when, settings)
            await session.commit()
            return sent

    click.echo(f"Zusammenfassungen in den Postausgang gelegt: {run_with_database(work)}")
