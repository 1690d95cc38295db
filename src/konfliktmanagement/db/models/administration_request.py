from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.versioned import Versioned


class AdministrationRequestStatus(StrEnum):
    OFFEN = "offen"
    EINGEREICHT = "eingereicht"
    BEANTWORTET = "beantwortet"
    UMGESETZT = "umgesetzt"
    ABGELEHNT = "abgelehnt"


class AdministrationRequest(Versioned, UUIDv7AuditBase):
    """A wish that needs a decision of a city department (litter bin, lighting, opening hours)."""

    __tablename__ = "administration_request"

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(160))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=AdministrationRequestStatus.OFFEN.value)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    submitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
