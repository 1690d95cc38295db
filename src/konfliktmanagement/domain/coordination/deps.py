from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.coordination.services import DashboardService

dashboard_dependencies = {"dashboard": Provide(create_service_provider(DashboardService))}
