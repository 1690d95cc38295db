"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Mediation sessions (Sitzungen) of a case. No role guard on purpose: anyone who may not read the case
gets 404 from the service (round-table members and admins included), so they learn nothing.
"""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import case_access
from konfliktmanagement.domain.cases.records import CaseRecord
from konfliktmanagement.domain.mediation import schemas
from konfliktmanagement.domain.mediation.deps import mediation_session_dependencies, session_record
from konfliktmanagement.domain.mediation.services import MediationSessionService


class MediationSessionApiController(Controller):
    path = "/api/v1"
    dependencies = mediation_session_dependencies
    tags = ["Sitzungen"]  # noqa: RUF012

    @get("/cases/{case_id:uuid}/sessions", dependencies=case_access("session:list"))
    async def list_mediation_sessions(
        self,
        mediation_sessions: NamedDependency[MediationSessionService],
        access: NamedDependency[CaseAccess],
    ) -> list[schemas.SessionSummary]:
        return [schemas.session_summary(s) for s in await mediation_sessions.list_for_case(access)]

    @post("/cases/{case_id:uuid}/sessions", dependencies=case_access("session:create", for_write=True))
    async def create_mediation_session(
        self,
        mediation_sessions: NamedDependency[MediationSessionService],
        access: NamedDependency[CaseAccess],
        data: JSONBody[schemas.SessionCreate],
    ) -> schemas.SessionDetail:
        return schemas.session_detail(await mediation_sessions.record(access, data))

    @get("/sessions/{mediation_session_id:uuid}", dependencies=session_record("session:read"))
    async def get_mediation_session(
        self, found: NamedDependency[CaseRecord[m.MediationSession]]
    ) -> schemas.SessionDetail:
        return schemas.session_detail(found.record)

    @patch("/sessions/{mediation_session_id:uuid}", dependencies=session_record("session:update", for_write=True))
    async def update_mediation_session(
        self,
        mediation_sessions: NamedDependency[MediationSessionService],
        found: NamedDependency[CaseRecord[m.MediationSession]],
        data: JSONBody[schemas.SessionUpdate],
    ) -> schemas.SessionDetail:
        return schemas.session_detail(await mediation_sessions.revise(found, data))


API_CONTROLLERS: list[type[Controller]] = [MediationSessionApiController]
