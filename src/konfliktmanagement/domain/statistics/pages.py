"""Statistics pages: `/statistics` (the published periods and tables, and for coordinators the button
that publishes a year) and `/statistics/{period}/{table_code}` (one table with its bar chart).

Everything shown comes from stored publications, never from live counts. With
KM_PUBLIC_STATISTICS=true the two GET pages serve anonymous visitors as well (see
`domain/accounts/auth.py`); otherwise any signed-in user may read them.
"""

from __future__ import annotations

from datetime import datetime
from itertools import groupby
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.guards import requires_role
from konfliktmanagement.domain.statistics import charts, views
from konfliktmanagement.domain.statistics.publishing import StatisticsService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import Conflict, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _

BERLIN = ZoneInfo("Europe/Berlin")


async def publish_in_own_transaction(
    config: SQLAlchemyAsyncConfig, request_session: AsyncSession, period: str, user_id: UUID
) -> int:
    """Publish `period` in a dedicated session whose transaction starts in the service.

    The request's session is already inside a transaction (sign-in looked up the user): on
    PostgreSQL a READ COMMITTED one, where the service refuses to take its snapshot; on SQLite one
    that holds the write lock (BEGIN IMMEDIATE), which a second connection would wait for. So that
    transaction is ended first — it has only read, and objects stay loaded (expire_on_commit=False)
    — and the publication runs and commits on its own, exactly as the command line does. A refusal
    rolls the dedicated session back; nothing of it is left behind. Returns the number of tables.
    """
    await request_session.commit()
    async with config.get_session() as session:
        publications = await StatisticsService(session).publish(period, user_id=user_id)
        await session.commit()
        return len(publications)


def _periods(publications: list[m.StatisticsPublication]) -> list[tuple[str, list[m.StatisticsPublication]]]:
    return [(period, list(group)) for period, group in groupby(publications, key=lambda p: p.period)]


def _may_publish(request: Request[Any, Any, Any]) -> bool:
    user = request.scope.get("user")
    return user is not None and user.has_role(m.Role.COORDINATOR)


def _chart(publication: m.StatisticsPublication) -> charts.BarChart | None:
    cells = views.chart_cells(publication)
    if not cells:
        return None
    dimension = publication.dimensions[0]
    values = "; ".join(f"{cell.dimension_labels[dimension['code']]}: {cell.display}" for cell in cells)
    title = _("%(title)s %(period)s – Summen je %(dimension)s") % {
        "title": publication.title,
        "period": publication.period,
        "dimension": dimension["label"],
    }
    description = _(
        "Balkendiagramm der veröffentlichten Werte je %(dimension)s (ohne Balken bei „<5“ und „.“). "
        "Dieselben Werte stehen in der Tabelle auf dieser Seite. Werte: %(values)s."
    ) % {"dimension": dimension["label"], "values": values}
    return charts.bar_chart(title, description, cells, dimension["code"])


class StatisticsPageController(Controller):
    path = "/statistics"
    include_in_schema = False

    async def _index(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        *,
        form: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        publications = await StatisticsService(db_session).list_publications()
        return Template(
            template_name="statistics/index.html",
            context={
                "periods": _periods(publications),
                "may_publish": _may_publish(request),
                "form": form or {"period": str(datetime.now(BERLIN).year)},
                "errors": errors or {},
            },
            status_code=status_code,
        )

    @get("/", name="statistics")
    async def index(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
        return await self._index(request, db_session)

    @get("/{period:str}/{table_code:str}", name="statistics_table")
    async def table(
        self, db_session: NamedDependency[AsyncSession], period: FromPath[str], table_code: FromPath[str]
    ) -> Template:
        publication = await StatisticsService(db_session).get_publication(period, table_code)
        base = f"/api/v1/statistics/{publication.period}/{publication.table_code}"
        return Template(
            template_name="statistics/table.html",
            context={
                "publication": publication,
                "table": views.table_view(publication),
                "chart": _chart(publication),
                "downloads": {"csv": f"{base}.csv", "json": f"{base}.json"},
            },
        )

    @post("/publish", guards=[requires_role(m.Role.COORDINATOR)])
    async def publish(
        self,
        request: Request[m.User, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        period = forms.text(data, "period").strip()
        config: SQLAlchemyAsyncConfig = request.app.state["alchemy_config"]
        try:
            tables = await publish_in_own_transaction(config, db_session, period, request.user.id)
        except ValidationFailed as exc:
            errors = {error.field: error.message for error in exc.errors}
            return await self._index(request, db_session, form={"period": period}, errors=errors, status_code=422)
        except Conflict as exc:
            return await self._index(
                request, db_session, form={"period": period}, errors={"period": exc.detail}, status_code=409
            )
        flash(
            request,
            _("Die Statistik für %(period)s ist veröffentlicht (%(tables)s Tabellen).")
            % {"period": period, "tables": tables},
            category="success",
        )
        return Redirect(path="/statistics", status_code=303)


PAGE_CONTROLLERS: list[type[Controller]] = [StatisticsPageController]
