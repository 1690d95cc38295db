"""What the session pages show, and how the quick-log form maps onto the service's input Structs.

Reads start from `load_case` (404 and an audited denial for users who may not read the case).
Parties appear only under their per-case alias: the attendee choices never load the party row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import or_, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.loading import load_case
from konfliktmanagement.domain.labels import label, label_of
from konfliktmanagement.domain.mediation import schemas
from konfliktmanagement.domain.mediation.services import CLOCK_TOLERANCE, NEXT_STATUSES, MediationSessionService
from konfliktmanagement.domain.parties import aliases
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.clock import BERLIN, now
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _

St = m.SessionStatus

# The quick-log form has one "when" field; the service knows a planned and a held time.
_QUICK_LOG_RENAMES = {"held_at": "when", "scheduled_at": "when"}


@dataclass(frozen=True, slots=True)
class SessionForm:
    """Everything a session form offers for one case."""

    case: m.Case
    attendee_options: list[tuple[str, str]]
    mediator_options: list[tuple[str, str]]
    place_options: list[tuple[str, str]]
    status_options: list[tuple[str, str]]
    meeting: m.MediationSession | None = None
    defaults: dict[str, Any] = field(default_factory=dict)


class MediationSessionPages(MediationSessionService):
    """The session service plus the reads its pages need."""

    async def new_form(self, user: m.User, case_id: UUID) -> SessionForm:
        access = await load_case(self.repository.session, user, case_id, attempted="session:form")
        case = access.case
        mediator_ids = sorted(case.mediator_ids)
        return SessionForm(
            case=case,
            attendee_options=await self._attendee_options(case.id),
            mediator_options=await self._mediator_options(mediator_ids),
            place_options=await self._place_options(case.quartier_id, None),
            # Empty = decided by the date: a time in the past was held, one in the future is planned.
            status_options=[("", _("automatisch (nach Datum)"))]
            + [(s.value, label(s)) for s in (St.DURCHGEFUEHRT, St.GEPLANT)],
            # The case's mediators usually lead the session together.
            defaults={"status": "", "mediator_ids": [str(i) for i in mediator_ids]},
        )

    async def edit_form(self, user: m.User, mediation_session_id: UUID) -> SessionForm:
        access, meeting = await self._load(user, mediation_session_id, attempted="session:read")
        current = St(meeting.status)
        # A session keeps mediators who have left the case since; they stay choosable.
        mediator_ids = sorted(access.case.mediator_ids | {link.user_id for link in meeting.mediator_links})
        return SessionForm(
            case=access.case,
            attendee_options=await self._attendee_options(access.case.id),
            mediator_options=await self._mediator_options(mediator_ids),
            place_options=await self._place_options(access.case.quartier_id, meeting.place_id),
            status_options=[(s.value, label(s)) for s in St if s is current or s in NEXT_STATUSES[current]],
            meeting=meeting,
            defaults=stored_values(meeting),
        )

    async def _attendee_options(self, case_id: UUID) -> list[tuple[str, str]]:
        rows = (
            await self.repository.session.execute(
                select(m.Participation.id, m.Participation.alias, m.Participation.role, m.Participation.status).where(
                    m.Participation.case_id == case_id
                )
            )
        ).all()
        options = []
        for row in sorted(rows, key=lambda r: aliases.sort_key(r.alias)):
            details = [label_of(m.ParticipationRole, row.role)]
            if row.status in {m.ParticipationStatus.ABGELEHNT, m.ParticipationStatus.ZURUECKGEZOGEN}:
                details.append(label_of(m.ParticipationStatus, row.status))
            options.append((str(row.id), f"{row.alias} ({', '.join(details)})"))
        return options

    async def _mediator_options(self, user_ids: list[UUID]) -> list[tuple[str, str]]:
        if not user_ids:
            return []
        rows = (
            await self.repository.session.execute(
                select(m.User.id, m.User.name).where(m.User.id.in_(user_ids)).order_by(m.User.name)
            )
        ).all()
        return [(str(row.id), row.name) for row in rows]

    async def _place_options(self, quartier_id: UUID | None, current: UUID | None) -> list[tuple[str, str]]:
        conditions = [m.Place.quartier_id == quartier_id] if quartier_id else []
        if current:
            conditions.append(m.Place.id == current)
        if not conditions:
            return []
        rows = (
            await self.repository.session.execute(
                select(m.Place.id, m.Place.name).where(or_(*conditions)).order_by(m.Place.name)
            )
        ).all()
        return [(str(row.id), row.name) for row in rows]


def local_input(value: datetime | None) -> str:
    """A stored time as <input type="datetime-local"> shows it: Berlin wall-clock time."""
    return value.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M") if value else ""


def stored_values(meeting: m.MediationSession) -> dict[str, Any]:
    """The session as form values (strings and lists of strings, like a submitted form)."""
    return {
        "version": str(meeting.version),
        "kind": meeting.kind,
        "status": meeting.status,
        "scheduled_at": local_input(meeting.scheduled_at),
        "held_at": local_input(meeting.held_at),
        "duration_minutes": "" if meeting.duration_minutes is None else str(meeting.duration_minutes),
        "place_id": str(meeting.place_id) if meeting.place_id else "",
        "location": meeting.location or "",
        "phases": list(meeting.phases),
        "minutes": meeting.minutes or "",
        "participation_ids": [str(a.participation_id) for a in meeting.attendances],
        "mediator_ids": [str(link.user_id) for link in meeting.mediator_links],
    }


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
    for name, message in field_errors(exc).items():
        result.setdefault(_QUICK_LOG_RENAMES.get(name, name), message)
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
