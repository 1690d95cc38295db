"""The coordinator's dashboard (read model): city-wide counts and the lists that need someone's attention.

Every query starts from `readable_cases(user)` and aggregates in SQL (GROUP BY, window functions),
so the page costs a handful of indexed queries whether the city has 100 cases or 10^5. Only case
skeletons are read: no party, no note, no contact data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import ColumnElement, Select, bindparam, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from konfliktmanagement.db import models as m
from konfliktmanagement.db.lookups import in_looked_up
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.loading import CASE_DETAIL_LOAD
from konfliktmanagement.domain.cases.workflow import ACTIVE, CLOSED, ENDED, FINAL, OPEN
from konfliktmanagement.lib.clock import BERLIN, today

S = m.CaseStatus
LIST_LIMIT = 50  # per attention list; the full list is one click away in /cases
CLOSED_PER_GROUP = 10
RECENT_DAYS = 30

# What the lists show about a case (templates cannot lazy-load): the many-to-one rows joined, the
# mediators in one more statement.
_LIST_LOAD = CASE_DETAIL_LOAD


def _without_mediator() -> ColumnElement[bool]:
    """No mediator linked to the case, as a correlated subquery with LIMIT 1 that PostgreSQL keeps as a
    per-row probe of case_mediator's primary key: NOT EXISTS became a hash anti-join over every
    `case_mediator` row, which grows with the city; this costs one probe per intake case."""
    first = select(m.CaseMediator.user_id).where(m.CaseMediator.case_id == m.Case.id).limit(1)
    return first.correlate(m.Case).scalar_subquery().is_(None)


def _status_in(statuses: Iterable[S]) -> ColumnElement[bool]:
    """`status IN (…)` with the values written into the SQL: only then can the planner use the partial
    indexes of `case_file` (a prepared statement's generic plan does not know bound values)."""
    values = sorted(s.value for s in statuses)
    return m.Case.status.in_(bindparam(None, values, expanding=True, literal_execute=True))


@dataclass(frozen=True, slots=True)
class MatrixRow:
    quartier: m.Quartier | None  # None: cases without a quartier
    counts: dict[S, int]

    def total(self, statuses: list[S]) -> int:
        return sum(self.counts.get(s, 0) for s in statuses)


@dataclass(frozen=True, slots=True)
class StatusMatrix:
    """Two tables of one matrix: cases being worked on (incl. on hold) and cases that have ended."""

    open_statuses: list[S]  # columns, in workflow order
    ended_statuses: list[S]
    rows: list[MatrixRow]
    column_totals: dict[S, int]

    def total(self, statuses: list[S]) -> int:
        return sum(self.column_totals[s] for s in statuses)

    @property
    def grand_total(self) -> int:
        return sum(self.column_totals.values())


@dataclass(frozen=True, slots=True)
class CaseList:
    cases: list[m.Case]
    total: int  # may exceed len(cases): the list shows the first LIST_LIMIT


@dataclass(frozen=True, slots=True)
class ClosedGroup:
    status: S
    outcome: m.Outcome | None
    count: int
    cases: list[m.Case] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MediatorOption:
    id: UUID
    name: str
    active_cases: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    quartier_id: UUID | None
    quartiers: list[m.Quartier]
    matrix: StatusMatrix
    intake: CaseList
    mediators: list[MediatorOption]
    overdue_resubmissions: CaseList
    overdue_follow_ups: CaseList
    on_hold: CaseList
    recently_closed: list[ClosedGroup]
    closed_since: date
    active_statuses: list[S] = field(default_factory=lambda: [s for s in S if s in ACTIVE])
    """The statuses whose follow-up dates count as tasks (for the link to the full list)."""


class DashboardQuery:
    """The dashboard's read model; who may see it is decided by the route's guard (`coordination/access.py`)."""

    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def dashboard(self, user: m.User, quartier_id: UUID | None = None) -> Dashboard:
        scope: list[Any] = [readable_cases(user)]
        if quartier_id is not None:
            scope.append(m.Case.quartier_id == quartier_id)
        day = today()
        since = day - timedelta(days=RECENT_DAYS)
        quartiers = await self._quartiers()
        intake = await self._list(
            scope,
            _status_in([S.EINGEGANGEN]),
            _without_mediator(),
            # Oldest first: whoever has waited longest is assigned next.
            order=(m.Case.created_at, m.Case.id),
        )
        return Dashboard(
            today=day,
            quartier_id=quartier_id,
            quartiers=quartiers,
            matrix=await self._matrix(scope, quartiers),
            intake=intake,
            # The mediators' workload (a count over every active case) is shown only in the intake
            # queue's assignment forms: without intake cases it is not read.
            mediators=await self._mediators() if intake.cases else [],
            overdue_resubmissions=await self._list(
                scope,
                _status_in([S.RUHEND]),
                m.Case.resubmission_date <= day,
                order=(m.Case.resubmission_date, m.Case.id),
            ),
            overdue_follow_ups=await self._list(
                scope,
                # A follow-up date of a closed case is history, not a task.
                _status_in(ACTIVE),
                m.Case.follow_up_date <= day,
                order=(m.Case.follow_up_date, m.Case.id),
            ),
            on_hold=await self._list(
                scope,
                _status_in([S.RUHEND]),
                # Undated last; the order of ix_case_file_on_hold (PostgreSQL's ASC is NULLS LAST).
                order=(m.Case.resubmission_date.asc().nulls_last(), m.Case.id),
            ),
            recently_closed=await self._recently_closed(scope, since),
            closed_since=since,
        )

    async def _quartiers(self) -> list[m.Quartier]:
        return list(
            await self.session.scalars(
                select(m.Quartier).options(joinedload(m.Quartier.stadtbezirk)).order_by(m.Quartier.code)
            )
        )

    async def _matrix(self, scope: list[Any], all_quartiers: list[m.Quartier]) -> StatusMatrix:
        rows = (
            await self.session.execute(
                select(m.Case.quartier_id, m.Case.status, func.count())
                .where(*scope)
                .group_by(m.Case.quartier_id, m.Case.status)
            )
        ).all()
        counts: dict[UUID | None, dict[S, int]] = {}
        for quartier_id, status, count in rows:
            counts.setdefault(quartier_id, {})[S(status)] = count
        quartier_ids = [q for q in counts if q is not None]
        quartiers = {q.id: q for q in all_quartiers}  # every quartier, read once for the filter
        by_code = sorted(quartier_ids, key=lambda q: quartiers[q].code)
        ordered: list[UUID | None] = [*by_code]
        if None in counts:
            ordered.append(None)
        # Archived cases are a statistical skeleton; their column appears only when there are any.
        ended = [s for s in S if s in ENDED and (s not in FINAL or any(s in c for c in counts.values()))]
        open_ = [s for s in S if s in OPEN]
        return StatusMatrix(
            open_statuses=open_,
            ended_statuses=ended,
            rows=[MatrixRow(quartier=quartiers[q] if q else None, counts=counts[q]) for q in ordered],
            column_totals={s: sum(c.get(s, 0) for c in counts.values()) for s in (*open_, *ended)},
        )

    async def _list(self, scope: list[Any], *conditions: Any, order: tuple[Any, ...]) -> CaseList:
        session = self.session
        # The first LIST_LIMIT ids from the queue's (partial) index alone, then only those rows in full:
        # filtering full rows read one heap row per queued case (the intake queue probes every
        # received case for a mediator before it knows which to show).
        first = select(m.Case.id).where(*scope, *conditions).order_by(*order).limit(LIST_LIMIT)
        statement: Select[tuple[m.Case]] = (
            select(m.Case).where(in_looked_up(m.Case.id, first)).order_by(*order).options(*_LIST_LOAD)
        )
        cases = list((await session.scalars(statement)).unique())
        if len(cases) < LIST_LIMIT:  # the whole list is on the page: no COUNT needed
            return CaseList(cases=cases, total=len(cases))
        total = await session.scalar(select(func.count()).select_from(m.Case).where(*scope, *conditions)) or 0
        return CaseList(cases=cases, total=total)

    async def _mediators(self) -> list[MediatorOption]:
        """Active mediators with how many active cases each carries, to pick a pair fairly."""
        # From the active cases (ix_case_file_active, index-only) to their links (the primary key):
        # the cost follows the active cases, not every case the city ever had.
        load = (
            select(m.CaseMediator.user_id, func.count().label("n"))
            .join(m.Case, m.Case.id == m.CaseMediator.case_id)
            .where(_status_in(ACTIVE))
            .group_by(m.CaseMediator.user_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(m.User.id, m.User.name, func.coalesce(load.c.n, 0))
            .join(m.UserRole, m.UserRole.user_id == m.User.id)
            .outerjoin(load, load.c.user_id == m.User.id)
            .where(m.User.is_active.is_(True), m.UserRole.role == m.Role.MEDIATOR.value)
            .order_by(m.User.name, m.User.id)
        )
        return [MediatorOption(id=row[0], name=row[1], active_cases=row[2]) for row in rows]

    async def _recently_closed(self, scope: list[Any], since: date) -> list[ClosedGroup]:
        session = self.session
        closed_since = m.Case.closed_at >= datetime.combine(since, time(), tzinfo=BERLIN)
        conditions = [*scope, _status_in(CLOSED), closed_since]
        counts = (
            await session.execute(
                select(m.Case.status, m.Case.outcome, func.count())
                .where(*conditions)
                .group_by(m.Case.status, m.Case.outcome)
            )
        ).all()
        # The newest few of each group in one statement: per group, its first rows of
        # ix_case_file_closed_groups read backwards (a range of the index, whatever the group's size);
        # then only those cases in full, by primary key.
        per_group = [
            select(m.Case.id)
            .where(
                *scope,
                closed_since,
                # `=` with the value written into the SQL: `IN` (= ANY) would not give the index's order.
                m.Case.status == bindparam(None, status, literal_execute=True),
                m.Case.outcome == outcome if outcome is not None else m.Case.outcome.is_(None),
            )
            # Status and outcome are fixed in a group; naming them keeps the index's order usable when
            # the outcome is NULL (PostgreSQL treats `IS NULL` as no equality for the order).
            .order_by(m.Case.status.desc(), m.Case.outcome.desc(), m.Case.closed_at.desc(), m.Case.id.desc())
            .limit(CLOSED_PER_GROUP)
            .subquery()
            for status, outcome, _count in counts
        ]
        newest: Iterable[m.Case] = []
        if per_group:
            newest = (
                await session.scalars(
                    select(m.Case)
                    .where(in_looked_up(m.Case.id, union_all(*(select(group.c.id) for group in per_group))))
                    .order_by(m.Case.closed_at.desc(), m.Case.id.desc())
                    .options(*_LIST_LOAD)
                )
            ).unique()
        by_group: dict[tuple[str, str | None], list[m.Case]] = {}
        for case in newest:
            by_group.setdefault((case.status, case.outcome), []).append(case)
        groups = [
            ClosedGroup(
                status=S(status),
                outcome=m.Outcome(outcome) if outcome else None,
                count=count,
                cases=by_group.get((status, outcome), []),
            )
            for status, outcome, count in counts
        ]
        status_order = list(S)
        outcome_order = list(m.Outcome)
        groups.sort(
            key=lambda g: (
                status_order.index(g.status),
                outcome_order.index(g.outcome) if g.outcome else len(outcome_order),
            )
        )
        return groups
