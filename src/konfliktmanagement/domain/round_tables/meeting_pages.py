"""Meetings of a round table: `/round-tables/{id}/meetings` and each meeting's page.

Coordinators plan meetings, write and approve the minutes and prepare the meeting's report there.
Members of the round table see its upcoming and past meetings, and minutes once approved; anyone
else gets 404 (`RoundTableQuery.visible_table`). Rules live in `meetings.py`.
"""

from __future__ import annotations

from typing import Any, NoReturn
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.round_tables import schemas
from konfliktmanagement.domain.round_tables.access import may_manage, requires_manager
from konfliktmanagement.domain.round_tables.deps import round_table_dependencies
from konfliktmanagement.domain.round_tables.meetings import MeetingService
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery
from konfliktmanagement.domain.round_tables.reports import RoundTableReportService
from konfliktmanagement.lib import clock, forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

User = SignedIn
Meetings = NamedDependency[MeetingService]
Reports = NamedDependency[RoundTableReportService]
Pages = NamedDependency[RoundTableQuery]
managers_only = [requires_manager]


def _url(round_table_id: UUID, meeting_id: UUID | None = None) -> str:
    base = f"/round-tables/{round_table_id}/meetings"
    return base if meeting_id is None else f"{base}/{meeting_id}"


def _stored(meeting: m.RoundTableMeeting | None) -> dict[str, Any]:
    if meeting is None:
        return {}
    return {
        "starts_at": meeting.starts_at.astimezone(clock.BERLIN).strftime("%Y-%m-%dT%H:%M"),
        "place": meeting.place,
        "agenda": "\n".join(meeting.agenda),
        "organisations": "\n".join(meeting.organisations),
        "minutes": meeting.minutes,
        "next_date": meeting.next_date.isoformat() if meeting.next_date else "",
        "version": meeting.version,
    }


class RoundTableMeetingPageController(Controller):
    path = "/round-tables/{round_table_id:uuid}/meetings"
    dependencies = round_table_dependencies

    @get("/", name="round_table_meetings")
    async def index(self, request: User, round_table_pages: Pages, round_table_id: FromPath[UUID]) -> Template:
        return await _list_page(request.user, round_table_pages, round_table_id).show()

    @post("/", guards=managers_only)
    async def plan(
        self, request: User, meetings: Meetings, round_table_pages: Pages, round_table_id: FromPath[UUID], data: Form
    ) -> Answer:
        form = _list_page(request.user, round_table_pages, round_table_id)
        return await form.submit(
            request, data, lambda: meetings.plan(request.user, round_table_id, parse(schemas.MeetingInput, data))
        )

    @get("/{meeting_id:uuid}", name="round_table_meeting")
    async def show(
        self, request: User, round_table_pages: Pages, round_table_id: FromPath[UUID], meeting_id: FromPath[UUID]
    ) -> Template:
        return await _meeting_page(request.user, round_table_pages, round_table_id, meeting_id).show()

    @post("/{meeting_id:uuid}", guards=managers_only)
    async def revise(
        self,
        request: User,
        meetings: Meetings,
        round_table_pages: Pages,
        round_table_id: FromPath[UUID],
        meeting_id: FromPath[UUID],
        data: Form,
    ) -> Answer:
        form = _meeting_page(request.user, round_table_pages, round_table_id, meeting_id)
        version = forms.integer(data, "version")
        return await form.submit(
            request,
            data,
            lambda: meetings.revise(round_table_id, meeting_id, version, parse(schemas.MeetingInput, data)),
        )

    @post("/{meeting_id:uuid}/approve", guards=managers_only)
    async def approve(
        self, request: User, meetings: Meetings, round_table_id: FromPath[UUID], meeting_id: FromPath[UUID], data: Form
    ) -> Answer:
        # A button without input: a refusal (empty minutes, stale, already approved) is the app's error page.
        form: PageForm[m.RoundTableMeeting] = PageForm(
            _refused, message=_("Protokoll freigegeben; es ist nun fest."), redirect=_url(round_table_id, meeting_id)
        )
        version = forms.integer(data, "version")
        return await form.submit(
            request, data, lambda: meetings.approve_minutes(request.user, round_table_id, meeting_id, version)
        )

    @post("/{meeting_id:uuid}/report", guards=managers_only)
    async def prepare_report(
        self,
        request: User,
        reports: Reports,
        round_table_pages: Pages,
        round_table_id: FromPath[UUID],
        meeting_id: FromPath[UUID],
        data: Form,
    ) -> Answer:
        form: PageForm[m.RoundTableReport] = PageForm(
            _meeting_page(request.user, round_table_pages, round_table_id, meeting_id).render,
            message=_("Berichtsentwurf für die Sitzung erstellt."),
            redirect=lambda report: f"/round-tables/{round_table_id}/reports/{report.id}",
        )
        return await form.submit(
            request, data, lambda: reports.draft_for_meeting(request.user, round_table_id, meeting_id)
        )


async def _refused(state: FormState) -> NoReturn:
    assert state.error is not None
    raise state.error


def _list_page(user: Principal, pages: RoundTableQuery, round_table_id: UUID) -> PageForm[m.RoundTableMeeting]:
    """Upcoming and past meetings; for coordinators the form that plans one."""

    async def render(state: FormState) -> Template:
        table = await pages.visible_table(user, round_table_id)
        context = {
            "table": table,
            "meetings": await pages.meetings_of(table.id),
            "now": clock.now(),
            "coordinator": may_manage(user),
            "organisation_hint": ", ".join(sorted({member.organisation for member in table.members})),
        }
        return state.template("round_tables/meetings.html", context)

    return PageForm(
        render,
        message=_("Sitzung angelegt."),
        redirect=lambda meeting: _url(round_table_id, meeting.id),
    )


def _meeting_page(
    user: Principal, pages: RoundTableQuery, round_table_id: UUID, meeting_id: UUID
) -> PageForm[m.RoundTableMeeting]:
    async def render(state: FormState) -> Template:
        table = await pages.visible_table(user, round_table_id)
        meeting = await pages.meeting(table.id, meeting_id)
        coordinator = may_manage(user)
        report = await pages.report_of_meeting(meeting.id)
        context = {
            "table": table,
            "meeting": meeting,
            "coordinator": coordinator,
            "approved": meeting.minutes_state == m.MinutesState.FREIGEGEBEN.value,
            # Members see a report once it is sent (as on their home page).
            "report": report if coordinator or (report and report.state == m.ReportState.VERSENDET.value) else None,
        }
        return state.template("round_tables/meeting.html", context, stored=_stored(meeting))

    return PageForm(render, message=_("Sitzung gespeichert."), redirect=_url(round_table_id, meeting_id))
