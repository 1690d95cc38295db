"""What the party and participation pages show, composed from the services (no rules of their own).

Templates never get a `Party` row: they get `PartyDetail`, whose name and contact fields are
already `None` for users who may not see them, so a template mistake cannot leak them.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.parties import schemas
from konfliktmanagement.domain.parties.participations import ParticipationService
from konfliktmanagement.domain.parties.services import PartyService
from konfliktmanagement.domain.privacy.access import may_request_erasure
from konfliktmanagement.lib.clock import today

PARTY_FIELDS = ("kind", "name", "phone", "email", "address", "language", "group_size_estimate")


@dataclass(frozen=True, slots=True)
class ParticipationPage:
    participation: m.Participation
    case: m.Case
    # Closed and archived cases refuse changes (CaseAccess.ensure_writable); the page then only shows.
    editable: bool

    @property
    def consents(self) -> dict[str, m.Consent]:
        return {consent.purpose: consent for consent in self.participation.consents}

    @property
    def values(self) -> dict[str, str]:
        """The stored role, status and consent dates as the forms show them."""
        participation = self.participation
        values = {"version": str(participation.version), "role": participation.role, "status": participation.status}
        for purpose in m.ConsentPurpose:
            # Not yet given: today's date waits in the field (the box next to it decides whether it is recorded).
            values[f"{purpose.value}.given_on"] = today().isoformat()
        for purpose_value, consent in self.consents.items():
            values[f"{purpose_value}.given_on"] = consent.given_on.isoformat()
            values[f"{purpose_value}.withdrawn_on"] = consent.withdrawn_on.isoformat() if consent.withdrawn_on else ""
        return values


@dataclass(frozen=True, slots=True)
class PartyPage:
    detail: schemas.PartyDetail
    erased: bool
    may_erase: bool  # offers "Löschen (Art. 17)" (domain/privacy)

    @property
    def editable(self) -> bool:
        return self.detail.contact_visible and not self.erased

    @property
    def values(self) -> dict[str, str]:
        """The stored party as the edit form shows it; empty for users who may not see contact data."""
        if not self.editable:
            return {}
        values = {name: getattr(self.detail, name) for name in PARTY_FIELDS}
        return {"version": str(self.detail.version)} | {
            name: "" if value is None else str(value) for name, value in values.items()
        }


class PartyPageQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.participations = ParticipationService(session=db_session)
        self.parties = PartyService(session=db_session)

    async def participation(self, user: Principal, participation_id: UUID) -> ParticipationPage:
        access, participation = await self.participations.find(user, participation_id, attempted="read")
        return ParticipationPage(participation, access.case, editable=not access.is_closed)

    async def party(self, user: Principal, party_id: UUID) -> PartyPage:
        view = await self.parties.detail(user, party_id)
        return PartyPage(
            detail=view.as_detail(), erased=view.party.erased_at is not None, may_erase=may_request_erasure(user)
        )
