"""The database session of one HTTP request: created on first use, ended once where the request ends.

advanced-alchemy's plugin provides `db_session` through `RequestSessionConfig.provide_session`; the
session is kept in the request's scope state under this module's own key, so ending it needs no
private helper of the library. `TransactionMiddleware` (server/transactions.py) ends it before the
response leaves; `end_before_send` is the plugin's before-send hook and ends whatever is left (a
request that never reached that middleware).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import structlog
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.datastructures import State
from litestar.types import Message, Scope
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from konfliktmanagement.db.engine import set_write_intent, writing

logger = structlog.get_logger("konfliktmanagement.transactions")

_SESSION = "km_db_session"
_AFTER_END = "km_after_end"
_AUTOCOMMIT = "km_autocommit"
_READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_TERMINUS = frozenset({"http.response.start", "http.disconnect", "websocket.disconnect", "websocket.close"})


def _state(scope: Scope) -> dict[str, Any]:
    return scope.setdefault("state", {})


def request_session(scope: Scope) -> AsyncSession | None:
    """The request's session if one was opened, else None."""
    return cast(AsyncSession | None, _state(scope).get(_SESSION))


@dataclass
class RequestSessionConfig(SQLAlchemyAsyncConfig):
    """advanced-alchemy's config, with the request's session kept under this module's key.

    `autocommit_reads` (PostgreSQL, not behind PgBouncer): a reading request (GET, HEAD) runs its
    statements without BEGIN and COMMIT. Under READ COMMITTED every statement has its own snapshot
    anyway, so the reads see the same data; the request saves two of its round trips (an API read is
    then two instead of four). Reading requests take no row locks, and what they write after their
    reads (the audit of a denied attempt, a token's last use) commits statement by statement.
    Behind PgBouncer's transaction pooling every statement must stay inside a transaction (its
    prepared form lives on one server connection), so this is off there.
    """

    autocommit_reads: bool = False
    _reading_engine: AsyncEngine | None = field(default=None, init=False, repr=False)

    def provide_session(self, state: State, scope: Scope) -> AsyncSession:
        session = request_session(scope)
        if session is None:
            session_maker = cast(Callable[..., AsyncSession], state[self.session_maker_app_state_key])
            reading = scope.get("method") in _READING_METHODS
            if reading and self.autocommit_reads:
                session = session_maker(bind=self._reads())
                session.info[_AUTOCOMMIT] = True
            else:
                session = session_maker()
            _state(scope)[_SESSION] = session
            # SQLite: a reading request's transaction takes no write lock (db/engine.py).
            set_write_intent(not reading)
        return session

    def _reads(self) -> AsyncEngine:
        if self._reading_engine is None:
            # The same pool; connections go back to it with their default isolation restored.
            self._reading_engine = self.get_engine().execution_options(isolation_level="AUTOCOMMIT")
        return self._reading_engine


T = TypeVar("T")


async def first_statement(session: AsyncSession, run: Callable[[], Awaitable[T]]) -> T:
    """Run the request's first statement; on a connection found dropped, once more on a fresh one.

    There is no pre-ping: a pooled connection that died while idle (server restart, PgBouncer or
    firewall timeout) is noticed only when used. Before the first statement nothing of the request has
    happened, so it is safe to discard the connection (the pool replaces it and every older one) and
    run the statement again. Later failures are not retried: they answer 503 (db/outage.py).
    """
    try:
        return await run()
    except sa_exc.DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        logger.info("database_connection_replaced")
        await session.rollback()
        return await run()


def after_request(session: AsyncSession, callback: Callable[[AsyncSession], Awaitable[None]]) -> None:
    """Run `callback(session)` once the request's transaction has ended, committed or not.

    For records that must survive a rollback, such as the audit of a denied attempt.
    """
    callbacks = session.info.setdefault(_AFTER_END, [])
    if callback not in callbacks:
        callbacks.append(callback)


async def end_request_session(scope: Scope, *, commit: bool) -> None:
    """Commit or roll back, run the after-request callbacks, close. Raises if the commit fails."""
    session = _state(scope).pop(_SESSION, None)
    if session is None:
        return
    try:
        if commit and _has_work(session):
            await session.commit()
        elif not commit:
            await session.rollback()
    except Exception:
        await session.rollback()
        raise
    finally:
        try:
            # The callbacks write (audit records): on SQLite their transaction takes the write lock.
            with writing():
                for callback in session.info.pop(_AFTER_END, []):
                    await callback(session)
        finally:
            await session.close()
            # What follows in this context (the session store's write, or the next request when a test
            # client drives the app in its own task) declares its own intent or is a writer.
            set_write_intent(True)


def _has_work(session: AsyncSession) -> bool:
    """Whether a commit would do anything. Under autocommit every statement has committed already; only
    ORM changes not yet flushed are left, and without them `close()` ends the request just as well."""
    return not session.info.get(_AUTOCOMMIT) or bool(session.new or session.dirty or session.deleted)


async def end_before_send(message: Message, scope: Scope) -> None:
    """The plugin's before-send hook: commit on 2xx/3xx, else roll back (the fallback, see above)."""
    if message["type"] not in _TERMINUS:
        return
    status = cast(int, message.get("status", 500))
    try:
        await end_request_session(scope, commit=message["type"] == "http.response.start" and 200 <= status < 400)
    except Exception:
        logger.exception("commit_failed")
