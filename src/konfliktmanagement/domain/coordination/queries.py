"""The coordinator's dashboard (read model): city-wide counts and the lists that need someone's attention.

The counts (status × quartier, the intake, cases on hold) come from `case_count`, a few dozen rows
kept in step with every case, the recently closed groups' from `case_closed_day`'s last 30 days
(`domain/cases/counts.py`); each list is the first rows of a partial
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
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.counts import stored_counts
from konfliktmanagement.domain.cases.form_options import MediatorOption, mediator_workload
from konfliktmanagement.domain.cases.workflow import OPEN, OUTCOME_LABELS, STATUS_LABELS
from konfliktmanagement.domain.coordination import case_rows
from konfliktmanagement.domain.coordination.case_rows import ClosedCase, ListedCase
from konfliktmanagement.domain.coordination.matrix import QuartierEntry, StatusMatrix, quartiers, status_matrix
from konfliktmanagement.domain.coordination.statements import (
    LIST_LIMIT,
    Queue,
    Statements,
    newest_closed,
    statements,
)
from konfliktmanagement.lib.clock import BERLIN, today

S = m.CaseStatus
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


class DashboardQuery:
    """The dashboard's read model; who may see it is decided by the route's guard (`coordination/access.py`)."""

    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def dashboard(self, user: Principal, quartier_id: UUID | None = None) -> Dashboard:
        session = self.session
        filtered = quartier_id is not None
        sql = statements(user, filtered=filtered)
        day = today()
        since = day - timedelta(days=RECENT_DAYS)
        params = {
            "viewer_id": user.id,
            "quartier_id": quartier_id,
            "day": day,
            "since": datetime.combine(since, time(), tzinfo=BERLIN),
            "since_day": since,
        }
        all_quartiers = await quartiers(session)
        counts = await stored_counts(session, quartier_id)
        by_status: dict[S, int] = {}
        for (_quartier, status), n in counts.items():
            by_status[S(status)] = by_status.get(S(status), 0) + n
        rows: dict[int, list[Row[Any]]] = {queue: [] for queue in Queue}
        for row in await session.execute(sql.lists, params):
            rows[row.list].append(row)
        listings = (
            await self._list(sql, Queue.INTAKE, rows, params, day, total=by_status.get(S.EINGEGANGEN, 0)),
            await self._list(sql, Queue.RESUBMISSIONS, rows, params, day, due_of="resubmission_date"),
            await self._list(sql, Queue.FOLLOW_UPS, rows, params, day, due_of="follow_up_date"),
            await self._list(
                sql, Queue.ON_HOLD, rows, params, day, total=by_status.get(S.RUHEND, 0), due_of="resubmission_date"
            ),
        )
        closed_counts = [
            (status, outcome or None, n) for status, outcome, n in await session.execute(sql.closed_counts, params)
        ]
        closed_rows: list[Row[Any]] = []
        if closed_counts:
            groups = tuple((status, outcome) for status, outcome, _n in closed_counts)
            newest = newest_closed(user, filtered=filtered, groups=groups)
            closed_rows = list((await session.execute(newest, params)).all())
        intake, resubmissions, follow_ups, on_hold = listings
        staffing_needed = any(case.needs_pair for case in intake.cases)
        return Dashboard(
            today=day,
            today_text=case_rows.day(day),
            quartier_id=quartier_id,
            quartiers=all_quartiers,
            matrix=status_matrix(counts, all_quartiers),
            intake=intake,
            # The mediators and their workload are shown only in the intake queue's assignment forms.
            mediators=await mediator_workload(session) if staffing_needed else [],
            staffing_needed=staffing_needed,
            overdue_resubmissions=resubmissions,
            overdue_follow_ups=follow_ups,
            on_hold=on_hold,
            recently_closed=_groups(closed_counts, case_rows.closed(closed_rows)),
            closed_since=case_rows.day(since),
            open_statuses=[s for s in S if s in OPEN],
        )

    async def _list(
        self,
        sql: Statements,
        queue: Queue,
        rows: dict[int, list[Row[Any]]],
        params: dict[str, Any],
        day: date,
        *,
        total: int | None = None,
        due_of: str | None = None,
    ) -> CaseList:
        """The queue's first LIST_LIMIT cases from its `rows`; `total`: the count when `case_count` knows
        it, else counted here."""
        cases = case_rows.listed(rows[queue], due_of, day)
        if len(cases) < LIST_LIMIT:  # the whole list is on the page: no COUNT needed
            return CaseList(cases, len(cases))
        if total is None:
            total = await self.session.scalar(sql.counts[queue], params) or 0
        return CaseList(cases, total)


def _groups(
    counts: list[tuple[str, str | None, int]], newest: dict[tuple[str, str | None], list[ClosedCase]]
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
