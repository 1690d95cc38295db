from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.deps import CaseRecords
from konfliktmanagement.domain.cases.records import CaseRecord
from konfliktmanagement.domain.parties.participations import ParticipationService
from konfliktmanagement.domain.parties.queries import PartyPageQuery
from konfliktmanagement.domain.parties.services import PartyService

participation_record = CaseRecords(ParticipationService, "participations", "participation_id")
party_dependencies = {
    "parties": Provide(create_service_provider(PartyService)),
    **participation_record.dependencies(party_pages=PartyPageQuery),
}

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Parties: TypeAlias = NamedDependency[PartyService]
Participations: TypeAlias = NamedDependency[ParticipationService]
PartyPages: TypeAlias = NamedDependency[PartyPageQuery]
FoundParticipation: TypeAlias = NamedDependency[CaseRecord[m.Participation]]
