from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class PublishedCell(UUIDv7AuditBase):
    """One published cell: its dimension codes and labels, and only what may be shown.

    `value` is the perturbed count n' (never the original count, never a cell or record key); it
    is NULL when the publication rules withhold the number ("<5" or suppressed).
    """

    __tablename__ = "statistics_cell"
    __table_args__ = (UniqueConstraint("publication_id", "position"),)

    publication_id: Mapped[UUID] = mapped_column(ForeignKey("statistics_publication.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    # {"quartier": "Q01", "konfliktgruppe": "_insgesamt"}: codes, "_insgesamt" for a margin.
    dimension_values: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    dimension_labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    value: Mapped[int | None] = mapped_column(Integer, nullable=True)
    display: Mapped[str] = mapped_column(String(10))
    # "veroeffentlicht", "kleiner_5" or "gesperrt" (parent below the threshold).
    state: Mapped[str] = mapped_column(String(20))
