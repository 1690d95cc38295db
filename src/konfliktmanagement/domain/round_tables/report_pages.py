"""Round-table report pages (DESIGN.md §6). Rules live in `reports.py`, who sees what in `access.py`.

Coordinators: `/round-tables/{id}/reports` (list and draft form), POST there (draft or regenerate),
the report page with review (four eyes) and send, each member's delivery state in words and
"Erneut senden" for a failed or interrupted message. Members: the report page
and `…/{report_id}.pdf`, once the report is sent and only for their own round tables (else 404).
"""

from __future__ import annotations

from typing import NoReturn
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.round_tables.access import may_manage, requires_manager
from konfliktmanagement.domain.round_tables.deps import round_table_dependencies
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery
from konfliktmanagement.domain.round_tables.reports import (
    RoundTableReportService,
    document_parts,
    pdf_name,
    title_period,
)
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import NotFound
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.templating import text_renderer

User = SignedIn
Reports = NamedDependency[RoundTableReportService]
Pages = NamedDependency[RoundTableQuery]
managers_only = [requires_manager]


def _report_url(round_table_id: UUID, report_id: UUID) -> str:
    return f"/round-tables/{round_table_id}/reports/{report_id}"


async def _no_form(state: FormState) -> NoReturn:
    # Review and send have no input to show again: a refusal is the app's error page, as for any action.
    assert state.error is not None
    raise state.error


class RoundTableReportPageController(Controller):
    path = "/round-tables/{round_table_id:uuid}/reports"
    dependencies = round_table_dependencies

    @get("/", name="round_table_reports", guards=managers_only)
    async def index(self, round_table_pages: Pages, round_table_id: FromPath[UUID]) -> Template:
        return await _list_page(round_table_pages, round_table_id).show()

    @post("/", guards=managers_only)
    async def draft(
        self, request: User, reports: Reports, round_table_pages: Pages, round_table_id: FromPath[UUID], data: Form
    ) -> Answer:
        form = _list_page(round_table_pages, round_table_id)
        return await form.submit(
            request, data, lambda: reports.draft(request.user, round_table_id, forms.text(data, "period"))
        )

    @get("/{report_name:str}", name="round_table_report")
    async def show(
        self,
        request: User,
        reports: Reports,
        round_table_pages: Pages,
        round_table_id: FromPath[UUID],
        report_name: FromPath[str],
    ) -> Template | Response[bytes]:
        # One route for the page and its PDF: `{id}` and `{id}.pdf` share the path segment.
        as_pdf = report_name.endswith(".pdf")
        try:
            report_id = UUID(report_name.removesuffix(".pdf"))
        except ValueError as exc:
            raise NotFound from exc
        table, report = await round_table_pages.report(request.user, round_table_id, report_id)
        if as_pdf:
            return Response(
                content=reports.pdf(table, report, text_renderer(request.app)),
                media_type="application/pdf",
                headers={"content-disposition": f'attachment; filename="{pdf_name(table, report)}"'},
            )
        coordinator = may_manage(request.user)
        return Template(
            template_name="round_tables/report.html",
            context={
                "table": table,
                "report": report,
                "snapshot": report.snapshot,
                "coordinator": coordinator,
                "delivery": await round_table_pages.delivery(table, report) if coordinator else [],
                "title_period": title_period(report),
                "single_review": document_parts(report)["single_review"],
            },
        )

    @post("/{report_id:uuid}/review", guards=managers_only)
    async def review(
        self, request: User, reports: Reports, round_table_id: FromPath[UUID], report_id: FromPath[UUID], data: Form
    ) -> Answer:
        form = _report_action(round_table_id, report_id, _("Bericht geprüft; er kann nicht mehr verändert werden."))
        return await form.submit(
            request,
            data,
            lambda: reports.review(
                request.user,
                round_table_id,
                report_id,
                forms.integer(data, "version"),
                four_eyes=request.app.state["settings"].report_four_eyes,
            ),
        )

    @post("/{report_id:uuid}/send", guards=managers_only)
    async def send(
        self, request: User, reports: Reports, round_table_id: FromPath[UUID], report_id: FromPath[UUID], data: Form
    ) -> Answer:
        version = forms.integer(data, "version")
        form = _report_action(
            round_table_id, report_id, _("Bericht versendet: die E-Mails an die Mitglieder sind unterwegs.")
        )
        return await form.submit(
            request,
            data,
            lambda: reports.send(request.user, round_table_id, report_id, version, text_renderer(request.app)),
        )

    @post("/{report_id:uuid}/deliveries/{user_id:uuid}/resend", guards=managers_only)
    async def resend(
        self,
        request: User,
        reports: Reports,
        round_table_id: FromPath[UUID],
        report_id: FromPath[UUID],
        user_id: FromPath[UUID],
        data: Form,
    ) -> Answer:
        form = _report_action(round_table_id, report_id, _("Die Nachricht wird erneut gesendet."))
        return await form.submit(
            request, data, lambda: reports.resend(request.user, round_table_id, report_id, user_id)
        )


def _list_page(pages: RoundTableQuery, round_table_id: UUID) -> PageForm[m.RoundTableReport]:
    """The list of a round table's reports, with the form that drafts one."""

    async def render(state: FormState) -> Template:
        context = {"table": await pages.table(round_table_id), "reports": await pages.reports_of(round_table_id)}
        return state.template("round_tables/reports.html", context)

    return PageForm(
        render,
        message=lambda report: _("Berichtsentwurf für %(period)s erstellt.") % {"period": report.period},
        redirect=lambda report: _report_url(round_table_id, report.id),
    )


def _report_action(round_table_id: UUID, report_id: UUID, message: str) -> PageForm[m.RoundTableReport]:
    """Review and send: buttons on the report page, back to it."""
    return PageForm(_no_form, message=message, redirect=_report_url(round_table_id, report_id))
