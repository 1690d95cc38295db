"""Who is making this request: a server-side session cookie or a personal API token.

Sessions live in the database (`store_entry`), expire after the idle lifetime and after the absolute
lifetime counted from sign-in. The user row is re-read on every request, so deactivation and role
changes apply to the very next one.

One statement per request finds the session, its user, their roles and their unread notifications
(`_session_lookup`): a signed-in session's id begins with its user's id, so the user is joined without
first decoding the stored value. It reads plain columns on the driver (`db/driver_reads.py`) and makes
them a `Principal`: no ORM entity on every request. The stored session is written only when it changed or
its expiry is due for renewal (`renew_interval`): a request that changes nothing writes nothing.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from uuid import UUID

import structlog
from litestar.connection import ASGIConnection, Request
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AuthenticationResult, DefineMiddleware
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.security.session_auth import SessionAuth, SessionAuthMiddleware
from litestar.security.session_auth.middleware import MiddlewareWrapper
from litestar.types import ASGIApp, Empty, Receive, Scope, Send
from sqlalchemy import and_, bindparam, delete, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.driver_reads import DriverSelect
from konfliktmanagement.db.engine import writing
from konfliktmanagement.db.request_session import RequestSessionConfig, end_request_session, first_statement
from konfliktmanagement.domain.accounts import principal, tokens
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.notifications.access import UNREAD_STATE, unread_count
from konfliktmanagement.domain.reference_data import version_column
from konfliktmanagement.domain.statistics.access import anonymous_read_paths
from konfliktmanagement.lib.settings import Settings

SESSION_COOKIE = "km_session"
SESSION_STORE = "sessions"
_ROTATED_ID = "km_rotated_session_id"
_LOADED = "km_loaded_session"
# A session's expiry is pushed forward at most this often (and at least twice per idle lifetime): a
# session then ends between `idle − interval` and `idle` after its last request.
SESSION_RENEW_SECONDS = 300
# Paths behind the session middleware that are served without sign-in. Anchored regexes: an
# unanchored pattern would match anywhere. (Health checks and static files sit outside it.)
# A calendar feed's secret URL is its own key (domain/calendar/feeds.py): calendar apps send no cookie.
PUBLIC_PATHS = ("^/login$", "^/login/forgot$", "^/login/set-password$", r"^/calendar/feed/[^/]+\.ics$")
_PUBLIC = re.compile("|".join(PUBLIC_PATHS))


@dataclass(frozen=True, slots=True)
class _Loaded:
    """The stored session as this request found it: what to compare against before writing it back."""

    value: bytes
    expires_at: datetime
    user: Principal | None


def new_session_id(user_id: UUID) -> str:
    """A signed-in session's id: its user's id (so one statement finds both), then 256 random bits."""
    return f"{user_id.hex}.{secrets.token_hex(32)}"


def _user_id_of(session_id: str) -> UUID | None:
    prefix, dot, _ = session_id.partition(".")
    if not dot:
        return None
    try:
        return UUID(hex=prefix)
    except ValueError:
        return None


def _lookup(session_id: str) -> tuple[DriverSelect, dict[str, Any]]:
    """The session row, its (active) user with roles and the reference-data version: one statement,
    and its parameters."""
    user_id = _user_id_of(session_id)
    parameters = {"key": session_id, "now": datetime.now(UTC)}
    if user_id is None:
        return _session_lookup(with_user=False), parameters
    return _session_lookup(with_user=True), {**parameters, "user_id": user_id}


@cache
def _session_lookup(*, with_user: bool) -> DriverSelect:
    """Built once per form, values bound at execution; the session's columns, the reference-data version
    and the unread count, then the user's (`principal.COLUMNS`), one row per role."""
    entry = m.StoreEntry
    user_matches = (
        and_(m.User.id == bindparam("user_id", type_=m.User.id.type), m.User.is_active.is_(True))
        if with_user
        else m.User.id.is_(None)
    )
    # The header's count of unread notifications rides along (no statement of its own on every page).
    unread = unread_count() if with_user else null()
    return DriverSelect(
        select(entry.value, entry.expires_at, version_column(), unread, *principal.COLUMNS)
        .select_from(entry)
        .outerjoin(m.User, user_matches)
        .outerjoin(m.UserRole, m.UserRole.user_id == m.User.id)
        .where(
            entry.namespace == SESSION_STORE,
            entry.key == bindparam("key", type_=entry.key.type),
            entry.expires_at > bindparam("now", type_=entry.expires_at.type),
        )
    )


