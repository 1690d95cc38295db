from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.cases.services import CaseService

case_dependencies = {"cases": Provide(create_service_provider(CaseService))}
