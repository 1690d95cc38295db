"""Statistics pages: `/statistics` (the published periods and tables, and for coordinators the forms
that publish a year and withdraw a published one) and `/statistics/{period}/{table_code}` (one table
with its bar chart).

Everything shown comes from stored publications, never from live counts. Who may read and who may
publish is decided in `access.py`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import queries
from konfliktmanagement.domain.statistics.access import may_publish, requires_publisher
from konfliktmanagement.domain.statistics.publishing import StatisticsService
from konfliktmanagement.domain.statistics.queries import StatisticsQuery
from konfliktmanagement.lib import clock, forms
from konfliktmanagement.lib.form_flow import FormState, Text, submit
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.server.transactions import fresh_transaction

T = TypeVar("T")


class StatisticsPageController(Controller):
    path = "/statistics"
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "statistics": Provide(create_service_provider(StatisticsService)),
        "statistics_pages": Provide(StatisticsQuery, sync_to_thread=False),
    }

    @get("/", name="statistics")
    async def index(
        self, request: Request[Any, Any, Any], statistics_pages: NamedDependency[StatisticsQuery]
    ) -> Template:
        return await self._index(request, statistics_pages, FormState())

    @get("/{period:str}/{table_code:str}", name="statistics_table")
    async def table(
        self, statistics_pages: NamedDependency[StatisticsQuery], period: FromPath[str], table_code: FromPath[str]
    ) -> Template:
        publication = await statistics_pages.publication(period, table_code)
        base = f"/api/v1/statistics/{publication.period}/{publication.table_code}"
        return Template(
            template_name="statistics/table.html",
            context={
                "publication": publication,
                "table": queries.table_view(publication),
                "chart": queries.chart(publication),
                "downloads": {"csv": f"{base}.csv", "json": f"{base}.json"},
            },
        )

    # The whole catalogue is counted from one snapshot: its transaction begins in the service.
    @post("/publish", guards=[requires_publisher], before_request=fresh_transaction)
    async def publish(
        self,
        request: Request[m.User, Any, Any],
        statistics: NamedDependency[StatisticsService],
        statistics_pages: NamedDependency[StatisticsQuery],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        period = forms.text(data, "period").strip()
        return await self._submit_index_form(
            request,
            statistics_pages,
            data,
            lambda: statistics.publish(period, user_id=request.user.id, provisional=forms.checked(data, "provisional")),
            message=lambda publications: (
                _("Die Statistik für %(period)s ist veröffentlicht (%(tables)s Tabellen).")
                % {"period": period, "tables": len(publications)}
            ),
        )

    @post("/withdraw", guards=[requires_publisher])
    async def withdraw(
        self,
        request: Request[m.User, Any, Any],
        statistics: NamedDependency[StatisticsService],
        statistics_pages: NamedDependency[StatisticsQuery],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        period = forms.text(data, "withdraw_period").strip()
        return await self._submit_index_form(
            request,
            statistics_pages,
            data,
            lambda: statistics.withdraw(period, forms.text(data, "reason"), user_id=request.user.id),
            message=_("Die Statistik für %(period)s ist zurückgenommen.") % {"period": period},
            withdrawing=True,
        )

    @classmethod
    async def _submit_index_form(
        cls,
        request: Request[Any, Any, Any],
        statistics_pages: StatisticsQuery,
        data: dict[str, Any],
        action: Callable[[], Awaitable[T]],
        *,
        message: Text[T],
        withdrawing: bool = False,
    ) -> Template | Redirect:
        """One of the index page's two forms: on success back to the index, else the index again with
        the messages at the form that was sent (`withdrawing`)."""

        async def render(state: FormState) -> Template:
            return await cls._index(request, statistics_pages, state, withdrawing=withdrawing)

        return await submit(request, data, action, render=render, message=message, redirect="/statistics")

    @staticmethod
    async def _index(
        request: Request[Any, Any, Any],
        statistics_pages: StatisticsQuery,
        state: FormState,
        *,
        withdrawing: bool = False,
    ) -> Template:
        periods = await statistics_pages.periods()
        context = {
            "periods": periods,
            "may_publish": may_publish(request.scope.get("user")),
            "withdrawing": withdrawing,
            "withdraw_choices": [(period, period) for period, _tables in periods],
        }
        return state.template("statistics/index.html", context, {"period": str(clock.today().year - 1)})


PAGE_CONTROLLERS: list[type[Controller]] = [StatisticsPageController]
