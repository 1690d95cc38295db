""" "Passwort vergessen" throttling per client address, on the same counters as the sign-in's."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from litestar import Litestar

from konfliktmanagement.domain.accounts.throttling import RESET_STORE, ResetRequestThrottle, TooManyAttempts
from konfliktmanagement.lib import clock

pytestmark = pytest.mark.anyio


async def test_one_client_address_is_limited_whatever_addresses_it_submits(
    app: Litestar, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = [clock.now()]
    monkeypatch.setattr(clock, "now", lambda: at[0])
    store = app.stores.get(RESET_STORE)

    async def admit(email: str, client: str = "10.0.0.1") -> ResetRequestThrottle:
        throttle = ResetRequestThrottle(store, "secret" * 8, 4, email, client)
        async with app.state["alchemy_config"].get_session() as session:
            await throttle.admit(session)
        return throttle

    for n in range(4):
        await (await admit(f"p{n}@example.org")).count()  # count(): what the request's end does
    with pytest.raises(TooManyAttempts) as refused:
        await admit("fresh@example.org")
    assert refused.value.retry_after == 3600
    await admit("fresh@example.org", client="10.0.0.2")

    at[0] += timedelta(hours=1)
    await admit("fresh@example.org")
    assert isinstance(at[0], datetime)
