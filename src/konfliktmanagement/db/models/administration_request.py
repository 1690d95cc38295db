from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.case_owned import CaseOwned


class AdministrationRequestStatus(StrEnum):
    OFFEN = "offen"
    EINGEREICHT = "eingereicht"
    BEANTWORTET = "beantwortet"
    UMGESETZT = "umgesetzt"
    ABGELEHNT = "abgelehnt"


class AdministrationRequest(CaseOwned):
    """A wish that needs a decision of a city department (litter bin, lighting, opening hours)."""

    __tablename__ = "administration_request"

    department: Mapped[str] = mapped_column(String(160))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=AdministrationRequestStatus.OFFEN.value)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    submitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
