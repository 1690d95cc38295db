"""`/api/v1/.../administration-requests`: what a case asks of a city department.

`server/app.py` registers everything listed in `API_CONTROLLERS`. No role guard here: a case's
requests answer 404 to anyone who may not read the case, round-table members and admins included.
"""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.params import JSONBody

from konfliktmanagement.domain.administration import schemas
from konfliktmanagement.domain.administration.deps import (
    AdministrationRequests,
    FoundRequest,
    administration_dependencies,
    request_record,
)
from konfliktmanagement.domain.cases.deps import Access, case_access


class AdministrationRequestApiController(Controller):
    path = "/api/v1"
    dependencies = administration_dependencies
    tags = ["Anliegen an Verwaltung"]  # noqa: RUF012

    @get("/cases/{case_id:uuid}/administration-requests", dependencies=case_access("read_administration_requests"))
    async def list_administration_requests(
        self, administration_requests: AdministrationRequests, access: Access
    ) -> list[schemas.RequestOut]:
        return [schemas.request_out(r) for r in await administration_requests.list_for_case(access)]

    @post(
        "/cases/{case_id:uuid}/administration-requests",
        dependencies=case_access("create_administration_request", for_write=True),
    )
    async def create_administration_request(
        self, administration_requests: AdministrationRequests, access: Access, data: JSONBody[schemas.RequestCreate]
    ) -> schemas.RequestOut:
        return schemas.request_out(await administration_requests.record(access, data))

    @get("/administration-requests/{request_id:uuid}", dependencies=request_record("read_administration_request"))
    async def get_administration_request(self, found: FoundRequest) -> schemas.RequestOut:
        return schemas.request_out(found.record)

    @patch(
        "/administration-requests/{request_id:uuid}",
        dependencies=request_record("update_administration_request", for_write=True),
    )
    async def update_administration_request(
        self,
        administration_requests: AdministrationRequests,
        found: FoundRequest,
        data: JSONBody[schemas.RequestUpdate],
    ) -> schemas.RequestOut:
        return schemas.request_out(await administration_requests.revise(found, data))


API_CONTROLLERS: list[type[Controller]] = [AdministrationRequestApiController]
