from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.deps import CaseRecords
from konfliktmanagement.domain.cases.records import CaseRecord
from konfliktmanagement.domain.mediation.queries import MediationSessionPageQuery
from konfliktmanagement.domain.mediation.services import MediationSessionService

session_record = CaseRecords(MediationSessionService, "mediation_sessions", "mediation_session_id")
mediation_session_dependencies = session_record.dependencies(session_pages=MediationSessionPageQuery)

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
MediationSessions: TypeAlias = NamedDependency[MediationSessionService]
SessionPages: TypeAlias = NamedDependency[MediationSessionPageQuery]
FoundSession: TypeAlias = NamedDependency[CaseRecord[m.MediationSession]]
