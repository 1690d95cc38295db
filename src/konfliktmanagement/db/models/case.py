from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.case_mediator import CaseMediator
from konfliktmanagement.db.models.conflict_type import ConflictType
from konfliktmanagement.db.models.place import Place
from konfliktmanagement.db.models.quartier import Quartier
from konfliktmanagement.db.versioned import Versioned


class CaseStatus(StrEnum):
    EINGEGANGEN = "eingegangen"
    IN_KLAERUNG = "in_klaerung"
    VORGESPRAECHE = "vorgespraeche"
    IN_MEDIATION = "in_mediation"
    VEREINBARUNG = "vereinbarung"
    NACHBETREUUNG = "nachbetreuung"
    RUHEND = "ruhend"
    ABGESCHLOSSEN = "abgeschlossen"
    EINGESTELLT = "eingestellt"
    WEITERGELEITET = "weitergeleitet"
    NICHT_ANGENOMMEN = "nicht_angenommen"
    ARCHIVIERT = "archiviert"


class MediationPhase(StrEnum):
    AUFTRAGSKLAERUNG = "auftragsklaerung"
    THEMENSAMMLUNG = "themensammlung"
    INTERESSENKLAERUNG = "interessenklaerung"
    OPTIONEN = "optionen"
    VEREINBARUNG = "vereinbarung"


class Outcome(StrEnum):
    EINIGUNG_VOLLSTAENDIG = "einigung_vollstaendig"
    EINIGUNG_TEILWEISE = "einigung_teilweise"
    KEINE_EINIGUNG = "keine_einigung"
    ANDERWEITIG_GELOEST = "anderweitig_geloest"


class ReferralSource(StrEnum):
    BUERGER = "buerger"
    ORDNUNGSAMT = "ordnungsamt"
    POLIZEI = "polizei"
    QUARTIERSBUERO = "quartiersbuero"
    RUNDER_TISCH = "runder_tisch"
    WOHNUNGSGESELLSCHAFT = "wohnungsgesellschaft"
    JUGENDARBEIT = "jugendarbeit"
    SONSTIGE = "sonstige"


class Urgency(StrEnum):
    NIEDRIG = "niedrig"
    NORMAL = "normal"
    HOCH = "hoch"


def new_record_key() -> int:
    """The secret cell key of DESIGN.md §7: random, set once, never exposed."""
    return secrets.randbits(32)


INTAKE_PREDICATE = "status = 'eingegangen'"
ON_HOLD_PREDICATE = "status = 'ruhend'"
ACTIVE_PREDICATE = (
    "status IN ('eingegangen', 'in_klaerung', 'vorgespraeche', 'in_mediation', 'vereinbarung', 'nachbetreuung')"
)
CLOSED_PREDICATE = "status IN ('abgeschlossen', 'eingestellt', 'weitergeleitet', 'nicht_angenommen')"
OPEN_PREDICATE = (
    "status IN ('eingegangen', 'in_klaerung', 'vorgespraeche', 'in_mediation', 'vereinbarung', 'nachbetreuung', "
    "'ruhend')"
)


def _where(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": text(predicate), "sqlite_where": text(predicate)}


class Case(Versioned, UUIDv7AuditBase):
    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("year", "sequence"),
        CheckConstraint("escalation_level IS NULL OR escalation_level BETWEEN 1 AND 9", name="escalation_level"),
        CheckConstraint("record_key BETWEEN 0 AND 4294967295", name="record_key"),
        # The case lists' sort order; lets a page be read without sorting all readable cases.
        Index("ix_case_file_created_at_id", "created_at", "id"),
        # The coordination dashboard: counts per quartier × status, and the recently closed cases.
        Index("ix_case_file_quartier_id_status", "quartier_id", "status"),
        Index("ix_case_file_closed_at", "closed_at"),
        # Partial indexes for the dashboard's queues (migration 0012): each holds only the rows of a
        # fixed status set, so counts and first pages cost the queue's size, not the city's. The
        # predicates repeat the sets of `domain/cases/workflow.py` (tests/unit/test_partial_indexes.py
        # keeps them equal); queries must name the statuses as literals for the planner to match them.
        Index("ix_case_file_intake", "created_at", "id", **_where(INTAKE_PREDICATE)),
        Index("ix_case_file_on_hold", "resubmission_date", "id", **_where(ON_HOLD_PREDICATE)),
        # Overdue Wiedervorlagen and follow-ups of every case still being worked on (migration 0020).
        Index("ix_case_file_open_resubmission", "resubmission_date", "id", **_where(OPEN_PREDICATE)),
        Index("ix_case_file_open_follow_up", "follow_up_date", "id", **_where(OPEN_PREDICATE)),
        Index("ix_case_file_active", "id", **_where(ACTIVE_PREDICATE)),
        # The dashboard's newest closed cases of each (status, outcome): a range per group (migration 0016).
        Index("ix_case_file_closed_groups", "status", "outcome", "closed_at", "id", **_where(CLOSED_PREDICATE)),
    )

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    conflict_type_id: Mapped[UUID | None] = mapped_column(ForeignKey("conflict_type.id"), nullable=True, index=True)
    # `active_history`: the value before a change is loaded, so `case_count` can move the case from its
    # old (quartier, status) cell to the new one (domain/cases/counts.py).
    quartier_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("quartier.id"), nullable=True, index=True, active_history=True
    )
    place_id: Mapped[UUID | None] = mapped_column(ForeignKey("place.id"), nullable=True, index=True)
    referral_source: Mapped[str] = mapped_column(String(30), default=ReferralSource.SONSTIGE.value)
    urgency: Mapped[str] = mapped_column(String(10), default=Urgency.NORMAL.value)
    escalation_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(
        String(20), default=CaseStatus.EINGEGANGEN.value, index=True, active_history=True
    )
    phase: Mapped[str | None] = mapped_column(String(30), nullable=True)
    # `active_history` (also on `closed_at`): `case_closed_day` moves a closed case from its old
    # (day, quartier, status, outcome) to the new one (domain/cases/counts.py).
    outcome: Mapped[str | None] = mapped_column(String(30), nullable=True, active_history=True)
    closure_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    referral_recipient: Mapped[str | None] = mapped_column(String(200), nullable=True)
    no_follow_up_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    resume_to: Mapped[str | None] = mapped_column(String(20), nullable=True)
    resubmission_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    follow_up_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True, active_history=True)
    record_key: Mapped[int] = mapped_column(BigInteger, default=new_record_key)
    retention_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who recorded the case, when it was a mediator (they are on it from the start): the intake marks
    # such cases until the coordination has completed the pair. NULL for cases the coordination recorded.
    recorded_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )

    conflict_type: Mapped[ConflictType | None] = relationship(lazy="raise")
    quartier: Mapped[Quartier | None] = relationship(lazy="raise")
    place: Mapped[Place | None] = relationship(lazy="raise")
    mediator_links: Mapped[list[CaseMediator]] = relationship(cascade="all, delete-orphan", lazy="raise")

    @property
    def mediator_ids(self) -> frozenset[UUID]:
        return frozenset(link.user_id for link in self.mediator_links)


def status_in(statuses: Iterable[str]) -> ColumnElement[bool]:
    """`status IN (…)` with the values written into the SQL: only then can the planner use the partial
    indexes above (a prepared statement's generic plan does not know bound values)."""
    values = sorted(str(s) for s in statuses)
    return Case.status.in_(bindparam(None, values, expanding=True, literal_execute=True))
