"""Delivering due outbox messages over SMTP, safely with several app instances and never twice.

Each message goes through three short transactions:

1. claim: the oldest due `pending` row is locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has a
   single writer, `BEGIN IMMEDIATE`), set to `sending` with `attempts + 1` and committed — only then
2. SMTP: the message is handed to the server (in a worker thread, shielded from cancellation);
3. outcome: `sent`, or back to `pending` with exponential backoff (transient error), or `failed`
   (the server rejected this very message with a 5xx, or attempts are used up).

Every state change is conditional on the state it expects, so a row cannot be claimed or finished twice.
A process that dies between 1 and 3 leaves the row `sending`; whether the server accepted the message
is then unknown. It is NOT offered again automatically: after `STALE_SENDING` it becomes `failed` with
`last_error = "Interrupted"`, visible to the coordinator, and a person requeues it
(`konfliktmanagement outbox retry ID`) after looking for its Message-ID in the mail server's log. Every
attempt carries the same Message-ID, so even a requeued duplicate is recognisable as one message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import partial
from typing import Any, cast
from uuid import UUID

import anyio
import structlog
from sqlalchemy import CursorResult, Executable, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.lib import clock, mail

logger = structlog.get_logger("konfliktmanagement.outbox")

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
MAX_ATTEMPTS = 12  # 1, 2, 4 … 256 minutes, then 6 hours: about a day and a half in all
STALE_SENDING = timedelta(minutes=15)  # far beyond one SMTP attempt (connect + data timeouts)
INTERRUPTED = "Interrupted"

OM = m.OutboxMessage
# Opens a new session (own connection and transaction), e.g. `alchemy_config.get_session`.
SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]
State = m.OutboxState


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    interrupted: int = 0
    ids: list[UUID] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: UUID
    attempts: int
    recipients: list[str]
    email: EmailMessage


def backoff(attempts: int) -> timedelta:
    """Delay after the `attempts`-th failed attempt: 1 min, 2 min, 4 min … at most `BACKOFF_MAX`."""
    delay: timedelta = BACKOFF_BASE * 2 ** max(attempts - 1, 0)
    return min(delay, BACKOFF_MAX)


async def deliver_due(
    session_factory: SessionFactory,
    smtp: mail.SmtpConfig,
    *,
    now: datetime | None = None,
    limit: int = 100,
) -> DeliveryReport:
    """Deliver up to `limit` messages due at `now`; `session_factory()` opens a new AsyncSession context."""
    now = now or clock.now()
    report = DeliveryReport()
    report.interrupted = await _fail_interrupted(session_factory, now)
    for _ in range(limit):
        claimed = await _claim_one(session_factory, smtp, now)
        if claimed is None:
            break
        report.ids.append(claimed.id)
        # Once claimed, finish the attempt and record its outcome even if our caller is cancelled
        # (app shutdown): a row left `sending` would need a person to release it.
        with anyio.CancelScope(shield=True):
            outcome = await _attempt(session_factory, smtp, claimed, now)
        if outcome == State.SENT:
            report.sent += 1
        elif outcome == State.PENDING:
            report.retrying += 1
        else:
            report.failed += 1
    return report


async def _execute_dml(session: AsyncSession, statement: Executable) -> CursorResult[Any]:
    # An UPDATE answers a CursorResult (with `rowcount`); `AsyncSession.execute` is typed more widely.
    return cast(CursorResult[Any], await session.execute(statement))


async def _fail_interrupted(session_factory: SessionFactory, now: datetime) -> int:
    async with session_factory() as session:
        result = await _execute_dml(
            session,
            update(OM)
            .where(OM.state == State.SENDING.value, OM.claimed_at < now - STALE_SENDING)
            .values(state=State.FAILED.value, last_error=INTERRUPTED, updated_at=clock.now()),
        )
        await session.commit()
    if result.rowcount:
        logger.warning("outbox_interrupted", count=result.rowcount)
    return result.rowcount or 0


async def _claim_one(session_factory: SessionFactory, smtp: mail.SmtpConfig, now: datetime) -> _Claimed | None:
    async with session_factory() as session:
        message_key = await session.scalar(
            select(OM.id)
            .where(OM.state == State.PENDING.value, OM.next_attempt_at <= now)
            .order_by(OM.next_attempt_at, OM.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if message_key is None:
            await session.rollback()
            return None
        claimed = await _execute_dml(
            session,
            update(OM)
            .where(OM.id == message_key, OM.state == State.PENDING.value)
            .values(state=State.SENDING.value, attempts=OM.attempts + 1, claimed_at=now, updated_at=clock.now()),
        )
        if claimed.rowcount != 1:  # someone else was faster; SKIP LOCKED makes this rare
            await session.rollback()
            return None
        message = await session.scalar(
            select(OM)
            .where(OM.id == message_key)
            .options(selectinload(OM.attachments))
            .execution_options(populate_existing=True)
        )
        assert message is not None
        if message.message_id is None:
            message.message_id = mail.new_message_id(smtp.sender)
        email = mail.build_message(
            sender=smtp.sender,
            recipients=list(message.recipients),
            subject=message.subject,
            text=message.body_text,
            html=message.body_html,
            attachments=[mail.Attachment(a.filename, a.mime_type, a.content) for a in message.attachments],
            message_id=message.message_id,
        )
        result = _Claimed(id=message.id, attempts=message.attempts, recipients=list(message.recipients), email=email)
        await session.commit()
    return result


async def _attempt(session_factory: SessionFactory, smtp: mail.SmtpConfig, claimed: _Claimed, now: datetime) -> State:
    try:
        refused = await anyio.to_thread.run_sync(partial(mail.send, smtp, claimed.email, claimed.recipients))
    except Exception as exc:  # every failure is recorded, none may escape unrecorded
        error = mail.describe_error(exc)
        values: dict[str, object]
        if error.permanent or claimed.attempts >= MAX_ATTEMPTS:
            values = {"state": State.FAILED.value, "last_error": error.code}
            outcome = State.FAILED
        else:
            values = {
                "state": State.PENDING.value,
                "last_error": error.code,
                "next_attempt_at": now + backoff(claimed.attempts),
            }
            outcome = State.PENDING
        await _finish(session_factory, claimed.id, values)
        logger.warning("outbox_attempt_failed", outbox_id=str(claimed.id), attempt=claimed.attempts, error=error.code)
        return outcome
    # Accepted for the others: the refused ones are noted by SMTP code only (they are not retried,
    # because that would mail the others again).
    note = f"Refused for {len(refused)}: {min(code for code, _ in refused.values())}" if refused else None
    await _finish(session_factory, claimed.id, {"state": State.SENT.value, "sent_at": now, "last_error": note})
    logger.info("outbox_sent", outbox_id=str(claimed.id), attempt=claimed.attempts, refused=len(refused))
    return State.SENT


async def _finish(session_factory: SessionFactory, message_key: UUID, values: Mapping[str, object]) -> None:
    async with session_factory() as session:
        await session.execute(
            update(OM)
            .where(OM.id == message_key, OM.state == State.SENDING.value)
            .values(**values, updated_at=clock.now())
        )
        await session.commit()
