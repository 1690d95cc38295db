"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Mediation sessions (Sitzungen) of a case. No role guard on purpose: anyone who may not read the case
gets 404 from the service (round-table members and admins included), so they learn nothing.
"""

from __future__ import annotations

from litestar import Controller

from konfliktmanagement.domain.cases.record_api import CaseRecordApi
from konfliktmanagement.domain.mediation import schemas
from konfliktmanagement.domain.mediation.deps import mediation_session_dependencies, session_record
from konfliktmanagement.domain.mediation.services import MediationSessionService

_sessions = CaseRecordApi(MediationSessionService, "mediation_sessions", session_record, schemas.session_detail)


class MediationSessionApiController(Controller):
    path = "/api/v1"
    dependencies = mediation_session_dependencies
    tags = ["Sitzungen"]  # noqa: RUF012

    list_mediation_sessions = _sessions.list_for_case(
        "list_mediation_sessions",
        "/cases/{case_id:uuid}/sessions",
        "session:list",
        MediationSessionService.list_for_case,
        out=schemas.session_summary,
    )
    create_mediation_session = _sessions.create_for_case(
        "create_mediation_session", "/cases/{case_id:uuid}/sessions", "session:create", MediationSessionService.record
    )
    get_mediation_session = _sessions.read(
        "get_mediation_session", "/sessions/{mediation_session_id:uuid}", "session:read"
    )
    update_mediation_session = _sessions.update(
        "update_mediation_session",
        "/sessions/{mediation_session_id:uuid}",
        "session:update",
        MediationSessionService.revise,
    )


API_CONTROLLERS: list[type[Controller]] = [MediationSessionApiController]
