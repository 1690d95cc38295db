"""Counts the dashboard and the mediator choosers show, kept in step with every flush instead of being
counted from every case on every request (issue 10: at 10^6 cases each count alone cost more than the
whole page may).

- `case_count`: cases per (quartier, status) — the status × quartier matrix, the intake, on hold.
- `mediator_load`: active cases per mediator — the workload beside each mediator on offer.
- `case_closed_day`: closed cases per (Berlin day of closing, quartier, status, outcome) — the
  dashboard's recently closed groups (counting the last 30 days' closed cases took 15 ms at 10^6).

A listener on every ORM flush (creating, editing, assigning, deleting, the retention job, the demo and
test data alike) applies the flush's changes in the same transaction. The old values are known:
`active_history` on `Case.status` and `Case.quartier_id`. Rows are written in key order, so two
transactions never wait for each other in a cycle. Changes written as SQL by hand (or Core `UPDATE`s of
a status, a quartier or `case_mediator`) bypass the listener and must adjust the tables as well — the
transition service writes its status change in Core and calls `status_written`; `full_counts`/
`full_loads` are the references the tests compare them with.

`case_closed_day` has a listener of its own (a closing moves no `case_count` cell when only its day or
outcome changes); `active_history` on `Case.closed_at` and `Case.outcome` as well, and
`full_closed_days` is its reference. `status_written` applies a transition's closing or reopening to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, TextClause, bindparam, event, func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from konfliktmanagement.db import models as m
from konfliktmanagement.db.dates import berlin_date
from konfliktmanagement.db.models.case import status_in
from konfliktmanagement.domain.cases.workflow import ACTIVE, CLOSED
from konfliktmanagement.lib.clock import BERLIN

Cell = tuple[UUID, str]  # (quartier key, status)
ClosedDay = tuple[date, UUID, str, str]  # (Berlin day of closing, quartier key, status, outcome key)
_ACTIVE = frozenset(s.value for s in ACTIVE)
_CLOSED = frozenset(s.value for s in CLOSED)
_CLOSING = ("closed_at", "quartier_id", "status", "outcome")
_CLOSED_DAY_KEY = ("day", "quartier_key", "status", "outcome")


def _key(quartier_id: UUID | None) -> UUID:
    return quartier_id if quartier_id is not None else m.NO_QUARTIER


def _before(case: m.Case, name: str) -> Any:
    """The attribute's value as stored before this flush (the current one when it did not change)."""
    history = inspect(case).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(case, name)


def _moved(case: m.Case) -> bool:
    attrs = inspect(case).attrs
    return bool(attrs.status.history.has_changes() or attrs.quartier_id.history.has_changes())


def _cells(new: Iterable[object], dirty: Iterable[object], deleted: Iterable[object]) -> Counter[Cell]:
    delta: Counter[Cell] = Counter()
    for case in _cases(new):
        delta[(_key(case.quartier_id), case.status)] += 1
    for case in _cases(deleted):
        delta[(_key(_before(case, "quartier_id")), _before(case, "status"))] -= 1
    for case in _cases(dirty):
        if _moved(case):
            delta[(_key(_before(case, "quartier_id")), _before(case, "status"))] -= 1
            delta[(_key(case.quartier_id), case.status)] += 1
    return delta


def _cases(objects: Iterable[object]) -> list[m.Case]:
    return [o for o in objects if isinstance(o, m.Case)]


def _links(objects: Iterable[object]) -> list[m.CaseMediator]:
    return [o for o in objects if isinstance(o, m.CaseMediator)]


def _loads(session: Session, connection: Connection) -> Counter[UUID]:
    """Per mediator, how many active cases this flush added (or removed)."""
    # Active before and after this flush, for every case it touched.
    activity: dict[UUID, tuple[bool, bool]] = {}
    for case in _cases(session.new):
        activity[case.id] = (False, case.status in _ACTIVE)
    for case in _cases(session.deleted):
        activity[case.id] = (_before(case, "status") in _ACTIVE, False)
    for case in _cases(session.dirty):
        activity[case.id] = (_before(case, "status") in _ACTIVE, case.status in _ACTIVE)
    delta: Counter[UUID] = Counter()
    added = _links(session.new)
    removed = {(link.case_id, link.user_id): link for link in _links(session.deleted)}
    for case in _cases(session.dirty):  # links taken off a case's list: deleted as orphans, not in `deleted`
        for link in _links(inspect(case).attrs.mediator_links.history.deleted):
            removed[(link.case_id, link.user_id)] = link
    unknown = {link.case_id for link in (*added, *removed.values()) if link.case_id not in activity}
    if unknown:  # links changed on cases this flush did not touch: their status as stored
        for case_id, status in connection.execute(select(m.Case.id, m.Case.status).where(m.Case.id.in_(unknown))):
            activity[case_id] = (status in _ACTIVE, status in _ACTIVE)
    for link in added:
        delta[link.user_id] += activity.get(link.case_id, (False, False))[1]
    for link in removed.values():
        delta[link.user_id] -= activity.get(link.case_id, (False, False))[0]
    # Links that stayed on a case whose activity changed: as stored now, minus the ones just added.
    changed = {case_id: after - before for case_id, (before, after) in activity.items() if before != after}
    if changed:
        fresh = {(link.case_id, link.user_id) for link in added}
        for case_id, user_id in _stored_links(session, connection, changed):
            if (case_id, user_id) not in fresh:
                delta[user_id] += changed[case_id]
    return delta


