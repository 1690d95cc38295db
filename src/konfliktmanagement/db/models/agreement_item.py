from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.versioned import Versioned


class ItemStatus(StrEnum):
    OFFEN = "offen"
    IN_UMSETZUNG = "in_umsetzung"
    UMGESETZT = "umgesetzt"
    NICHT_UMGESETZT = "nicht_umgesetzt"
    OBSOLET = "obsolet"


class AgreementItem(Versioned, UUIDv7AuditBase):
    """One point of an agreement: who does what by when."""

    __tablename__ = "agreement_item"

    agreement_id: Mapped[UUID] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    responsible: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.OFFEN.value)
