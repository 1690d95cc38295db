"""Session pages: the quick log of a new session, and the edit page (status, minutes, attendees).

Access is decided once per request: by the `access` dependency for the case's routes, by the
service's `find` for a session's routes. Anyone who may not read the case gets 404, round-table
members and admins included.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.case_page.sections import CaseSectionsDep
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.domain.mediation import schemas
from konfliktmanagement.domain.mediation.deps import (
    FoundSession,
    MediationSessions,
    SessionPages,
    mediation_session_dependencies,
    session_record,
)
from konfliktmanagement.domain.mediation.queries import MediationSessionPageQuery, SessionForm
from konfliktmanagement.domain.mediation.services import CLOCK_TOLERANCE
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.clock import BERLIN, now
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm, Render
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

St = m.SessionStatus

NEW_TEMPLATE = "sessions/new.html"
EDIT_TEMPLATE = "sessions/edit.html"
# Checkbox groups: shown again with every ticked box, not only the last one.
_LIST_FIELDS = ("participation_ids", "mediator_ids", "phases")
# The quick-log form has one "when" field; the service knows a planned and a held time.
_QUICK_LOG_RENAMES = {"held_at": "when", "scheduled_at": "when"}


def _to_sessions(meeting: m.MediationSession) -> str:
    return f"/cases/{meeting.case_id}#sitzungen"


class MediationSessionPageController(Controller):
    dependencies = mediation_session_dependencies

    @get("/cases/{case_id:uuid}/sessions/new", name="session_new", dependencies=case_access("session:form"))
    async def new(self, session_pages: SessionPages, access: Access) -> Template:
        return await _new_session(session_pages, access, {}).show()

    @post("/cases/{case_id:uuid}/sessions/new", dependencies=case_access("session:create", for_write=True))
    async def create(
        self,
        request: SignedIn,
        mediation_sessions: MediationSessions,
        session_pages: SessionPages,
        case_sections: CaseSectionsDep,
        access: Access,
        data: Form,
    ) -> Answer:
        # Also the quick form of the case page's sessions section: an htmx request gets that section back.
        section = _quick_log_named(case_sections.section(access, "sessions"))
        form = replace(_new_session(session_pages, access, data), section=section)
        return await form.submit(request, data, lambda: mediation_sessions.record(access, parse_quick_log(data)))

    @get("/sessions/{mediation_session_id:uuid}", name="session_edit")
    async def edit(
        self, request: SignedIn, session_pages: SessionPages, mediation_session_id: FromPath[UUID]
    ) -> Template:
        return await _session(session_pages, request.user, mediation_session_id, {}).show()

    @post("/sessions/{mediation_session_id:uuid}", dependencies=session_record("session:update", for_write=True))
    async def update(
        self,
        request: SignedIn,
        mediation_sessions: MediationSessions,
        session_pages: SessionPages,
        found: FoundSession,
        data: Form,
    ) -> Answer:
        form = _session(session_pages, request.user, found.record.id, data)
        return await form.submit(
            request,
            data,
            lambda: mediation_sessions.revise(found, parse_session_edit(data)),
        )


def _new_session(
    session_pages: MediationSessionPageQuery, access: CaseAccess, data: dict[str, Any]
) -> PageForm[m.MediationSession]:
    async def render(state: FormState) -> Template:
        return _form(NEW_TEMPLATE, await session_pages.new_form(access), state, data)

    return PageForm(_quick_log_named(render), message=_("Sitzung gespeichert."), redirect=_to_sessions)


def _quick_log_named(render: Render) -> Render:
    """`render`, with the service's planned/held time named "when" as the quick log names it."""

    async def named(state: FormState) -> Template:
        if isinstance(state.error, ValidationFailed):
            state = replace(state, errors=quick_log_errors(state.error))
        return await render(state)

    return named


def _session(
    session_pages: MediationSessionPageQuery, user: Principal, mediation_session_id: UUID, data: dict[str, Any]
) -> PageForm[m.MediationSession]:
    async def render(state: FormState) -> Template:
        return _form(EDIT_TEMPLATE, await session_pages.edit_form(user, mediation_session_id), state, data)

    return PageForm(render, message=_("Sitzung gespeichert."), redirect=_to_sessions)


def _form(template: str, view: SessionForm, state: FormState, data: dict[str, Any]) -> Template:
    """A session form; `data` is the input sent (empty when the page is first shown)."""
    values = state.values(view.defaults)
    if not state.stale:
        values |= {name: forms.values(data, name) for name in _LIST_FIELDS if name in data}
    return state.template(template, {"view": view, "case": view.case, "form": values})


def _is_past(text: str) -> bool:
    """Whether a datetime-local value lies before now (with the service's tolerance for clock drift)."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=BERLIN)
    return when <= now() + CLOCK_TOLERANCE


def parse_quick_log(form: dict[str, Any]) -> schemas.SessionCreate:
    """The quick-log form as `SessionCreate`; errors are named after the form's fields.

    Without a chosen status the date decides: a session in the past was held, a future one is planned.
    """
    data = {key: value for key, value in form.items() if key != "when"}
    when = forms.text(form, "when").strip()
    status = forms.text(form, "status").strip()
    errors: list[FieldError] = []
    if not status:
        if not when:
            errors.append(FieldError("when", _("Bitte Datum und Uhrzeit angeben oder „geplant“ wählen.")))
        status = St.DURCHGEFUEHRT.value if when and _is_past(when) else St.GEPLANT.value
    data["status"] = status
    data["held_at" if status == St.DURCHGEFUEHRT.value else "scheduled_at"] = when
    try:
        parsed = parse(schemas.SessionCreate, data)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        raise ValidationFailed(errors) from exc
    if errors:
        raise ValidationFailed(errors)
    return parsed


def quick_log_errors(exc: ValidationFailed) -> dict[str, str]:
    """Errors by quick-log field: the service's planned/held time both belong to "when"."""
    result: dict[str, str] = {}
    for error in exc.errors:
        result.setdefault(_QUICK_LOG_RENAMES.get(error.field, error.field), error.message)
    return result


def parse_session_edit(form: dict[str, Any]) -> schemas.SessionUpdate:
    """The edit form as `SessionUpdate`, with the two defaults a busy mediator expects.

    A planned session that gets a held time was held; one marked held without a held time was
    held when it was planned, if that time has passed.
    """
    data = dict(form)
    status = forms.text(form, "status").strip()
    held = forms.text(form, "held_at").strip()
    scheduled = forms.text(form, "scheduled_at").strip()
    if held and status == St.GEPLANT.value:
        data["status"] = status = St.DURCHGEFUEHRT.value
    if status == St.DURCHGEFUEHRT.value and not held and scheduled and _is_past(scheduled):
        data["held_at"] = scheduled
    return parse(schemas.SessionUpdate, data)


PAGE_CONTROLLERS: list[type[Controller]] = [MediationSessionPageController]
