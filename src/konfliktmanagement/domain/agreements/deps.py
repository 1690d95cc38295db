from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.agreements.queries import AgreementPageQuery
from konfliktmanagement.domain.agreements.services import AgreementService

agreement_dependencies = {
    "agreements": Provide(create_service_provider(AgreementService)),
    "agreement_pages": Provide(AgreementPageQuery, sync_to_thread=False),
}
