"""The round-table member's home: `/round-tables`.

Round tables and their reports arrive with the next issue; until then the page says what will
appear here. It shows no case data: members reach none (DESIGN.md §4).
"""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.guards import requires_role


class RoundTableHomeController(Controller):
    path = "/round-tables"
    guards = [requires_role(m.Role.ROUND_TABLE_MEMBER)]  # noqa: RUF012
    include_in_schema = False

    @get("/", name="round_tables")
    async def home(self) -> Template:
        return Template(template_name="round_tables/index.html", context={})


PAGE_CONTROLLERS: list[type[Controller]] = [RoundTableHomeController]
