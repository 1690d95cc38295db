"""`konfliktmanagement outbox send|retry` (registered in `server/cli.py`)."""

from __future__ import annotations

import sys
from uuid import UUID

import click
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig

from konfliktmanagement.lib.cli import current_app, run_with_database


@click.group(name="outbox", help="The e-mail outbox (round-table reports).")
def outbox_group() -> None:
    pass


@outbox_group.command(name="send", help="Deliver every due message now (also done by the app in the background).")
def send() -> None:
    from konfliktmanagement.domain.outbox.delivery import deliver_due
    from konfliktmanagement.lib.mail import SmtpConfig

    smtp = SmtpConfig.from_settings(current_app().state["settings"])
    report = run_with_database(lambda config: deliver_due(config.get_session, smtp, limit=10_000))
    click.echo(
        f"Zugestellt: {report.sent}, später erneut: {report.retrying}, fehlgeschlagen: {report.failed}, "
        f"unterbrochen: {report.interrupted}"
    )
    if report.failed or report.interrupted:
        sys.exit(1)


@outbox_group.command(
    name="retry",
    help="Offer a failed message again (check the mail server's log for its Message-ID first if it was interrupted).",
)
@click.argument("message_id", type=click.UUID)
def retry(message_id: UUID) -> None:
    from konfliktmanagement.domain.outbox.services import requeue
    from konfliktmanagement.lib.exceptions import DomainError

    async def run(config: SQLAlchemyAsyncConfig) -> None:
        async with config.get_session() as session:
            await requeue(session, message_id)
            await session.commit()

    try:
        run_with_database(run)
    except DomainError as exc:
        click.echo(exc.detail, err=True)
        sys.exit(1)
    click.echo("Nachricht wird erneut zugestellt.")
