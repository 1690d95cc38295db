from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.cases.deps import case_record
from konfliktmanagement.domain.parties.participations import ParticipationService
from konfliktmanagement.domain.parties.queries import PartyPageQuery
from konfliktmanagement.domain.parties.services import PartyService

party_dependencies = {
    "parties": Provide(create_service_provider(PartyService)),
    "participations": Provide(create_service_provider(ParticipationService)),
    "party_pages": Provide(PartyPageQuery, sync_to_thread=False),
}
participation_record = case_record(ParticipationService, ParticipationService.find, "participation_id")
