"""The round-table member's home: `/round-tables` and `/round-tables/{id}`.

A member sees only the round tables they sit at (any other answers 404): name, quartiers and the
organisations at the table — never other members' contact data, and no case data at all
(DESIGN.md §4), and the reports sent to them. Coordinators manage round tables in `manage_pages.py`.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.round_tables.access import requires_member
from konfliktmanagement.domain.round_tables.deps import round_table_dependencies
from konfliktmanagement.domain.round_tables.manage_pages import RoundTableManagePageController
from konfliktmanagement.domain.round_tables.meeting_pages import RoundTableMeetingPageController
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery
from konfliktmanagement.domain.round_tables.report_pages import RoundTableReportPageController
from konfliktmanagement.lib import clock

Pages = NamedDependency[RoundTableQuery]


class RoundTableHomePageController(Controller):
    path = "/round-tables"
    guards = [requires_member]  # noqa: RUF012
    dependencies = round_table_dependencies

    @get("/", name="round_tables")
    async def home(self, request: SignedIn, round_table_pages: Pages) -> Template:
        tables = await round_table_pages.member_tables(request.user)
        reports = await round_table_pages.sent_reports(request.user)
        return Template(template_name="round_tables/index.html", context={"tables": tables, "reports": reports})

    @get("/{round_table_id:uuid}", name="round_table")
    async def show(self, request: SignedIn, round_table_pages: Pages, round_table_id: FromPath[UUID]) -> Template:
        table = await round_table_pages.member_table(request.user, round_table_id)
        sent = await round_table_pages.sent_reports(request.user)
        reports = [(report, name) for report, name in sent if report.round_table_id == table.id]
        meetings = await round_table_pages.meetings_of(table.id)
        return Template(
            template_name="round_tables/detail.html",
            context={"table": table, "reports": reports, "meetings": meetings, "now": clock.now()},
        )


PAGE_CONTROLLERS: list[type[Controller]] = [
    RoundTableHomePageController,
    RoundTableManagePageController,
    RoundTableReportPageController,
    RoundTableMeetingPageController,
]
