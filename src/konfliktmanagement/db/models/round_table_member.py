from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from advanced_alchemy.base import DefaultBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.user import User


class RoundTableMember(DefaultBase):
    """A user with the round-table role at one round table, and the organisation they speak for."""

    __tablename__ = "round_table_member"

    round_table_id: Mapped[UUID] = mapped_column(ForeignKey("round_table.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # e.g. Polizei, Kirchengemeinde, Anwohnerverein, Ordnungsamt, Jugendarbeit
    organisation: Mapped[str] = mapped_column(String(160))
    added_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=lambda: datetime.now(UTC))

    user: Mapped[User] = relationship(lazy="raise")
