"""Deny by default: every route is either on the public allowlist or refuses anonymous requests."""

from __future__ import annotations

import inspect
import re
import uuid

import pytest
from httpx import AsyncClient
from litestar import Litestar
from litestar.routes import HTTPRoute

pytestmark = pytest.mark.anyio

# The whole public surface. A new public route must be added here on purpose.
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    # "Passwort vergessen" and the one-time links from the invitation and reset e-mails.
    ("GET", "/login/forgot"),
    ("POST", "/login/forgot"),
    ("GET", "/login/set-password"),
    ("POST", "/login/set-password"),
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/static/{file_path:path}"),
    # A personal calendar feed: its secret URL is the key (unknown or revoked: 404, see test_notifications.py).
    ("GET", "/calendar/feed/{token:str}"),
}
# Downloads of case data, each with its own access rule beyond signing in (tested where it is built).
CASE_DATA_DOWNLOADS = {
    ("GET", "/cases/export.csv"),  # the coordination only: access.may_export_case_list (test_case_search.py)
}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
_SAMPLE = {"uuid": str(uuid.uuid4()), "int": "1", "path": "css/app.css", "str": "x", None: "x"}


def _concrete(path: str) -> str:
    return _PARAM.sub(lambda match: _SAMPLE.get(match.group(2), "x"), path)


def _inventory(app: Litestar) -> list[tuple[str, str]]:
    pairs = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            pairs.append((method, route.path))
    return pairs


async def test_every_route_is_public_or_refuses_anonymous(app: Litestar, client: AsyncClient) -> None:
    inventory = _inventory(app)
    assert PUBLIC <= set(inventory), "the allowlist names a route that does not exist"
    assert CASE_DATA_DOWNLOADS <= set(inventory) - PUBLIC
    protected = [pair for pair in inventory if pair not in PUBLIC]
    assert len(protected) >= 10, "the inventory looks empty; did route discovery break?"
    assert (await client.get("/calendar/feed/not-a-feed.ics")).status_code == 404
    for method, path in protected:
        response = await client.request(method, _concrete(path))
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.headers["content-type"].startswith("application/problem+json")
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next="), (method, path)


async def test_public_routes_answer_without_sign_in(client: AsyncClient) -> None:
    for path in ("/login", "/login/forgot", "/health", "/ready", "/static/css/app.css", "/static/vendor/htmx.min.js"):
        response = await client.get(path)
        assert response.status_code == 200, path


async def test_openapi_is_for_signed_in_users_only(app: Litestar, client: AsyncClient) -> None:
    from tests.helpers import create_user, sign_in

    assert (await client.get("/api/v1/schema/openapi.json")).status_code == 401
    await create_user(app, "o@example.org")
    await sign_in(client, "o@example.org")
    schema = await client.get("/api/v1/schema/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/me" in schema.json()["paths"]


async def test_guards_run_on_the_event_loop(app: Litestar) -> None:
    """Litestar runs a guard that is a plain function in a worker thread, on every request it guards."""
    guards = {
        guard
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for guard in handler.resolve_guards()
    }
    assert guards, "no guard found; did route discovery break?"
    assert all(inspect.iscoroutinefunction(guard) for guard in guards), sorted(map(repr, guards))
