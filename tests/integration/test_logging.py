"""Log lines carry a request id and never a password, cookie, session id or e-mail address."""

from __future__ import annotations

import io
import json
import logging

import pytest
from httpx import AsyncClient
from litestar import Litestar

from konfliktmanagement.lib.settings import LogFormat
from tests.helpers import create_user, form_post, sign_in

pytestmark = pytest.mark.anyio

PASSWORD = "canary-password-7f3a9c"
EMAIL = "canary.person@example.org"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"log_format": LogFormat.JSON}


@pytest.fixture
def captured_log(app: Litestar) -> io.StringIO:
    """The app's own rendered log output (same formatter as production), into a buffer."""
    root = logging.getLogger()
    ours = next(handler for handler in root.handlers if getattr(handler, "_km_handler", False))
    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    capture.setFormatter(ours.formatter)
    root.addHandler(capture)
    yield buffer
    root.removeHandler(capture)


async def test_logs_contain_no_secrets_or_personal_data(
    app: Litestar, client: AsyncClient, captured_log: io.StringIO
) -> None:
    await create_user(app, EMAIL, password=PASSWORD, name="Canary Person")
    failed = await form_post(client, "/login", "/login", {"email": EMAIL, "password": PASSWORD + "-wrong"})
    assert failed.status_code == 400
    await sign_in(client, EMAIL, PASSWORD)
    await client.get("/")
    await client.get("/does-not-exist?email=" + EMAIL)

    output = captured_log.getvalue()
    events = [json.loads(line) for line in output.splitlines() if line.strip()]
    requests = [event for event in events if event["event"] == "request"]
    assert len(requests) >= 5, output
    assert all(event["request_id"] for event in requests)
    assert any(event["event"] == "sign_in_failed" for event in events)

    session_id = client.cookies["km_session"]
    csrf = client.cookies["km_csrf"]
    for secret in (PASSWORD, EMAIL, "canary.person", "Canary Person", session_id, csrf):
        assert secret not in output, f"log output leaks {secret[:6]}…"


async def test_request_id_is_returned_and_shown_on_error_pages(client: AsyncClient, captured_log: io.StringIO) -> None:
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    request_id = response.headers["x-request-id"]
    assert request_id in response.text
    assert request_id in captured_log.getvalue()
