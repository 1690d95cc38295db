"""The coordinator's dashboard: `/dashboard`."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.coordination.access import requires_coordination
from konfliktmanagement.domain.coordination.deps import dashboard_dependencies
from konfliktmanagement.domain.coordination.filters import optional_uuid
from konfliktmanagement.domain.coordination.queries import DashboardQuery


class DashboardPageController(Controller):
    path = "/dashboard"
    guards = [requires_coordination]  # noqa: RUF012
    dependencies = dashboard_dependencies

    @get("/", name="dashboard")
    async def show(
        self, request: SignedIn, dashboard: NamedDependency[DashboardQuery], quartier_id: FromQuery[str | None] = None
    ) -> Template:
        board = await dashboard.dashboard(request.user, optional_uuid(quartier_id))
        return Template(template_name="coordination/dashboard.html", context={"board": board})


PAGE_CONTROLLERS: list[type[Controller]] = [DashboardPageController]
