from __future__ import annotations

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


class Stadtbezirk(UUIDv7AuditBase):
    """A city district; quartiers nest in it (the statistics' middle level)."""

    __tablename__ = "stadtbezirk"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
