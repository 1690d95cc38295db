from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.statistics_cell import PublishedCell


class StatisticsPublication(UUIDv7AuditBase):
    """One table of the statistics catalogue for one period, frozen when published (DESIGN.md §7).

    Publishing the same table and period twice is refused, here by the unique index as well. A
    withdrawn publication stays for the audit (who, when, why) and is shown nowhere; the period
    can then be published again, so only publications that are not withdrawn are unique.
    """

    __tablename__ = "statistics_publication"
    __table_args__ = (
        Index(
            "uq_statistics_publication_live",
            "table_code",
            "period",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
    )

    table_code: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(10), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # The table's dimensions in order, each with its German heading: [{"code": …, "label": …}].
    dimensions: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text)
    sensitive: Mapped[bool] = mapped_column(default=False)
    ptable_sha256: Mapped[str] = mapped_column(String(64))
    snapshot_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    created_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    # The current year's tables before the year is over: published with an explicit confirmation.
    provisional: Mapped[bool] = mapped_column(default=False)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    withdrawn_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    withdrawal_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    cells: Mapped[list[PublishedCell]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="PublishedCell.position"
    )
