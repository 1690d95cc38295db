"""Our CLI commands: `serve`, `users create`, `demo load`, `audit verify`, `workflow diagram`;
the areas' groups (`statistics`, `outbox`, `retention`, `privacy`, `notifications`) come from their own modules."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.plugins import CLIPluginProtocol
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.notifications.cli import notifications_group
from konfliktmanagement.domain.outbox.cli import outbox_group
from konfliktmanagement.domain.privacy.cli import privacy_group, retention_group
from konfliktmanagement.domain.statistics.cli import statistics_group
from konfliktmanagement.lib.cli import current_app, run_with_database


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Passwort: ")
        if first != getpass.getpass("Passwort wiederholen: "):
            raise click.ClickException("Die Passwörter stimmen nicht überein.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


class CLIPlugin(CLIPluginProtocol):
    def on_cli_init(self, cli: click.Group) -> None:
        cli.add_command(serve)
        cli.add_command(users_group)
        cli.add_command(demo_group)
        cli.add_command(audit_group)
        cli.add_command(workflow_group)
        cli.add_command(statistics_group)
        cli.add_command(outbox_group)
        cli.add_command(retention_group)
        cli.add_command(privacy_group)
        cli.add_command(notifications_group)


@click.command(name="serve", help="Serve the app with uvicorn on KM_HOST:KM_PORT.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default KM_WORKERS, else 1 on SQLite and one per core on PostgreSQL).",
)
def serve(workers: int | None) -> None:
    import uvicorn

    settings = current_app().state["settings"]
    uvicorn.run(
        "konfliktmanagement.server.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
        access_log=False,
        log_config=None,
        # Each worker builds its own app (engine, pool, caches, outbox task): they share only the
        # database, whose row claims keep outbox messages from being sent twice (domain/outbox/delivery.py).
        workers=workers or settings.effective_workers,
    )


@click.group(name="users", help="Manage user accounts.")
def users_group() -> None:
    pass


@users_group.command(name="create", help="Create a user; the password is read from stdin when it is not a terminal.")
@click.option("--email", required=True)
@click.option("--role", "roles", required=True, multiple=True, help="admin, coordinator, mediator, round_table_member")
@click.option("--name", default=None)
def create_user(email: str, roles: tuple[str, ...], name: str | None) -> None:
    from konfliktmanagement.domain.accounts.services import UserService
    from konfliktmanagement.lib.exceptions import ValidationFailed

    password = _read_password()

    async def run(config: SQLAlchemyAsyncConfig) -> m.User:
        async with UserService.new(config=config) as users:
            user = await users.create_user(
                email=email, name=name or email.split("@")[0], roles=roles, password=password
            )
            await users.session.commit()
            return user

    try:
        user = run_with_database(run)
    except ValidationFailed as exc:
        raise click.ClickException("; ".join(f"{e.field}: {e.message}" for e in exc.errors)) from exc
    click.echo(f"Benutzer:in angelegt: {user.id}")


@click.group(name="demo", help="Demo data for trying the service out.")
def demo_group() -> None:
    pass


@demo_group.command(
    name="load",
    help="On an empty database: demo accounts (passwords printed once), seed quartiers, places and demo cases.",
)
def load_demo() -> None:
    from konfliktmanagement.domain.system.demo import load_demo as load
    from konfliktmanagement.domain.system.demo_scenario import SCENARIOS

    accounts = run_with_database(load)
    if not accounts:
        click.echo("Demo-Daten sind bereits vorhanden; nichts geändert.")
        return
    click.echo("Demo-Zugänge (Passwörter werden nur jetzt angezeigt):")
    for email, role, password in accounts:
        click.echo(f"  {role:<20} {email:<40} {password}")
    click.echo(f"Dazu {len(SCENARIOS)} Demo-Fälle in allen Bearbeitungsständen, mit Orten, Parteien und Sitzungen.")


@click.group(name="audit", help="The case audit trail.")
def audit_group() -> None:
    pass


@audit_group.command(name="verify", help="Recompute the hash chain of every case; exit 1 at the first broken link.")
def verify_audit() -> None:
    from konfliktmanagement.domain.audit.trail import VerifyReport, verify_chain

    async def run(config: SQLAlchemyAsyncConfig) -> tuple[VerifyReport, str | None]:
        async with config.get_session() as session:
            report = await verify_chain(session)
            reference = None
            if report.first_broken is not None:
                reference = await session.scalar(
                    select(m.Case.reference).where(m.Case.id == report.first_broken.case_id)
                )
            return report, reference

    report, reference = run_with_database(run)
    if report.first_broken is None:
        click.echo(f"Audit trail intact: {report.events_checked} events in {report.cases_checked} cases.")
        return
    event = report.first_broken
    click.echo(
        f"Audit trail BROKEN at case {reference} event #{event.seq} (id {event.id}): {report.problem}. "
        f"{report.events_checked - 1} events before it verified.",
        err=True,
    )
    sys.exit(1)


@click.group(name="workflow", help="The case state machine.")
def workflow_group() -> None:
    pass


@workflow_group.command(name="diagram", help="Write the state machine as a Mermaid diagram (docs/state-machine.md).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
    default=Path("docs/state-machine.md"),
    show_default=True,
    help="Where to write the Markdown file; '-' for standard output.",
)
def workflow_diagram(output: Path) -> None:
    from konfliktmanagement.domain.cases.diagram import document

    text = document()
    if str(output) == "-":
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"Diagramm geschrieben: {output}")
