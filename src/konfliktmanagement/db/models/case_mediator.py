from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from advanced_alchemy.base import DefaultBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.user import User


class CaseMediator(DefaultBase):
    """A mediator assigned to a case (usually two per case)."""

    __tablename__ = "case_mediator"
    # A mediator's cases from the index alone (their readable cases, Meine Fälle): migration 0016.
    __table_args__ = (Index("ix_case_mediator_user_id_case_id", "user_id", "case_id"),)

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=lambda: datetime.now(UTC))

    user: Mapped[User] = relationship(lazy="raise")
