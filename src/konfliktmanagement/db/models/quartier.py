from __future__ import annotations

from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import JSON, ForeignKey, Integer, String
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
    # The quartier's outline, a GeoJSON Polygon or MultiPolygon geometry in WGS 84 (lon, lat), as imported
    # (domain/quartiers/boundaries.py). Deferred: only the map reads it, and a city's outlines are large.
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, deferred=True)

    stadtbezirk: Mapped[Stadtbezirk] = relationship(lazy="raise")
