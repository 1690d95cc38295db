"""Reference data cached per process: what the choosers offer (quartiers, places, conflict types,
mediators) — a few dozen rows that every list page and case form would otherwise read again.

Correct with several app instances: every change of these tables through the ORM bumps one counter
row (`reference_data_version`) in the same transaction, and each request reads the counter with its
first statement (authentication, see `version_column`). A cached value is used only while the
counter still has the value it was loaded at; a change made through another instance is therefore
seen by the next request here. Changes made outside the app (SQL by hand) must bump the counter too:
`UPDATE reference_data_version SET version = version + 1`.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from itertools import chain
from typing import Any, TypeVar, cast

from sqlalchemy import ScalarSelect, Select, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from konfliktmanagement.db import models as m

T = TypeVar("T")
_ROW = 1
_VERSION_KEY = "reference_version"
# The tables behind the choosers; a change of any of them makes every cached value stale.
_REFERENCE_TYPES = (m.Quartier, m.Place, m.Stadtbezirk, m.ConflictType, m.User, m.UserRole)

# Per engine (one per app instance and database): {name: (version, value)}.
_caches: weakref.WeakKeyDictionary[Engine, dict[str, tuple[int, Any]]] = weakref.WeakKeyDictionary()


def _version_query() -> Select[tuple[int]]:
    return select(m.ReferenceDataVersion.version).where(m.ReferenceDataVersion.id == _ROW)


def version_column() -> ScalarSelect[int]:
    """The counter as a scalar subquery, to ride along with a request's first statement."""
    return _version_query().scalar_subquery()


async def cached(session: AsyncSession, name: str, load: Callable[[], Awaitable[T]]) -> T:
    """`load()`'s value as cached for the current counter; loaded again when the counter moved."""
    if session.info.get("_km_reference_bumped"):
        return await load()  # changed in this very transaction, which may still roll back
    version = session.info.get(_VERSION_KEY)
    if version is None:
        version = await session.scalar(_version_query())
        if version is None:  # no counter row: nothing can be trusted, read every time
            return await load()
        session.info[_VERSION_KEY] = version
    cache = _caches.setdefault(session.get_bind().engine, {})
    hit = cache.get(name)
    if hit is not None and hit[0] == version:
        return cast(T, hit[1])
    value = await load()
    cache[name] = (version, value)
    return value


@event.listens_for(Session, "after_flush")
def _bump_on_change(session: Session, _flush: UOWTransaction) -> None:
    """Bump the counter in the transaction that changes reference data (new, changed or deleted rows)."""
    if session.info.get("_km_reference_bumped"):
        return
    if any(isinstance(o, _REFERENCE_TYPES) for o in chain(session.new, session.dirty, session.deleted)):
        session.connection().execute(
            update(m.ReferenceDataVersion)
            .where(m.ReferenceDataVersion.id == _ROW)
            .values(version=m.ReferenceDataVersion.version + 1)
        )
        # Once per transaction is enough: the counter differs from every value read before it.
        session.info["_km_reference_bumped"] = True
        # This request must not serve its own stale copy either.
        session.info.pop(_VERSION_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_bump(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("_km_reference_bumped", None)
