"""The coordinator's dashboard (read model): city-wide counts and the lists that need someone's attention.

The counts (status × quartier, the intake, cases on hold) come from `case_count`, a few dozen rows
kept in step with every case (`domain/cases/counts.py`); each list is the first rows of a partial
index over its status set. So the page costs the same handful of small reads whether the city has
100 cases or 10^6. Only the coordination reaches it (the route's guard), and the coordination reads
every case: the counts need no readable-cases filter; the lists keep it all the same. Only case
skeletons are read: no party, no note, no contact data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import Select, bindparam, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from konfliktmanagement.db import models as m
from konfliktmanagement.db.lookups import in_looked_up
from konfliktmanagement.db.models.case import status_in
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.counts import stored_counts
from konfliktmanagement.domain.cases.form_options import MediatorOption, mediator_workload
from konfliktmanagement.domain.cases.loading import CASE_DETAIL_LOAD
from konfliktmanagement.domain.cases.workflow import CLOSED, ENDED, FINAL, OPEN
from konfliktmanagement.lib.clock import BERLIN, today

S = m.CaseStatus
LIST_LIMIT = 20  # per attention list (the oldest first); the full list is one click away in /cases
CLOSED_PER_GROUP = 10
RECENT_DAYS = 30

# What the lists show about a case (templates cannot lazy-load): the many-to-one rows joined, the
# mediators in one more statement.
_LIST_LOAD = CASE_DETAIL_LOAD


def needs_pair(case: m.Case) -> bool:
    """Without mediators, or only the mediator who recorded it: the coordination has a pair to form."""
    team = case.mediator_ids
    return not team or (case.recorded_by_id in team and len(team) < 2)


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
class Dashboard:
    today: date
    quartier_id: UUID | None
    quartiers: list[m.Quartier]
    matrix: StatusMatrix
    intake: CaseList
    mediators: list[MediatorOption]
    staffing_needed: bool  # some case of the intake on the page still needs (half) a pair
    overdue_resubmissions: CaseList
    overdue_follow_ups: CaseList
    on_hold: CaseList
    recently_closed: list[ClosedGroup]
    closed_since: date
    open_statuses: list[S] = field(default_factory=lambda: [s for s in S if s in OPEN])
    """The statuses whose Wiedervorlagen and follow-up dates count as tasks (for the links to the full list)."""


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
        counts = await stored_counts(self.session, quartier_id)
        by_status: dict[S, int] = {}
        for (_quartier, status), n in counts.items():
            by_status[S(status)] = by_status.get(S(status), 0) + n
        intake = await self._list(
            scope,
            # Every received case waits for the coordination: to be staffed, to have the pair a mediator
            # who recorded it started completed, or to be taken into clarification (the workflow's rule).
            status_in([S.EINGEGANGEN]),
            order=(m.Case.created_at, m.Case.id),  # oldest first: whoever has waited longest comes next
            total=by_status.get(S.EINGEGANGEN, 0),
        )
        staffing_needed = any(needs_pair(case) for case in intake.cases)
        return Dashboard(
            today=day,
            quartier_id=quartier_id,
            quartiers=quartiers,
            matrix=self._matrix(counts, quartiers),
            intake=intake,
            # The mediators and their workload are shown only in the intake queue's assignment forms.
            mediators=await mediator_workload(self.session) if staffing_needed else [],
            staffing_needed=staffing_needed,
            # Dates of every case still being worked on, whatever its status: a Wiedervorlage set on an
            # active case is as due as one of a case on hold. A closed case's dates are history.
            overdue_resubmissions=await self._list(
                scope, status_in(OPEN), m.Case.resubmission_date <= day, order=(m.Case.resubmission_date, m.Case.id)
            ),
            overdue_follow_ups=await self._list(
                scope, status_in(OPEN), m.Case.follow_up_date <= day, order=(m.Case.follow_up_date, m.Case.id)
            ),
            on_hold=await self._list(
                scope,
                status_in([S.RUHEND]),
                # Undated last; the order of ix_case_file_on_hold (PostgreSQL's ASC is NULLS LAST).
                order=(m.Case.resubmission_date.asc().nulls_last(), m.Case.id),
                total=by_status.get(S.RUHEND, 0),
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

    def _matrix(self, cells: dict[tuple[UUID, str], int], all_quartiers: list[m.Quartier]) -> StatusMatrix:
        counts: dict[UUID | None, dict[S, int]] = {}
        for (quartier_key, status), n in cells.items():
            quartier_id = None if quartier_key == m.NO_QUARTIER else quartier_key
            counts.setdefault(quartier_id, {})[S(status)] = n
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

    async def _list(
        self, scope: list[Any], *conditions: Any, order: tuple[Any, ...], total: int | None = None
    ) -> CaseList:
        """The first LIST_LIMIT cases; `total`: the count when `case_count` knows it, else counted here."""
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
        if total is None:
            total = await session.scalar(select(func.count()).select_from(m.Case).where(*scope, *conditions)) or 0
        return CaseList(cases=cases, total=total)

    async def _recently_closed(self, scope: list[Any], since: date) -> list[ClosedGroup]:
        session = self.session
        closed_since = m.Case.closed_at >= datetime.combine(since, time(), tzinfo=BERLIN)
        conditions = [*scope, status_in(CLOSED), closed_since]
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
