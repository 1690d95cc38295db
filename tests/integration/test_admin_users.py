"""Admins create users, set roles and deactivate them; changes apply on the next request."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from tests.helpers import create_user, csrf_from, form_post, sign_in

pytestmark = pytest.mark.anyio


async def _load(app: Litestar, email: str) -> m.User | None:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(m.User).where(m.User.email == email).options(selectinload(m.User.role_rows)))


@pytest.fixture
async def admin(app: Litestar, client: AsyncClient) -> AsyncClient:
    await create_user(app, "admin@example.org", [m.Role.ADMIN], name="Ada Admin")
    await sign_in(client, "admin@example.org")
    return client


async def test_admin_invites_a_user_without_typing_a_password(app: Litestar, admin: AsyncClient) -> None:
    response = await form_post(
        admin,
        "/admin/users/new",
        "/admin/users/new",
        {"name": "Mo Mediator", "email": "Mo@Example.org", "roles": ["mediator", "coordinator"]},
    )
    assert response.status_code == 303
    created = await _load(app, "mo@example.org")
    assert created is not None
    assert created.roles == {m.Role.MEDIATOR, m.Role.COORDINATOR}
    assert created.password is None, "the person sets it through the invitation (test_account_links.py)"
    page = await admin.get(response.headers["location"])
    assert "Benutzer:in angelegt; die Einladung ist per E-Mail unterwegs." in page.text
    assert "Einladung erneut senden" in page.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "X", "email": "not-an-address", "roles": "mediator", "password": "a long password 1"},
            "email",
            "gültige E-Mail",
        ),
        (
            {"name": "X", "email": "x@example.org", "roles": "pilot", "password": "a long password 1"},
            "roles",
            "Unbekannte Rolle",
        ),
        ({"name": "X", "email": "x@example.org"}, "roles", "mindestens eine Rolle"),
        ({"name": "", "email": "x@example.org", "roles": "mediator", "password": "a long password 1"}, "name", "Namen"),
        (
            {"name": "X", "email": "admin@example.org", "roles": "mediator", "password": "a long password 1"},
            "email",
            "bereits vergeben",
        ),
    ],
)
async def test_invalid_user_form_shows_errors_next_to_fields_and_writes_nothing(
    app: Litestar, admin: AsyncClient, data: dict, field: str, message: str
) -> None:
    response = await form_post(admin, "/admin/users/new", "/admin/users/new", data)
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert message in response.text
    if data["name"]:
        assert f'value="{data["name"]}"' in response.text, "input is kept"
    assert "a long password 1" not in response.text, "passwords are never echoed"
    async with app.state["alchemy_config"].get_session() as session:
        assert len((await session.scalars(select(m.User))).all()) == 1


async def test_deactivation_and_role_changes_apply_on_the_next_request(
    app: Litestar, admin: AsyncClient, make_client
) -> None:
    target = await create_user(app, "c@example.org", [m.Role.COORDINATOR, m.Role.ADMIN])
    other = make_client()
    await sign_in(other, "c@example.org")
    assert (await other.get("/admin/users")).status_code == 200

    edit = f"/admin/users/{target.id}"
    response = await form_post(
        admin, edit, edit, {"name": "C", "version": "1", "roles": "coordinator", "is_active": "on"}
    )
    assert response.status_code == 303
    assert (await other.get("/admin/users")).status_code == 403, "the admin role is gone at once"

    response = await form_post(admin, edit, edit, {"name": "C", "version": "2", "roles": "coordinator"})
    assert response.status_code == 303
    assert (await other.get("/account/tokens")).status_code == 303, "a deactivated user's session ends at once"


async def test_stale_edit_is_refused_and_shows_current_values(app: Litestar, admin: AsyncClient) -> None:
    target = await create_user(app, "s@example.org", [m.Role.MEDIATOR], name="Original")
    edit = f"/admin/users/{target.id}"
    page_a = await admin.get(edit)
    page_b = await admin.get(edit)
    first = await admin.post(
        edit,
        data={
            "name": "Erste Änderung",
            "version": "1",
            "roles": "mediator",
            "is_active": "on",
            "_csrf_token": csrf_from(page_a),
        },
    )
    assert first.status_code == 303
    second = await admin.post(
        edit,
        data={
            "name": "Zweite Änderung",
            "version": "1",
            "roles": "mediator",
            "is_active": "on",
            "_csrf_token": csrf_from(page_b),
        },
    )
    assert second.status_code == 409
    assert "Inzwischen geändert" in second.text
    assert 'value="Erste Änderung"' in second.text
    stored = await _load(app, "s@example.org")
    assert stored is not None
    assert stored.name == "Erste Änderung"
    assert stored.version == 2


async def test_admin_cannot_lock_themselves_out(app: Litestar, admin: AsyncClient) -> None:
    me = await _load(app, "admin@example.org")
    assert me is not None
    edit = f"/admin/users/{me.id}"
    response = await form_post(
        admin, edit, edit, {"name": "Ada", "version": "1", "roles": "coordinator", "is_active": "on"}
    )
    assert response.status_code == 403
    stored = await _load(app, "admin@example.org")
    assert stored is not None
    assert m.Role.ADMIN in stored.roles


@pytest.mark.parametrize("role", [m.Role.COORDINATOR, m.Role.MEDIATOR, m.Role.ROUND_TABLE_MEMBER])
async def test_only_admins_reach_user_administration(app: Litestar, client: AsyncClient, role: m.Role) -> None:
    await create_user(app, "u@example.org", [role])
    await sign_in(client, "u@example.org")
    assert (await client.get("/admin/users")).status_code == 403
    home = await client.get("/account/tokens")
    response = await client.post(
        "/admin/users/new",
        data={
            "name": "X",
            "email": "x@example.org",
            "roles": "admin",
            "password": "a long password 1",
            "_csrf_token": csrf_from(home),
        },
    )
    assert response.status_code == 403
    assert await _load(app, "x@example.org") is None
