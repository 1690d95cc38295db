from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.administration.queries import AdministrationRequestPageQuery
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.cases.deps import case_record
from konfliktmanagement.domain.cases.records import CaseRecord

administration_dependencies = {
    "administration_requests": Provide(create_service_provider(AdministrationRequestService)),
    "request_pages": Provide(AdministrationRequestPageQuery, sync_to_thread=False),
}
request_record = case_record(AdministrationRequestService, AdministrationRequestService.find, "request_id")

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
AdministrationRequests: TypeAlias = NamedDependency[AdministrationRequestService]
RequestPages: TypeAlias = NamedDependency[AdministrationRequestPageQuery]
FoundRequest: TypeAlias = NamedDependency[CaseRecord[m.AdministrationRequest]]
