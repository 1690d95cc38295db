from __future__ import annotations

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.versioned import Versioned


class Stadtbezirk(Versioned, UUIDv7AuditBase):
    """A city district; quartiers nest in it (the statistics' middle level)."""

    __tablename__ = "stadtbezirk"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Optimistic locking for the admin pages; the server default gives imported rows version 1.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
