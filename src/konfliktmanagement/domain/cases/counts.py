"""`case_count`: how many cases each (quartier, status) holds, kept in step with every flush.

The coordination dashboard's status × quartier matrix and its intake count read these few dozen rows
instead of every case (issue 10: at 10^6 cases the GROUP BY over `case_file` alone cost more than the
whole page may). A listener on every ORM flush — the transition service, creating, editing and
deleting a case, the retention job, the demo and test data alike — moves each created, changed or
deleted case between its cells in the same transaction (old values are loaded before a change:
`active_history` on `Case.status` and `Case.quartier_id`). The cells are written in a fixed order, so
two transactions never wait for each other in a cycle. Changes written as SQL by hand (or Core
`UPDATE` of `status`/`quartier_id`) bypass the listener and must adjust `case_count` as well;
`full_counts` is the reference the tests compare it with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from konfliktmanagement.db import models as m

Cell = tuple[UUID, str]  # (quartier key, status)


def _key(quartier_id: UUID | None) -> UUID:
    return quartier_id if quartier_id is not None else m.NO_QUARTIER


def _before(case: m.Case, name: str) -> Any:
    """The attribute's value as stored before this flush (the current one when it did not change)."""
    history = inspect(case).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(case, name)


def _moves(new: Iterable[object], dirty: Iterable[object], deleted: Iterable[object]) -> Counter[Cell]:
    delta: Counter[Cell] = Counter()
    for case in new:
        if isinstance(case, m.Case):
            delta[(_key(case.quartier_id), case.status)] += 1
    for case in deleted:
        if isinstance(case, m.Case):
            delta[(_key(_before(case, "quartier_id")), _before(case, "status"))] -= 1
    for case in dirty:
        if isinstance(case, m.Case):
            state = inspect(case)
            if state.attrs.status.history.has_changes() or state.attrs.quartier_id.history.has_changes():
                delta[(_key(_before(case, "quartier_id")), _before(case, "status"))] -= 1
                delta[(_key(case.quartier_id), case.status)] += 1
    return delta


@event.listens_for(Session, "after_flush")
def _count_on_change(session: Session, _flush: UOWTransaction) -> None:
    delta = _moves(session.new, session.dirty, session.deleted)
    changes = sorted((cell, n) for cell, n in delta.items() if n)
    if not changes:
        return
    connection = session.connection()
    dialect = connection.dialect.name
    for (quartier_key, status), n in changes:  # in key order: no lock cycles between transactions
        if n > 0:
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            statement = insert(m.CaseCount).values(quartier_key=quartier_key, status=status, n=n)
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[m.CaseCount.quartier_key, m.CaseCount.status],
                    set_={"n": m.CaseCount.n + statement.excluded.n},
                )
            )
        else:  # the cell exists: the case being moved out was counted in it
            connection.execute(
                update(m.CaseCount)
                .where(m.CaseCount.quartier_key == quartier_key, m.CaseCount.status == status)
                .values(n=m.CaseCount.n + n)
            )


async def stored_counts(session: AsyncSession, quartier_id: UUID | None = None) -> dict[Cell, int]:
    """The maintained counts (every case; optionally of one quartier), without empty cells."""
    statement = select(m.CaseCount.quartier_key, m.CaseCount.status, m.CaseCount.n).where(m.CaseCount.n != 0)
    if quartier_id is not None:
        statement = statement.where(m.CaseCount.quartier_key == quartier_id)
    return {(quartier_key, status): n for quartier_key, status, n in await session.execute(statement)}


async def full_counts(session: AsyncSession) -> dict[Cell, int]:
    """The same counts from every case: what `case_count` must equal."""
    rows = await session.execute(
        select(m.Case.quartier_id, m.Case.status, func.count()).group_by(m.Case.quartier_id, m.Case.status)
    )
    return {(_key(q), s): n for q, s, n in rows}

