from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.agreements.queries import AgreementPageQuery
from konfliktmanagement.domain.agreements.services import AgreementService, FoundItem
from konfliktmanagement.domain.cases.deps import CaseRecords, case_record
from konfliktmanagement.domain.cases.records import CaseRecord

agreement_record = CaseRecords(AgreementService, "agreements", "agreement_id")
agreement_dependencies = agreement_record.dependencies(agreement_pages=AgreementPageQuery)
item_record = case_record(AgreementService, AgreementService.find_item, "item_id")

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Agreements: TypeAlias = NamedDependency[AgreementService]
AgreementPages: TypeAlias = NamedDependency[AgreementPageQuery]
FoundAgreement: TypeAlias = NamedDependency[CaseRecord[m.Agreement]]
FoundAgreementItem: TypeAlias = NamedDependency[FoundItem]
