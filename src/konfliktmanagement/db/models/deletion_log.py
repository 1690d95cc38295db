from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class DeletionLog(UUIDv7Base):
    """What was erased, without what it was: data class, case reference, how many records, which policy
    version, when. Written by the retention job and by party erasure (Art. 17); shown to admins."""

    __tablename__ = "deletion_log"
    __table_args__ = (Index("ix_deletion_log_performed_at", "performed_at"),)

    run_id: Mapped[UUID] = mapped_column(GUID(length=16))
    performed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    as_of: Mapped[date] = mapped_column(Date)
    trigger: Mapped[str] = mapped_column(String(20))  # "retention" | "erasure"
    data_class: Mapped[str] = mapped_column(String(30))
    case_reference: Mapped[str | None] = mapped_column(String(20), nullable=True)
    records: Mapped[int] = mapped_column(Integer)
    policy_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
