from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.quartier import Quartier
from konfliktmanagement.db.models.round_table_member import RoundTableMember
from konfliktmanagement.db.models.round_table_quartier import RoundTableQuartier
from konfliktmanagement.db.versioned import Versioned


class RoundTable(Versioned, UUIDv7AuditBase):
    """A round table (e.g. Runder Tisch St. Josef): the quartiers it covers and its members (DESIGN.md §2, §6).

    Members are users with the round-table role; they receive the anonymised reports about its
    quartiers and never any case data.
    """

    __tablename__ = "round_table"

    name: Mapped[str] = mapped_column(String(160), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Optimistic locking for the coordinators' edit page.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )

    quartiers: Mapped[list[Quartier]] = relationship(
        secondary=RoundTableQuartier.__table__, lazy="raise", order_by=Quartier.name
    )
    members: Mapped[list[RoundTableMember]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by=RoundTableMember.organisation
    )
