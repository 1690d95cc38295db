"""Dependencies of the case routes: the case service, and the request's one `CaseAccess`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import load_case
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.cases.transitions import WorkflowService

case_dependencies = {"cases": Provide(create_service_provider(CaseService))}
workflow_dependencies = {"workflow": Provide(create_service_provider(WorkflowService))}


def case_access(attempted: str, *, for_write: bool = False) -> dict[str, Provide]:
    """`access` for a route under `/cases/{case_id}`: the case loaded once, readable or 404 (audited).

    Declared per route, so the route says what it attempts (for the audit of a refusal) and whether it
    writes (the case row is then locked until the request's transaction ends).
    """

    async def provide(
        request: Request[m.User, Any, Any], db_session: NamedDependency[AsyncSession], case_id: FromPath[UUID]
    ) -> CaseAccess:
        return await load_case(db_session, request.user, case_id, attempted=attempted, for_write=for_write)

    return {"access": Provide(provide)}
