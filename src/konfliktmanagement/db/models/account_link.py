from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.user import User


class LinkPurpose(StrEnum):
    INVITATION = "invitation"  # a new account's first password
    RESET = "reset"  # "Passwort vergessen"


class AccountLink(UUIDv7AuditBase):
    """A one-time link that sets an account's password (invitation or reset), sent by e-mail.

    Only the link token's SHA-256 is stored. A link works once (`used_at`), until `expires_at`, and
    not after it was revoked (a newer link of the same purpose, or the admin's revocation).
    """

    __tablename__ = "account_link"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)

    user: Mapped[User] = relationship(lazy="raise")
