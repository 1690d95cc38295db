from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import CheckConstraint, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column


class EscalationRecord(UUIDv7Base):
    """The escalation level (Glasl 1–9) as assessed at a point in time."""

    __tablename__ = "escalation_record"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 9", name="level"),)

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=lambda: datetime.now(UTC))
    recorded_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
