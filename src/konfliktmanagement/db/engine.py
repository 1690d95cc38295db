"""Engine construction for the two supported databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import uuid4

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from konfliktmanagement.db import search_index  # noqa: F401  (keeps the case search index in every flush)
from konfliktmanagement.db.outage import connection_broken

SQLITE_BUSY_TIMEOUT_MS = 5000
# Connections older than this are replaced at checkout. Without pre-ping (three round trips per
# checkout) this bounds how long a connection lives past a server or PgBouncer idle timeout; one that
# died anyway is caught by the retry before a request's first statement (db/request_session.py).
POOL_RECYCLE_SECONDS = 1800
# SQLite in WAL mode: readers never block each other or the writer, so a few pooled connections serve
# concurrent requests; writes still go one at a time (BEGIN IMMEDIATE, see `_configure_sqlite`).
SQLITE_POOL_SIZE = 5

# Whether the transactions begun in this context may write. Requests set it from their method (GET and
# HEAD read); jobs and the CLI keep the default. Only SQLite acts on it (see `_configure_sqlite`).
_writes: ContextVar[bool] = ContextVar("km_db_writes", default=True)


def set_write_intent(writes: bool) -> None:
    """Declare for the current request whether its transactions may write (SQLite: IMMEDIATE or not)."""
    _writes.set(writes)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside this block may write, whatever the request declared."""
    token = _writes.set(True)
    try:
        yield
    finally:
        _writes.reset(token)


def create_engine(
    url: str, *, echo: bool = False, pool_size: int = 10, statement_cache_size: int | None = None
) -> AsyncEngine:
    # Parameters can hold personal data; they must not end up in exception messages and logs.
    options: dict[str, Any] = {"echo": echo, "hide_parameters": True, "pool_recycle": POOL_RECYCLE_SECONDS}
    if url.startswith("sqlite"):
        if ":memory:" in url:
            msg = "an in-memory SQLite database cannot be shared between connections; use a file"
            raise ValueError(msg)
        options.update(pool_size=SQLITE_POOL_SIZE, max_overflow=SQLITE_POOL_SIZE)
        engine = create_async_engine(url, **options)
        _configure_sqlite(engine)
    else:
        options.update(pool_size=pool_size, max_overflow=pool_size)
        if statement_cache_size is not None:
            # Behind PgBouncer in transaction pooling a prepared statement may land on another server
            # connection than the one it was prepared on: 0 turns asyncpg's cache off (and SQLAlchemy's
            # named statements with it). See README → Configuration.
            connect_args: dict[str, Any] = {
                "statement_cache_size": statement_cache_size,
                "prepared_statement_cache_size": statement_cache_size,
            }
            if statement_cache_size == 0:
                # Statements are still prepared, each inside its transaction (one server connection);
                # unique names keep two of them from colliding on a server connection PgBouncer reuses.
                connect_args["prepared_statement_name_func"] = lambda: f"__km_{uuid4().hex}__"
            options["connect_args"] = connect_args
        engine = create_async_engine(url, **options)
    event.listen(engine.sync_engine, "handle_error", _discard_broken_connection)
    return engine


def _discard_broken_connection(context: ExceptionContext) -> None:
    """Tell SQLAlchemy a connection is gone when the driver does not say so clearly.

    asyncpg's dialect asks `is_closed()`, which is still False right after the server terminated
    the backend mid-statement; the connection then went back to the pool and its next user got
    "cannot switch to state …; another operation is in progress". Marked as a disconnect, the
    connection is invalidated and the pool's other connections (likely dead as well) are replaced
    on their next checkout: the next request gets a fresh one.
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
        # A writing transaction takes the write lock up front (IMMEDIATE): concurrent writers queue on
        # busy_timeout instead of failing when a read transaction tries to become a write transaction
        # on a stale snapshot. Reading requests begin DEFERRED: in WAL mode they read their snapshot
        # while a writer works and never wait for one. Requests therefore must not write through a
        # second connection while their own transaction is open (see server/transactions.py), and a
        # reading request that must write does it after its transaction (`writing()`).
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes.get() else "BEGIN")
