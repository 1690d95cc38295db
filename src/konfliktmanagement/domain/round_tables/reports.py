"""Round-table reports (DESIGN.md §6, issue 14): drafted, reviewed by a second coordinator, frozen, sent.

A report is prepared for a meeting and covers the days since the previous meeting (the yearly reports
made before meetings existed stay readable and can still be drafted by year). Its content is the
snapshot of `report_snapshot.py`, plus the changes against the round table's previous report.
Regenerating is allowed while the report is `entwurf`; review (by a coordinator other than the drafter
unless `KM_REPORT_FOUR_EYES` is off) freezes it; `versendet` puts one outbox message per member in the
same transaction: the e-mail's own text and HTML, and the report document as PDF (separate templates).
A failed or interrupted message can be offered again; one accepted by a mail server never is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.outbox.services import enqueue, requeue, status_of
from konfliktmanagement.domain.round_tables import report_document
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery, dedupe_key
from konfliktmanagement.domain.round_tables.report_snapshot import build_snapshot
from konfliktmanagement.domain.statistics.publishing import LIVE
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import Conflict, NotFound, StaleVersion
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version
from konfliktmanagement.lib.services import Service

Render = Callable[[str, Mapping[str, Any]], str]
PDF_MIME = "application/pdf"
DOCUMENT = "round_tables/report_document.html"


class RoundTableReportRepository(SQLAlchemyAsyncRepository[m.RoundTableReport]):
    model_type = m.RoundTableReport


class RoundTableReportService(Service[m.RoundTableReport, RoundTableReportRepository]):
    repository_type = RoundTableReportRepository

    # -- writing --------------------------------------------------------------------------------

    async def draft(self, actor: Principal, round_table_id: UUID, period: str) -> m.RoundTableReport:
        """Create the year's draft (a report not tied to a meeting), or regenerate it while it is `entwurf`."""
        period = (period or "").strip()
        table = await RoundTableQuery(self.session).table(round_table_id)
        snapshot = await build_snapshot(self.session, table, period)
        report = await self.session.scalar(
            select(m.RoundTableReport).where(
                m.RoundTableReport.round_table_id == round_table_id,
                m.RoundTableReport.period == period,
                m.RoundTableReport.meeting_id.is_(None),
            )
        )
        return await self._drafted(actor, table, report, period, snapshot, meeting=None, covers=None)

    async def draft_for_meeting(self, actor: Principal, round_table_id: UUID, meeting_id: UUID) -> m.RoundTableReport:
        """The meeting's draft: the days since the previous meeting, with the newest published statistics."""
        query = RoundTableQuery(self.session)
        table = await query.table(round_table_id)
        meeting = await query.meeting(round_table_id, meeting_id)
        previous = await query.previous_meeting(meeting)
        until = meeting.starts_at.astimezone(clock.BERLIN).date() - timedelta(days=1)
        since = previous.starts_at.astimezone(clock.BERLIN).date() if previous else date(until.year, 1, 1)
        covers = (min(since, until), until)
        period = await self._statistics_year(until.year)
        snapshot = await build_snapshot(self.session, table, period, covers)
        report = await query.report_of_meeting(meeting.id)
        return await self._drafted(actor, table, report, period, snapshot, meeting=meeting, covers=covers)

    async def review(
        self, actor: Principal, round_table_id: UUID, report_id: UUID, version: int, *, four_eyes: bool
    ) -> m.RoundTableReport:
        report = (await RoundTableQuery(self.session).report(actor, round_table_id, report_id))[1]
        _still_draft(report)
        ensure_version(report, version)
        if four_eyes and report.created_by_id == actor.id:
            raise Conflict(
                _(
                    "Sie haben diesen Entwurf erstellt. Prüfen muss ihn eine andere Person aus der Koordination "
                    "(Vier-Augen-Prinzip)."
                )
            )
        report.state = m.ReportState.GEPRUEFT.value
        report.reviewed_by_id = actor.id
        report.reviewed_at = clock.now()
        await self._write(report)
        return report

    async def send(
        self, actor: Principal, round_table_id: UUID, report_id: UUID, version: int, render: Render
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

        context = {"report": report, "snapshot": report.snapshot, "table": table}
        subject = _("Bericht %(period)s – %(name)s") % {"period": title_period(report), "name": table.name}
        text = render("mail/report.txt", context)
        html = render("mail/report.html", context)
        attachment = (pdf_name(table, report), PDF_MIME, self.pdf(table, report, render))
        for member in recipients:
            await enqueue(
                self.session,
                to=[member.user.email],
                subject=subject,
                text=text,
                html=html,
                attachments=[attachment],
                dedupe_key=dedupe_key(report.id, member.user_id),
            )
        return report

    async def resend(
        self, actor: Principal, round_table_id: UUID, report_id: UUID, user_id: UUID
    ) -> m.RoundTableReport:
        """Offer one member's failed or interrupted copy again; an accepted one is never sent twice."""
        report = (await RoundTableQuery(self.session).report(actor, round_table_id, report_id))[1]
        status = await status_of(self.session, dedupe_key(report.id, user_id))
        if status is None:
            raise NotFound
        if status.state != m.OutboxState.FAILED:
            raise Conflict(
                _("Nur eine fehlgeschlagene oder unterbrochene Zustellung kann erneut gesendet werden.")
                if status.state != m.OutboxState.SENT
                else _("Diese Nachricht hat der Mailserver angenommen; sie wird nicht ein zweites Mal gesendet.")
            )
        await requeue(self.session, status.id)
        return report

    def pdf(self, table: m.RoundTable, report: m.RoundTableReport, render: Render) -> bytes:
        """The report as a document (its own template: never the e-mail's text)."""
        # Imported here: WeasyPrint takes a while to load, and only rendering a report needs it.
        from konfliktmanagement.lib.pdf import html_to_pdf

        html = render(
            DOCUMENT, {"report": report, "snapshot": report.snapshot, "table": table, **document_parts(report)}
        )
        return html_to_pdf(html, title=document_title(table, report))

    # -- helpers --------------------------------------------------------------------------------

    async def _drafted(
        self,
        actor: Principal,
        table: m.RoundTable,
        report: m.RoundTableReport | None,
        period: str,
        snapshot: dict[str, Any],
        *,
        meeting: m.RoundTableMeeting | None,
        covers: tuple[date, date] | None,
    ) -> m.RoundTableReport:
        if report is not None:
            _still_draft(report)
        if meeting is not None and covers is not None:
            snapshot["meeting"] = {"starts_at": meeting.starts_at.isoformat(), "place": meeting.place}
            snapshot["covers"] = [covers[0].isoformat(), covers[1].isoformat()]
        previous = await self._previous(table.id, period, covers)
        snapshot["changes"] = report_document.changes(snapshot, previous.snapshot if previous else None)
        if report is None:
            report = m.RoundTableReport(
                round_table_id=table.id,
                period=period,
                meeting_id=meeting.id if meeting else None,
                state=m.ReportState.ENTWURF.value,
            )
        report.period = period
        report.covers_from, report.covers_to = covers or (None, None)
        report.snapshot = snapshot
        report.created_by_id = actor.id
        report.updated_at = clock.now()
        await self._write(report)
        return report

    async def _previous(
        self, round_table_id: UUID, period: str, covers: tuple[date, date] | None
    ) -> m.RoundTableReport | None:
        """The round table's last sent report before this one: the newest that ends before this one ends
        (for a yearly report: of an earlier year). What the members last read is what changes are told against."""
        query = select(m.RoundTableReport).where(
            m.RoundTableReport.round_table_id == round_table_id,
            m.RoundTableReport.state == m.ReportState.VERSENDET.value,
        )
        if covers is not None:
            query = query.where(m.RoundTableReport.covers_to < covers[1]).order_by(m.RoundTableReport.covers_to.desc())
        else:
            query = query.where(m.RoundTableReport.meeting_id.is_(None), m.RoundTableReport.period < period)
            query = query.order_by(m.RoundTableReport.period.desc())
        previous: m.RoundTableReport | None = await self.session.scalar(query.limit(1))
        return previous

    async def _statistics_year(self, year: int) -> str:
        """The newest year, up to `year`, with published statistics (else that year, which then says so)."""
        newest = await self.session.scalar(
            select(m.StatisticsPublication.period)
            .where(m.StatisticsPublication.period <= str(year), LIVE)
            .order_by(m.StatisticsPublication.period.desc())
            .limit(1)
        )
        return newest or str(year)

    async def _write(self, report: m.RoundTableReport) -> None:
        try:
            async with self.session.begin_nested():
                self.session.add(report)
        except IntegrityError as exc:  # two drafts of the same period or meeting at once
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
            % {"period": title_period(report)}
        )


