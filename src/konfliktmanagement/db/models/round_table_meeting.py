from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.versioned import Versioned


class MinutesState(StrEnum):
    ENTWURF = "entwurf"  # coordinators still write the minutes
    FREIGEGEBEN = "freigegeben"  # approved by a coordinator: frozen, shown to the members


class RoundTableMeeting(Versioned, UUIDv7AuditBase):
    """One meeting of a round table: when and where, its agenda, who attended, its minutes, the next date.

    Attendance is recorded by organisation (Polizei, Kirchengemeinde …), never by person. Approved
    minutes are frozen. A report is prepared for a meeting and covers the time since the previous one.
    """

    __tablename__ = "round_table_meeting"
    __table_args__ = (Index("ix_round_table_meeting_round_table_id_starts_at", "round_table_id", "starts_at"),)

    round_table_id: Mapped[UUID] = mapped_column(ForeignKey("round_table.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    place: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[list[str]] = mapped_column(JSON, default=list)
    organisations: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_state: Mapped[str] = mapped_column(String(20), default=MinutesState.ENTWURF.value)
    minutes_approved_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    minutes_approved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    next_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
