""" "Passwort vergessen" throttling per client address, on the same counters as the sign-in's (a memory store)."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from litestar.stores.memory import MemoryStore

from konfliktmanagement.domain.accounts.throttling import ResetRequestThrottle, TooManyAttempts
from konfliktmanagement.lib import clock

pytestmark = pytest.mark.anyio


async def test_one_client_address_is_limited_whatever_addresses_it_submits(monkeypatch: pytest.MonkeyPatch) -> None:
    at = [clock.now()]
    monkeypatch.setattr(clock, "now", lambda: at[0])
    store = MemoryStore()

    def throttle(email: str, client: str = "10.0.0.1") -> ResetRequestThrottle:
        return ResetRequestThrottle(store, "secret" * 8, 4, email, client)

    for n in range(4):
        request = throttle(f"p{n}@example.org")
        await request.admit(SimpleNamespace(info={}))  # type: ignore[arg-type]
        await request.count()  # what the request's end does
    with pytest.raises(TooManyAttempts) as refused:
        await throttle("fresh@example.org").admit(SimpleNamespace(info={}))  # type: ignore[arg-type]
    assert refused.value.retry_after == 3600
    await throttle("fresh@example.org", client="10.0.0.2").admit(SimpleNamespace(info={}))  # type: ignore[arg-type]

    at[0] += timedelta(hours=1)
    await throttle("fresh@example.org").admit(SimpleNamespace(info={}))  # type: ignore[arg-type]
    assert isinstance(at[0], datetime)
