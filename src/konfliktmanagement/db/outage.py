"""Which failures are the database's, not the request's: the client may retry them (503), and a
connection they leave behind must not be used again.

SQLAlchemy wraps driver errors several times (asyncpg's error in the dialect's `Error` in a
`DBAPIError`, sometimes in advanced-alchemy's `RepositoryError`/`IntegrityError`), and asyncpg's
dialect maps most of them to the plain `DBAPIError`; so the chain of causes is read down to the
driver's own exception.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import exc as sa_exc

# The connection itself is gone or in a state nobody may use again: a lost, reset or refused socket
# or a connect that timed out (asyncpg raises these bare, SQLAlchemy does not wrap them), a
# terminated backend (57P01 and the rest of class 57 but a cancelled statement), asyncpg's "another
# operation is in progress" after an interrupted one.
_BROKEN_CONNECTION: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.InternalClientError,
)
# The connection survives, the database could not serve now: a statement timeout, no free server
# connection, or SQLite's lock and file errors beyond the busy timeout.
_BUSY: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.QueryCanceledError,
    asyncpg.exceptions.TooManyConnectionsError,
    sa_exc.TimeoutError,  # the pool had no connection to give within pool_timeout
)
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _closed_interface(exc: BaseException) -> bool:
    return isinstance(exc, asyncpg.exceptions.InterfaceError) and "connection is closed" in str(exc)


def connection_broken(exc: BaseException) -> bool:
    """The connection that raised this must be discarded (SQLAlchemy's `is_disconnect`)."""
    return any(isinstance(e, _BROKEN_CONNECTION) or _closed_interface(e) for e in _chain(exc))


def database_unavailable(exc: BaseException) -> bool:
    """The database could not serve this request now; the same request may succeed later."""
    for e in _chain(exc):
        if isinstance(e, sa_exc.DBAPIError) and e.connection_invalidated:
            return True
        if isinstance(e, _BROKEN_CONNECTION + _BUSY) or _closed_interface(e):
            return True
        if isinstance(e, sqlite3.OperationalError) and str(e).lower().startswith(_SQLITE_UNAVAILABLE):
            return True
    return False
