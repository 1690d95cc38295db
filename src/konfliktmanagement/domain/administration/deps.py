from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.administration.queries import AdministrationRequestPageQuery
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.cases.deps import case_record

administration_dependencies = {
    "administration_requests": Provide(create_service_provider(AdministrationRequestService)),
    "request_pages": Provide(AdministrationRequestPageQuery, sync_to_thread=False),
}
request_record = case_record(AdministrationRequestService, AdministrationRequestService.find, "request_id")
