"""What the party and participation pages show, composed from the services (no rules of their own).

Templates never get a `Party` row: they get `PartyDetail`, whose name and contact fields are
already `None` for users who may not see them, so a template mistake cannot leak them.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.parties import schemas
from konfliktmanagement.domain.parties.participations import ParticipationService
from konfliktmanagement.domain.parties.services import PartyService
from konfliktmanagement.lib.exceptions import ValidationFailed
from konfliktmanagement.lib.form_input import field_errors

PARTY_FIELDS = ("kind", "name", "phone", "email", "address", "language", "group_size_estimate")


class ConsentPurposeForm(msgspec.Struct):
    """The hidden field that says which of the page's consent forms was sent."""

    purpose: m.ConsentPurpose


@dataclass(frozen=True, slots=True)
class ParticipationPage:
    participation: m.Participation
    case: m.Case
    # Archived cases keep no personal data and refuse changes; the page then only shows.
    editable: bool

    @property
    def consents(self) -> dict[str, m.Consent]:
        return {consent.purpose: consent for consent in self.participation.consents}


@dataclass(frozen=True, slots=True)
class PartyPage:
    detail: schemas.PartyDetail
    erased: bool

    @property
    def editable(self) -> bool:
        return self.detail.contact_visible and not self.erased


def errors_under(exc: ValidationFailed, prefix: str) -> dict[str, str]:
    """Field errors of one of several forms on a page, all named `<prefix><field>`."""
    return {(name if name.startswith(prefix) else prefix + name): text for name, text in field_errors(exc).items()}


async def case_of(cases: CaseService, user: m.User, case_id: UUID) -> m.Case:
    """The case a new record is added to (404 if the user may not read it)."""
    return (await cases.access(user, case_id)).case


async def participation_page(
    participations: ParticipationService, cases: CaseService, user: m.User, participation_id: UUID
) -> ParticipationPage:
    participation = await participations.detail(user, participation_id)
    case = await case_of(cases, user, participation.case_id)
    return ParticipationPage(participation, case, editable=case.status != m.CaseStatus.ARCHIVIERT)


def participation_values(page: ParticipationPage) -> dict[str, str]:
    """The stored role, status and consent dates as the forms show them."""
    participation = page.participation
    values = {"version": str(participation.version), "role": participation.role, "status": participation.status}
    for purpose, consent in page.consents.items():
        values[f"{purpose}.given_on"] = consent.given_on.isoformat()
        values[f"{purpose}.withdrawn_on"] = consent.withdrawn_on.isoformat() if consent.withdrawn_on else ""
    return values


async def party_page(parties: PartyService, user: m.User, party_id: UUID) -> PartyPage:
    view = await parties.detail(user, party_id)
    detail = schemas.party_detail(view.party, contact_visible=view.contact_visible, cases=view.cases)
    return PartyPage(detail=detail, erased=view.party.erased_at is not None)


def party_values(page: PartyPage) -> dict[str, str]:
    """The stored party as the edit form shows it; empty for users who may not see contact data."""
    if not page.editable:
        return {}
    detail = page.detail
    values = {name: getattr(detail, name) for name in PARTY_FIELDS}
    return {"version": str(detail.version)} | {
        name: "" if value is None else str(value) for name, value in values.items()
    }