def _stored_links(session: Session, connection: Connection, case_ids: Iterable[UUID]) -> list[tuple[UUID, UUID]]:
    """(case id, user id) of the links these cases have: from the session when a case's links are loaded
    (a request loads them with its case), else read."""
    links: list[tuple[UUID, UUID]] = []
    unread = []
    for case_id in case_ids:
        case: m.Case | None = session.identity_map.get(session.identity_key(m.Case, case_id))
        if case is not None and "mediator_links" not in inspect(case).unloaded:
            links += [(case_id, link.user_id) for link in case.mediator_links]  # as the flush stored them
        else:
            unread.append(case_id)
    if unread:
        rows = connection.execute(
            select(m.CaseMediator.case_id, m.CaseMediator.user_id).where(m.CaseMediator.case_id.in_(unread))
        )
        links += [(case_id, user_id) for case_id, user_id in rows]
    return links


def _add(connection: Connection, model: Any, key_names: tuple[str, ...], column: str, deltas: Counter[Any]) -> None:
    """`column += n` for every (key, n) of `deltas`, a row created when missing: one statement run for
    each row, in key order (so two transactions never wait for each other in a cycle). A key is a
    value, or a tuple of values for several key columns."""
    rows = [
        {**dict(zip(key_names, key if isinstance(key, tuple) else (key,), strict=True)), column: n}
        for key, n in sorted(deltas.items())
        if n
    ]
    if rows:
        connection.execute(_upsert(model, key_names, column), rows)


@cache
def _upsert(model: Any, key_names: tuple[str, ...], column: str) -> TextClause:
    """The upsert of one row, built once: rows are passed as parameters (one executemany), so the
    statement is compiled once per process, not for every write that moves a count. Written as text:
    both databases take this `ON CONFLICT` clause alike, and SQLAlchemy's dialect `insert` constructs
    carry no cache key (they were compiled anew on every write)."""
    table = model.__table__
    names = (*key_names, column)
    statement = text(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(f':{name}' for name in names)}) "
        f"ON CONFLICT ({', '.join(key_names)}) DO UPDATE SET {column} = {table.name}.{column} + excluded.{column}"
    )
    return statement.bindparams(*(bindparam(name, type_=table.c[name].type) for name in names))


@event.listens_for(Session, "after_flush")
def _count_on_change(session: Session, _flush: UOWTransaction) -> None:
    cells = _cells(session.new, session.dirty, session.deleted)
    touches_links = any(isinstance(o, m.CaseMediator) for o in (*session.new, *session.deleted)) or any(
        inspect(case).attrs.mediator_links.history.deleted for case in _cases(session.dirty)
    )
    if not any(cells.values()) and not touches_links:
        return
    connection = session.connection()
    _add(connection, m.CaseCount, ("quartier_key", "status"), "n", cells)
    _add(connection, m.MediatorLoad, ("user_id",), "active_cases", _loads(session, connection))


def _closed_day(
    closed_at: datetime | None, quartier_id: UUID | None, status: str, outcome: str | None
) -> ClosedDay | None:
    """Where a case counts in `case_closed_day`: None unless it is closed."""
    if status not in _CLOSED or closed_at is None:
        return None
    return (closed_at.astimezone(BERLIN).date(), _key(quartier_id), status, outcome or m.NO_OUTCOME)


def _closed_days(new: Iterable[object], dirty: Iterable[object], deleted: Iterable[object]) -> Counter[ClosedDay]:
    delta: Counter[ClosedDay] = Counter()
    for case in _cases(new):
        if after := _closed_day(*(getattr(case, name) for name in _CLOSING)):
            delta[after] += 1
    for case in _cases(deleted):
        if before := _closed_day(*(_before(case, name) for name in _CLOSING)):
            delta[before] -= 1
    for case in _cases(dirty):
        attrs = inspect(case).attrs
        if not any(attrs[name].history.has_changes() for name in _CLOSING):
            continue
        before = _closed_day(*(_before(case, name) for name in _CLOSING))
        after = _closed_day(*(getattr(case, name) for name in _CLOSING))
        if before != after:
            if before:
                delta[before] -= 1
            if after:
                delta[after] += 1
    return delta


