from __future__ import annotations

from advanced_alchemy.base import DefaultBase
from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column


class CaseReferenceCounter(DefaultBase):
    """Last issued sequence number per year for `KM-<year>-<nnnn>`; one row per year, updated atomically."""

    __tablename__ = "case_reference_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
