"""Personal API tokens: shown once, stored hashed, carry the user's roles, revocable."""

from __future__ import annotations

import asyncio
import hashlib
from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select, update

from konfliktmanagement.db import models as m
from tests.helpers import count_statements, create_user, csrf_header, sign_in

pytestmark = pytest.mark.anyio


async def _issue(client: AsyncClient, label: str = "Auswertung") -> dict:
    response = await client.post("/api/v1/tokens", json={"label": label}, headers=csrf_header(client))
    assert response.status_code == 201, response.text
    return response.json()


async def test_token_is_shown_once_and_stored_hashed(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "t@example.org", [m.Role.COORDINATOR])
    await sign_in(client, "t@example.org")
    issued = await _issue(client)
    token = issued["token"]
    assert token.startswith("km_")
    listed = (await client.get("/api/v1/tokens")).json()
    assert [row["id"] for row in listed] == [issued["id"]]
    assert "token" not in listed[0]
    async with app.state["alchemy_config"].get_session() as session:
        stored = (await session.scalars(select(m.ApiToken))).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.token_hash, stored.hint, stored.label)


async def test_bearer_token_signs_in_with_the_users_roles(app: Litestar, client: AsyncClient, make_client) -> None:
    await create_user(app, "k@example.org", [m.Role.COORDINATOR], name="Koordinatorin")
    await sign_in(client, "k@example.org")
    token = (await _issue(client))["token"]

    api = make_client()
    me = await api.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["roles"] == ["coordinator"]
    # No CSRF cookie or header needed: the header is the credential.
    second = await api.post("/api/v1/tokens", json={"label": "zweites"}, headers={"authorization": f"Bearer {token}"})
    assert second.status_code == 201
    # A token never opens admin pages the user may not see.
    assert (await api.get("/admin/users", headers={"authorization": f"Bearer {token}"})).status_code == 403


async def test_after_an_admin_reset_the_api_answers_403_until_the_password_is_changed(
    app: Litestar, client: AsyncClient, make_client
) -> None:
    """The pages' side is in test_account_links.py; a token of such a user is refused as well."""
    user = await create_user(app, "r@example.org", [m.Role.COORDINATOR])
    await sign_in(client, "r@example.org")
    token = (await _issue(client))["token"]
    async with app.state["alchemy_config"].get_session() as session:
        await session.execute(update(m.User).where(m.User.id == user.id).values(must_change_password=True))
        await session.commit()
    for answer in (
        await client.get("/api/v1/me"),
        await make_client().get("/api/v1/cases", headers={"authorization": f"Bearer {token}"}),
    ):
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["password_change_required"] is True
        assert "neues Passwort" in answer.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer km_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "km_plain"])
async def test_bad_tokens_are_refused(client: AsyncClient, header: str) -> None:
    response = await client.get("/api/v1/me", headers={"authorization": header})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 401


async def test_revoked_token_and_deactivated_user_stop_working(app: Litestar, client: AsyncClient, make_client) -> None:
    user = await create_user(app, "v@example.org")
    await sign_in(client, "v@example.org")
    first, second = await _issue(client, "eins"), await _issue(client, "zwei")
    api = make_client()
    bearer = {"authorization": f"Bearer {first['token']}"}
    assert (await api.get("/api/v1/me", headers=bearer)).status_code == 200
    revoked = await client.delete(f"/api/v1/tokens/{first['id']}", headers=csrf_header(client))
    assert revoked.status_code == 204
    assert (await api.get("/api/v1/me", headers=bearer)).status_code == 401

    async with app.state["alchemy_config"].get_session() as session:
        (await session.get(m.User, user.id)).is_active = False  # type: ignore[union-attr]
        await session.commit()
    assert (await api.get("/api/v1/me", headers={"authorization": f"Bearer {second['token']}"})).status_code == 401


async def test_a_user_cannot_revoke_someone_elses_token(app: Litestar, client: AsyncClient, make_client) -> None:
    await create_user(app, "owner@example.org")
    await create_user(app, "other@example.org")
    await sign_in(client, "owner@example.org")
    token = await _issue(client)
    other = make_client()
    await sign_in(other, "other@example.org")
    response = await other.delete(f"/api/v1/tokens/{token['id']}", headers=csrf_header(other))
    assert response.status_code == 404
    assert len((await client.get("/api/v1/tokens")).json()) == 1


async def test_token_page_shows_new_token_once(app: Litestar, client: AsyncClient) -> None:
    from tests.helpers import form_post

    await create_user(app, "p@example.org")
    await sign_in(client, "p@example.org")
    created = await form_post(client, "/account/tokens", "/account/tokens", {"label": "Tablet"})
    assert created.status_code == 201
    assert created.headers["cache-control"] == "no-store"
    assert "km_" in created.text
    again = await client.get("/account/tokens")
    assert "Tablet" in again.text
    assert "jetzt kopieren" not in again.text


async def test_a_tokens_use_is_recorded_once_by_concurrent_requests(
    app: Litestar, client: AsyncClient, make_client
) -> None:
    """The last-use stamp is written after the request, once for requests that arrive together: each
    write would queue for SQLite's write lock, and each request's answer with it."""
    await create_user(app, "u@example.org", [m.Role.MEDIATOR])
    await sign_in(client, "u@example.org")
    issued = await _issue(client)
    api = make_client()
    headers = {"authorization": f"Bearer {issued['token']}"}

    with count_statements(app.state["alchemy_config"].get_engine()) as statements:
        answers = await asyncio.gather(*(api.get("/api/v1/me", headers=headers) for _ in range(8)))
    assert [answer.status_code for answer in answers] == [200] * 8
    assert len([s for s in statements if "UPDATE api_token" in s]) == 1, statements
    async with app.state["alchemy_config"].get_session() as session:
        stored = await session.scalar(select(m.ApiToken.last_used_at).where(m.ApiToken.id == UUID(issued["id"])))
    assert stored is not None

    # Used again within the stamp's precision: nothing written.
    with count_statements(app.state["alchemy_config"].get_engine()) as statements:
        assert (await api.get("/api/v1/me", headers=headers)).status_code == 200
    assert not [s for s in statements if "UPDATE api_token" in s], statements
