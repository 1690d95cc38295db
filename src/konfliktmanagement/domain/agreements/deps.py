from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.agreements.queries import AgreementPageQuery
from konfliktmanagement.domain.agreements.services import AgreementService, FoundItem
from konfliktmanagement.domain.cases.deps import case_record
from konfliktmanagement.domain.cases.records import CaseRecord

agreement_dependencies = {
    "agreements": Provide(create_service_provider(AgreementService)),
    "agreement_pages": Provide(AgreementPageQuery, sync_to_thread=False),
}
agreement_record = case_record(AgreementService, AgreementService.find, "agreement_id")
item_record = case_record(AgreementService, AgreementService.find_item, "item_id")

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Agreements: TypeAlias = NamedDependency[AgreementService]
AgreementPages: TypeAlias = NamedDependency[AgreementPageQuery]
FoundAgreement: TypeAlias = NamedDependency[CaseRecord[m.Agreement]]
FoundAgreementItem: TypeAlias = NamedDependency[FoundItem]