@event.listens_for(Session, "after_flush")
def _count_closed_days(session: Session, _flush: UOWTransaction) -> None:
    days = _closed_days(session.new, session.dirty, session.deleted)
    if any(days.values()):
        _add(session.connection(), m.CaseClosedDay, _CLOSED_DAY_KEY, "n", days)


def status_written(connection: Connection, case: m.Case, before: Mapping[str, Any]) -> None:
    """For a status change written without the unit of work (the transition service's `UPDATE`): the
    case's move between two cells of `case_count`, its mediators' workload when it became active or
    stopped being so, and its closing day when it closed or reopened. `case` holds the new values and
    its loaded `mediator_links`; `before` the status, `closed_at` and `outcome` it had."""
    cell = _key(case.quartier_id)
    cells: Counter[Cell] = Counter()
    cells[(cell, before["status"])] -= 1
    cells[(cell, case.status)] += 1
    _add(connection, m.CaseCount, ("quartier_key", "status"), "n", cells)
    change = (case.status in _ACTIVE) - (before["status"] in _ACTIVE)
    if change:
        _add(
            connection, m.MediatorLoad, ("user_id",), "active_cases", Counter(dict.fromkeys(case.mediator_ids, change))
        )
    days: Counter[ClosedDay] = Counter()
    if closed_before := _closed_day(before["closed_at"], case.quartier_id, before["status"], before["outcome"]):
        days[closed_before] -= 1
    if closed_now := _closed_day(case.closed_at, case.quartier_id, case.status, case.outcome):
        days[closed_now] += 1
    _add(connection, m.CaseClosedDay, _CLOSED_DAY_KEY, "n", days)


async def stored_counts(session: AsyncSession, quartier_id: UUID | None = None) -> dict[Cell, int]:
    """The maintained counts (every case; optionally of one quartier), without empty cells."""
    statement = select(m.CaseCount.quartier_key, m.CaseCount.status, m.CaseCount.n).where(m.CaseCount.n != 0)
    if quartier_id is not None:
        statement = statement.where(m.CaseCount.quartier_key == quartier_id)
    return {(quartier_key, status): n for quartier_key, status, n in await session.execute(statement)}


async def stored_loads(session: AsyncSession) -> dict[UUID, int]:
    """The maintained workload: active cases per mediator (mediators without any are left out)."""
    rows = await session.execute(
        select(m.MediatorLoad.user_id, m.MediatorLoad.active_cases).where(m.MediatorLoad.active_cases != 0)
    )
    return {user_id: n for user_id, n in rows}


async def full_counts(session: AsyncSession) -> dict[Cell, int]:
    """The same counts from every case: what `case_count` must equal."""
    rows = await session.execute(
        select(m.Case.quartier_id, m.Case.status, func.count()).group_by(m.Case.quartier_id, m.Case.status)
    )
    return {(_key(q), s): n for q, s, n in rows}


async def full_loads(session: AsyncSession) -> dict[UUID, int]:
    """The workload from every link: what `mediator_load` must equal."""
    rows = await session.execute(
        select(m.CaseMediator.user_id, func.count())
        .join(m.Case, m.Case.id == m.CaseMediator.case_id)
        .where(status_in(ACTIVE))
        .group_by(m.CaseMediator.user_id)
    )
    return {user_id: n for user_id, n in rows}


async def stored_closed_days(session: AsyncSession) -> dict[ClosedDay, int]:
    """The maintained closed cases per day, without empty rows."""
    day = m.CaseClosedDay
    rows = await session.execute(select(day.day, day.quartier_key, day.status, day.outcome, day.n).where(day.n != 0))
    return {(d, q, s, o): n for d, q, s, o, n in rows}


async def full_closed_days(session: AsyncSession) -> dict[ClosedDay, int]:
    """The same from every closed case: what `case_closed_day` must equal."""
    closed_on = berlin_date(m.Case.closed_at)
    rows = await session.execute(
        select(closed_on, m.Case.quartier_id, m.Case.status, m.Case.outcome, func.count())
        .where(status_in(CLOSED), m.Case.closed_at.is_not(None))
        .group_by(closed_on, m.Case.quartier_id, m.Case.status, m.Case.outcome)
    )
    return {(d, _key(q), s, o or m.NO_OUTCOME): n for d, q, s, o, n in rows}
