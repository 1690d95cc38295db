from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.agreements.queries import AgreementPageQuery
from konfliktmanagement.domain.agreements.services import AgreementService
from konfliktmanagement.domain.cases.deps import case_record

agreement_dependencies = {
    "agreements": Provide(create_service_provider(AgreementService)),
    "agreement_pages": Provide(AgreementPageQuery, sync_to_thread=False),
}
agreement_record = case_record(AgreementService, AgreementService.find, "agreement_id")
item_record = case_record(AgreementService, AgreementService.find_item, "item_id")
