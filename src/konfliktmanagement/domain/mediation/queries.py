"""What the session pages show: the choices of a session form, for a new session or an existing one.

The case comes as the request's access object (new session) or through `MediationSessionService.find`
(an existing one): 404 and an audited denial for users who may not read the case. Parties appear
only under their per-case alias: the attendee choices never load the party row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.labels import label, label_of
from konfliktmanagement.domain.mediation.services import NEXT_STATUSES, MediationSessionService
from konfliktmanagement.domain.parties import aliases
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.i18n import gettext as _

St = m.SessionStatus


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


class MediationSessionPageQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session
        self.sessions = MediationSessionService(session=db_session)

    async def new_form(self, access: CaseAccess) -> SessionForm:
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

    async def edit_form(self, user: Principal, mediation_session_id: UUID) -> SessionForm:
        access, meeting = await self.sessions.find(user, mediation_session_id, attempted="session:read")
        current = St(meeting.status)
        # A session keeps mediators who have left the case since; they stay choosable.
        mediator_ids = sorted(access.case.mediator_ids | {link.user_id for link in meeting.mediator_links})
        return SessionForm(
            case=access.case,
            attendee_options=await self._attendee_options(access.case_id),
            mediator_options=await self._mediator_options(mediator_ids),
            place_options=await self._place_options(access.case.quartier_id, meeting.place_id),
            status_options=[(s.value, label(s)) for s in St if s is current or s in NEXT_STATUSES[current]],
            meeting=meeting,
            defaults=stored_values(meeting),
        )

    async def _attendee_options(self, case_id: UUID) -> list[tuple[str, str]]:
        rows = (
            await self.session.execute(
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
            await self.session.execute(
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
            await self.session.execute(select(m.Place.id, m.Place.name).where(or_(*conditions)).order_by(m.Place.name))
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
