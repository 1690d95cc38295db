"""Who is making this request: a server-side session cookie or a personal API token.

Sessions live in the database (`store_entry`), expire after the idle lifetime (renewed on every
request) and after the absolute lifetime counted from sign-in. The user row is re-read on every
request, so deactivation and role changes apply to the very next one.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import structlog
from litestar.connection import ASGIConnection, Request
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AuthenticationResult
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.security.session_auth import SessionAuth, SessionAuthMiddleware
from litestar.types import Empty
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.request_session import RequestSessionConfig, end_request_session
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.domain.accounts.tokens import ApiTokenService
from konfliktmanagement.domain.statistics.access import anonymous_read_paths
from konfliktmanagement.lib.settings import Settings

SESSION_COOKIE = "km_session"
SESSION_STORE = "sessions"
_ROTATED_ID = "km_rotated_session_id"
# Paths behind the session middleware that are served without sign-in. Anchored regexes: an
# unanchored pattern would match anywhere. (Health checks and static files sit outside it.)
PUBLIC_PATHS = ("^/login$",)


class RotatingSessionBackend(ServerSideSessionBackend):
    """Litestar keeps the incoming session id at sign-in; this backend issues a fresh one instead."""

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        rotated = connection.scope["state"].get(_ROTATED_ID)
        return rotated or super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: Any, message: Any, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        # Litestar would store an empty session for every anonymous request (health checks included).
        if not scope_session:
            incoming = connection.cookies.get(self.config.key)
            if not incoming or incoming == "null":
                return
            scope_session = Empty
        await super().store_in_message(scope_session, message, connection)


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


def _db_session(connection: ASGIConnection[Any, Any, Any, Any]) -> AsyncSession:
    config: RequestSessionConfig = connection.app.state["alchemy_config"]
    return config.provide_session(connection.app.state, connection.scope)


class BearerOrSessionAuthMiddleware(SessionAuthMiddleware):
    """An `Authorization` header decides alone: with it the session cookie is ignored (and CSRF is moot)."""

    optional_paths: re.Pattern[str] | None = None  # anonymous allowed here (public statistics)

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        try:
            return await self._authenticate(connection)
        except NotAuthorizedException:
            if self._anonymous_allowed(connection):
                # An empty session (not Empty): pages can read flashes; a stale cookie is still dropped.
                connection.scope["session"] = {}
                return AuthenticationResult(user=None, auth=None)
            # The request ends here; release its database transaction before the session middleware
            # deletes the stale session through its own connection.
            await end_request_session(connection.scope, commit=False)
            raise

    def _anonymous_allowed(self, connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
        # A bad bearer token is still refused; only a visitor without credentials browses anonymously.
        return (
            self.optional_paths is not None
            and "authorization" not in connection.headers
            and self.optional_paths.match(connection.scope["path"]) is not None
        )

    async def _authenticate(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization")
        if header is None:
            return await super().authenticate_request(connection)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("Unsupported authorization scheme")
        user = await ApiTokenService(session=_db_session(connection)).authenticate(token.strip())
        if user is None:
            raise NotAuthorizedException("Invalid token")
        structlog.contextvars.bind_contextvars(user_id=str(user.id), auth="token")
        return AuthenticationResult(user=user, auth="token")


def _middleware_class(settings: Settings) -> type[BearerOrSessionAuthMiddleware]:
    # Which routes anonymous visitors may read is the statistics area's decision.
    paths = anonymous_read_paths(settings)
    if not paths:
        return BearerOrSessionAuthMiddleware
    pattern = re.compile("|".join(paths))
    return type("PublicStatisticsAuthMiddleware", (BearerOrSessionAuthMiddleware,), {"optional_paths": pattern})


def build_session_auth(settings: Settings) -> SessionAuth[m.User, ServerSideSessionBackend]:
    idle_seconds = settings.session_idle_minutes * 60
    absolute_seconds = settings.session_absolute_hours * 3600

    async def retrieve_user(session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> m.User | None:
        user_id, signed_in_at = session.get("uid"), session.get("iat")
        if not isinstance(user_id, str) or not isinstance(signed_in_at, int | float):
            return None
        if time.time() - signed_in_at > absolute_seconds:
            return None
        user = await UserService(session=_db_session(connection)).get_active(UUID(user_id))
        if user is not None:
            structlog.contextvars.bind_contextvars(user_id=user_id)
        return user

    # Typed by the base backend: the config's generic parameter is fixed by ServerSideSessionConfig.
    return SessionAuth[m.User, ServerSideSessionBackend](
        retrieve_user_handler=retrieve_user,
        session_backend_config=RotatingSessionConfig(
            key=SESSION_COOKIE,
            store=SESSION_STORE,
            max_age=idle_seconds,
            # Every response stores the session again with a fresh expiry: renewing on read as well
            # would write the same row twice per request.
            renew_on_access=False,
            httponly=True,
            secure=settings.cookie_secure,
            samesite="lax",
        ),
        authentication_middleware_class=_middleware_class(settings),
        exclude=list(PUBLIC_PATHS),
    )


async def start_session(request: Request[Any, Any, Any], user: m.User) -> None:
    """Sign in: drop whatever session came in and continue under a new id.

    Expired sessions and rate-limit counters go in the same statement: sign-in is a cheap moment to
    drop them. It runs in the request's transaction; a second connection writing here would make
    SQLite refuse the request's own later writes.
    """
    stale = m.StoreEntry.expires_at < datetime.now(UTC)
    if (old_id := request.cookies.get(SESSION_COOKIE)) and old_id != "null":
        stale = stale | ((m.StoreEntry.namespace == SESSION_STORE) & (m.StoreEntry.key == old_id))
    await _db_session(request).execute(delete(m.StoreEntry).where(stale))
    request.scope["state"][_ROTATED_ID] = secrets.token_hex(32)
    request.set_session({"uid": str(user.id), "iat": int(time.time())})


def end_session(request: Request[Any, Any, Any]) -> None:
    # Clearing makes the session middleware delete the stored session and expire the cookie.
    request.clear_session()
