"""`konfliktmanagement retention run` and `privacy record` (registered in `server/cli.py`)."""

from __future__ import annotations

from datetime import date, datetime

import click
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig

from konfliktmanagement.domain.privacy import schemas
from konfliktmanagement.lib.cli import run_with_database
from konfliktmanagement.lib.clock import today


@click.group(name="retention", help="Retention (Löschkonzept): erase and archive what the policies make due.")
def retention_group() -> None:
    pass


@retention_group.command(name="run", help="Erase due personal data and archive due cases (also run daily by the app).")
@click.option("--dry-run", is_flag=True, help="Only print what would happen; change nothing.")
@click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Evaluate as if on this day."
)
def run(dry_run: bool, as_of: datetime | None) -> None:
    from konfliktmanagement.domain.privacy.retention import run_retention

    day: date = as_of.date() if as_of else today()

    async def work(config: SQLAlchemyAsyncConfig) -> schemas.RetentionReport:
        async with config.get_session() as session:
            report = await run_retention(session, day, dry_run=dry_run)
            if dry_run:
                await session.rollback()
            else:
                await session.commit()
            return report

    report = run_with_database(work)
    click.echo(("Probelauf" if dry_run else "Löschlauf") + f" zum {report.as_of.isoformat()}:")
    for plan in report.classes:
        refs = ", ".join(plan.case_references)
        click.echo(
            f"  {plan.data_class:<15} {plan.records:>6} Datensätze (Version {plan.policy_version})"
            + (f": {refs}" if refs else "")
        )
    verb = "würden archiviert" if dry_run else "archiviert"
    click.echo(f"  {len(report.archived)} Fälle {verb}{': ' + ', '.join(report.archived) if report.archived else ''}")
    if report.held:
        click.echo(f"  Aufbewahrungssperre, nicht angetastet: {', '.join(report.held)}")


@click.group(name="privacy", help="Privacy: the record of processing activities (Art. 30 GDPR).")
def privacy_group() -> None:
    pass


@privacy_group.command(name="record", help="Print the record of processing activities from the model metadata.")
@click.option(
    "--format", "output_format", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True
)
def record(output_format: str) -> None:
    from konfliktmanagement.db.classification import RetentionClass
    from konfliktmanagement.domain.privacy import record as processing_record
    from konfliktmanagement.domain.privacy.policies import Policy, current_policies

    async def work(config: SQLAlchemyAsyncConfig) -> dict[RetentionClass, Policy]:
        async with config.get_session() as session:
            return await current_policies(session)

    policies = run_with_database(work)
    render = processing_record.as_html if output_format == "html" else processing_record.as_markdown
    click.echo(render(policies), nl=False)
