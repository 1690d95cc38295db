"""Mediation sessions (Sitzungen) of a case: plan, log, reschedule, record minutes.

Readable by everyone who may read the case; written by its assigned mediators and by coordinators
(who plan sessions). Audit events carry field names only, never the minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import deny
from konfliktmanagement.domain.cases.records import (
    CaseRecord,
    CaseRecordService,
    add_record,
    refused_status,
    revise_record,
)
from konfliktmanagement.domain.mediation import schemas
from konfliktmanagement.lib.clock import now
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import apply_changes

St = m.SessionStatus

SESSION_LOAD = (selectinload(m.MediationSession.attendances), selectinload(m.MediationSession.mediator_links))

# A new session is either planned, or logged after the fact as held.
INITIAL_STATUSES = frozenset({St.GEPLANT, St.DURCHGEFUEHRT})
# geplant → durchgefuehrt | abgesagt | verschoben; a postponed session is planned again (or called off).
NEXT_STATUSES: dict[St, frozenset[St]] = {
    St.GEPLANT: frozenset({St.DURCHGEFUEHRT, St.ABGESAGT, St.VERSCHOBEN}),
    St.VERSCHOBEN: frozenset({St.GEPLANT, St.ABGESAGT}),
    St.DURCHGEFUEHRT: frozenset(),
    St.ABGESAGT: frozenset(),
}
# Devices' clocks drift: a session logged "now" must not fail because the phone is a minute ahead.
CLOCK_TOLERANCE = timedelta(minutes=5)

# The id lists of a session's link rows: field → (relationship, the row's id, a new row).
_LINKS: dict[str, tuple[str, Callable[[Any], UUID], Callable[[UUID], Any]]] = {
    "participation_ids": (
        "attendances",
        lambda a: a.participation_id,
        lambda i: m.SessionAttendance(participation_id=i),
    ),
    "mediator_ids": ("mediator_links", lambda link: link.user_id, lambda i: m.SessionMediator(user_id=i)),
}
_SCALAR_FIELDS = ("kind", "status", "scheduled_at", "held_at", "duration_minutes", "place_id", "location", "phases")


class MediationSessionRepository(SQLAlchemyAsyncRepository[m.MediationSession]):
    model_type = m.MediationSession


class MediationSessionService(CaseRecordService[m.MediationSession, MediationSessionRepository]):
    repository_type = MediationSessionRepository
    record_load = SESSION_LOAD

    async def list_for_case(self, access: CaseAccess, *, with_people: bool = True) -> list[m.MediationSession]:
        """The case's sessions; `with_people=False` leaves out attendees and mediators (two statements
        fewer) for a view that shows kind, dates and status only, like the case page's timeline."""
        return list(
            await self.repository.get_many(
                m.MediationSession.case_id == access.case_id,
                order_by=[
                    func.coalesce(m.MediationSession.held_at, m.MediationSession.scheduled_at).asc(),
                    m.MediationSession.created_at.asc(),
                ],
                load=list(SESSION_LOAD) if with_people else None,
            )
        )

    async def record(self, access: CaseAccess, data: schemas.SessionCreate) -> m.MediationSession:
        """Plan a session, or log one already held."""
        self._require_writer(access, "session:create")
        values = _normalised(msgspec.structs.asdict(data))
        if values["status"] not in INITIAL_STATUSES:
            raise ValidationFailed(
                [FieldError("status", _("Eine neue Sitzung ist geplant oder bereits durchgeführt."))]
            )
        await self._check(access.case, values, {})
        meeting = m.MediationSession(
            case_id=access.case_id,
            minutes=values["minutes"],
            attendances=[m.SessionAttendance(participation_id=i) for i in values["participation_ids"]],
            mediator_links=[m.SessionMediator(user_id=i) for i in values["mediator_ids"]],
            **{name: values[name] for name in _SCALAR_FIELDS},
        )
        return await add_record(
            self.session,
            access,
            meeting,
            event="session_created",
            details=lambda saved: {"session_id": str(saved.id), "kind": saved.kind, "status": saved.status},
        )

    async def revise(self, found: CaseRecord[m.MediationSession], data: schemas.SessionUpdate) -> m.MediationSession:
        access, meeting = found
        self._require_writer(access, "session:update")
        current = _current(meeting)
        source = St(meeting.status)

        async def validate(changes: dict[str, Any]) -> dict[str, Any]:
            given = _normalised(changes)
            target = St(given.get("status", source))
            if target is not source and target not in NEXT_STATUSES[source]:
                raise refused_status(
                    _("Der Status der Sitzung kann nicht von „%(source)s“ zu „%(target)s“ wechseln.")
                    % {"source": source.value, "target": target.value},
                    allowed=sorted(s.value for s in NEXT_STATUSES[source]),
                )
            await self._check(access.case, {**current, **given}, current)
            # Only what differs from the stored session counts as a change.
            return {name: value for name, value in given.items() if _differs(name, value, current[name])}

        def details(_changed: list[str]) -> dict[str, Any]:
            result: dict[str, Any] = {"session_id": str(meeting.id)}
            if meeting.status != source:
                result |= {"from_status": source.value, "to_status": meeting.status}
            return result

        await revise_record(
            self.session,
            access,
            meeting,
            data,
            validate=validate,
            event="session_updated",
            details=details,
            apply=_apply,
        )
        return meeting

    def _require_writer(self, access: CaseAccess, attempted: str) -> None:
        # Only readers of the case get here, and every reader is on the case team today; this keeps
        # it so if a read-only role is ever added.
        if not access.is_case_team:
            raise deny(self.session, access, attempted)

    async def _check(self, case: m.Case, values: dict[str, Any], current: dict[str, Any]) -> None:
        """Rules across fields and against the case; raises one 422 naming every invalid field.

        References are checked only where they change: a session keeps the mediators and place it
        had, even after the case's team or quartier changed.
        """
        session = self.session
        errors: list[FieldError] = []
        status, held_at = values["status"], values["held_at"]
        if held_at is not None and held_at > now() + CLOCK_TOLERANCE:
            errors.append(FieldError("held_at", _("Der Zeitpunkt der Durchführung liegt in der Zukunft.")))
        elif status == St.DURCHGEFUEHRT and held_at is None:
            errors.append(FieldError("held_at", _("Für eine durchgeführte Sitzung fehlt der Zeitpunkt.")))
        if values["duration_minutes"] is not None and held_at is None:
            errors.append(FieldError("duration_minutes", _("Eine Dauer gibt es nur für eine durchgeführte Sitzung.")))
        if len(set(values["phases"])) != len(values["phases"]):
            errors.append(FieldError("phases", _("Jede Phase nur einmal angeben.")))
        if values["place_id"] is not None and values["location"] is not None:
            errors.append(FieldError("location", _("Entweder einen Ort aus der Liste oder eine Ortsangabe.")))
        if values["place_id"] is not None and values["place_id"] != current.get("place_id"):
            place_quartier = await session.scalar(select(m.Place.quartier_id).where(m.Place.id == values["place_id"]))
            if place_quartier is None:
                errors.append(FieldError("place_id", _("Unbekannter Ort.")))
            elif case.quartier_id is not None and place_quartier != case.quartier_id:
                errors.append(FieldError("place_id", _("Der Ort liegt nicht im Quartier des Falls.")))
        if wanted := set(values["participation_ids"]) - set(current.get("participation_ids", ())):
            found = set(
                await session.scalars(
                    select(m.Participation.id).where(m.Participation.case_id == case.id, m.Participation.id.in_(wanted))
                )
            )
            if wanted - found:
                errors.append(FieldError("participation_ids", _("Nicht alle Beteiligten gehören zu diesem Fall.")))
        if set(values["mediator_ids"]) - set(current.get("mediator_ids", ())) - case.mediator_ids:
            errors.append(FieldError("mediator_ids", _("Nur die dem Fall zugewiesenen Mediator:innen.")))
        if errors:
            raise ValidationFailed(errors)