class RotatingSessionBackend(ServerSideSessionBackend):
    """Litestar's server-side sessions, read in the request's transaction and written only on change.

    Litestar keeps the incoming session id at sign-in; this backend issues a fresh one instead.
    """

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        rotated = connection.scope["state"].get(_ROTATED_ID)
        return rotated or super().get_session_id(connection)

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        session_id = connection.cookies.get(self.config.key)
        if not session_id or session_id == "null":
            return {}
        if _PUBLIC.match(connection.scope["path"]):
            # Sign-in needs no user, and its rate limit writes through the store's own connection: on
            # SQLite the request's transaction must not hold the write lock yet (it would wait on itself).
            return await super().load_from_connection(connection)
        db = _db_session(connection)
        statement, parameters = _lookup(session_id)

        async def run() -> Sequence[Sequence[Any]]:
            return await statement.all(await db.connection(), parameters)

        rows = await first_statement(db, run)
        if not rows:
            return {}
        value, expires_at, version, unread = rows[0][:4]
        db.info["reference_version"] = version
        connection.scope["state"][UNREAD_STATE] = unread
        connection.scope["state"][_LOADED] = _Loaded(value, expires_at, principal.fold(rows, 4))
        return self.deserialize_data(value)

    def _renewal_due(self, expires_at: datetime) -> bool:
        max_age = int(self.config.max_age)
        interval = min(SESSION_RENEW_SECONDS, max_age // 2)
        return expires_at - datetime.now(UTC) < timedelta(seconds=max_age - interval)

    async def store_in_message(
        self, scope_session: Any, message: Any, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        state = connection.scope["state"]
        loaded: _Loaded | None = state.get(_LOADED)
        if not scope_session:
            # Litestar would store an empty session for every anonymous request (health checks included).
            incoming = connection.cookies.get(self.config.key)
            if not incoming or incoming == "null":
                return
            scope_session = Empty
        elif (
            loaded is not None
            and not state.get(_ROTATED_ID)
            and self.serialize_data(scope_session, connection.scope) == loaded.value
            and not self._renewal_due(loaded.expires_at)
        ):
            return  # nothing changed and the expiry is recent enough: no write, and the cookie stands
        with writing():
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
        user = await tokens.authenticate(_db_session(connection), token.strip())
        if user is None:
            raise NotAuthorizedException("Invalid token")
        structlog.contextvars.bind_contextvars(user_id=str(user.id), auth="token")
        return AuthenticationResult(user=user, auth="token")


class _TokenSkipsSession(MiddlewareWrapper):
    """Litestar's session-auth stack, except that a request with an `Authorization` header skips the
    session middleware: the header decides alone, so there is no session to load, compare or store
    (an API request saves that work). Its handlers see an empty session."""

    def __init__(self, app: ASGIApp, config: SessionAuth[Any, Any]) -> None:
        super().__init__(app, config)
        self.token_app = config.authentication_middleware_class(
            app=app,
            exclude=config.exclude,
            exclude_http_methods=config.exclude_http_methods,
            exclude_opt_key=config.exclude_opt_key,
            scopes=config.scopes,
            retrieve_user_handler=config.retrieve_user_handler,  # type: ignore[arg-type]  # as Litestar passes it
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and any(name == b"authorization" for name, _ in scope["headers"]):
            scope["session"] = {}
            await self.token_app(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


class _SessionAuth(SessionAuth[Principal, ServerSideSessionBackend]):
    @property
    def middleware(self) -> DefineMiddleware:
        return DefineMiddleware(_TokenSkipsSession, config=self)


def _middleware_class(settings: Settings) -> type[BearerOrSessionAuthMiddleware]:
    # Which routes anonymous visitors may read is the statistics area's decision.
    paths = anonymous_read_paths(settings)
    if not paths:
        return BearerOrSessionAuthMiddleware
    pattern = re.compile("|".join(paths))
    return type("PublicStatisticsAuthMiddleware", (BearerOrSessionAuthMiddleware,), {"optional_paths": pattern})


def build_session_auth(settings: Settings) -> _SessionAuth:
    idle_seconds = settings.session_idle_minutes * 60
    absolute_seconds = settings.session_absolute_hours * 3600

    async def retrieve_user(
        session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]
    ) -> Principal | None:
        user_id, signed_in_at = session.get("uid"), session.get("iat")
        if not isinstance(user_id, str) or not isinstance(signed_in_at, int | float):
            return None
        if time.time() - signed_in_at > absolute_seconds:
            return None
        loaded: _Loaded | None = connection.scope["state"].get(_LOADED)
        user = loaded.user if loaded is not None else None
        if user is None or str(user.id) != user_id:
            return None
        structlog.contextvars.bind_contextvars(user_id=user_id)
        return user

    return _SessionAuth(
        retrieve_user_handler=retrieve_user,
        session_backend_config=RotatingSessionConfig(
            key=SESSION_COOKIE,
            store=SESSION_STORE,
            max_age=idle_seconds,
            # The backend renews the expiry itself, at most every SESSION_RENEW_SECONDS.
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
    request.scope["state"][_ROTATED_ID] = new_session_id(user.id)
    request.set_session({"uid": str(user.id), "iat": int(time.time())})


async def end_sessions_of(db: AsyncSession, user_id: UUID, *, keep: str | None = None) -> None:
    """End every session of this user but `keep` (the one making the request), in the request's
    transaction: a session's id begins with its user's id."""
    rows = (m.StoreEntry.namespace == SESSION_STORE) & m.StoreEntry.key.startswith(f"{user_id.hex}.", autoescape=True)
    if keep:
        rows = rows & (m.StoreEntry.key != keep)
    await db.execute(delete(m.StoreEntry).where(rows))


def end_session(request: Request[Any, Any, Any]) -> None:
    # Clearing makes the session middleware delete the stored session and expire the cookie.
    request.clear_session()


def session_seconds_left(connection: ASGIConnection[Any, Any, Any, Any], settings: Settings) -> tuple[int, int] | None:
    """How long this request's session lasts at least without another request, and at most (the absolute
    lifetime counted from sign-in), in seconds; None without a session.

    The page tells its script (static/js/app.js), which warns a few minutes before. After any request the
    stored expiry lies at least `idle − renewal interval` ahead (see `RotatingSessionBackend`).
    """
    session = connection.scope.get("session")
    signed_in_at = session.get("iat") if isinstance(session, dict) else None
    if connection.scope.get("user") is None or not isinstance(signed_in_at, int | float):
        return None
    idle = settings.session_idle_minutes * 60
    absolute_left = max(0, int(signed_in_at + settings.session_absolute_hours * 3600 - time.time()))
    return min(idle - min(SESSION_RENEW_SECONDS, idle // 2), absolute_left), absolute_left


def renew_session(request: Request[Any, Any, Any], settings: Settings) -> int:
    """Push the session's expiry a whole idle lifetime ahead ("Angemeldet bleiben"); the seconds it now lasts.

    A changed session is always written back, with a fresh expiry: the time of the renewal is the change.
    The absolute lifetime still applies.
    """
    session = dict(request.session)
    session["renewed"] = int(time.time())
    request.set_session(session)
    absolute_left = session.get("iat", 0) + settings.session_absolute_hours * 3600 - time.time()
    return max(0, int(min(settings.session_idle_minutes * 60, absolute_left)))
