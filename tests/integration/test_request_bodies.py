"""Every endpoint that reads a body refuses the wrong media type (415) and JSON nested too deep (400).

Walks the route table: a new write endpoint is covered without being named here. The body is read
before the handler looks anything up, so placeholder path values are enough to reach the check.
"""

from __future__ import annotations

import re
import uuid

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from litestar.enums import RequestEncodingType
from litestar.routes import HTTPRoute

from konfliktmanagement.db import models as m
from tests.helpers import create_user, csrf_header, sign_in

pytestmark = pytest.mark.anyio

_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
_FORM_TYPES = {RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART}


def _concrete(path: str) -> str:
    return _PARAM.sub(lambda match: str(uuid.uuid4()) if match.group(2) == "uuid" else "1", path)


def body_endpoints(app: Litestar) -> list[tuple[str, str, bool]]:
    """(method, path, takes a form) of every handler that reads a request body."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None:
                continue
            media_type = getattr(data.kwarg_definition, "media_type", None)
            found.append((method, route.path, media_type in _FORM_TYPES))
    return sorted(found)


async def _everyone(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "all@example.org", roles=list(m.Role))
    await sign_in(client, "all@example.org")


def _is_problem(response: Response, path: str, status: int) -> bool:
    if response.status_code != status:
        return False
    if path.startswith("/api/"):
        return response.headers["content-type"].startswith("application/problem+json")
    return True


async def test_every_body_of_the_wrong_media_type_is_refused_with_415(app: Litestar, client: AsyncClient) -> None:
    endpoints = body_endpoints(app)
    assert sum(1 for *_, form in endpoints if form) >= 10
    assert sum(1 for *_, form in endpoints if not form) >= 10
    await _everyone(app, client)
    wrong = []
    for method, path, form in endpoints:
        url = _concrete(path)
        for content_type, body in [("text/plain", b'{"title": "x"}')] + ([("application/json", b"{}")] if form else []):
            response = await client.request(
                method, url, content=body, headers={**csrf_header(client), "content-type": content_type}
            )
            if not _is_problem(response, path, 415):
                wrong.append((method, path, content_type, response.status_code))
    assert not wrong


async def test_every_json_body_nested_too_deep_is_refused_with_400(app: Litestar, client: AsyncClient) -> None:
    deep = b'{"title": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    await _everyone(app, client)
    wrong = []
    for method, path, form in body_endpoints(app):
        if form:
            continue
        response = await client.request(
            method, _concrete(path), content=deep, headers={**csrf_header(client), "content-type": "application/json"}
        )
        if not _is_problem(response, path, 400) or "verschachtelt" not in response.json()["detail"]:
            wrong.append((method, path, response.status_code))
    assert not wrong


async def test_json_of_any_json_media_type_and_ordinary_depth_reaches_validation(
    app: Litestar, client: AsyncClient
) -> None:
    await _everyone(app, client)
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = await client.post(
            "/api/v1/cases",
            content=b'{"title": [[[["x"]]]]}',
            headers={**csrf_header(client), "content-type": content_type},
        )
        assert response.status_code == 400, response.text
        assert "verschachtelt" not in response.json()["detail"]
