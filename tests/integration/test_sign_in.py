"""Sign-in through the real form: CSRF, 303, sessions in the database, rotation, sign-out.

Throttling of failed sign-ins: test_sign_in_throttling.py."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts import auth
from tests.helpers import DEFAULT_PASSWORD, create_user, csrf_from, form_post, sign_in

pytestmark = pytest.mark.anyio


async def _stored_sessions(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(
            select(func.count()).select_from(m.StoreEntry).where(m.StoreEntry.namespace == auth.SESSION_STORE)
        )


async def test_sign_in_redirects_and_shows_user(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "mira@example.org", [m.Role.MEDIATOR], name="Mira Mediatorin")
    response = await sign_in(client, "mira@example.org")
    assert response.headers["location"] == "/"
    home = await client.get("/account/tokens")
    assert home.status_code == 200
    assert "Mira Mediatorin" in home.text
    assert "Mediation" in home.text
    assert await _stored_sessions(app) == 1


async def test_sign_in_returns_to_requested_page_but_never_offsite(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "a@example.org", [m.Role.ADMIN])
    anonymous = await client.get("/admin/users")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=%2Fadmin%2Fusers"
    page = await client.get(anonymous.headers["location"])
    data = {
        "email": "a@example.org",
        "password": DEFAULT_PASSWORD,
        "next": "/admin/users",
        "_csrf_token": csrf_from(page),
    }
    assert (await client.post("/login", data=data)).headers["location"] == "/admin/users"

    other = AsyncClient(transport=client._transport, base_url="http://testserver")
    async with other:
        page = await other.get("/login")
        data = {"email": "a@example.org", "password": DEFAULT_PASSWORD, "next": "//evil.example/x"}
        response = await other.post("/login", data={**data, "_csrf_token": csrf_from(page)})
        assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("email", "password"),
    [("known@example.org", "wrong password 123"), ("nobody@example.org", DEFAULT_PASSWORD), ("known@example.org", "")],
)
async def test_unknown_user_and_wrong_password_get_the_same_answer(
    app: Litestar, client: AsyncClient, email: str, password: str
) -> None:
    await create_user(app, "known@example.org")
    response = await form_post(client, "/login", "/login", {"email": email, "password": password})
    assert response.status_code == 400
    assert "E-Mail-Adresse oder Passwort ist falsch." in response.text
    assert "km_session" not in response.headers.get("set-cookie", "")
    assert await _stored_sessions(app) == 0


async def test_deactivated_user_cannot_sign_in(app: Litestar, client: AsyncClient) -> None:
    user = await create_user(app, "gone@example.org")
    async with app.state["alchemy_config"].get_session() as session:
        (await session.get(m.User, user.id)).is_active = False  # type: ignore[union-attr]
        await session.commit()
    response = await form_post(client, "/login", "/login", {"email": "gone@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400


async def test_post_without_csrf_token_is_refused(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "c@example.org")
    await client.get("/login")
    response = await client.post("/login", data={"email": "c@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    forged = await client.post(
        "/login", data={"email": "c@example.org", "password": DEFAULT_PASSWORD, "_csrf_token": "forged"}
    )
    assert forged.status_code == 403
    assert await _stored_sessions(app) == 0


async def test_session_id_changes_at_sign_in(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "r@example.org")
    planted = "a" * 64  # a session id an attacker could have planted in the victim's browser
    client.cookies.set("km_session", planted, domain="testserver.local")
    await sign_in(client, "r@example.org")
    first = client.cookies.get("km_session")
    assert first
    assert first not in {planted, "null"}
    await sign_in(client, "r@example.org")
    second = client.cookies.get("km_session")
    assert second
    assert second != first
    assert await _stored_sessions(app) == 1, "the session of the first sign-in must be gone"


async def test_sign_out_kills_the_session_server_side(app: Litestar, client: AsyncClient, make_client) -> None:
    await create_user(app, "s@example.org")
    await sign_in(client, "s@example.org")
    stolen = client.cookies.get("km_session")
    home = await client.get("/account/tokens")
    response = await client.post("/logout", data={"_csrf_token": csrf_from(home)})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert await _stored_sessions(app) == 0

    replay = make_client()
    replay.cookies.set("km_session", stolen)
    assert (await replay.get("/account/tokens")).status_code == 303


async def test_absolute_session_lifetime(app: Litestar, client: AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    await create_user(app, "t@example.org")
    await sign_in(client, "t@example.org")
    assert (await client.get("/account/tokens")).status_code == 200
    real_time = auth.time.time
    hours = app.state["settings"].session_absolute_hours
    monkeypatch.setattr(auth.time, "time", lambda: real_time() + hours * 3600 + 1)
    response = await client.get("/account/tokens")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


async def test_idle_lifetime_is_the_store_expiry(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "i@example.org")
    await sign_in(client, "i@example.org")
    store = app.stores.get(auth.SESSION_STORE)
    expires_in = await store.expires_in(client.cookies["km_session"])
    idle = app.state["settings"].session_idle_minutes * 60
    assert expires_in is not None
    assert idle - 10 <= expires_in <= idle


async def test_anonymous_requests_store_no_session(app: Litestar, client: AsyncClient) -> None:
    for path in ("/login", "/health", "/ready", "/", "/static/css/app.css"):
        await client.get(path)
    assert await _stored_sessions(app) == 0
