"""Who delivers the outbox: the `outbox send` command, the app's background task; and what they log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta

import anyio
import pytest
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.outbox.delivery import deliver_due
from konfliktmanagement.domain.outbox.services import enqueue
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.mail import SmtpConfig
from konfliktmanagement.lib.settings import LogFormat, Settings
from tests.cli import run_cli
from tests.integration.outbox_server import HOST, SmtpServer, free_port

pytestmark = pytest.mark.anyio

CANARY_TO = "canary.recipient@example.org"
CANARY_SUBJECT = "Kanarienvogel-Betreff 7f3a"


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def server(smtp_port: int) -> Iterator[SmtpServer]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = SmtpServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest, smtp_port: int) -> dict[str, object]:
    interval = 1 if "background" in request.node.name else 0
    return {
        "outbox_interval_seconds": interval,
        "mail_host": HOST,
        "mail_port": smtp_port,
        "mail_sender": "bericht@km.example",
        "log_format": LogFormat.JSON,
    }


async def put(app: Litestar, key: str = "report:1") -> None:
    async with app.state["alchemy_config"].get_session() as session:
        await enqueue(
            session,
            to=[CANARY_TO],
            subject=CANARY_SUBJECT,
            text="Text",
            html="<p>Text</p>",
            attachments=[("bericht.pdf", "application/pdf", b"%PDF-1.4 test")],
            dedupe_key=key,
        )
        await session.commit()


async def state_of(app: Litestar, key: str = "report:1") -> str | None:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(m.OutboxMessage.state).where(m.OutboxMessage.dedupe_key == key))


async def test_outbox_send_command_delivers_due_messages(app: Litestar, server: SmtpServer, settings: Settings) -> None:
    await put(app)
    server.start()
    result = await run_cli(settings, ["outbox", "send"])
    assert result.returncode == 0, result.stderr
    assert "Zugestellt: 1" in result.stdout
    assert len(server.inbox.messages) == 1
    assert await state_of(app) == m.OutboxState.SENT

    again = await run_cli(settings, ["outbox", "send"])
    assert "Zugestellt: 0" in again.stdout
    assert len(server.inbox.messages) == 1


async def test_outbox_retry_command_refuses_a_message_that_has_not_failed(
    app: Litestar, server: SmtpServer, settings: Settings
) -> None:
    await put(app)
    async with app.state["alchemy_config"].get_session() as session:
        message_key = await session.scalar(select(m.OutboxMessage.id))
    result = await run_cli(settings, ["outbox", "retry", str(message_key)])
    assert result.returncode == 1
    assert "Nur fehlgeschlagene" in result.stderr


async def test_background_task_delivers_due_messages(app: Litestar, server: SmtpServer) -> None:
    server.start()
    await put(app)
    # Polling the database: the background task offers no event to wait on.
    for _ in range(75):
        if await state_of(app) == m.OutboxState.SENT:
            break
        await anyio.sleep(0.2)
    assert await state_of(app) == m.OutboxState.SENT
    assert len(server.inbox.messages) == 1


async def test_logs_name_no_recipient_or_subject(app: Litestar, server: SmtpServer) -> None:
    root = logging.getLogger()
    ours = next(handler for handler in root.handlers if getattr(handler, "_km_handler", False))
    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    capture.setFormatter(ours.formatter)
    root.addHandler(capture)
    try:
        await put(app)
        smtp = SmtpConfig.from_settings(app.state["settings"])
        sessions = app.state["alchemy_config"].get_session
        down = await deliver_due(sessions, smtp)  # nothing listens yet
        server.start()
        up = await deliver_due(sessions, smtp, now=clock.now() + timedelta(hours=1))
    finally:
        root.removeHandler(capture)
    assert (down.retrying, up.sent) == (1, 1)
    output = buffer.getvalue()
    assert "outbox_attempt_failed" in output
    assert "outbox_sent" in output
    for secret in (CANARY_TO, "canary.recipient", CANARY_SUBJECT, "Kanarienvogel"):
        assert secret not in output
