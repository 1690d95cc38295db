from __future__ import annotations

from advanced_alchemy.base import DefaultBase
from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column


class ReferenceDataVersion(DefaultBase):
    """One row: a counter bumped by every change of the data the choosers offer (quartiers, places,
    conflict types, users). Each request reads it with its first statement, so every app instance
    knows at once when its cached copy is stale (domain/reference_data.py)."""

    __tablename__ = "reference_data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
