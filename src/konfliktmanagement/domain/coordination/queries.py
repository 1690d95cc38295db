"""The coordinator's dashboard (read model): city-wide counts and the lists that need someone's attention.

The counts (status × quartier, the intake, cases on hold) come from `case_count`, a few dozen rows
kept in step with every case (`domain/cases/counts.py`); each list is the first rows of a partial
index over its status set. So the page costs the same handful of small reads whether the city has
100 cases or 10^6. Only the coordination reaches it (the route's guard), and the coordination reads
every case: the counts need no readable-cases filter; the lists keep it all the same. Only case
skeletons are read: no party, no note, no contact data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import Row, bindparam, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.lookups import in_looked_up
from konfliktmanagement.db.models.case import status_in
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.counts import stored_counts
from konfliktmanagement.domain.cases.form_options import MediatorOption, mediator_workload
from konfliktmanagement.domain.cases.workflow import CLOSED, OPEN, OUTCOME_LABELS, STATUS_LABELS
from konfliktmanagement.domain.coordination import case_rows
from konfliktmanagement.domain.coordination.case_rows import ClosedCase, ListedCase
from konfliktmanagement.domain.coordination.matrix import QuartierEntry, StatusMatrix, quartiers, status_matrix
from konfliktmanagement.lib.clock import BERLIN, today

S = m.CaseStatus
LIST_LIMIT = 20  # per attention list (the oldest first); the full list is one click away in /cases
CLOSED_PER_GROUP = 10
RECENT_DAYS = 30


@dataclass(frozen=True, slots=True)
class CaseList:
    cases: list[ListedCase]
    total: int  # may exceed len(cases): the list shows the first LIST_LIMIT


@dataclass(frozen=True, slots=True)
class ClosedGroup:
    status: S
    outcome: m.Outcome | None
    heading: str  # the outcome's label, or the status's when the case ended without one
    status_label: str
    count: int
    cases: list[ClosedCase] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    today_text: str
    quartier_id: UUID | None
    quartiers: tuple[QuartierEntry, ...]
    matrix: StatusMatrix
    intake: CaseList
    mediators: list[MediatorOption]
    staffing_needed: bool  # some case of the intake on the page still needs (half) a pair
    overdue_resubmissions: CaseList
    overdue_follow_ups: CaseList
    on_hold: CaseList
    recently_closed: list[ClosedGroup]
    closed_since: str
    open_statuses: list[S]
    """The statuses whose Wiedervorlagen and follow-up dates count as tasks (for the links to the full list)."""


@dataclass(frozen=True, slots=True)
class _Listing:
    """A list's rows as read, before the page's mediators are known."""

    rows: list[Row[Any]]
    total: int
    due_of: str | None


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
        all_quartiers = await quartiers(self.session)
        counts = await stored_counts(self.session, quartier_id)
        by_status: dict[S, int] = {}
        for (_quartier, status), n in counts.items():
            by_status[S(status)] = by_status.get(S(status), 0) + n
        open_ = [s for s in S if s in OPEN]
        C = m.Case
        intake = await self._list(
            scope,
            # Every received case waits for the coordination: to be staffed, to have the pair a mediator
            # who recorded it started completed, or to be taken into clarification (the workflow's rule).
            status_in([S.EINGEGANGEN]),
            order=(C.created_at, C.id),  # oldest first: whoever has waited longest comes next
            total=by_status.get(S.EINGEGANGEN, 0),
        )
        # Dates of every case still being worked on, whatever its status: a Wiedervorlage set on an
        # active case is as due as one of a case on hold. A closed case's dates are history.
        resubmissions = await self._list(
            scope,
            status_in(OPEN),
            C.resubmission_date <= day,
            order=(C.resubmission_date, C.id),
            due_of="resubmission_date",
        )
        follow_ups = await self._list(
            scope, status_in(OPEN), C.follow_up_date <= day, order=(C.follow_up_date, C.id), due_of="follow_up_date"
        )
        on_hold = await self._list(
            scope,
            status_in([S.RUHEND]),
            # Undated last; the order of ix_case_file_on_hold (PostgreSQL's ASC is NULLS LAST).
            order=(C.resubmission_date.asc().nulls_last(), C.id),
            total=by_status.get(S.RUHEND, 0),
            due_of="resubmission_date",
        )
        closed_counts, closed_rows = await self._recently_closed(scope, since)
        listings = (intake, resubmissions, follow_ups, on_hold)
        # The mediators of every case on the page in one statement.
        teams = await case_rows.teams(
            self.session, [r.id for listing in listings for r in listing.rows] + [r.id for r in closed_rows]
        )
        intake_list, resubmission_list, follow_up_list, on_hold_list = (
            CaseList(case_rows.listed(listing.rows, teams, listing.due_of, day), listing.total) for listing in listings
        )
        staffing_needed = any(case.needs_pair for case in intake_list.cases)
        return Dashboard(
            today=day,
            today_text=case_rows.day(day),
            quartier_id=quartier_id,
            quartiers=all_quartiers,
            matrix=status_matrix(counts, all_quartiers),
            intake=intake_list,
            # The mediators and their workload are shown only in the intake queue's assignment forms.
            mediators=await mediator_workload(self.session) if staffing_needed else [],
            staffing_needed=staffing_needed,
            overdue_resubmissions=resubmission_list,
            overdue_follow_ups=follow_up_list,
            on_hold=on_hold_list,
            recently_closed=_groups(closed_counts, case_rows.closed(closed_rows)),
            closed_since=case_rows.day(since),
            open_statuses=open_,
        )

    async def _list(
        self,
        scope: list[Any],
        *conditions: Any,
        order: tuple[Any, ...],
        total: int | None = None,
        due_of: str | None = None,
    ) -> _Listing:
        """The first LIST_LIMIT cases; `total`: the count when `case_count` knows it, else counted here."""
        session = self.session
        # The first LIST_LIMIT ids from the queue's (partial) index alone, then only those rows: filtering
        # full rows read one heap row per queued case before it was known which to show.
        first = select(m.Case.id).where(*scope, *conditions).order_by(*order).limit(LIST_LIMIT)
        rows = list((await session.execute(case_rows.listed_cases(in_looked_up(m.Case.id, first), *order))).all())
        if len(rows) < LIST_LIMIT:  # the whole list is on the page: no COUNT needed
            return _Listing(rows, len(rows), due_of)
        if total is None:
            total = await session.scalar(select(func.count()).select_from(m.Case).where(*scope, *conditions)) or 0
        return _Listing(rows, total, due_of)

    async def _recently_closed(
        self, scope: list[Any], since: date
    ) -> tuple[list[Row[tuple[str, str | None, int]]], list[Row[Any]]]:
        """The closed groups' counts and the newest CLOSED_PER_GROUP cases of each group."""
        session = self.session
        closed_since = m.Case.closed_at >= datetime.combine(since, time(), tzinfo=BERLIN)
        conditions = [*scope, status_in(CLOSED), closed_since]
        counts = list(
            (
                await session.execute(
                    select(m.Case.status, m.Case.outcome, func.count())
                    .where(*conditions)
                    .group_by(m.Case.status, m.Case.outcome)
                )
            ).all()
        )
        if not counts:
            return counts, []
        # The newest few of each group in one statement: per group, its first rows of
        # ix_case_file_closed_groups read backwards (a range of the index, whatever the group's size);
        # then only those cases, by primary key.
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
        newest = await session.execute(
            case_rows.closed_cases(
                in_looked_up(m.Case.id, union_all(*(select(group.c.id) for group in per_group))),
                m.Case.closed_at.desc(),
                m.Case.id.desc(),
            )
        )
        return counts, list(newest.all())


def _groups(
    counts: list[Row[tuple[str, str | None, int]]], newest: dict[tuple[str, str | None], list[ClosedCase]]
) -> list[ClosedGroup]:
    """The closed groups in workflow order (status, then outcome; without an outcome last)."""
    groups = []
    for status, outcome, count in counts:
        s = S(status)
        o = m.Outcome(outcome) if outcome else None
        groups.append(
            ClosedGroup(
                status=s,
                outcome=o,
                heading=OUTCOME_LABELS[o] if o else STATUS_LABELS[s],
                status_label=STATUS_LABELS[s],
                count=count,
                cases=newest.get((status, outcome), []),
            )
        )
    status_order = list(S)
    outcome_order = list(m.Outcome)
    groups.sort(
        key=lambda g: (
            status_order.index(g.status),
            outcome_order.index(g.outcome) if g.outcome else len(outcome_order),
        )
    )
    return groups
