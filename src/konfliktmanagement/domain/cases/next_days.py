"""What Meine Fälle orders a mediator's cases by, kept on their `case_mediator` links (issue 10: ranking
every open case of a mediator on each request cost ~57 ms for ~6,700 cases at 10^6).

Each link carries a copy of its case's `case_open` (status in `workflow.OPEN`), `next_day` (the earliest
of the Berlin day of its earliest planned session with a time, its Wiedervorlage and its follow-up; NULL
when it has none) and `case_reference`. A page is then a range of the partial index
`ix_case_mediator_open_next_day`, and the counts above it are counts of that index.

A listener on every ORM flush (like `counts.py` and `db/search_index.py`) writes the values anew, in one
statement computed from the rows as the flush left them, for the cases whose inputs the flush changed:
a link added (assigning a mediator, creating a case), a session planned, rescheduled, held, cancelled or
deleted, a case's dates changed, a case opened or closed (the retention job's archiving). A link removed
takes its values with it. Writes that bypass the unit of work — Core `UPDATE`s of a case's status or
dates (the transition service: `refresh_written`), of a session's status or time, or of `case_mediator` —
must call `refresh` themselves; `stale_links` is the reference the tests compare the stored values with.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Update, bindparam, event, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import instance_state

from konfliktmanagement.db import models as m
from konfliktmanagement.db.dates import berlin_date, earliest_date
from konfliktmanagement.domain.cases.workflow import OPEN

_OPEN = frozenset(s.value for s in OPEN)
_CASE_DATES = ("resubmission_date", "follow_up_date")
_SESSION_FIELDS = ("status", "scheduled_at", "case_id")
_BATCH = 500  # case ids per statement: well below both databases' parameter limits


def computed() -> dict[str, ColumnElement[Any]]:
    """The values of a link as expressions over its `Case` row (and the case's sessions)."""
    planned = (
        select(func.min(berlin_date(m.MediationSession.scheduled_at)))
        .where(
            m.MediationSession.case_id == m.Case.id,
            m.MediationSession.status == m.SessionStatus.GEPLANT.value,
            m.MediationSession.scheduled_at.is_not(None),
        )
        .correlate(m.Case)
        .scalar_subquery()
    )
    return {
        "case_open": m.Case.status.in_(sorted(_OPEN)),
        "next_day": earliest_date(planned, m.Case.resubmission_date, m.Case.follow_up_date),
        "case_reference": m.Case.reference.expression,
    }


def refresh(connection: Connection, case_ids: Collection[UUID]) -> None:
    """Write the values of every link of these cases anew (one statement per 500 cases)."""
    ids = sorted(case_ids)  # rows in key order: two transactions never wait for each other in a cycle
    for start in range(0, len(ids), _BATCH):
        connection.execute(_refresh(), {"case_ids": ids[start : start + _BATCH]})


def refresh_written(connection: Connection, case_id: UUID, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """`refresh` for a case row written without the unit of work (the transition service's `UPDATE`),
    when the change reaches its links: the case opened or closed, or one of its dates changed."""
    opened_or_closed = (before["status"] in _OPEN) != (after["status"] in _OPEN)
    if opened_or_closed or any(before[name] != after[name] for name in _CASE_DATES):
        refresh(connection, [case_id])


@cache
def _refresh() -> Update:
    """Built once, the case ids an expanding parameter: every transition and every flush that moves a
    next day runs it."""
    return (
        update(m.CaseMediator)
        .where(m.CaseMediator.case_id == m.Case.id, m.Case.id.in_(bindparam("case_ids", expanding=True)))
        .values(**computed())
        .execution_options(synchronize_session=False)
    )


async def renew(session: AsyncSession, case_ids: Collection[UUID]) -> None:
    """`refresh` in the session's transaction, for writes that bypass the unit of work."""
    await session.run_sync(lambda sync: refresh(sync.connection(), case_ids))


async def stale_links(session: AsyncSession) -> list[tuple[UUID, UUID]]:
    """(case id, user id) of every link whose stored values differ from the computed ones: must be none."""
    values = computed()
    rows = await session.execute(
        select(m.CaseMediator.case_id, m.CaseMediator.user_id)
        .join(m.Case, m.Case.id == m.CaseMediator.case_id)
        .where(or_(*(getattr(m.CaseMediator, name).is_distinct_from(value) for name, value in values.items())))
        .order_by(m.CaseMediator.case_id, m.CaseMediator.user_id)
    )
    return [(case_id, user_id) for case_id, user_id in rows]


def _history(instance: object, name: str) -> tuple[list[Any], bool]:
    """The values before this flush (empty when unchanged) and whether the attribute changed."""
    history = instance_state(instance).attrs[name].history
    return list(history.deleted or ()), history.has_changes()


def _opened_or_closed(case: m.Case) -> bool:
    before, changed = _history(case, "status")
    return changed and any((old in _OPEN) != (case.status in _OPEN) for old in before)


def _planned(meeting: m.MediationSession) -> bool:
    return meeting.status == m.SessionStatus.GEPLANT.value and meeting.scheduled_at is not None


def _touched_cases(new: Iterable[object], dirty: Iterable[object], deleted: Iterable[object]) -> set[UUID]:
    """The cases whose links' values this flush may have changed."""
    cases: set[UUID] = set()
    for instance in new:
        if isinstance(instance, m.CaseMediator) or (isinstance(instance, m.MediationSession) and _planned(instance)):
            cases.add(instance.case_id)
    for instance in dirty:
        if isinstance(instance, m.Case):
            if _opened_or_closed(instance) or any(_history(instance, name)[1] for name in _CASE_DATES):
                cases.add(instance.id)
        elif isinstance(instance, m.MediationSession) and any(_history(instance, n)[1] for n in _SESSION_FIELDS):
            cases.add(instance.case_id)
            cases.update(_history(instance, "case_id")[0])  # moved to another case: the old one too
    gone = set()
    for instance in deleted:
        if isinstance(instance, m.MediationSession):
            cases.add(instance.case_id)
        elif isinstance(instance, m.Case):
            gone.add(instance.id)  # its links go with it
    return cases - gone


@event.listens_for(Session, "after_flush")
def _keep_next_days(session: Session, _flush: UOWTransaction) -> None:
    if cases := _touched_cases(session.new, session.dirty, session.deleted):
        refresh(session.connection(), cases)
