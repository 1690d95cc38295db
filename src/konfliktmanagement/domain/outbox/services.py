"""Putting e-mails into the outbox and reading their state; delivery is in `delivery.py`.

A caller (e.g. the round-table report) enqueues in its own transaction, so the message exists exactly
when the caller's change is committed. Like every service here this flushes and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.outbox.delivery import DeliveryReport, deliver_due
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import Conflict, NotFound
from konfliktmanagement.lib.i18n import N_
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.mail import Attachment

__all__ = (
    "Attachment",
    "DeliveryReport",
    "OutboxStatus",
    "deliver_due",
    "enqueue",
    "reason_class",
    "requeue",
    "status_of",
)

AttachmentInput = Attachment | tuple[str, str, bytes]


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    """What a coordinator may see about a message: no addresses, no content."""

    id: UUID
    state: m.OutboxState
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    sent_at: datetime | None
    recipient_count: int
    reason: str | None = None  # why the last attempt failed, in words (`reason_class`)
    last_attempt_at: datetime | None = None


# What a failed attempt's `last_error` (exception class and SMTP code, see `lib/mail.describe_error`)
# means for the person who sent the message, by its first word.
REASONS = {
    "SMTPRecipientsRefused": N_("Empfänger abgelehnt"),
    "SMTPSenderRefused": N_("Absender abgelehnt"),
    "SMTPDataError": N_("Nachricht vom Mailserver abgelehnt"),
    "SMTPAuthenticationError": N_("Anmeldung am Mailserver fehlgeschlagen"),
    "Interrupted": N_("Versand unterbrochen – unklar, ob die Nachricht ankam"),
    "Refused": N_("Empfänger abgelehnt"),
}
UNREACHABLE = N_("Server nicht erreichbar")
_NETWORK = ("Connection", "Timeout", "SMTPServerDisconnected", "SMTPConnectError", "gaierror", "OSError", "socket")


def reason_class(last_error: str | None) -> str | None:
    """The reason class of a failed attempt, in German words; never the server's reply or an address."""
    if not last_error:
        return None
    word = last_error.split(" ", 1)[0]
    if word in REASONS:
        return _(REASONS[word])
    if any(part in word for part in _NETWORK):
        return _(UNREACHABLE)
    return _("Fehler beim Versand")


async def enqueue(
    session: AsyncSession,
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[AttachmentInput] = (),
    dedupe_key: str,
) -> m.OutboxMessage:
    """Add a message for `to` (one SMTP transaction to all of them) unless `dedupe_key` is already queued.

    Returns the new message, or the existing one for the same `dedupe_key` (unchanged, whatever its
    state): enqueueing the same report twice mails it once. For per-recipient state and addresses
    hidden from each other, enqueue one message per recipient with keys like "report:<id>:<user id>".
    """
    recipients = [address.strip() for address in to if address and address.strip()]
    if not recipients:
        msg = "an outbox message needs at least one recipient"
        raise ValueError(msg)
    existing = await _by_dedupe_key(session, dedupe_key)
    if existing is not None:
        return existing
    message = m.OutboxMessage(
        dedupe_key=dedupe_key,
        recipients=recipients,
        subject=subject,
        body_text=text,
        body_html=html,
        state=m.OutboxState.PENDING.value,
        attempts=0,
        next_attempt_at=clock.now(),
        attachments=[
            m.OutboxAttachment(position=position, filename=a.filename, mime_type=a.mime_type, content=a.content)
            for position, a in enumerate(_attachment(item) for item in attachments)
        ],
    )
    try:
        # A concurrent enqueue of the same key loses on the unique constraint, inside a savepoint so
        # the caller's transaction survives.
        async with session.begin_nested():
            session.add(message)
            await session.flush()
    except IntegrityError:
        existing = await _by_dedupe_key(session, dedupe_key)
        if existing is None:
            raise
        return existing
    return message


async def status_of(session: AsyncSession, dedupe_key: str) -> OutboxStatus | None:
    message = await _by_dedupe_key(session, dedupe_key)
    if message is None:
        return None
    return OutboxStatus(
        id=message.id,
        state=m.OutboxState(message.state),
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at if message.state == m.OutboxState.PENDING else None,
        last_error=message.last_error,
        sent_at=message.sent_at,
        recipient_count=len(message.recipients),
        reason=reason_class(message.last_error),
        last_attempt_at=message.updated_at if message.attempts else None,
    )


async def requeue(session: AsyncSession, message_id: UUID) -> None:
    """Give a failed message a fresh start, e.g. after checking the mail server's log for its Message-ID.

    Only `failed` messages: a message interrupted while `sending` is failed first (see delivery.py), so a
    person decides whether it may have reached its recipients before it is offered again.
    """
    state = await session.scalar(select(m.OutboxMessage.state).where(m.OutboxMessage.id == message_id))
    if state is None:
        raise NotFound
    if state != m.OutboxState.FAILED:
        raise Conflict(detail="Nur fehlgeschlagene Nachrichten können erneut versendet werden.")
    now = clock.now()
    await session.execute(
        update(m.OutboxMessage)
        .where(m.OutboxMessage.id == message_id, m.OutboxMessage.state == m.OutboxState.FAILED.value)
        .values(state=m.OutboxState.PENDING.value, attempts=0, next_attempt_at=now, updated_at=now)
    )


async def _by_dedupe_key(session: AsyncSession, dedupe_key: str) -> m.OutboxMessage | None:
    message: m.OutboxMessage | None = await session.scalar(
        select(m.OutboxMessage)
        .where(m.OutboxMessage.dedupe_key == dedupe_key)
        .options(selectinload(m.OutboxMessage.attachments))
        .execution_options(populate_existing=True)
    )
    return message


def _attachment(item: AttachmentInput) -> Attachment:
    if isinstance(item, Attachment):
        return item
    filename, mime_type, content = item
    return Attachment(filename=filename, mime_type=mime_type, content=content)
