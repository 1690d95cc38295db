from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.case_owned import CaseOwned
from konfliktmanagement.db.models.agreement_item import AgreementItem


class FollowUpResult(StrEnum):
    TRAEGT = "traegt"
    TEILWEISE = "teilweise"
    NICHT = "nicht"


class Agreement(CaseOwned):
    """What the parties agreed (Vereinbarung); its items say who does what by when."""

    __tablename__ = "agreement"

    title: Mapped[str] = mapped_column(String(200))
    concluded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    follow_up_result: Mapped[str | None] = mapped_column(String(20), nullable=True)
    follow_up_recorded_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    items: Mapped[list[AgreementItem]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="AgreementItem.position"
    )
