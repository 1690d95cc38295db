"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Mediation sessions (Sitzungen) of a case. No role guard on purpose: anyone who may not read the case
gets 404 from the service (round-table members and admins included), so they learn nothing.
"""

from __future__ import annotations

from litestar import Controller

from konfliktmanagement.domain.cases import record_api
from konfliktmanagement.domain.mediation import schemas
from konfliktmanagement.domain.mediation.deps import session_record
from konfliktmanagement.domain.mediation.services import MediationSessionService


class MediationSessionApiController(
    record_api.CaseRecordController, records=session_record, out=schemas.session_detail, tags=["Sitzungen"]
):
    # The list shows each session's summary; the other routes answer the whole session.
    list_mediation_sessions = record_api.list_records(
        "/cases/{case_id:uuid}/sessions", "session:list", out=schemas.session_summary
    )
    create_mediation_session = record_api.create_record(
        "/cases/{case_id:uuid}/sessions", "session:create", MediationSessionService.record
    )
    get_mediation_session = record_api.read_record("/sessions/{mediation_session_id:uuid}", "session:read")
    update_mediation_session = record_api.update_record(
        "/sessions/{mediation_session_id:uuid}", "session:update", MediationSessionService.revise
    )


API_CONTROLLERS: list[type[Controller]] = [MediationSessionApiController]
