"""Sign-in throttling: failed attempts slow down guessing on one account without locking an office out.

Failures are counted twice, in a database store shared by every app instance (`SIGN_IN_STORE`):
- per account, by the submitted e-mail address as normalised, whether such an account exists or
  not (an unknown address gets exactly the answers a known one would: no account enumeration).
  After `FREE_FAILURES` failures every further attempt waits 2^k seconds (2, 4, 8, ...), at most
  `MAX_DELAY`; a successful sign-in clears the account's failures.
- per client address, with a much higher limit (`Settings.sign_in_failures_per_address` failures
  in `ADDRESS_WINDOW`): enough for an office behind one NAT, not for a password spray.
Successful sign-ins are never counted. Keys are keyed hashes (HMAC with the secret key), so the
store holds neither e-mail addresses nor client addresses. Times come from `lib.clock` (tests move
it), and are kept in the value: the store's own expiry only clears entries away.

The counters are read before and written after the password check, not in one atomic step:
attempts sent at the very same moment may be counted once. The per-address limit bounds that. They are
read in the request's transaction, all keys in one statement; failures are written through the store
once the request has ended (they must outlast its rollback), and a success clears the account's in the
request's transaction, which commits with the new session.

"Passwort vergessen" has its own counters (`RESET_STORE`), the same mechanism (`Counters`): every
request counts, per submitted address and per client address, in fixed windows of an hour.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import structlog
from litestar import Request
from litestar.stores.base import Store
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.request_session import after_request
from konfliktmanagement.domain.accounts.services import UserService, normalise_email
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.settings import Settings

SIGN_IN_STORE = "sign_in_failures"
FREE_FAILURES = 5
MAX_DELAY = timedelta(minutes=15)
ADDRESS_WINDOW = timedelta(minutes=15)
# An account's failures are forgotten a day after the last one.
ACCOUNT_MEMORY = timedelta(days=1)
RESET_STORE = "password_reset_requests"
RESET_WINDOW = timedelta(hours=1)
RESETS_PER_ACCOUNT = 3

logger = structlog.get_logger("konfliktmanagement.accounts")


class TooManyAttempts(Exception):
    """Sign-in refused before the password is checked; try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class Failures(msgspec.Struct, frozen=True):
    """What the store keeps per key (POSIX timestamps): how many failures, the first and the last, and
    until when attempts are refused."""

    count: int
    first: float
    last: float
    blocked_until: float = 0.0


def account_delay(failures: int) -> timedelta:
    """The wait after `failures` failures in a row: none for the first few, then doubling up to the cap."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    exponent = failures - FREE_FAILURES + 1
    if exponent >= math.log2(MAX_DELAY.total_seconds()):
        return MAX_DELAY
    return timedelta(seconds=2**exponent)


class Counters:
    """Counters in one namespace of the store, by keyed hash: how long the longest of some keys still waits,
    and a count in a fixed window from its first entry that blocks until the window's end once it reaches
    its limit. `store` is the app's store over `m.StoreEntry` (server/app.py): reading and forgetting use
    that table in the request's transaction, counting goes through the store after it."""

    def __init__(self, store: Store, namespace: str) -> None:
        self._store = store
        self._namespace = namespace

    async def wait(self, session: AsyncSession, *keys: str | None) -> int:
        """Seconds until the last of `keys` is no longer blocked (0: none is), read in `session`'s
        transaction: one statement, where the store would take a transaction per key."""
        wanted = [key for key in keys if key is not None]
        entry = m.StoreEntry
        values = await session.scalars(
            select(entry.value).where(
                entry.namespace == self._namespace,
                entry.key.in_(wanted),
                entry.expires_at.is_(None) | (entry.expires_at > datetime.now(UTC)),  # the store's own expiry
            )
        )
        now = clock.now().timestamp()
        waits = [msgspec.json.decode(value, type=Failures).blocked_until - now for value in values]
        return math.ceil(max(waits)) if waits and max(waits) > 0 else 0

    async def count_in_window(self, key: str, limit: int, window: timedelta) -> None:
        now = clock.now().timestamp()
        entry = await self.load(key)
        if entry is None or now - entry.first >= window.total_seconds():
            entry = Failures(count=0, first=now, last=now)
        count = entry.count + 1
        blocked = entry.first + window.total_seconds() if count >= limit else 0.0
        await self.save(key, Failures(count, entry.first, now, blocked), window)

    async def load(self, key: str) -> Failures | None:
        raw = await self._store.get(key)
        return None if raw is None else msgspec.json.decode(raw, type=Failures)

    async def save(self, key: str, entry: Failures, keep: timedelta) -> None:
        # The store's expiry runs on the real clock; a day on top covers a moved clock in tests.
        await self._store.set(key, msgspec.json.encode(entry), expires_in=keep + timedelta(days=1))

    async def forget(self, session: AsyncSession, key: str) -> None:
        """Drop `key` in `session`'s transaction (it is gone if and when that commits)."""
        entry = m.StoreEntry
        await session.execute(delete(entry).where(entry.namespace == self._namespace, entry.key == key))


