from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.case_owned import CaseOwned
from konfliktmanagement.db.models.consent import Consent
from konfliktmanagement.db.models.party import Party


class ParticipationRole(StrEnum):
    ANLIEGEND = "anliegend"  # brought the concern / complainant
    BETROFFEN = "betroffen"
    INSTITUTION = "institution"
    UNTERSTUETZUNG = "unterstuetzung"


# Core parties are the conflict's sides; their consent is needed for joint mediation.
CORE_ROLES = frozenset({ParticipationRole.ANLIEGEND, ParticipationRole.BETROFFEN})


class ParticipationStatus(StrEnum):
    ERFASST = "erfasst"
    INFORMIERT = "informiert"
    ZUGESTIMMT = "zugestimmt"
    ABGELEHNT = "abgelehnt"
    ZURUECKGEZOGEN = "zurueckgezogen"


class Participation(CaseOwned):
    """A party's part in one case, under a per-case alias ("Partei A")."""

    __tablename__ = "participation"
    __table_args__ = (
        UniqueConstraint("case_id", "party_id", name="uq_participation_case_party"),
        UniqueConstraint("case_id", "alias", name="uq_participation_case_alias"),
    )

    party_id: Mapped[UUID] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=ParticipationStatus.ERFASST.value)

    party: Mapped[Party] = relationship(lazy="raise")
    consents: Mapped[list[Consent]] = relationship(cascade="all, delete-orphan", lazy="raise")

    @property
    def is_core(self) -> bool:
        return self.role in CORE_ROLES

    @property
    def is_active(self) -> bool:
        return self.status not in {ParticipationStatus.ABGELEHNT, ParticipationStatus.ZURUECKGEZOGEN}

    def has_consent(self, purpose: str) -> bool:
        return any(c.purpose == purpose and c.withdrawn_on is None for c in self.consents)
