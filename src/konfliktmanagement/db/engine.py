"""Engine construction for the two supported databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from konfliktmanagement.db.outage import connection_broken

SQLITE_BUSY_TIMEOUT_MS = 5000


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    # Parameters can hold personal data; they must not end up in exception messages and logs.
    options: dict[str, Any] = {"echo": echo, "hide_parameters": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        if ":memory:" in url:
            msg = "an in-memory SQLite database cannot be shared between connections; use a file"
            raise ValueError(msg)
        options["poolclass"] = NullPool
        engine = create_async_engine(url, **options)
        _configure_sqlite(engine)
    else:
        options.update(pool_size=pool_size, max_overflow=pool_size)
        engine = create_async_engine(url, **options)
    event.listen(engine.sync_engine, "handle_error", _discard_broken_connection)
    return engine


def _discard_broken_connection(context: ExceptionContext) -> None:
    """Tell SQLAlchemy a connection is gone when the driver does not say so clearly.

    asyncpg's dialect asks `is_closed()`, which is still False right after the server terminated
    the backend mid-statement; the connection then went back to the pool and its next user got
    "cannot switch to state …; another operation is in progress". Marked as a disconnect, the
    connection is invalidated and the pool's other connections (likely dead as well) are replaced
    on their next checkout: the next request gets a fresh one, with or without pre-ping.
    """
    if not context.is_disconnect and connection_broken(context.original_exception):
        context.is_disconnect = True


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see `_on_begin`).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: concurrent requests queue on busy_timeout instead
        # of failing when a read transaction tries to become a write transaction on a stale snapshot.
        # Requests therefore must not write through a second connection while their own transaction
        # is open (see server/transactions.py).
        connection.exec_driver_sql("BEGIN IMMEDIATE")