def covers(report: m.RoundTableReport) -> tuple[date, date] | None:
    return (report.covers_from, report.covers_to) if report.covers_from and report.covers_to else None


def title_period(report: m.RoundTableReport) -> str:
    """How a report's period is named: "01.03.2026 – 30.06.2026" for a meeting's report, else the year."""
    span = covers(report)
    if span is None:
        return report.period
    return f"{span[0]:%d.%m.%Y} – {span[1]:%d.%m.%Y}"


def pdf_name(table: m.RoundTable, report: m.RoundTableReport) -> str:
    return report_document.file_name(table.name, report.period, covers(report))


def document_title(table: m.RoundTable, report: m.RoundTableReport) -> str:
    return _("Bericht %(period)s – %(name)s") % {"period": title_period(report), "name": table.name}


def document_parts(report: m.RoundTableReport) -> dict[str, Any]:
    """What the document template shows beyond the snapshot: words, charts, the review's honesty."""
    meeting = report.snapshot.get("meeting")
    return {
        "meeting_at": datetime.fromisoformat(meeting["starts_at"]) if meeting else None,
        "title_period": title_period(report),
        "summary": report_document.summary(report.snapshot),
        "charts": report_document.charts(report.snapshot),
        "draft": report.state == m.ReportState.ENTWURF.value,
        # With four eyes off, a coordinator may review their own draft: the report says so.
        "single_review": report.reviewed_by_id is not None and report.reviewed_by_id == report.created_by_id,
        "issued_on": (report.sent_at or report.updated_at or clock.now()).astimezone(clock.BERLIN).date(),
    }
