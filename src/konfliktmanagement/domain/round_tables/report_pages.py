"""Round-table report pages (DESIGN.md §6). Rules live in `reports.py`.

Coordinators: `/round-tables/{id}/reports` (list and draft form), POST there (draft or regenerate),
the report page with review and send, and each member's delivery state. Members: the report page
and `…/{report_id}.pdf`, once the report is sent and only for their own round tables (else 404).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.guards import requires_role
from konfliktmanagement.domain.round_tables.reports import Render, RoundTableReportService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import NotFound, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors
from konfliktmanagement.lib.i18n import gettext as _

User = Request[m.User, Any, Any]
Form = URLEncodedBody[dict[str, Any]]
Reports = NamedDependency[RoundTableReportService]
coordinators_only = [requires_role(m.Role.COORDINATOR)]


async def provide_reports(db_session: NamedDependency[AsyncSession]) -> RoundTableReportService:
    return RoundTableReportService(db_session)


def _renderer(request: User) -> Render:
    engine = request.app.template_engine
    assert engine is not None

    def render(name: str, context: Mapping[str, Any]) -> str:
        return engine.get_template(name).render(**context)

    return render


def _report_url(round_table_id: UUID, report_id: UUID) -> str:
    return f"/round-tables/{round_table_id}/reports/{report_id}"


class RoundTableReportPages(Controller):
    path = "/round-tables/{round_table_id:uuid}/reports"
    dependencies = {"reports": Provide(provide_reports)}  # noqa: RUF012
    include_in_schema = False

    async def _list_page(
        self,
        reports: RoundTableReportService,
        round_table_id: UUID,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
    ) -> Template:
        return Template(
            template_name="round_tables/reports.html",
            context={
                "table": await reports.round_table(round_table_id),
                "reports": await reports.list_for(round_table_id),
                "form": form or {},
                "errors": errors or {},
            },
            status_code=422 if errors else 200,
        )

    @get("/", name="round_table_reports", guards=coordinators_only)
    async def index(self, reports: Reports, round_table_id: FromPath[UUID]) -> Template:
        return await self._list_page(reports, round_table_id)

    @post("/", guards=coordinators_only)
    async def draft(
        self, request: User, reports: Reports, round_table_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        try:
            report = await reports.draft(request.user, round_table_id, forms.text(data, "period"))
        except ValidationFailed as exc:
            return await self._list_page(reports, round_table_id, forms.submitted(data), field_errors(exc))
        flash(request, _("Berichtsentwurf für %(period)s erstellt.") % {"period": report.period}, category="success")
        return Redirect(path=_report_url(round_table_id, report.id), status_code=303)

    @get("/{report_name:str}", name="round_table_report")
    async def show(
        self, request: User, reports: Reports, round_table_id: FromPath[UUID], report_name: FromPath[str]
    ) -> Template | Response[bytes]:
        # One route for the page and its PDF: `{id}` and `{id}.pdf` share the path segment.
        as_pdf = report_name.endswith(".pdf")
        try:
            report_id = UUID(report_name.removesuffix(".pdf"))
        except ValueError as exc:
            raise NotFound from exc
        table, report = await reports.get(request.user, round_table_id, report_id)
        if as_pdf:
            return Response(
                content=reports.pdf(report, _renderer(request)),
                media_type="application/pdf",
                headers={"content-disposition": f'attachment; filename="bericht-{report.period}.pdf"'},
            )
        coordinator = request.user.has_role(m.Role.COORDINATOR)
        return Template(
            template_name="round_tables/report.html",
            context={
                "table": table,
                "report": report,
                "snapshot": report.snapshot,
                "coordinator": coordinator,
                "delivery": await reports.delivery(table, report) if coordinator else [],
            },
        )

    @post("/{report_id:uuid}/review", guards=coordinators_only)
    async def review(
        self, request: User, reports: Reports, round_table_id: FromPath[UUID], report_id: FromPath[UUID], data: Form
    ) -> Redirect:
        await reports.review(request.user, round_table_id, report_id, forms.integer(data, "version"))
        flash(request, _("Bericht geprüft; er kann nicht mehr verändert werden."), category="success")
        return Redirect(path=_report_url(round_table_id, report_id), status_code=303)

    @post("/{report_id:uuid}/send", guards=coordinators_only)
    async def send(
        self, request: User, reports: Reports, round_table_id: FromPath[UUID], report_id: FromPath[UUID], data: Form
    ) -> Redirect:
        version = forms.integer(data, "version")
        await reports.send(request.user, round_table_id, report_id, version, _renderer(request))
        flash(request, _("Bericht versendet: die E-Mails an die Mitglieder sind unterwegs."), category="success")
        return Redirect(path=_report_url(round_table_id, report_id), status_code=303)
