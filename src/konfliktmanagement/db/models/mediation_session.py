from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.case_owned import CaseOwned
from konfliktmanagement.db.models.session_attendance import SessionAttendance, SessionMediator


class SessionKind(StrEnum):
    VORGESPRAECH = "vorgespraech"
    GEMEINSAME_SITZUNG = "gemeinsame_sitzung"
    RUNDER_TISCH = "runder_tisch"
    ORTSBEGEHUNG = "ortsbegehung"
    NACHTREFFEN = "nachtreffen"


class SessionStatus(StrEnum):
    GEPLANT = "geplant"
    DURCHGEFUEHRT = "durchgefuehrt"
    ABGESAGT = "abgesagt"
    VERSCHOBEN = "verschoben"


class MediationSession(CaseOwned):
    """A meeting in a case (never called `Session`: that word belongs to the database and sign-in)."""

    __tablename__ = "mediation_session"

    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.GEPLANT.value)
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True, index=True)
    held_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    place_id: Mapped[UUID | None] = mapped_column(ForeignKey("place.id"), nullable=True)
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phases: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes: Mapped[str | None] = mapped_column(Text, nullable=True)

    attendances: Mapped[list[SessionAttendance]] = relationship(cascade="all, delete-orphan", lazy="raise")
    mediator_links: Mapped[list[SessionMediator]] = relationship(cascade="all, delete-orphan", lazy="raise")
