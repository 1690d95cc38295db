from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.case_owned import CaseOwned


class NoteTier(StrEnum):
    MEDIATOR_PRIVATE = "mediator_private"  # only the case's mediators (§ 4 MediationsG)
    CASE_TEAM = "case_team"  # mediators and coordinators
    SHAREABLE = "shareable"  # may appear in a round-table report once a coordinator approves it


class Note(CaseOwned):
    __tablename__ = "note"

    author_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    tier: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    approved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    approved_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
