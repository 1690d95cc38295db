""" "Meine Fälle": a mediator's open cases with the next date that needs them, due ones first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.loading import CASE_DETAIL_LOAD
from konfliktmanagement.domain.labels import label
from konfliktmanagement.lib.clock import BERLIN, today
from konfliktmanagement.lib.i18n import N_, gettext

KIND_SESSION = N_("Sitzung")
KIND_RESUBMISSION = N_("Wiedervorlage")
KIND_FOLLOW_UP = N_("Nachbetreuung")


@dataclass(frozen=True, slots=True)
class NextDate:
    day: date
    kind: str  # German, for people
    at: datetime | None = None  # set for sessions: they have a time of day

    @property
    def overdue(self) -> bool:
        return self.day < today()

    @property
    def due_today(self) -> bool:
        return self.day == today()


@dataclass(frozen=True, slots=True)
class MyCase:
    case: m.Case
    next: NextDate | None

    @property
    def due(self) -> bool:
        return self.next is not None and self.next.day <= today()


async def my_open_cases(session: AsyncSession, user: m.User) -> list[MyCase]:
    """Open cases the user is assigned to: due or overdue first, then by next date, undated last."""
    cases = list(
        await session.scalars(
            select(m.Case)
            .where(
                readable_cases(user),
                m.Case.id.in_(select(m.CaseMediator.case_id).where(m.CaseMediator.user_id == user.id)),
                m.Case.status.in_(sorted(s.value for s in workflow.OPEN)),
            )
            .options(*CASE_DETAIL_LOAD)
        )
    )
    sessions = await _next_sessions(session, [c.id for c in cases])
    rows = [MyCase(case, _earliest(case, sessions.get(case.id))) for case in cases]
    far = date.max
    return sorted(
        rows,
        key=lambda r: (0 if r.due else 1 if r.next else 2, r.next.day if r.next else far, r.case.reference),
    )


async def _next_sessions(session: AsyncSession, case_ids: list[object]) -> dict[object, m.MediationSession]:
    """The earliest still planned session per case (a planned one in the past is overdue: log it)."""
    if not case_ids:
        return {}
    planned = await session.scalars(
        select(m.MediationSession)
        .where(
            m.MediationSession.case_id.in_(case_ids),
            m.MediationSession.status == m.SessionStatus.GEPLANT.value,
            m.MediationSession.scheduled_at.is_not(None),
        )
        .order_by(m.MediationSession.scheduled_at)
    )
    earliest: dict[object, m.MediationSession] = {}
    for meeting in planned:
        earliest.setdefault(meeting.case_id, meeting)
    return earliest


def _earliest(case: m.Case, meeting: m.MediationSession | None) -> NextDate | None:
    candidates: list[NextDate] = []
    if meeting is not None and meeting.scheduled_at is not None:
        kind = m.SessionKind(meeting.kind)
        candidates.append(
            NextDate(
                meeting.scheduled_at.astimezone(BERLIN).date(),
                f"{gettext(KIND_SESSION)}: {label(kind)}",
                meeting.scheduled_at,
            )
        )
    if case.resubmission_date is not None:
        candidates.append(NextDate(case.resubmission_date, gettext(KIND_RESUBMISSION)))
    if case.follow_up_date is not None:
        candidates.append(NextDate(case.follow_up_date, gettext(KIND_FOLLOW_UP)))
    return min(candidates, key=lambda d: d.day, default=None)
