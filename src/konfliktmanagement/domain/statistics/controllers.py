"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Published statistics as JSON, CSV and XLSX downloads. Any signed-in user may read them (they hold only
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
FORMATS = {"json": "application/json", "csv": "text/csv", "xlsx": exports.XLSX}
# The download's media types, for the OpenAPI document (`server/openapi.py` reads `response_content`).
DOWNLOAD_CONTENT = {
    FORMATS["json"]: {"type": "object"},
    FORMATS["csv"]: {"type": "string"},
    FORMATS["xlsx"]: {"type": "string", "format": "binary"},
}


class StatisticsApiController(Controller):
    path = "/api/v1/statistics"
    tags = ["Statistik"]  # noqa: RUF012
    dependencies = publication_dependencies

    @get("/")
    async def list_statistics_publications(self, statistics_pages: StatisticsPages) -> list[dict[str, Any]]:
        return [exports.publication_summary(p) for p in await statistics_pages.publications()]

    @get(
        "/{period:str}/{file_name:str}",
        opt={"response_content": DOWNLOAD_CONTENT},
    )
    async def download_statistics_table(
        self, statistics_pages: StatisticsPages, period: FromPath[str], file_name: FromPath[str]
    ) -> Response[Any]:
        """`{table_code}.json`, `.csv` or `.xlsx` of a published table."""
        table_code, _, suffix = file_name.rpartition(".")
        if suffix not in FORMATS or not table_code:
            raise NotFound("Download als .json, .csv oder .xlsx.")
        publication = await statistics_pages.publication(period, table_code)
        disposition = {"Content-Disposition": f'attachment; filename="statistik-{period}-{table_code}.{suffix}"'}
        if suffix == "json":
            return Response(exports.as_json(publication), media_type=FORMATS["json"], headers=disposition)
        if suffix == "xlsx":
            return Response(exports.as_xlsx(publication), media_type=FORMATS["xlsx"], headers=disposition)
        return Response("\ufeff" + exports.as_csv(publication), media_type=FORMATS["csv"], headers=disposition)


API_CONTROLLERS: list[type[Controller]] = [StatisticsApiController]
