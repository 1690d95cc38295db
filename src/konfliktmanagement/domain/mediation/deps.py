from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.cases.deps import case_record
from konfliktmanagement.domain.mediation.queries import MediationSessionPageQuery
from konfliktmanagement.domain.mediation.services import MediationSessionService

mediation_session_dependencies = {
    "mediation_sessions": Provide(create_service_provider(MediationSessionService)),
    "session_pages": Provide(MediationSessionPageQuery, sync_to_thread=False),
}
session_record = case_record(MediationSessionService, MediationSessionService.find, "mediation_session_id")
