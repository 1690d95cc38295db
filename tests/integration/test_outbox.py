"""The durable outbox against a real SMTP server on loopback: delivered once, retried, never twice."""

from __future__ import annotations

from datetime import timedelta

import anyio
import pytest
from litestar import Litestar
from sqlalchemy import select, update

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.outbox.delivery import INTERRUPTED, STALE_SENDING, backoff, deliver_due
from konfliktmanagement.domain.outbox.services import enqueue, requeue, status_of
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.mail import SmtpConfig
from tests.integration import outbox_server
from tests.integration.outbox_server import HOST, SmtpServer

pytestmark = pytest.mark.anyio
smtp_server = outbox_server.smtp_server

SENDER = "bericht@km.example"
TO = ["erste@example.org", "zweite@example.org", "dritte@example.org"]


# The outbox carries bytes; rendering is tested where documents are made (tests/unit/test_pdf.py).
PDF = b"%PDF-1.7\n% Bericht Runder Tisch Sued\n%%EOF\n"


def smtp_for(server: SmtpServer) -> SmtpConfig:
    return SmtpConfig(host=HOST, port=server.port, sender=SENDER, timeout=5)


async def put(app: Litestar, key: str = "report:1", to: list[str] = TO) -> m.OutboxMessage:
    async with app.state["alchemy_config"].get_session() as session:
        message = await enqueue(
            session,
            to=to,
            subject="Bericht Runder Tisch Süd",
            text="Guten Tag,\nanbei der Bericht.",
            html="<p>Guten Tag,<br>anbei der <b>Bericht</b>.</p>",
            attachments=[("bericht.pdf", "application/pdf", PDF)],
            dedupe_key=key,
        )
        await session.commit()
        return message


async def stored(app: Litestar, key: str = "report:1") -> m.OutboxMessage:
    async with app.state["alchemy_config"].get_session() as session:
        message = await session.scalar(select(m.OutboxMessage).where(m.OutboxMessage.dedupe_key == key))
        assert message is not None
        return message


