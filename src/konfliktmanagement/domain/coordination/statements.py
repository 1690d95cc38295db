"""The dashboard's statements, built once per kind of reader and filter, their values bound per request.

Building a SELECT and deriving SQLAlchemy's cache key from it cost more CPU than a statement's round
trip: every statement here is built once per (roles of the reader, filtered by quartier or not[,
the closed groups on the page]) and run with bound parameters — `viewer_id`, `quartier_id`, `day`,
`since`, `since_day`. Statuses stay literals in the SQL (`status_in`): only then can the planner use the partial
indexes of the queues.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, func, select, union_all

from konfliktmanagement.db import models as m
from konfliktmanagement.db.lookups import in_looked_up
from konfliktmanagement.db.models.case import status_in
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.workflow import OPEN
from konfliktmanagement.domain.coordination.case_rows import closed_cases, listed_cases

S = m.CaseStatus
C = m.Case
LIST_LIMIT = 20  # per attention list (the oldest first); the full list is one click away in /cases
CLOSED_PER_GROUP = 10
T = TypeVar("T")

_built: dict[tuple[Any, ...], Any] = {}


def _once(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    found = _built.get(key)
    if found is None:
        if len(_built) > 512:  # the closed groups vary a little; never let the cache grow unbounded
            _built.clear()
        found = _built[key] = build()
    return found


@dataclass(frozen=True, slots=True)
class AttentionList:
    rows: Select[Any]  # the first LIST_LIMIT cases of the list, in its order
    count: Select[tuple[int]]  # all of them, for a list that fills its page and `case_count` does not count


@dataclass(frozen=True, slots=True)
class Statements:
    intake: AttentionList
    resubmissions: AttentionList
    follow_ups: AttentionList
    on_hold: AttentionList
    closed_counts: Select[tuple[str, str, int]]


def statements(user: m.User, *, filtered: bool) -> Statements:
    return _once((user.roles, filtered), lambda: _build(user, filtered=filtered))


def _scope(user: m.User, *, filtered: bool) -> tuple[ColumnElement[bool], ...]:
    readable = readable_cases(user, user_id=bindparam("viewer_id", type_=m.User.id.type))
    if not filtered:
        return (readable,)
    return readable, C.quartier_id == bindparam("quartier_id", type_=C.quartier_id.type)


def _attention(scope: tuple[ColumnElement[bool], ...], *conditions: Any, order: tuple[Any, ...]) -> AttentionList:
    # The first LIST_LIMIT ids from the queue's (partial) index alone, then only those rows: filtering
    # full rows read one heap row per queued case before it was known which to show.
    first = select(C.id).where(*scope, *conditions).order_by(*order).limit(LIST_LIMIT)
    return AttentionList(
        rows=listed_cases(in_looked_up(C.id, first), *order),
        count=select(func.count()).select_from(C).where(*scope, *conditions),
    )


def _build(user: m.User, *, filtered: bool) -> Statements:
    scope = _scope(user, filtered=filtered)
    day = bindparam("day", type_=C.resubmission_date.type)
    return Statements(
        # Every received case waits for the coordination: to be staffed, to have the pair a mediator
        # who recorded it started completed, or to be taken into clarification (the workflow's rule).
        # Oldest first: whoever has waited longest comes next.
        intake=_attention(scope, status_in([S.EINGEGANGEN]), order=(C.created_at, C.id)),
        # Dates of every case still being worked on, whatever its status: a Wiedervorlage set on an
        # active case is as due as one of a case on hold. A closed case's dates are history.
        resubmissions=_attention(scope, status_in(OPEN), C.resubmission_date <= day, order=(C.resubmission_date, C.id)),
        follow_ups=_attention(scope, status_in(OPEN), C.follow_up_date <= day, order=(C.follow_up_date, C.id)),
        # Undated last; the order of ix_case_file_on_hold (PostgreSQL's ASC is NULLS LAST).
        on_hold=_attention(scope, status_in([S.RUHEND]), order=(C.resubmission_date.asc().nulls_last(), C.id)),
        closed_counts=_closed_counts(filtered=filtered),
    )


def _closed_counts(*, filtered: bool) -> Select[tuple[str, str, int]]:
    """Closed cases per (status, outcome) since `since_day`, from the maintained daily counts (the
    coordination reads every case: no readable-cases filter); `outcome` is `NO_OUTCOME` without one."""
    D = m.CaseClosedDay
    where = [D.day >= bindparam("since_day", type_=D.day.type)]
    if filtered:
        where.append(D.quartier_key == bindparam("quartier_id", type_=D.quartier_key.type))
    n = func.sum(D.n)
    return select(D.status, D.outcome, n).where(*where).group_by(D.status, D.outcome).having(n > 0)


def _closed_since() -> ColumnElement[bool]:
    return C.closed_at >= bindparam("since", type_=C.closed_at.type)


def newest_closed(user: m.User, *, filtered: bool, groups: tuple[tuple[str, str | None], ...]) -> Select[Any]:
    """The newest CLOSED_PER_GROUP cases of each (status, outcome) group, newest first."""
    return _once(("closed", user.roles, filtered, groups), lambda: _newest(user, filtered=filtered, groups=groups))


def _newest(user: m.User, *, filtered: bool, groups: tuple[tuple[str, str | None], ...]) -> Select[Any]:
    scope = _scope(user, filtered=filtered)
    # Per group, its first rows of ix_case_file_closed_groups read backwards (a range of the index,
    # whatever the group's size); then only those cases, by primary key.
    per_group = [
        select(C.id)
        .where(
            *scope,
            _closed_since(),
            # `=` with the value written into the SQL: `IN` (= ANY) would not give the index's order.
            C.status == bindparam(None, status, literal_execute=True),
            C.outcome == outcome if outcome is not None else C.outcome.is_(None),
        )
        # Status and outcome are fixed in a group; naming them keeps the index's order usable when
        # the outcome is NULL (PostgreSQL treats `IS NULL` as no equality for the order).
        .order_by(C.status.desc(), C.outcome.desc(), C.closed_at.desc(), C.id.desc())
        .limit(CLOSED_PER_GROUP)
        .subquery()
        for status, outcome in groups
    ]
    return closed_cases(
        in_looked_up(C.id, union_all(*(select(group.c.id) for group in per_group))), C.closed_at.desc(), C.id.desc()
    )
