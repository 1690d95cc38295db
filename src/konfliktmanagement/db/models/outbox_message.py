from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.outbox_attachment import OutboxAttachment


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(UUIDv7AuditBase):
    """An e-mail waiting in the durable outbox until an SMTP server has accepted it.

    The row is written in the same transaction as whatever caused it (e.g. freezing a report), so a
    message exists exactly when its cause was committed; `domain/outbox/delivery.py` delivers it.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "state", "next_attempt_at"),)

    # The caller's idempotency key, e.g. "round-table-report:<id>": enqueueing it again is a no-op.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    # RFC 5322 Message-ID in the sender's domain, set by the first delivery attempt and kept for all
    # later ones, so a receiving system sees one message however often it was offered.
    message_id: Mapped[str | None] = mapped_column(String(255), unique=True, nullable=True)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text, nullable=True)

    state: Mapped[str] = mapped_column(String(20), default=OutboxState.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    # When the current or last attempt claimed the row (state "sending").
    claimed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    # Exception class or SMTP code only: never addresses, subjects or server replies.
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="OutboxAttachment.position"
    )
