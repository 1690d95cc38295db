"""`/api/v1/.../administration-requests`: what a case asks of a city department.

`server/app.py` registers everything listed in `API_CONTROLLERS`. No role guard here: a case's
requests answer 404 to anyone who may not read the case, round-table members and admins included.
"""

from __future__ import annotations

from litestar import Controller

from konfliktmanagement.domain.administration import schemas
from konfliktmanagement.domain.administration.deps import request_record
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.cases import record_api


class AdministrationRequestApiController(
    record_api.CaseRecordController, records=request_record, out=schemas.request_out, tags=["Anliegen an Verwaltung"]
):
    list_administration_requests = record_api.list_records(
        "/cases/{case_id:uuid}/administration-requests", "read_administration_requests"
    )
    create_administration_request = record_api.create_record(
        "/cases/{case_id:uuid}/administration-requests",
        "create_administration_request",
        AdministrationRequestService.record,
    )
    get_administration_request = record_api.read_record(
        "/administration-requests/{request_id:uuid}", "read_administration_request"
    )
    update_administration_request = record_api.update_record(
        "/administration-requests/{request_id:uuid}",
        "update_administration_request",
        AdministrationRequestService.revise,
    )


API_CONTROLLERS: list[type[Controller]] = [AdministrationRequestApiController]
