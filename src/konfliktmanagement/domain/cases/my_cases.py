""" "Meine Fälle": a mediator's open cases with the next date that needs them, due ones first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from konfliktmanagement.db import models as m
from konfliktmanagement.db.dates import berlin_date, earliest_date
from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.case_list import CaseSort, Order, sort_column
from konfliktmanagement.domain.labels import label
from konfliktmanagement.lib.clock import BERLIN, today
from konfliktmanagement.lib.i18n import N_, gettext

KIND_SESSION = N_("Sitzung")
KIND_RESUBMISSION = N_("Wiedervorlage")
KIND_FOLLOW_UP = N_("Nachbetreuung")
PAGE_SIZE = 50


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


@dataclass(frozen=True, slots=True)
class MySort:
    """A column header's order (`DATES`: the next date); none chosen: the next date, due ones first."""

    key: CaseSort | None = None
    order: Order = "asc"

    def keys(self, next_day: ColumnElement[Any], sort_key: ColumnElement[Any]) -> list[ColumnElement[Any]]:
        column = next_day if self.key in {None, CaseSort.DATES} else sort_key
        return [(column.desc() if self.order == "desc" else column.asc()).nulls_last()]


@dataclass(frozen=True, slots=True)
class MyCasesPage:
    rows: list[MyCase]
    total: int  # open cases of the user, all pages
    due: int  # of those, due today or overdue
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max((self.total + self.page_size - 1) // self.page_size, 1)


async def my_open_cases(
    session: AsyncSession, user: m.User, page: int = 1, sort: MySort = MySort(), page_size: int = PAGE_SIZE
) -> MyCasesPage:
    """One page of the open cases the user is assigned to, ordered in SQL by the next date.

    The next date is the earliest of the next planned session (its Berlin day), the Wiedervorlage and
    the follow-up; due and overdue cases come first because their dates are the earliest, undated
    cases last, ties by reference; a column header sorts by its column instead (`sort`). One statement
    for the page and both counts, one for the page's sessions.

    The statement ranks narrow rows (id, reference, next date: from the user's `case_mediator` links
    joined to `case_file` by primary key) and reads the full rows, with their quartier and place, only
    for the page: a mediator with thousands of open cases then costs one index probe per case, not a
    full row, two joins and a sort of wide rows each.
    """
    planned_day = (
        select(func.min(berlin_date(m.MediationSession.scheduled_at)))
        .where(
            m.MediationSession.case_id == m.Case.id,
            m.MediationSession.status == m.SessionStatus.GEPLANT.value,
            m.MediationSession.scheduled_at.is_not(None),
        )
        .correlate(m.Case)
        .scalar_subquery()
    )
    mine = (
        select(
            m.Case.id.label("id"),
            m.Case.reference.label("reference"),
            earliest_date(planned_day, m.Case.resubmission_date, m.Case.follow_up_date).label("next_day"),
            *([sort_column(sort.key).label("sort_key")] if sort.key not in {None, CaseSort.DATES} else []),
        )
        .select_from(m.CaseMediator)
        .join(m.Case, m.Case.id == m.CaseMediator.case_id)
        .where(
            m.CaseMediator.user_id == user.id,  # (case_id, user_id) is the key: one row per case
            readable_cases(user, assigned=True),
            m.Case.status.in_(sorted(s.value for s in workflow.OPEN)),
        )
        # Materialized on PostgreSQL: the next date is used three times below (order, nulls last, the
        # due count) and would otherwise be computed — with its session probe — once per use.
        .cte("mine")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    day = today()
    order = [*sort.keys(mine.c.next_day, mine.c.get("sort_key", mine.c.next_day)), mine.c.reference]
    ranked = (
        select(
            mine.c.id,
            mine.c.next_day,
            func.row_number().over(order_by=order).label("position"),
            func.count().over().label("total"),
            func.count(case((mine.c.next_day <= day, 1))).over().label("due"),
        )
        .order_by(*order)
        .limit(page_size)
        .offset((page - 1) * page_size)
        .subquery("ranked")
    )
    statement = (
        select(m.Case, ranked.c.total, ranked.c.due)
        .join(ranked, ranked.c.id == m.Case.id)
        .options(joinedload(m.Case.quartier), joinedload(m.Case.place))
        .order_by(ranked.c.position)
    )
    found = (await session.execute(statement)).all()
    if not found and page > 1:  # past the last page (e.g. cases closed meanwhile): show the first
        return await my_open_cases(session, user, 1, sort, page_size)
    cases = [row[0] for row in found]
    sessions = await _next_sessions(session, [c.id for c in cases])
    return MyCasesPage(
        rows=[MyCase(c, _earliest(c, sessions.get(c.id))) for c in cases],
        total=found[0].total if found else 0,
        due=found[0].due if found else 0,
        page=page,
        page_size=page_size,
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
