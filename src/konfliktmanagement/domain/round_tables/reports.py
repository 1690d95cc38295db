"""Round-table reports (DESIGN.md §6): drafted from stored publications, reviewed, frozen, sent.

A draft copies into its snapshot only what is already public or approved: the published (perturbed)
statistics cells of the round table's quartiers (and, for outcomes, of their Stadtbezirke) and the
bare text of `shareable` notes a coordinator approved, of cases in those quartiers received in the
period. The statistics shown are listed in `REPORT_TABLES`: cases per quartier, conflict-type group
and status group (new / in progress / resting / closed), outcomes and follow-up per Stadtbezirk,
places with recurring conflicts (published n' >= 3) and agreement items and administration requests
per status. No case reference, party, author or record key is ever read into it. Regenerating is allowed
while the report is `entwurf`; `geprüft` freezes it; `versendet` puts one outbox message per member
(text, HTML and the PDF rendered from the same template) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.outbox.services import enqueue
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery, dedupe_key
from konfliktmanagement.domain.statistics.catalogue import PLACE_SEPARATOR, RECURRING_MINIMUM, TOTAL, UNKNOWN
from konfliktmanagement.domain.statistics.publishing import LIVE, check_period
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import Conflict, FieldError, StaleVersion, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version
from konfliktmanagement.lib.services import Service

Render = Callable[[str, Mapping[str, Any]], str]
PDF_MIME = "application/pdf"


@dataclass(frozen=True, slots=True)
class ReportTable:
    """Which published table goes into a report and how it is narrowed to the round table."""

    code: str
    by: str  # "quartier" or "stadtbezirk": only cells of the round table's own areas
    fixed: tuple[tuple[str, str], ...] = ()  # further dimensions held at one value (and not shown)
    title: str | None = None  # instead of the publication's title, when `fixed` narrows it
    # The dimension whose codes start with the area's code ("Q01/Spielplatz"), instead of `by` itself.
    within: str | None = None
    minimum: int | None = None  # only cells whose published value n' is at least this
    unit: str = "Fälle"  # the heading of the value column
    empty: str | None = None  # shown when no cell qualifies (else the table is left out)


REPORT_TABLES: tuple[ReportTable, ...] = (
    ReportTable("faelle_quartier", "quartier"),
    ReportTable("faelle_quartier_konfliktgruppe", "quartier"),
    # Outcomes are published per Stadtbezirk only; the report shows those of its quartiers' districts.
    ReportTable(
        "ergebnis_stadtbezirk_konfliktart",
        "stadtbezirk",
        (("konfliktart", TOTAL),),
        title="Fälle je Stadtbezirk nach Ergebnis (alle Konfliktarten)",
    ),
    ReportTable("nachbetreuung_stadtbezirk", "stadtbezirk"),
    # New, in progress, resting and closed cases of the quartiers (status at the publication).
    ReportTable("faelle_quartier_status", "quartier"),
    # Places with recurring conflicts: the quartiers' places with a published n' >= 3 (no n' is 1 or 2).
    ReportTable(
        "faelle_ort",
        "quartier",
        within="ort",
        minimum=RECURRING_MINIMUM,
        title="Orte mit wiederkehrenden Konflikten (mindestens 3 veröffentlichte Fälle)",
        empty="In den Quartieren dieses Runden Tisches gibt es keinen Ort mit wiederkehrenden Konflikten.",
    ),
    ReportTable("vereinbarungspunkte_quartier", "quartier", unit="Vereinbarungspunkte"),
    ReportTable("verwaltungsanliegen_quartier", "quartier", unit="Anliegen"),
)


def _area(spec: ReportTable, values: Mapping[str, str]) -> str | None:
    if spec.within is None:
        return values.get(spec.by)
    value = values.get(spec.within)
    if value is None or value in {TOTAL, UNKNOWN}:
        return None
    return value.split(PLACE_SEPARATOR, 1)[0]


def _narrowed(spec: ReportTable, publication: m.StatisticsPublication, areas: set[str]) -> dict[str, Any] | None:
    fixed = dict(spec.fixed)
    columns = [d for d in publication.dimensions if d["code"] not in fixed]
    rows = []
    for cell in publication.cells:
        values = cell.dimension_values
        if _area(spec, values) not in areas or any(values.get(k) != v for k, v in fixed.items()):
            continue
        if spec.minimum is not None and (cell.value is None or cell.value < spec.minimum):
            continue
        rows.append({"labels": [cell.dimension_labels[d["code"]] for d in columns], "display": cell.display})
    if not rows and spec.empty is None:
        return None
    return {
        "code": publication.table_code,
        "title": spec.title or publication.title,
        "note": publication.note,
        "columns": [d["label"] for d in columns],
        "unit": spec.unit,
        "empty": spec.empty,
        "rows": rows,
    }


async def build_snapshot(session: AsyncSession, table: m.RoundTable, period: str) -> dict[str, Any]:
    """The report's content from stored publications and approved notes only."""
    year = check_period(period)
    publications = {
        p.table_code: p
        for p in await session.scalars(
            select(m.StatisticsPublication)
            .where(m.StatisticsPublication.period == period, LIVE)
            .options(selectinload(m.StatisticsPublication.cells))
        )
    }
    if not publications:
        message = _("Für %(period)s ist noch keine Statistik veröffentlicht.") % {"period": period}
        raise ValidationFailed([FieldError("period", message)], detail=message)
    areas = {
        "quartier": {q.code for q in table.quartiers},
        "stadtbezirk": {q.stadtbezirk.code for q in table.quartiers if q.stadtbezirk is not None},
    }
    tables = []
    for spec in REPORT_TABLES:
        publication = publications.get(spec.code)
        if publication is not None and (narrowed := _narrowed(spec, publication, areas[spec.by])) is not None:
            tables.append(narrowed)
    # Only the text: never the case, its reference, its parties or the note's author.
    notes = await session.scalars(
        select(m.Note.body)
        .join(m.Case, m.Case.id == m.Note.case_id)
        .where(
            m.Note.tier == m.NoteTier.SHAREABLE.value,
            m.Note.approved_at.is_not(None),
            m.Case.year == year,
            m.Case.quartier_id.in_([q.id for q in table.quartiers]),
        )
        .order_by(m.Note.approved_at, m.Note.id)
    )
    first = next(iter(publications.values()))
    return {
        "period": period,
        "round_table": table.name,
        "quartiers": [q.name for q in table.quartiers],
        "published_at": first.snapshot_at.isoformat(),
        # A year not yet over when its statistics were published: the report says so.
        "provisional": first.provisional,
        "ptable_sha256": first.ptable_sha256,
        "tables": tables,
        "notes": list(notes),
    }


