"""What is on a person's agenda between two days: sessions (kind, time, place), Wiedervorlagen,
follow-ups, agreement item deadlines and round-table meetings — of the open cases they may read.

A mediator sees the cases they are assigned to; the coordination the whole office, or one mediator's
(`mediator_id`). The feed and the page read the same items; the feed leaves out what only the page may
show (a session's free-text location), and neither ever carries a title, a party or a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.workflow import OPEN
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.round_tables.access import may_manage
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.i18n import N_, gettext

OPEN_STATUSES = [status.value for status in OPEN]
OPEN_ITEMS = [m.ItemStatus.OFFEN.value, m.ItemStatus.IN_UMSETZUNG.value]


class AgendaKind(StrEnum):
    SESSION = "session"
    WIEDERVORLAGE = "wiedervorlage"
    FOLLOW_UP = "follow_up"
    ITEM_DUE = "item_due"
    MEETING = "meeting"  # a round-table meeting


KIND_LABELS = {
    AgendaKind.WIEDERVORLAGE: N_("Wiedervorlage"),
    AgendaKind.FOLLOW_UP: N_("Nachbetreuung"),
    AgendaKind.ITEM_DUE: N_("Frist eines Vereinbarungspunkts"),
    AgendaKind.MEETING: N_("Sitzung des Runden Tisches"),
}


@dataclass(frozen=True, slots=True)
class AgendaItem:
    kind: AgendaKind
    uid: str  # stable across fetches: the feed's event UID
    day: date
    label: str  # what it is: the session's kind, "Wiedervorlage", …
    link: str
    reference: str | None = None
    case_id: UUID | None = None
    starts_at: datetime | None = None
    duration_minutes: int | None = None
    place: str | None = None  # a place of the master data
    location: str | None = None  # a session's free-text location: on the page only, never in the feed


def scope(user: Principal, mediator_id: UUID | None = None) -> ColumnElement[bool]:
    """The cases on this agenda: the readable ones, narrowed to one mediator's for the coordination."""
    if user.has_role(m.Role.COORDINATOR):
        if mediator_id is None:
            return true()
        return m.Case.id.in_(select(m.CaseMediator.case_id).where(m.CaseMediator.user_id == mediator_id))
    if user.has_role(m.Role.MEDIATOR):
        return readable_cases(user)
    return false()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BERLIN)


async def agenda_items(
    session: AsyncSession, user: Principal, start: date, end: date, mediator_id: UUID | None = None
) -> list[AgendaItem]:
    """Items from `start` up to (not including) `end`, by day and time."""
    where = (scope(user, mediator_id), m.Case.status.in_(OPEN_STATUSES))
    items = await _sessions(session, where, start, end)
    items += await _case_dates(session, where, start, end)
    items += await _item_deadlines(session, where, start, end)
    items += await round_table_meetings(session, user, start, end, mediator_id)
    return sorted(items, key=lambda i: (i.day, i.starts_at or _start_of(i.day), i.reference or "", i.uid))


async def _sessions(
    session: AsyncSession, where: tuple[ColumnElement[bool], ...], start: date, end: date
) -> list[AgendaItem]:
    sitting = m.MediationSession
    rows = await session.execute(
        select(
            sitting.id,
            sitting.case_id,
            sitting.kind,
            sitting.scheduled_at,
            sitting.duration_minutes,
            sitting.location,
            m.Place.name,
            m.Case.reference,
        )
        .join(m.Case, m.Case.id == sitting.case_id)
        .outerjoin(m.Place, m.Place.id == sitting.place_id)
        .where(
            *where,
            sitting.scheduled_at >= _start_of(start),
            sitting.scheduled_at < _start_of(end),
            sitting.status.in_([m.SessionStatus.GEPLANT.value, m.SessionStatus.DURCHGEFUEHRT.value]),
        )
    )
    return [
        AgendaItem(
            AgendaKind.SESSION,
            f"session-{id_}",
            at.astimezone(BERLIN).date(),
            label(m.SessionKind(kind)),
            f"/cases/{case_id}#sitzungen",
            reference,
            case_id,
            at,
            minutes,
            place,
            location,
        )
        for id_, case_id, kind, at, minutes, location, place, reference in rows
    ]


async def _case_dates(
    session: AsyncSession, where: tuple[ColumnElement[bool], ...], start: date, end: date
) -> list[AgendaItem]:
    case = m.Case
    columns = ((AgendaKind.WIEDERVORLAGE, case.resubmission_date), (AgendaKind.FOLLOW_UP, case.follow_up_date))
    rows = await session.execute(
        select(case.id, case.reference, case.resubmission_date, case.follow_up_date).where(
            *where, or_(*(column.between(start, end - timedelta(days=1)) for _, column in columns))
        )
    )
    items = []
    for case_id, reference, *days in rows:
        for (kind, _column), day in zip(columns, days, strict=True):
            if day is not None and start <= day < end:
                uid = f"{kind.value}-{case_id}"
                items.append(
                    AgendaItem(kind, uid, day, gettext(KIND_LABELS[kind]), f"/cases/{case_id}", reference, case_id)
                )
    return items


async def _item_deadlines(
    session: AsyncSession, where: tuple[ColumnElement[bool], ...], start: date, end: date
) -> list[AgendaItem]:
    item = m.AgreementItem
    rows = await session.execute(
        select(item.id, m.Agreement.case_id, m.Case.reference, item.due_on)
        .join(m.Agreement, m.Agreement.id == item.agreement_id)
        .join(m.Case, m.Case.id == m.Agreement.case_id)
        .where(*where, item.due_on >= start, item.due_on < end, item.status.in_(OPEN_ITEMS))
    )
    kind = AgendaKind.ITEM_DUE
    return [
        AgendaItem(kind, f"item-{id_}", due, gettext(KIND_LABELS[kind]), f"/cases/{case_id}#vereinbarung", ref, case_id)
        for id_, case_id, ref, due in rows
    ]


async def round_table_meetings(
    session: AsyncSession, user: Principal, start: date, end: date, mediator_id: UUID | None = None
) -> list[AgendaItem]:
    """Round-table meetings: on the agenda of the coordination, which plans them (not when it looks at
    one mediator's agenda); a mediator's agenda has none. Their place is free text: page only."""
    if not may_manage(user) or mediator_id is not None:
        return []
    meeting = m.RoundTableMeeting
    rows = await session.execute(
        select(meeting.id, meeting.round_table_id, meeting.starts_at, meeting.place, m.RoundTable.name)
        .join(m.RoundTable, m.RoundTable.id == meeting.round_table_id)
        .where(meeting.starts_at >= _start_of(start), meeting.starts_at < _start_of(end))
    )
    kind = AgendaKind.MEETING
    return [
        AgendaItem(
            kind,
            f"meeting-{id_}",
            at.astimezone(BERLIN).date(),
            f"{gettext(KIND_LABELS[kind])}: {name}",
            f"/round-tables/{table_id}/meetings/{id_}",
            starts_at=at,
            location=place,
        )
        for id_, table_id, at, place, name in rows
    ]
