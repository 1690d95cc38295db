from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.administration.queries import AdministrationRequestPageQuery
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.cases.deps import CaseRecords
from konfliktmanagement.domain.cases.records import CaseRecord

request_record = CaseRecords(AdministrationRequestService, "administration_requests", "request_id")
administration_dependencies = request_record.dependencies(request_pages=AdministrationRequestPageQuery)

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
AdministrationRequests: TypeAlias = NamedDependency[AdministrationRequestService]
RequestPages: TypeAlias = NamedDependency[AdministrationRequestPageQuery]
FoundRequest: TypeAlias = NamedDependency[CaseRecord[m.AdministrationRequest]]
