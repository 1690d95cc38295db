from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import DefaultBase
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


class SessionAttendance(DefaultBase):
    """A participation (party in this case) that attended a mediation session."""

    __tablename__ = "session_attendance"

    session_id: Mapped[UUID] = mapped_column(ForeignKey("mediation_session.id", ondelete="CASCADE"), primary_key=True)
    participation_id: Mapped[UUID] = mapped_column(
        ForeignKey("participation.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SessionMediator(DefaultBase):
    """A mediator who led or attended a mediation session."""

    __tablename__ = "session_mediator"

    session_id: Mapped[UUID] = mapped_column(ForeignKey("mediation_session.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), primary_key=True)
