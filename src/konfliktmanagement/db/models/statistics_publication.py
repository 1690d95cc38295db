from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.statistics_cell import PublishedCell


class StatisticsPublication(UUIDv7AuditBase):
    """One table of the statistics catalogue for one period, frozen when published (DESIGN.md §7).

    Publishing the same table and period twice is refused, here by the unique key as well.
    """

    __tablename__ = "statistics_publication"
    __table_args__ = (UniqueConstraint("table_code", "period"),)

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

    cells: Mapped[list[PublishedCell]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="PublishedCell.position"
    )