class SignInThrottle:
    """The throttle of one sign-in attempt: who (account key) from where (address key)."""

    def __init__(self, store: Store, secret_key: str, address_limit: int, email: str, address: str) -> None:
        self._counters = Counters(store, SIGN_IN_STORE)
        self._address_limit = address_limit
        self._account = _key(secret_key, "account", normalise_email(email)) if email.strip() else None
        self._address = _key(secret_key, "address", address)

    async def authenticate(self, users: UserService, email: str, password: str) -> m.User | None:
        """The user for these credentials, or None; raises `TooManyAttempts` while throttled.

        A failure is recorded once the request's transaction has ended (rolled back, the answer being an
        error): on SQLite a write through the store's own connection would wait for the request's open
        transaction. A success clears the account's failures in that transaction.
        """
        session = users.session
        await _refuse_while_blocked(self._counters, session, "sign_in_throttled", self._account, self._address)
        user = await users.authenticate(email, password) if email and password else None
        if user is None:
            after_request(session, lambda _session: self._failed())
        elif self._account is not None:
            await self._counters.forget(session, self._account)
        return user

    async def _failed(self) -> None:
        if self._account is not None:
            now = clock.now().timestamp()
            entry = await self._counters.load(self._account)
            if entry is None or now - entry.last > ACCOUNT_MEMORY.total_seconds():
                entry = Failures(count=0, first=now, last=now)
            count = entry.count + 1
            blocked = now + account_delay(count).total_seconds()
            await self._counters.save(self._account, Failures(count, entry.first, now, blocked), ACCOUNT_MEMORY)
        # The address: a fixed window from its first failure; at the limit it waits for the window's end.
        await self._counters.count_in_window(self._address, self._address_limit, ADDRESS_WINDOW)


class ResetRequestThrottle:
    """ "Passwort vergessen": every request counts, per submitted address (`RESETS_PER_ACCOUNT` an hour,
    known or not, so the answers stay the same) and per client address (`Settings.password_resets_per_address`)."""

    def __init__(self, store: Store, secret_key: str, address_limit: int, email: str, address: str) -> None:
        self._counters = Counters(store, RESET_STORE)
        self._address_limit = address_limit
        self._account = _key(secret_key, "reset-account", normalise_email(email))
        self._address = _key(secret_key, "reset-address", address)

    async def admit(self, session: AsyncSession) -> None:
        """Raise `TooManyAttempts` while throttled; otherwise count this request once it has ended."""
        await _refuse_while_blocked(self._counters, session, "password_reset_throttled", self._account, self._address)
        after_request(session, lambda _session: self.count())

    async def count(self) -> None:
        await self._counters.count_in_window(self._account, RESETS_PER_ACCOUNT, RESET_WINDOW)
        await self._counters.count_in_window(self._address, self._address_limit, RESET_WINDOW)


async def _refuse_while_blocked(counters: Counters, session: AsyncSession, event: str, *keys: str | None) -> None:
    if wait := await counters.wait(session, *keys):
        logger.info(event, retry_after=wait)
        raise TooManyAttempts(wait)


def _key(secret_key: str, kind: str, value: str) -> str:
    return hmac.new(secret_key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def sign_in_throttle(request: Request[Any, Any, Any], email: str) -> SignInThrottle:
    """The throttle of this request's sign-in attempt for the submitted `email`."""
    settings: Settings = request.app.state["settings"]
    return SignInThrottle(
        *_where(request, SIGN_IN_STORE), settings.sign_in_failures_per_address, email, _client(request)
    )


def reset_request_throttle(request: Request[Any, Any, Any], email: str) -> ResetRequestThrottle:
    """The throttle of this request's "Passwort vergessen" for the submitted `email`."""
    settings: Settings = request.app.state["settings"]
    return ResetRequestThrottle(
        *_where(request, RESET_STORE), settings.password_resets_per_address, email, _client(request)
    )


def _where(request: Request[Any, Any, Any], store: str) -> tuple[Store, str]:
    return request.app.stores.get(store), request.app.state["settings"].effective_secret_key


def _client(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client is not None else ""
