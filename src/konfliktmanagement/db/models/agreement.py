from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.agreement_item import AgreementItem
from konfliktmanagement.db.versioned import Versioned


class FollowUpResult(StrEnum):
    TRAEGT = "traegt"
    TEILWEISE = "teilweise"
    NICHT = "nicht"


class Agreement(Versioned, UUIDv7AuditBase):
    """What the parties agreed (Vereinbarung); its items say who does what by when."""

    __tablename__ = "agreement"

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    concluded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    follow_up_result: Mapped[str | None] = mapped_column(String(20), nullable=True)
    follow_up_recorded_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    items: Mapped[list[AgreementItem]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="AgreementItem.position"
    )
