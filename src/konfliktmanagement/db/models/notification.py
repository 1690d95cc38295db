from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import DefaultBase, UUIDv7AuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class NotificationKind(StrEnum):
    ASSIGNED = "assigned"  # a point event: written when a coordinator assigns the mediator
    WIEDERVORLAGE = "wiedervorlage"  # the rest are written by the notification job when due
    FOLLOW_UP = "follow_up"
    ITEM_DUE = "item_due"
    SESSION_TOMORROW = "session_tomorrow"
    REPORT_REVIEW = "report_review"
    DELIVERY_FAILED = "delivery_failed"


class Notification(UUIDv7AuditBase):
    """Something that concerns one person (domain/notifications/). Who may see it is decided when it is
    read, from the reader's current access to its case (`domain/notifications/access.py`), so it carries
    only keys, a kind, a date and a link — never a title, a name or a text."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        # The header's unread count on every page, and the list.
        Index("ix_notification_user_id_read_at", "user_id", "read_at"),
    )

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    # What makes it unique for its person, e.g. "wiedervorlage:<case id>:<date>": writing it twice is a no-op.
    key: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # The session, agreement item, report or outbox message it is about (no foreign key: a reference only).
    subject_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    link: Mapped[str] = mapped_column(String(200))
    read_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    # The day of the digest that covered it (or passed it over: read, opted out); NULL until then.
    digested_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class NotificationOptOut(DefaultBase):
    """A kind of notification a person does not want in their daily e-mail (the in-app list keeps it)."""

    __tablename__ = "notification_opt_out"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)


class CalendarFeed(UUIDv7AuditBase):
    """A personal iCalendar feed: its secret URL is shown once, only its SHA-256 is stored; revocable."""

    __tablename__ = "calendar_feed"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
