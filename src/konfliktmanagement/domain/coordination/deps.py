from __future__ import annotations

from litestar.di import Provide

from konfliktmanagement.domain.coordination.queries import DashboardQuery

dashboard_dependencies = {"dashboard": Provide(DashboardQuery, sync_to_thread=False)}
