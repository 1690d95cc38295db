"""Statistics pages: `/statistics` (the published periods and tables, and for coordinators the forms
that publish a year and withdraw a published one) and `/statistics/{period}/{table_code}` (one table
with its bar chart).

Everything shown comes from stored publications, never from live counts. Who may read and who may
publish is decided in `access.py`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.statistics.access import may_publish, requires_publisher
from konfliktmanagement.domain.statistics.catalogue import METHOD
from konfliktmanagement.domain.statistics.deps import Statistics, StatisticsPages, statistics_dependencies
from konfliktmanagement.domain.statistics.exports import publication_summary
from konfliktmanagement.domain.statistics.queries import StatisticsQuery
from konfliktmanagement.lib import clock, forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.server.transactions import fresh_transaction

T = TypeVar("T")


class StatisticsPageController(Controller):
    path = "/statistics"
    dependencies = statistics_dependencies

    @get("/", name="statistics")
    async def index(self, request: Request[Any, Any, Any], statistics_pages: StatisticsPages) -> Template:
        return await _index(request, statistics_pages).show()

    @get("/{period:str}/{table_code:str}", name="statistics_table")
    async def table(
        self, statistics_pages: StatisticsPages, period: FromPath[str], table_code: FromPath[str]
    ) -> Template:
        page = await statistics_pages.table_page(period, table_code)
        publication = page.publication
        return Template(
            template_name="statistics/table.html",
            context={
                "publication": publication,
                "table": page.table,
                "chart": page.chart,
                "method": METHOD,
                "downloads": publication_summary(publication)["downloads"],
            },
        )

    # The whole catalogue is counted from one snapshot: its transaction begins in the service.
    @post("/publish", guards=[requires_publisher], before_request=fresh_transaction)
    async def publish(
        self, request: SignedIn, statistics: Statistics, statistics_pages: StatisticsPages, data: Form
    ) -> Answer:
        period = forms.text(data, "period").strip()
        form = _index(request, statistics_pages, period)
        provisional = forms.checked(data, "provisional")
        return await form.submit(
            request, data, lambda: statistics.publish(period, user_id=request.user.id, provisional=provisional)
        )

    @post("/withdraw", guards=[requires_publisher])
    async def withdraw(
        self, request: SignedIn, statistics: Statistics, statistics_pages: StatisticsPages, data: Form
    ) -> Answer:
        period = forms.text(data, "withdraw_period").strip()
        form = _index(request, statistics_pages, period, withdrawing=True)
        reason = forms.text(data, "reason")
        return await form.submit(request, data, lambda: statistics.withdraw(period, reason, user_id=request.user.id))


def _index(
    request: Request[Any, Any, Any], statistics_pages: StatisticsQuery, period: str = "", *, withdrawing: bool = False
) -> PageForm[list[m.StatisticsPublication]]:
    """The index page with its two forms, publish and withdraw; `period` is the one sent, named in the
    message, and `withdrawing` says which form the messages belong to."""

    async def render(state: FormState) -> Template:
        periods = await statistics_pages.periods()
        context = {
            "periods": periods,
            "may_publish": may_publish(request.scope.get("user")),
            "withdrawing": withdrawing,
            "withdraw_choices": [(published, published) for published, _tables in periods],
        }
        return state.template("statistics/index.html", context, {"period": str(clock.today().year - 1)})

    if withdrawing:
        return PageForm(
            render,
            message=_("Die Statistik für %(period)s ist zurückgenommen.") % {"period": period},
            redirect="/statistics",
        )
    return PageForm(
        render,
        message=lambda publications: (
            _("Die Statistik für %(period)s ist veröffentlicht (%(tables)s Tabellen).")
            % {"period": period, "tables": len(publications)}
        ),
        redirect="/statistics",
    )


PAGE_CONTROLLERS: list[type[Controller]] = [StatisticsPageController]
