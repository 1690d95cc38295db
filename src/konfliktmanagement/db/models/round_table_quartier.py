from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import DefaultBase
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


class RoundTableQuartier(DefaultBase):
    """A quartier a round table covers: its reports count the cases there."""

    __tablename__ = "round_table_quartier"

    round_table_id: Mapped[UUID] = mapped_column(ForeignKey("round_table.id", ondelete="CASCADE"), primary_key=True)
    quartier_id: Mapped[UUID] = mapped_column(
        ForeignKey("quartier.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
