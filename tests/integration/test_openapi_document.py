"""The OpenAPI document tells the truth: both ways to sign in, every error status as a problem body.

(Every response of the API tests is also checked against it: tests/openapi_check.py.)"""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from litestar import Litestar
from openapi_core import OpenAPI

from tests.helpers import api, create_user, sign_in

pytestmark = pytest.mark.anyio


# The document does not depend on the database: it is checked in one lane.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True, scope="session")
async def test_document_is_valid_openapi(app: Litestar, client: AsyncClient) -> None:
    """The served document against the OpenAPI specification (openapi-core's own check, raised on the first
    error). Made here once per run: the response check of every API test (tests/openapi_check.py) skips it."""
    await create_user(app, "o@example.org")
    await sign_in(client, "o@example.org")
    response = await client.get("/api/v1/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    OpenAPI.from_dict(document)


async def test_document_names_bearer_and_cookie_and_every_error_as_problem(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "o@example.org")
    await sign_in(client, "o@example.org")
    document = (await client.get("/api/v1/schema/openapi.json")).json()
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["apiToken"].items()
    assert schemes["sessionCookie"]["in"] == "cookie"
    assert {"apiToken": []} in document["security"]
    assert {"sessionCookie": []} in document["security"]
    wrong = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            statuses = {int(s) for s in operation["responses"] if s.startswith(("4", "5"))}
            expected = {401, 403, 503} | ({404} if "{" in path else set())
            if "requestBody" in operation:
                expected |= {400, 413, 415}
            if method in {"post", "put", "patch", "delete"}:
                expected |= {409, 422}
            if not expected <= statuses:
                wrong.append((method, path, sorted(expected - statuses)))
            for status in statuses:
                if set(operation["responses"][str(status)]["content"]) != {"application/problem+json"}:
                    wrong.append((method, path, status, "not application/problem+json"))
    assert not wrong


async def test_patch_without_a_body_is_told_so_clearly(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "o@example.org")
    await sign_in(client, "o@example.org")
    await client.get("/login")
    response = await api(client, "PATCH", "/api/v1/cases/01a22ede-00c5-72ed-b82d-9d42927b20b6")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["errors"] == [{"field": "body", "message": body["detail"]}]
    assert "JSON-Inhalt" in body["detail"]
