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
attempts sent at the very same moment may be counted once. The per-address limit bounds that.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import timedelta
from typing import Any

import msgspec
import structlog
from litestar import Request
from litestar.stores.base import Store

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


class SignInThrottle:
    """The throttle of one sign-in attempt: who (account key) from where (address key)."""

    def __init__(self, store: Store, secret_key: str, address_limit: int, email: str, address: str) -> None:
        self._store = store
        self._address_limit = address_limit
        self._account = _key(secret_key, "account", normalise_email(email)) if email.strip() else None
        self._address = _key(secret_key, "address", address)

    async def authenticate(self, users: UserService, email: str, password: str) -> m.User | None:
        """The user for these credentials, or None; raises `TooManyAttempts` while throttled.

        The outcome is recorded once the request's transaction has ended: on SQLite a write through
        the store's own connection would wait for the request's open transaction.
        """
        await self._refuse_while_blocked()
        user = await users.authenticate(email, password) if email and password else None
        record = self._succeeded if user is not None else self._failed
        after_request(users.session, lambda _session: record())
        return user

    async def _refuse_while_blocked(self) -> None:
        now = clock.now().timestamp()
        waits = [
            entry.blocked_until - now
            for key in (self._account, self._address)
            if key is not None and (entry := await self._load(key)) is not None
        ]
        if waits and (longest := max(waits)) > 0:
            logger.info("sign_in_throttled", retry_after=math.ceil(longest))
            raise TooManyAttempts(math.ceil(longest))

    async def _failed(self) -> None:
        now = clock.now().timestamp()
        if self._account is not None:
            entry = await self._load(self._account)
            if entry is None or now - entry.last > ACCOUNT_MEMORY.total_seconds():
                entry = Failures(count=0, first=now, last=now)
            count = entry.count + 1
            blocked = now + account_delay(count).total_seconds()
            await self._save(self._account, Failures(count, entry.first, now, blocked), ACCOUNT_MEMORY)
        # The address: a fixed window from its first failure; at the limit it waits for the window's end.
        window = ADDRESS_WINDOW.total_seconds()
        entry = await self._load(self._address)
        if entry is None or now - entry.first >= window:
            entry = Failures(count=0, first=now, last=now)
        count = entry.count + 1
        blocked = entry.first + window if count >= self._address_limit else 0.0
        await self._save(self._address, Failures(count, entry.first, now, blocked), ADDRESS_WINDOW)

    async def _succeeded(self) -> None:
        if self._account is not None:
            await self._store.delete(self._account)

    async def _load(self, key: str) -> Failures | None:
        raw = await self._store.get(key)
        return None if raw is None else msgspec.json.decode(raw, type=Failures)

    async def _save(self, key: str, entry: Failures, keep: timedelta) -> None:
        # The store's expiry runs on the real clock; a day on top covers a moved clock in tests.
        await self._store.set(key, msgspec.json.encode(entry), expires_in=keep + timedelta(days=1))


def _key(secret_key: str, kind: str, value: str) -> str:
    return hmac.new(secret_key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def sign_in_throttle(request: Request[Any, Any, Any], email: str) -> SignInThrottle:
    """The throttle of this request's sign-in attempt for the submitted `email`."""
    settings: Settings = request.app.state["settings"]
    client = request.client
    return SignInThrottle(
        request.app.stores.get(SIGN_IN_STORE),
        settings.effective_secret_key,
        settings.sign_in_failures_per_address,
        email,
        client.host if client is not None else "",
    )