def _current(meeting: m.MediationSession) -> dict[str, Any]:
    """The session's values in the shape of `_normalised` input, to compare and check against."""
    current = {name: getattr(meeting, name) for name in (*_SCALAR_FIELDS, "minutes")}
    current["participation_ids"] = [a.participation_id for a in meeting.attendances]
    current["mediator_ids"] = [link.user_id for link in meeting.mediator_links]
    return current


def _differs(name: str, value: Any, stored: Any) -> bool:
    # The attendee and mediator lists are sets: their order on the form means nothing.
    return set(value) != set(stored) if name in _LINKS else bool(value != stored)


def _apply(meeting: m.MediationSession, changes: dict[str, Any]) -> list[str]:
    """Columns as given; attendances and mediators keep their rows where they stay (no delete + insert)."""
    scalars = {name: value for name, value in changes.items() if name not in _LINKS}
    changed = apply_changes(meeting, scalars)
    for name, (relation, key, make) in _LINKS.items():
        if name in changes:
            setattr(meeting, relation, _relinked(getattr(meeting, relation), set(changes[name]), key, make))
            changed.append(name)
    return changed


def _relinked(rows: list[Any], wanted: set[UUID], key: Callable[[Any], UUID], make: Callable[[UUID], Any]) -> list[Any]:
    """The link rows for `wanted`: the ones that stay are kept, the missing ones made."""
    kept = [row for row in rows if key(row) in wanted]
    known = {key(row) for row in kept}
    return kept + [make(i) for i in wanted - known]


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    """Enum members to their stored values, blank texts to None, id lists without repeats."""
    result = dict(values)
    for name in ("kind", "status"):
        if name in result:
            result[name] = result[name].value
    if "phases" in result:
        result["phases"] = [p.value for p in result["phases"]]
    for name in ("location", "minutes"):
        if name in result and result[name] is not None:
            result[name] = result[name].strip() or None
    for name in ("participation_ids", "mediator_ids"):
        if name in result:
            result[name] = list(dict.fromkeys(result[name]))
    return result
