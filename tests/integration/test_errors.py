"""Errors: German pages for people, RFC 9457 problem bodies for the API, never a 500 for bad input."""

from __future__ import annotations

import time
from uuid import uuid4

import pytest
from httpx import AsyncClient
from litestar import Litestar, get
from litestar.di import NamedDependency
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from tests.helpers import create_user, csrf_header, sign_in

pytestmark = pytest.mark.anyio


async def test_unknown_page_is_a_german_404_page(client: AsyncClient) -> None:
    response = await client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Seite nicht gefunden" in response.text
    assert "Traceback" not in response.text


async def test_unknown_api_route_is_a_problem(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "e@example.org")
    await sign_in(client, "e@example.org")
    response = await client.get("/api/v1/gibt-es-nicht")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["title"]
    assert body["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"label": "x" * 101}, "label"),
        ({"label": ""}, "label"),
        ({"label": 42}, "label"),
        ({}, "label"),
        ({"label": "ok", "extra": 1}, "extra"),
    ],
)
async def test_bad_api_input_names_the_field_and_writes_nothing(
    app: Litestar, client: AsyncClient, payload: dict, field: str
) -> None:
    await create_user(app, "b@example.org")
    await sign_in(client, "b@example.org")
    response = await client.post("/api/v1/tokens", json=payload, headers=csrf_header(client))
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert any(field in error["field"] or field in error["message"] for error in response.json()["errors"]), (
        response.json()
    )
    async with app.state["alchemy_config"].get_session() as session:
        assert await session.scalar(select(func.count()).select_from(m.ApiToken)) == 0


async def test_malformed_json_and_bad_path_ids_are_4xx(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "j@example.org")
    await sign_in(client, "j@example.org")
    broken = await client.post(
        "/api/v1/tokens", content=b"{not json", headers={**csrf_header(client), "content-type": "application/json"}
    )
    assert broken.status_code == 400
    bad_id = await client.delete("/api/v1/tokens/not-a-uuid", headers=csrf_header(client))
    assert bad_id.status_code in {400, 404}
    assert (await client.get("/admin/users/not-a-uuid")).status_code in {403, 404}


async def test_forbidden_page_is_german_and_has_no_stack_trace(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "f@example.org", [m.Role.MEDIATOR])
    await sign_in(client, "f@example.org")
    response = await client.get("/admin/users")
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.text
    assert response.headers["x-request-id"] in response.text


# The tests that register routes of their own get an app of their own: on the lane's shared app those
# routes would outlive the test (test_route_inventory.py walks every route of the app).
own_app = pytest.mark.parametrize("settings_overrides", [{"outbox_interval_seconds": 0}], ids=["own-app"])


@own_app
async def test_unexpected_errors_are_500_pages_and_problems_without_internals(
    app: Litestar, client: AsyncClient
) -> None:
    @get("/boom-page", include_in_schema=False)
    async def boom_page() -> None:
        raise RuntimeError("internal detail 4711")

    @get("/api/boom", include_in_schema=False)
    async def boom_api() -> None:
        raise RuntimeError("internal detail 4711")

    app.register(boom_page)
    app.register(boom_api)

    page = await client.get("/boom-page")
    assert page.status_code == 500
    assert page.headers["x-request-id"] in page.text
    assert "Interner Fehler" in page.text
    assert "4711" not in page.text
    assert "Traceback" not in page.text

    problem = await client.get("/api/boom")
    assert problem.status_code == 500
    assert problem.json()["request_id"] == problem.headers["x-request-id"]
    assert "4711" not in problem.text


async def test_refusals_before_the_handler_answer_at_once_for_signed_in_users(
    app: Litestar, client: AsyncClient
) -> None:
    """A CSRF refusal or an oversized body is raised before the request's transaction is committed;
    it must still be ended, or the session write after it waits for it (on SQLite: a 503 after 5 s)."""
    await create_user(app, "c@example.org", [m.Role.ADMIN])
    await sign_in(client, "c@example.org")
    await client.get("/account/tokens")
    started = time.monotonic()
    forged = await client.post("/account/tokens", data={"name": "x"})
    assert forged.status_code == 403
    oversized = await client.post(
        "/account/tokens",
        content=b"name=" + b"x" * (11 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert oversized.status_code == 413
    assert time.monotonic() - started < 4, "a refusal must not wait for a lock"
    assert (await client.get("/account/tokens")).status_code == 200, "the session still works afterwards"


@own_app
async def test_error_page_after_a_failed_flush_renders_without_the_database(app: Litestar, client: AsyncClient) -> None:
    """A failed flush expires everything the session loaded, the signed-in user too (its roles are
    `lazy="raise"`): the error page must still render, as HTML with the request id."""
    signed_in_page = next(
        handler for route in app.routes if route.path == "/account/tokens" for handler in route.route_handlers
    )

    @get("/flush-fails", middleware=list(signed_in_page.resolve_middleware()), include_in_schema=False)
    async def flush_fails(db_session: NamedDependency[AsyncSession]) -> None:
        db_session.add(m.UserRole(user_id=uuid4(), role=m.Role.MEDIATOR.value))  # no such user
        await db_session.flush()

    app.register(flush_fails)
    await create_user(app, "x@example.org")
    await sign_in(client, "x@example.org")

    page = await client.get("/flush-fails")
    assert page.headers["content-type"].startswith("text/html"), page.text
    assert page.status_code == 500  # an unmapped database error; what matters is that the page renders
    assert page.headers["x-request-id"] in page.text
    assert (await client.get("/account/tokens")).status_code == 200
