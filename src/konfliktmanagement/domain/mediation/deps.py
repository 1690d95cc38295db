from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.deps import case_record
from konfliktmanagement.domain.cases.records import CaseRecord
from konfliktmanagement.domain.mediation.queries import MediationSessionPageQuery
from konfliktmanagement.domain.mediation.services import MediationSessionService

mediation_session_dependencies = {
    "mediation_sessions": Provide(create_service_provider(MediationSessionService)),
    "session_pages": Provide(MediationSessionPageQuery, sync_to_thread=False),
}
session_record = case_record(MediationSessionService, MediationSessionService.find, "mediation_session_id")

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
MediationSessions: TypeAlias = NamedDependency[MediationSessionService]
SessionPages: TypeAlias = NamedDependency[MediationSessionPageQuery]
FoundSession: TypeAlias = NamedDependency[CaseRecord[m.MediationSession]]
