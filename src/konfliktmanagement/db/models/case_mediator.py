from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import DefaultBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, Date, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.user import User

# The links of open cases, the only ones Meine Fälle reads. SQLite stores booleans as 0/1 and compares
# them so in the queries SQLAlchemy writes; the predicate must be that term for its planner to match it.
OPEN_LINK_PREDICATE: dict[str, Any] = {"postgresql_where": text("case_open"), "sqlite_where": text("case_open = 1")}


class CaseMediator(DefaultBase):
    """A mediator assigned to a case (usually two per case).

    `case_open`, `next_day` and `case_reference` copy what Meine Fälle orders and filters by from the
    case and its sessions, so that a mediator's page is a range of one index (migration 0023). They are
    kept in step with every flush by `domain/cases/next_days.py` and deferred with raiseload: nobody
    loads them with the links, and nobody reads a value the flush has not written yet.
    """

    __tablename__ = "case_mediator"
    __table_args__ = (
        # A mediator's cases from the index alone (their readable cases): migration 0016.
        Index("ix_case_mediator_user_id_case_id", "user_id", "case_id"),
        # Meine Fälle: a page in its order (next day, undated last, then reference), and both counts
        # from this index alone (migration 0023).
        Index(
            "ix_case_mediator_open_next_day", "user_id", "next_day", "case_reference", "case_id", **OPEN_LINK_PREDICATE
        ),
    )

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=lambda: datetime.now(UTC))
    # Whether the case is open (workflow.OPEN), its next date (the earliest of its planned sessions' Berlin
    # day, its Wiedervorlage and its follow-up) and its reference (the order's tie-break).
    case_open: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), deferred=True, deferred_raiseload=True
    )
    next_day: Mapped[date | None] = mapped_column(Date, nullable=True, deferred=True, deferred_raiseload=True)
    case_reference: Mapped[str | None] = mapped_column(
        String(20), nullable=True, deferred=True, deferred_raiseload=True
    )

    user: Mapped[User] = relationship(lazy="raise")
