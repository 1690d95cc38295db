"""Sign-in throttling: failures per account (growing delay) and per address (an office's limit), never successes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from httpx import ASGITransport, AsyncClient, Response
from litestar import Litestar
from sqlalchemy import select
from structlog.testing import capture_logs

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts import throttling
from konfliktmanagement.lib import clock
from tests.helpers import DEFAULT_PASSWORD, create_user, form_post, sign_in

pytestmark = pytest.mark.anyio

WRONG = "wrong password 123"


class MovableClock:
    def __init__(self) -> None:
        self.at = clock.now()

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    now = MovableClock()
    monkeypatch.setattr(clock, "now", now)
    return now


def _from(app: Litestar, address: str) -> AsyncClient:
    transport = ASGITransport(app=app, client=(address, 4711))  # type: ignore[arg-type]
    return AsyncClient(transport=transport, base_url="http://testserver")


async def _attempt(client: AsyncClient, email: str, password: str = WRONG) -> Response:
    return await form_post(client, "/login", "/login", {"email": email, "password": password})


def test_account_delay_doubles_after_five_failures_up_to_fifteen_minutes() -> None:
    delays = [throttling.account_delay(n).total_seconds() for n in range(1, 16)]
    assert delays == [0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]


async def test_successful_sign_ins_are_not_counted(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "office@example.org")
    for _ in range(11):  # the old limit locked the address after ten attempts a minute
        await sign_in(client, "office@example.org")


async def test_account_waits_longer_after_each_failure_and_success_clears(
    app: Litestar, client: AsyncClient, moved: MovableClock
) -> None:
    await create_user(app, "x@example.org")
    assert [(await _attempt(client, "x@example.org")).status_code for _ in range(5)] == [400] * 5

    refused = await _attempt(client, "x@example.org", DEFAULT_PASSWORD)  # even the right password waits
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    assert "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in 2 Sekunden erneut." in refused.text
    assert 'value="x@example.org"' in refused.text

    moved.advance(2)
    assert (await _attempt(client, "x@example.org")).status_code == 400
    assert (await _attempt(client, "x@example.org")).headers["retry-after"] == "4"
    moved.advance(4)
    await _attempt(client, "x@example.org")
    assert (await _attempt(client, "x@example.org")).headers["retry-after"] == "8"

    moved.advance(8)
    await sign_in(client, "x@example.org")
    # The success cleared the account's failures: five free attempts again.
    assert [(await _attempt(client, "x@example.org")).status_code for _ in range(6)] == [400] * 5 + [429]


async def test_the_wait_is_capped_and_said_in_minutes(app: Litestar, client: AsyncClient, moved: MovableClock) -> None:
    for _ in range(14):
        moved.advance(900)
        await _attempt(client, "y@example.org")
    refused = await _attempt(client, "y@example.org")
    assert refused.headers["retry-after"] == "900"
    assert "in 15 Minuten erneut" in refused.text


async def test_unknown_accounts_get_the_same_answers(app: Litestar, client: AsyncClient, moved: MovableClock) -> None:
    await create_user(app, "known@example.org")

    async def answers(email: str) -> list[tuple[int, str | None]]:
        seen = []
        for _ in range(7):
            response = await _attempt(client, email)
            seen.append((response.status_code, response.headers.get("retry-after")))
        return seen

    known = await answers("known@example.org")
    assert known == [(400, None)] * 5 + [(429, "2")] * 2
    # Counted by the submitted address as normalised, whether an account has it or not.
    assert await answers(" Nobody@Example.org ") == known


async def test_one_blocked_account_does_not_lock_the_office_out(app: Litestar, make_client) -> None:
    await create_user(app, "a@example.org")
    await create_user(app, "b@example.org")
    colleague_a, colleague_b = make_client(), make_client()  # one office, one address
    for _ in range(12):
        await _attempt(colleague_a, "a@example.org")
    assert (await _attempt(colleague_a, "a@example.org", DEFAULT_PASSWORD)).status_code == 429
    await sign_in(colleague_b, "b@example.org")


@pytest.mark.parametrize("settings_overrides", [{"sign_in_failures_per_address": 3}])
async def test_an_address_is_limited_per_fifteen_minutes(app: Litestar, moved: MovableClock) -> None:
    await create_user(app, "c@example.org")
    async with _from(app, "192.0.2.10") as spraying, _from(app, "192.0.2.20") as elsewhere:
        for email in ("one@example.org", "two@example.org", "three@example.org"):
            assert (await _attempt(spraying, email)).status_code == 400
        refused = await _attempt(spraying, "c@example.org", DEFAULT_PASSWORD)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "900"
        await sign_in(elsewhere, "c@example.org")

        moved.advance(15 * 60)
        await sign_in(spraying, "c@example.org")


async def test_store_and_logs_name_neither_email_nor_address(app: Litestar, client: AsyncClient) -> None:
    with capture_logs() as logs:
        for _ in range(6):
            await _attempt(client, "secret.person@example.org")
    async with app.state["alchemy_config"].get_session() as session:
        rows = (
            await session.scalars(select(m.StoreEntry).where(m.StoreEntry.namespace == throttling.SIGN_IN_STORE))
        ).all()
    assert len(rows) == 2  # one account, one address
    for row in rows:
        assert "example.org" not in row.key
        assert "127.0.0.1" not in row.key
        assert b"example.org" not in row.value
    assert {entry["event"] for entry in logs} >= {"sign_in_failed", "sign_in_throttled"}
    assert "secret.person" not in repr(logs)
