from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.stadtbezirk import Stadtbezirk
from konfliktmanagement.db.versioned import Versioned


class Quartier(Versioned, UUIDv7AuditBase):
    __tablename__ = "quartier"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    stadtbezirk_id: Mapped[UUID] = mapped_column(ForeignKey("stadtbezirk.id", ondelete="RESTRICT"), index=True)
    # Optimistic locking for the admin pages; the server default gives imported rows version 1.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    stadtbezirk: Mapped[Stadtbezirk] = relationship(lazy="raise")
