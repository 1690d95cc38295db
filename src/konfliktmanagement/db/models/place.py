from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.quartier import Quartier
from konfliktmanagement.db.versioned import Versioned


class Place(Versioned, UUIDv7AuditBase):
    """A named public place (square, park, playground, kiosk corner) whose cases form its history."""

    __tablename__ = "place"
    __table_args__ = (UniqueConstraint("quartier_id", "name"),)

    quartier_id: Mapped[UUID] = mapped_column(ForeignKey("quartier.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Optimistic locking for the admin pages; the server default gives imported rows version 1.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    quartier: Mapped[Quartier] = relationship(lazy="raise")
