from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class ConsentPurpose(StrEnum):
    MEDIATION = "mediation"
    DOCUMENTATION = "documentation"  # of the agreement
    CONTACT = "contact"


class Consent(UUIDv7AuditBase):
    """A party's consent for one purpose in one case, with the date given and, if so, withdrawn."""

    __tablename__ = "consent"
    __table_args__ = (
        UniqueConstraint("participation_id", "purpose"),
        CheckConstraint("withdrawn_on IS NULL OR withdrawn_on >= given_on", name="withdrawn_after_given"),
    )

    participation_id: Mapped[UUID] = mapped_column(ForeignKey("participation.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)
