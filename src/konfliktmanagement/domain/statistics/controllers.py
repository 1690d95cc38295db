"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Published statistics as JSON and CSV downloads. Any signed-in user may read them (they hold only
perturbed, rule-checked values); they come from stored publications only, never from live counts.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.params import FromPath

from konfliktmanagement.domain.statistics import exports
from konfliktmanagement.domain.statistics.deps import StatisticsPages, publication_dependencies
from konfliktmanagement.lib.exceptions import NotFound

# Litestar adds `; charset=utf-8` to text media types itself.
FORMATS = {"json": "application/json", "csv": "text/csv"}


class StatisticsApiController(Controller):
    path = "/api/v1/statistics"
    tags = ["Statistik"]  # noqa: RUF012
    dependencies = publication_dependencies

    @get("/")
    async def list_statistics_publications(self, statistics_pages: StatisticsPages) -> list[dict[str, Any]]:
        return [exports.publication_summary(p) for p in await statistics_pages.publications()]

    @get(
        "/{period:str}/{file_name:str}",
        opt={"response_content": {FORMATS["json"]: {"type": "object"}, FORMATS["csv"]: {"type": "string"}}},
    )
    async def download_statistics_table(
        self, statistics_pages: StatisticsPages, period: FromPath[str], file_name: FromPath[str]
    ) -> Response[Any]:
        """`{table_code}.json` or `{table_code}.csv` of a published table."""
        table_code, _, suffix = file_name.rpartition(".")
        if suffix not in FORMATS or not table_code:
            raise NotFound("Download als .json oder .csv.")
        publication = await statistics_pages.publication(period, table_code)
        disposition = {"Content-Disposition": f'attachment; filename="statistik-{period}-{table_code}.{suffix}"'}
        if suffix == "json":
            return Response(exports.as_json(publication), media_type=FORMATS["json"], headers=disposition)
        return Response("\ufeff" + exports.as_csv(publication), media_type=FORMATS["csv"], headers=disposition)


API_CONTROLLERS: list[type[Controller]] = [StatisticsApiController]
