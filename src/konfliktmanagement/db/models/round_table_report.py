from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.versioned import Versioned


class ReportState(StrEnum):
    ENTWURF = "entwurf"  # coordinators may regenerate it from the publications
    GEPRUEFT = "geprueft"  # reviewed and frozen: nothing changes any more
    VERSENDET = "versendet"  # mailed to the members through the outbox, shown on their page


YEARLY = "meeting_id IS NULL"


class RoundTableReport(Versioned, UUIDv7AuditBase):
    """A round table's report for one period (DESIGN.md §6): a frozen snapshot, never recomputed.

    `snapshot` holds what the report shows, as it was when drafted: published (perturbed) statistics
    cells of the round table's quartiers and the texts of approved shareable notes — no case
    reference, no party, no author, no record key.
    """

    __tablename__ = "round_table_report"
    __table_args__ = (
        # One yearly report per round table and year (the reports before meetings existed) …
        Index(
            "uq_round_table_report_year",
            "round_table_id",
            "period",
            unique=True,
            postgresql_where=text(YEARLY),
            sqlite_where=text(YEARLY),
        ),
    )

    round_table_id: Mapped[UUID] = mapped_column(ForeignKey("round_table.id", ondelete="CASCADE"), index=True)
    # The year of the published statistics the report shows (for a yearly report also what it covers).
    period: Mapped[str] = mapped_column(String(10))
    # … and one report per meeting, covering the days since the previous meeting (both dates included).
    meeting_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("round_table_meeting.id", ondelete="RESTRICT"), nullable=True, unique=True
    )
    covers_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    covers_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default=ReportState.ENTWURF.value)
    # Approved note texts are written by people about a case: classified like the notes they copy.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    reviewed_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    sent_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
