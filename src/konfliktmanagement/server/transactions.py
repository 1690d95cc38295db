"""Where a request's transaction ends: committed before the response leaves, inside the session middleware.

The plugin's before-send hook (`db.request_session.end_before_send`) runs at the very outside, after
the session middleware has already written the session row; on SQLite that write would wait for our
own open transaction, and an error there can only be logged. Here the commit happens first, and a
failed commit turns the response into a 503 instead of a false success. The plugin's hook stays
as the fallback for requests that never reach this middleware.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from konfliktmanagement.db.request_session import end_request_session, request_session
from konfliktmanagement.lib.exceptions import DatabaseUnavailable


class TransactionMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def finish_then_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                await self._finish(scope, message["status"])
            await send(message)

        await next_app(scope, receive, finish_then_send)

    @staticmethod
    async def _finish(scope: Scope, status: int) -> None:
        """A failed commit raises before anything was sent: the app's error handler answers 503
        instead of the success the handler prepared (whether the COMMIT reached the server is unknown
        when the connection was lost, so the client is told to retry, never that it worked)."""
        try:
            await end_request_session(scope, commit=200 <= status < 400)
        except Exception as exc:
            raise DatabaseUnavailable from exc


class ReleaseOnErrorMiddleware(ASGIMiddleware):
    """End the request's transaction when an error escapes the middleware below (CSRF refusal, body
    too large) before `TransactionMiddleware` could: the session middleware above writes its row
    through another connection, which on SQLite would wait for our open transaction and time out.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        try:
            await next_app(scope, receive, send)
        except BaseException:
            session = request_session(scope)
            if session is not None:
                # The error page is rendered after this, with the signed-in user in its header: keep
                # loaded objects readable (a rollback would expire them, and they may not lazy-load).
                session.expunge_all()
            await end_request_session(scope, commit=False)
            raise


async def fresh_transaction(request: Request[Any, Any, Any]) -> None:
    """Route option (`before_request=fresh_transaction`): end the sign-in's reads before the handler.

    By the time a handler runs, authentication has read the user in the request's transaction: on
    PostgreSQL a READ COMMITTED one. A use case that must see one snapshot across many statements
    (publishing statistics) needs its transaction to begin inside it, with REPEATABLE READ. So the
    reads are committed here (nothing was written; loaded objects stay readable because
    `expire_on_commit=False`), and the same session begins the use case's transaction on its next
    statement. The request still ends in `TransactionMiddleware` like every other: commit on
    success, rollback on an error status. Same session, same connection order on SQLite: nothing
    waits for a lock held by this request.
    """
    session = request_session(request.scope)
    if session is not None and session.in_transaction():
        await session.commit()
