""" "Meine Fälle": a mediator's open cases with the next date that needs them, due ones first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Integer, Row, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases import next_days  # noqa: F401  (keeps the links' next days in every flush)
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.case_list import CaseSort, Order, sort_column
from konfliktmanagement.domain.cases.workflow import STATUS_LABELS
from konfliktmanagement.domain.coordination.case_rows import day as local_day
from konfliktmanagement.domain.labels import label
from konfliktmanagement.lib.clock import BERLIN, today
from konfliktmanagement.lib.i18n import N_, gettext
from konfliktmanagement.lib.templating import local_datetime

KIND_SESSION = N_("Sitzung")
KIND_RESUBMISSION = N_("Wiedervorlage")
KIND_FOLLOW_UP = N_("Nachbetreuung")
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class NextDate:
    day: date
    kind: str  # German, for people
    text: str  # the day, or for a session the day and time, as the page writes it
    overdue: bool
    due_today: bool


@dataclass(frozen=True, slots=True)
class MyCase:
    """A row of Meine Fälle: exactly what the page shows, labels and dates written out once here."""

    id: UUID
    reference: str
    title: str
    status_label: str
    quartier: str | None
    place_id: UUID | None
    place: str | None
    next: NextDate | None

    @property
    def due(self) -> bool:
        return self.next is not None and (self.next.overdue or self.next.due_today)


@dataclass(frozen=True, slots=True)
class MySort:
    """A column header's order (`DATES`: the next date); none chosen: the next date, due ones first."""

    key: CaseSort | None = None
    order: Order = "asc"

    @property
    def by_next_day(self) -> bool:
        return self.key in {None, CaseSort.DATES}

    def keys(self, column: ColumnElement[Any], reference: ColumnElement[Any]) -> list[ColumnElement[Any]]:
        """ORDER BY: the column (empty values last), then the reference."""
        return [(column.desc() if self.order == "desc" else column.asc()).nulls_last(), reference.asc()]


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
    session: AsyncSession, user: Principal, page: int = 1, sort: MySort = MySort(), page_size: int = PAGE_SIZE
) -> MyCasesPage:
    """One page of the open cases the user is assigned to, ordered in SQL by the next date.

    The next date is the earliest of the next planned session (its Berlin day), the Wiedervorlage and
    the follow-up; due and overdue cases come first because their dates are the earliest, undated
    cases last, ties by reference; a column header sorts by its column instead (`sort`). One statement
    for the page and both counts, one for the page's sessions when one of its cases may have a planned
    session (a next date).

    The user's `case_mediator` links carry their open cases' next date and reference (`next_days.py`),
    so in the default order the page is a range of `ix_case_mediator_open_next_day` and the counts are
    counts of that index: the cost of a page does not grow with the mediator's cases. A column header's
    order reads the column from `case_file` for every open case of the user.
    """
    day = today()
    params = {"viewer_id": user.id, "day": day, "page_size": page_size, "offset": (page - 1) * page_size}
    found = (await session.execute(_statement(user, sort), params)).all()
    if not found and page > 1:  # past the last page (e.g. cases closed meanwhile): show the first
        return await my_open_cases(session, user, 1, sort, page_size)
    # A case without a next day has no planned session; the others' earliest one is shown with its time.
    sessions = await _next_sessions(session, [row.id for row in found if row.next_day is not None])
    return MyCasesPage(
        rows=[_row(r, sessions.get(r.id), day) for r in found],
        total=found[0].total if found else 0,
        due=found[0].due if found else 0,
        page=page,
        page_size=page_size,
    )


def _statement(user: Principal, sort: MySort) -> Select[Any]:
    """The page's statement, built once per (roles of the reader, order) and run with bound values —
    `viewer_id`, `day`, `page_size`, `offset`: building a SELECT and its cache key cost more CPU than
    its round trip."""
    key = (user.roles, sort.key, sort.order)
    found = _built.get(key)
    if found is None:
        found = _built[key] = _build(user, sort)
    return found


_built: dict[tuple[Any, ...], Select[Any]] = {}


def _build(user: Principal, sort: MySort) -> Select[Any]:
    links = m.CaseMediator
    mine = (
        # (case_id, user_id) is the key: one row per case
        links.user_id == bindparam("viewer_id", type_=links.user_id.type),
        links.case_open,
        readable_cases(user, assigned=True),
    )
    if sort.by_next_day:
        key: ColumnElement[Any] = links.next_day.expression
    else:
        key = sort_column(sort.key or CaseSort.DATES)
    ranked = select(
        links.case_id, key.label("key"), links.case_reference.label("reference"), links.next_day.label("next_day")
    )
    if not sort.by_next_day:
        ranked = ranked.join(m.Case, m.Case.id == links.case_id)
    ranked_page = (
        ranked.where(*mine)
        .order_by(*sort.keys(ranked.selected_columns.key, ranked.selected_columns.reference))
        .limit(bindparam("page_size", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery("ranked")
    )
    total = select(func.count()).select_from(links).where(*mine).scalar_subquery()
    day = bindparam("day", type_=links.next_day.type)
    due = select(func.count()).select_from(links).where(*mine, links.next_day <= day).scalar_subquery()
    # Core rows of the shown columns, not ORM entities: building 50 cases with their quartier and place
    # cost more than the rest of the query.
    case = m.Case
    return (
        select(
            case.id,
            case.reference,
            case.title,
            case.status,
            m.Quartier.name.label("quartier"),
            case.place_id,
            m.Place.name.label("place"),
            case.resubmission_date,
            case.follow_up_date,
            ranked_page.c.next_day,
            total.label("total"),
            due.label("due"),
        )
        .join(ranked_page, ranked_page.c.case_id == case.id)
        .outerjoin(m.Quartier, m.Quartier.id == case.quartier_id)
        .outerjoin(m.Place, m.Place.id == case.place_id)
        .order_by(*sort.keys(ranked_page.c.key, ranked_page.c.reference))
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


def _row(r: Row[Any], meeting: m.MediationSession | None, day: date) -> MyCase:
    return MyCase(
        id=r.id,
        reference=r.reference,
        title=r.title,
        status_label=STATUS_LABELS[m.CaseStatus(r.status)],
        quartier=r.quartier,
        place_id=r.place_id,
        place=r.place,
        next=_earliest(r, meeting, day),
    )


def _earliest(r: Row[Any], meeting: m.MediationSession | None, day: date) -> NextDate | None:
    """The earliest of the case's next session, Wiedervorlage and follow-up."""
    candidates: list[tuple[date, str, str]] = []  # (day, kind, text)
    if meeting is not None and meeting.scheduled_at is not None:
        kind = m.SessionKind(meeting.kind)
        candidates.append(
            (
                meeting.scheduled_at.astimezone(BERLIN).date(),
                f"{gettext(KIND_SESSION)}: {label(kind)}",
                local_datetime(meeting.scheduled_at),
            )
        )
    if r.resubmission_date is not None:
        candidates.append((r.resubmission_date, gettext(KIND_RESUBMISSION), ""))
    if r.follow_up_date is not None:
        candidates.append((r.follow_up_date, gettext(KIND_FOLLOW_UP), ""))
    if not candidates:
        return None
    when, kind_text, text = min(candidates, key=lambda c: c[0])
    return NextDate(when, kind_text, text or local_day(when), overdue=when < day, due_today=when == day)
