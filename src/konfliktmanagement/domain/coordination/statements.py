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
from enum import IntEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, literal_column, select, union_all

from konfliktmanagement.db import models as m
from konfliktmanagement.db.lookups import in_looked_up
from konfliktmanagement.db.models.case import status_in
from konfliktmanagement.domain.accounts.principal import Principal
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


class Queue(IntEnum):
    """The attention lists, by their number in the combined statement (`list` of its rows)."""

    INTAKE = 0
    RESUBMISSIONS = 1
    FOLLOW_UPS = 2
    ON_HOLD = 3


@dataclass(frozen=True, slots=True)
class Statements:
    lists: Select[Any]
    """The first LIST_LIMIT cases of every queue in one statement: `list` (the `Queue`), then the list's rows."""
    counts: dict[Queue, Select[tuple[int]]]
    """All cases of a queue, for a list that fills its page and `case_count` does not count."""
    closed_counts: Select[tuple[str, str, int]]


def statements(user: Principal, *, filtered: bool) -> Statements:
    return _once((user.roles, filtered), lambda: _build(user, filtered=filtered))


def _scope(user: Principal, *, filtered: bool) -> tuple[ColumnElement[bool], ...]:
    readable = readable_cases(user, user_id=bindparam("viewer_id", type_=m.User.id.type))
    if not filtered:
        return (readable,)
    return readable, C.quartier_id == bindparam("quartier_id", type_=C.quartier_id.type)


def _queues() -> dict[Queue, tuple[tuple[ColumnElement[bool], ...], tuple[Any, ...]]]:
    """Each queue's conditions and order."""
    day = bindparam("day", type_=C.resubmission_date.type)
    return {
        # Every received case waits for the coordination: to be staffed, to have the pair a mediator
        # who recorded it started completed, or to be taken into clarification (the workflow's rule).
        # Oldest first: whoever has waited longest comes next.
        Queue.INTAKE: ((status_in([S.EINGEGANGEN]),), (C.created_at, C.id)),
        # Dates of every case still being worked on, whatever its status: a Wiedervorlage set on an
        # active case is as due as one of a case on hold. A closed case's dates are history.
        Queue.RESUBMISSIONS: ((status_in(OPEN), C.resubmission_date <= day), (C.resubmission_date, C.id)),
        Queue.FOLLOW_UPS: ((status_in(OPEN), C.follow_up_date <= day), (C.follow_up_date, C.id)),
        # Undated last; the order of ix_case_file_on_hold (PostgreSQL's ASC is NULLS LAST).
        Queue.ON_HOLD: ((status_in([S.RUHEND]),), (C.resubmission_date.asc().nulls_last(), C.id)),
    }


def _build(user: Principal, *, filtered: bool) -> Statements:
    scope = _scope(user, filtered=filtered)
    queues = _queues()
    # Per queue its first LIST_LIMIT ids from its (partial) index alone, numbered in its order; then
    # only those rows, all queues in one statement (one round trip instead of four). Filtering full
    # rows read one heap row per queued case before it was known which to show.
    firsts = [
        select(
            C.id,
            literal_column(str(queue.value), Integer).label("list"),
            func.row_number().over(order_by=order).label("rank"),
        )
        .where(*scope, *conditions)
        .order_by(*order)
        .limit(LIST_LIMIT)
        .subquery()
        for queue, (conditions, order) in queues.items()
    ]
    return Statements(
        lists=listed_cases(union_all(*(select(first.c.id, first.c.list, first.c.rank) for first in firsts))),
        counts={
            queue: select(func.count()).select_from(C).where(*scope, *conditions)
            for queue, (conditions, _order) in queues.items()
        },
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


def newest_closed(user: Principal, *, filtered: bool, groups: tuple[tuple[str, str | None], ...]) -> Select[Any]:
    """The newest CLOSED_PER_GROUP cases of each (status, outcome) group, newest first."""
    return _once(("closed", user.roles, filtered, groups), lambda: _newest(user, filtered=filtered, groups=groups))


def _newest(user: Principal, *, filtered: bool, groups: tuple[tuple[str, str | None], ...]) -> Select[Any]:
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