async def test_delivers_text_html_and_pdf_to_every_recipient(app: Litestar, smtp_server: SmtpServer) -> None:
    smtp_server.start()
    await put(app)
    report = await deliver_due(app.state["alchemy_config"].get_session, smtp_for(smtp_server))
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)

    [received] = smtp_server.inbox.messages
    assert sorted(received.rcpt_tos) == sorted(TO)
    assert received.mail_from == SENDER
    email = received.message
    assert email["Subject"] == "Bericht Runder Tisch Süd"
    assert email.get_content_type() == "multipart/mixed"
    alternative = email.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert "anbei der Bericht" in email.get_body(("plain",)).get_content()
    assert "<b>Bericht</b>" in email.get_body(("html",)).get_content()
    [pdf] = list(email.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "bericht.pdf"
    assert pdf.get_content().startswith(b"%PDF")

    message = await stored(app)
    assert message.state == m.OutboxState.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.message_id == email["Message-ID"]
    # Nothing left: a second run sends nothing.
    again = await deliver_due(app.state["alchemy_config"].get_session, smtp_for(smtp_server))
    assert again.sent == 0
    assert len(smtp_server.inbox.messages) == 1


async def test_enqueueing_the_same_key_twice_keeps_one_message(app: Litestar, smtp_server: SmtpServer) -> None:
    first = await put(app)
    second = await put(app)
    assert first.id == second.id
    async with app.state["alchemy_config"].get_session() as session:
        assert len(list(await session.scalars(select(m.OutboxMessage)))) == 1
    smtp_server.start()
    await deliver_due(app.state["alchemy_config"].get_session, smtp_for(smtp_server))
    await put(app)  # after delivery too
    await deliver_due(app.state["alchemy_config"].get_session, smtp_for(smtp_server))
    assert len(smtp_server.inbox.messages) == 1


async def test_server_down_keeps_the_message_and_delivers_it_once_when_back(
    app: Litestar, smtp_server: SmtpServer
) -> None:
    sessions = app.state["alchemy_config"].get_session
    await put(app)
    before = clock.now()
    report = await deliver_due(sessions, smtp_for(smtp_server))  # nothing listens on the port yet
    assert (report.sent, report.retrying) == (0, 1)
    message = await stored(app)
    assert message.state == m.OutboxState.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at >= before + backoff(1)
    assert message.last_error == "ConnectionRefusedError"
    status = await _status(app)
    assert status is not None
    assert (status.state, status.attempts, status.recipient_count) == (m.OutboxState.PENDING, 1, 3)

    # Not due yet: even with the server up, nothing is sent before next_attempt_at.
    smtp_server.start()
    assert (await deliver_due(sessions, smtp_for(smtp_server))).sent == 0
    assert smtp_server.inbox.messages == []

    later = message.next_attempt_at + timedelta(seconds=1)
    assert (await deliver_due(sessions, smtp_for(smtp_server), now=later)).sent == 1
    assert (await deliver_due(sessions, smtp_for(smtp_server), now=later)).sent == 0
    assert len(smtp_server.inbox.messages) == 1
    message = await stored(app)
    assert (message.state, message.attempts) == (m.OutboxState.SENT, 2)


async def test_backoff_grows_exponentially_up_to_a_limit() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert backoff(30) == timedelta(hours=6)


async def test_concurrent_deliveries_send_every_message_exactly_once(app: Litestar, smtp_server: SmtpServer) -> None:
    smtp_server.start()
    smtp_server.inbox.delay = 0.05
    keys = [f"report:{n}" for n in range(6)]
    for key in keys:
        await put(app, key, to=[f"{key.replace(':', '-')}@example.org"])
    sessions = app.state["alchemy_config"].get_session
    reports = []

    async def run() -> None:
        reports.append(await deliver_due(sessions, smtp_for(smtp_server)))

    async with anyio.create_task_group() as group:
        for _ in range(3):
            group.start_soon(run)

    assert sum(r.sent for r in reports) == len(keys)
    ids = [received.message["Message-ID"] for received in smtp_server.inbox.messages]
    assert len(ids) == len(keys) == len(set(ids))
    assert sorted(r.rcpt_tos[0] for r in smtp_server.inbox.messages) == sorted(
        f"{k.replace(':', '-')}@example.org" for k in keys
    )


async def test_a_rejected_message_fails_without_retry(app: Litestar, smtp_server: SmtpServer) -> None:
    smtp_server.start()
    smtp_server.inbox.reply = "554 5.6.0 Message refused"
    await put(app)
    report = await deliver_due(app.state["alchemy_config"].get_session, smtp_for(smtp_server))
    assert report.failed == 1
    message = await stored(app)
    assert (message.state, message.last_error) == (m.OutboxState.FAILED, "SMTPDataError 554")


async def test_an_interrupted_send_is_not_repeated_until_a_person_requeues_it(
    app: Litestar, smtp_server: SmtpServer
) -> None:
    smtp_server.start()
    message = await put(app)
    sessions = app.state["alchemy_config"].get_session
    # As if a process had claimed it and died during the SMTP transaction.
    async with sessions() as session:
        await session.execute(
            update(m.OutboxMessage)
            .where(m.OutboxMessage.id == message.id)
            .values(state=m.OutboxState.SENDING.value, attempts=1, claimed_at=clock.now())
        )
        await session.commit()
    assert (await deliver_due(sessions, smtp_for(smtp_server))).sent == 0  # still within STALE_SENDING

    later = clock.now() + STALE_SENDING + timedelta(seconds=1)
    report = await deliver_due(sessions, smtp_for(smtp_server), now=later)
    assert (report.interrupted, report.sent) == (1, 0)
    assert smtp_server.inbox.messages == []
    stale = await stored(app)
    assert (stale.state, stale.last_error) == (m.OutboxState.FAILED, INTERRUPTED)

    async with sessions() as session:
        await requeue(session, message.id)
        await session.commit()
    assert (await deliver_due(sessions, smtp_for(smtp_server))).sent == 1
    assert len(smtp_server.inbox.messages) == 1


async def _status(app: Litestar) -> object:
    async with app.state["alchemy_config"].get_session() as session:
        return await status_of(session, "report:1")
