from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.stadtbezirk import Stadtbezirk


class Quartier(UUIDv7AuditBase):
    __tablename__ = "quartier"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    stadtbezirk_id: Mapped[UUID] = mapped_column(ForeignKey("stadtbezirk.id", ondelete="RESTRICT"), index=True)

    stadtbezirk: Mapped[Stadtbezirk] = relationship(lazy="raise")
