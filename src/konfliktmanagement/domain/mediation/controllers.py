"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Mediation sessions (Sitzungen) of a case. No role guard on purpose: anyone who may not read the case
gets 404 from the service (round-table members and admins included), so they learn nothing.
"""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.params import JSONBody

from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.domain.mediation import schemas
from konfliktmanagement.domain.mediation.deps import (
    FoundSession,
    MediationSessions,
    mediation_session_dependencies,
    session_record,
)


class MediationSessionApiController(Controller):
    path = "/api/v1"
    dependencies = mediation_session_dependencies
    tags = ["Sitzungen"]  # noqa: RUF012

    @get("/cases/{case_id:uuid}/sessions", dependencies=case_access("session:list"))
    async def list_mediation_sessions(
        self, mediation_sessions: MediationSessions, access: Access
    ) -> list[schemas.SessionSummary]:
        return [schemas.session_summary(s) for s in await mediation_sessions.list_for_case(access)]

    @post("/cases/{case_id:uuid}/sessions", dependencies=case_access("session:create", for_write=True))
    async def create_mediation_session(
        self, mediation_sessions: MediationSessions, access: Access, data: JSONBody[schemas.SessionCreate]
    ) -> schemas.SessionDetail:
        return schemas.session_detail(await mediation_sessions.record(access, data))

    @get("/sessions/{mediation_session_id:uuid}", dependencies=session_record("session:read"))
    async def get_mediation_session(self, found: FoundSession) -> schemas.SessionDetail:
        return schemas.session_detail(found.record)

    @patch("/sessions/{mediation_session_id:uuid}", dependencies=session_record("session:update", for_write=True))
    async def update_mediation_session(
        self, mediation_sessions: MediationSessions, found: FoundSession, data: JSONBody[schemas.SessionUpdate]
    ) -> schemas.SessionDetail:
        return schemas.session_detail(await mediation_sessions.revise(found, data))


API_CONTROLLERS: list[type[Controller]] = [MediationSessionApiController]