class RoundTableReportRepository(SQLAlchemyAsyncRepository[m.RoundTableReport]):
    model_type = m.RoundTableReport


class RoundTableReportService(Service[m.RoundTableReport, RoundTableReportRepository]):
    repository_type = RoundTableReportRepository

    # -- writing --------------------------------------------------------------------------------

    async def draft(self, actor: m.User, round_table_id: UUID, period: str) -> m.RoundTableReport:
        """Create the period's draft, or regenerate it while it is still `entwurf`."""
        period = (period or "").strip()
        table = await RoundTableQuery(self.session).table(round_table_id)
        snapshot = await build_snapshot(self.session, table, period)
        report = await self.session.scalar(
            select(m.RoundTableReport).where(
                m.RoundTableReport.round_table_id == round_table_id, m.RoundTableReport.period == period
            )
        )
        if report is not None:
            _still_draft(report)
            report.snapshot = snapshot
            report.created_by_id = actor.id
            report.updated_at = clock.now()
        else:
            report = m.RoundTableReport(
                round_table_id=round_table_id,
                period=period,
                state=m.ReportState.ENTWURF.value,
                snapshot=snapshot,
                created_by_id=actor.id,
            )
        await self._write(report)
        return report

    async def review(self, actor: m.User, round_table_id: UUID, report_id: UUID, version: int) -> m.RoundTableReport:
        _, report = await RoundTableQuery(self.session).report(actor, round_table_id, report_id)
        _still_draft(report)
        ensure_version(report, version)
        report.state = m.ReportState.GEPRUEFT.value
        report.reviewed_by_id = actor.id
        report.reviewed_at = clock.now()
        await self._write(report)
        return report

    async def send(
        self, actor: m.User, round_table_id: UUID, report_id: UUID, version: int, render: Render
    ) -> m.RoundTableReport:
        """Freeze as `versendet` and queue one message per member, in the caller's transaction."""
        table, report = await RoundTableQuery(self.session).report(actor, round_table_id, report_id)
        if report.state == m.ReportState.VERSENDET.value:
            raise Conflict(_("Dieser Bericht ist bereits versendet; er wird nicht noch einmal verschickt."))
        if report.state != m.ReportState.GEPRUEFT.value:
            raise Conflict(_("Bitte den Bericht zuerst prüfen; erst ein geprüfter Bericht kann versendet werden."))
        ensure_version(report, version)
        recipients = [member for member in table.members if member.user.is_active]
        if not recipients:
            raise Conflict(_("Dieser Runde Tisch hat keine aktiven Mitglieder, an die der Bericht gehen könnte."))
        report.state = m.ReportState.VERSENDET.value
        report.sent_by_id = actor.id
        report.sent_at = clock.now()
        await self._write(report)  # the version check first: a second click loses here

        context = {"report": report, "snapshot": report.snapshot}
        subject = _("Bericht %(period)s – %(name)s") % {"period": report.period, "name": table.name}
        text = render("mail/report.txt", context)
        html = render("mail/report.html", context)
        pdf = _pdf(html, subject)
        filename = f"bericht-{report.period}.pdf"
        for member in recipients:
            await enqueue(
                self.session,
                to=[member.user.email],
                subject=subject,
                text=text,
                html=html,
                attachments=[(filename, PDF_MIME, pdf)],
                dedupe_key=dedupe_key(report.id, member.user_id),
            )
        return report

    def pdf(self, report: m.RoundTableReport, render: Render) -> bytes:
        html = render("mail/report.html", {"report": report, "snapshot": report.snapshot})
        return _pdf(html, _("Bericht %(period)s") % {"period": report.period})

    async def _write(self, report: m.RoundTableReport) -> None:
        try:
            async with self.session.begin_nested():
                self.session.add(report)
        except IntegrityError as exc:  # two drafts of the same period at once
            raise Conflict(_("Für diesen Zeitraum wurde eben schon ein Bericht angelegt.")) from exc
        except StaleDataError as exc:
            current = await self.session.scalar(
                select(m.RoundTableReport.version).where(m.RoundTableReport.id == report.id)
            )
            raise StaleVersion(current or 0) from exc


def _still_draft(report: m.RoundTableReport) -> None:
    if report.state != m.ReportState.ENTWURF.value:
        raise Conflict(
            _("Der Bericht für %(period)s ist bereits geprüft und kann nicht mehr verändert werden.")
            % {"period": report.period}
        )


def _pdf(html: str, title: str) -> bytes:
    # Imported here: the PDF library and its fonts take about a second to import, and only rendering
    # a report needs them (every CLI command and worker start would pay it otherwise).
    from konfliktmanagement.lib.pdf import html_to_pdf

    return html_to_pdf(html, title=title)
