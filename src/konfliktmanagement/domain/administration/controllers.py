"""`/api/v1/.../administration-requests`: what a case asks of a city department.

`server/app.py` registers everything listed in `API_CONTROLLERS`. No role guard here: a case's
requests answer 404 to anyone who may not read the case, round-table members and admins included.
"""

from __future__ import annotations

from litestar import Controller

from konfliktmanagement.domain.administration import schemas
from konfliktmanagement.domain.administration.deps import administration_dependencies, request_record
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.cases.record_api import CaseRecordApi

_requests = CaseRecordApi(AdministrationRequestService, "administration_requests", request_record, schemas.request_out)


class AdministrationRequestApiController(Controller):
    path = "/api/v1"
    dependencies = administration_dependencies
    tags = ["Anliegen an Verwaltung"]  # noqa: RUF012

    list_administration_requests = _requests.list_for_case(
        "list_administration_requests",
        "/cases/{case_id:uuid}/administration-requests",
        "read_administration_requests",
        AdministrationRequestService.list_for_case,
    )
    create_administration_request = _requests.create_for_case(
        "create_administration_request",
        "/cases/{case_id:uuid}/administration-requests",
        "create_administration_request",
        AdministrationRequestService.record,
    )
    get_administration_request = _requests.read(
        "get_administration_request", "/administration-requests/{request_id:uuid}", "read_administration_request"
    )
    update_administration_request = _requests.update(
        "update_administration_request",
        "/administration-requests/{request_id:uuid}",
        "update_administration_request",
        AdministrationRequestService.revise,
    )


API_CONTROLLERS: list[type[Controller]] = [AdministrationRequestApiController]
