"""Read model of a place's history: every case at it the user may read, and how its conflicts recur.

Counts come from GROUP BY over `readable_cases(user)`, so a mediator sees the history of their own
cases at a place and nothing of anyone else's. Only case skeletons are read, never party data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import ColumnElement, Row, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.domain.cases.access import may_coordinate, readable_cases
from konfliktmanagement.lib.exceptions import NotFound

HISTORY_LIMIT = 200  # newest cases listed on the page; the counts always cover all of them
RECURRING_AT = 2  # this many cases of one conflict type at one place make it a recurring conflict

# (year, conflict type id, number of cases): the one aggregate both tables of the history are read from
YearCount = Row[tuple[int, UUID | None, int]]


@dataclass(frozen=True, slots=True)
class ConflictCount:
    conflict_type: m.ConflictType | None  # None: conflict type not (yet) recorded
    total: int
    years: int  # in how many different years it came up
    recurring: bool


@dataclass(frozen=True, slots=True)
class YearRow:
    year: int
    counts: dict[UUID | None, int]  # by conflict type id
    total: int


@dataclass(frozen=True, slots=True)
class PlaceHistory:
    place: m.Place
    cases: list[m.Case]
    total: int
    open_cases: int
    conflicts: list[ConflictCount]  # the columns of the year table, most frequent first
    years: list[YearRow]  # newest first
    sees_all: bool  # False: a mediator, who sees only the cases they work on


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    place: m.Place
    total: int
    open_cases: int
    last_case_at: datetime | None


@dataclass(frozen=True, slots=True)
class PlaceIndex:
    places: list[PlaceSummary]
    quartiers: list[m.Quartier]  # for the filter
    quartier_id: UUID | None
    all_places: bool
    sees_all: bool


class PlaceHistoryQuery:
    """Read model of the place pages; only the case team reaches them (the route's `requires_case_team`)."""

    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def history(self, user: Principal, place_id: UUID) -> PlaceHistory:
        session = self.session
        place = await session.scalar(
            select(m.Place)
            .where(m.Place.id == place_id)
            .options(selectinload(m.Place.quartier).selectinload(m.Quartier.stadtbezirk))
        )
        if place is None:
            raise NotFound
        scope = (readable_cases(user), m.Case.place_id == place_id)
        cases = list(
            await session.scalars(
                select(m.Case)
                .where(*scope)
                .order_by(m.Case.created_at.desc(), m.Case.id.desc())
                .limit(HISTORY_LIMIT)
                .options(
                    selectinload(m.Case.conflict_type),
                    selectinload(m.Case.mediator_links).selectinload(m.CaseMediator.user),
                )
            )
        )
        rows = (
            await session.execute(
                select(m.Case.year, m.Case.conflict_type_id, func.count())
                .where(*scope)
                .group_by(m.Case.year, m.Case.conflict_type_id)
            )
        ).all()
        open_cases = await session.scalar(select(func.count()).select_from(m.Case).where(*scope, _is_open())) or 0
        return PlaceHistory(
            place=place,
            cases=cases,
            total=sum(row[2] for row in rows),
            open_cases=open_cases,
            conflicts=await self._conflicts(rows),
            years=_years(rows),
            sees_all=may_coordinate(user),
        )

    async def index(self, user: Principal, quartier_id: UUID | None = None, *, all_places: bool = False) -> PlaceIndex:
        """Places with the number of this user's readable cases; without `all_places` only places with cases."""
        joined, total, open_cases = readable_case_counts(user)
        statement = (
            select(m.Place, total, open_cases, func.max(m.Case.created_at))
            .join(m.Quartier, m.Quartier.id == m.Place.quartier_id)
            .outerjoin(m.Case, joined)
            .group_by(m.Place.id, m.Quartier.code, m.Quartier.id)
            .order_by(m.Quartier.code, m.Place.name)
            .options(selectinload(m.Place.quartier))
        )
        if quartier_id is not None:
            statement = statement.where(m.Place.quartier_id == quartier_id)
        if not all_places:
            statement = statement.having(func.count(m.Case.id) > 0)
        session = self.session
        rows = await session.execute(statement)
        return PlaceIndex(
            places=[PlaceSummary(place=row[0], total=row[1], open_cases=row[2], last_case_at=row[3]) for row in rows],
            quartiers=list(await session.scalars(select(m.Quartier).order_by(m.Quartier.code))),
            quartier_id=quartier_id,
            all_places=all_places,
            sees_all=may_coordinate(user),
        )

    async def _conflicts(self, rows: Sequence[YearCount]) -> list[ConflictCount]:
        totals: dict[UUID | None, int] = {}
        years: dict[UUID | None, set[int]] = {}
        for year, conflict_type_id, count in rows:
            totals[conflict_type_id] = totals.get(conflict_type_id, 0) + count
            years.setdefault(conflict_type_id, set()).add(year)
        known = [i for i in totals if i is not None]
        types = {
            t.id: t for t in await self.session.scalars(select(m.ConflictType).where(m.ConflictType.id.in_(known)))
        }
        conflicts = [
            ConflictCount(
                conflict_type=types.get(i) if i else None,
                total=total,
                years=len(years[i]),
                recurring=total >= RECURRING_AT,
            )
            for i, total in totals.items()
        ]
        conflicts.sort(
            key=lambda c: (-c.total, c.conflict_type is None, c.conflict_type.sort_order if c.conflict_type else 0)
        )
        return conflicts


def readable_case_counts(user: Principal) -> tuple[ColumnElement[bool], ColumnElement[int], ColumnElement[int]]:
    """For a query over places grouped by place: the outer join's condition to the cases this user may
    read, the number of those cases and how many of them are open."""
    return (
        and_(m.Case.place_id == m.Place.id, readable_cases(user)),
        func.count(m.Case.id),
        func.coalesce(func.sum(case((_is_open(), 1), else_=0)), 0),
    )


def _is_open() -> ColumnElement[bool]:
    return m.Case.status.in_([s.value for s in workflow.OPEN])


def _years(rows: Sequence[YearCount]) -> list[YearRow]:
    by_year: dict[int, dict[UUID | None, int]] = {}
    for year, conflict_type_id, count in rows:
        by_year.setdefault(year, {})[conflict_type_id] = count
    return [
        YearRow(year=year, counts=counts, total=sum(counts.values()))
        for year, counts in sorted(by_year.items(), reverse=True)
    ]
