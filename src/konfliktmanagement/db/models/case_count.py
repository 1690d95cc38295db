from __future__ import annotations

from datetime import date
from uuid import UUID

from advanced_alchemy.base import DefaultBase
from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

NO_QUARTIER = UUID(int=0)
"""`quartier_key` of the cases without a quartier: a key column cannot be NULL."""
NO_OUTCOME = ""
"""`outcome` of the closed cases without an outcome (refused, referred, ended early): a key column cannot be NULL."""


class CaseCount(DefaultBase):
    """How many cases are in each (quartier, status): the dashboard's matrix and intake count without
    reading every case. Kept in step by every ORM flush that creates, deletes or moves a case
    (`domain/cases/counts.py`), in the same transaction; no foreign key, so a quartier's row never
    blocks its deletion (a quartier with cases cannot be deleted anyway)."""

    __tablename__ = "case_count"

    quartier_key: Mapped[UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class MediatorLoad(DefaultBase):
    """How many active cases each mediator is assigned to: the workload beside every mediator chooser,
    kept in step with assignments and status changes like `CaseCount` (`domain/cases/counts.py`)."""

    __tablename__ = "mediator_load"

    user_id: Mapped[UUID] = mapped_column(primary_key=True)
    active_cases: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class CaseClosedDay(DefaultBase):
    """How many cases were closed on each Berlin day, per (quartier, status, outcome): the dashboard's
    recently closed groups without counting the city's closed cases of the last 30 days on every
    request. Only cases that are still closed (`workflow.CLOSED`, with their `closed_at`) count: a
    case reopened or archived leaves its day again. Kept in step like `CaseCount` (`domain/cases/counts.py`)."""

    __tablename__ = "case_closed_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    quartier_key: Mapped[UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(30), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
