"""Every response carries the security headers; nothing a signed-in user sees may be stored by a cache."""

from __future__ import annotations

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar

from konfliktmanagement.db import models as m
from tests.helpers import create_user, sign_in
from tests.integration.test_route_inventory import _concrete, _inventory

pytestmark = pytest.mark.anyio


def _missing_headers(response: Response) -> list[str]:
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    wrong = [
        part
        for part in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
        if part not in csp
    ]
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        wrong.append("unsafe CSP")
    if headers.get("x-content-type-options") != "nosniff":
        wrong.append("nosniff")
    if headers.get("referrer-policy") != "same-origin":
        wrong.append("referrer-policy")
    return wrong


async def test_every_route_answers_with_the_security_headers(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "all@example.org", roles=list(m.Role))
    anonymous = [await client.request(method, _concrete(path)) for method, path in _inventory(app)]
    await sign_in(client, "all@example.org")
    signed_in = [await client.request(method, _concrete(path)) for method, path in _inventory(app) if method == "GET"]
    signed_in += [await client.get("/no/such/page"), await client.get("/api/v1/no-such-thing")]
    wrong = [
        (r.request.method, r.request.url.path, r.status_code, missing)
        for r in anonymous + signed_in
        if (missing := _missing_headers(r))
    ]
    assert not wrong
    stored = [
        (r.request.url.path, r.status_code, r.headers.get("cache-control"))
        for r in signed_in
        if "/static/" not in r.request.url.path and r.headers.get("cache-control") != "no-store"
    ]
    assert not stored
    assert all("strict-transport-security" not in r.headers for r in anonymous + signed_in)


async def test_static_files_may_be_cached_pages_may_not(client: AsyncClient) -> None:
    static = await client.get("/static/vendor/htmx.min.js")
    assert static.status_code == 200
    assert "max-age" in static.headers["cache-control"]
    assert not _missing_headers(static)
    assert (await client.get("/login")).headers["cache-control"] == "no-store"


@pytest.mark.parametrize("settings_overrides", [{"cookie_secure": True}])
async def test_hsts_when_cookies_are_secure(client: AsyncClient) -> None:
    for path in ("/login", "/health", "/static/css/app.css", "/api/v1/me"):
        response = await client.get(path)
        assert response.headers["strict-transport-security"].startswith("max-age="), path
