"""`/api/v1/cases`: list, create, read, update, assign mediators, transitions and the audit trail."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.cases import case_rows, schemas
from konfliktmanagement.domain.cases.access import Write
from konfliktmanagement.domain.cases.case_list import CaseFilters, CaseSort, Order
from konfliktmanagement.domain.cases.deps import (
    Access,
    Cases,
    Workflow,
    case_access,
    case_dependencies,
    workflow_dependencies,
)
from konfliktmanagement.domain.cases.guards import requires_case_team

PageNumber = Annotated[int, Parameter(ge=1, le=100000)]
PageSize = Annotated[int, Parameter(ge=1, le=100)]
SearchText = Annotated[
    str, Parameter(max_length=200, description="Volltextsuche; ein genaues Aktenzeichen findet nur diesen Fall")
]


class CaseApiController(Controller):
    path = "/api/v1/cases"
    dependencies = {**case_dependencies, **workflow_dependencies}  # noqa: RUF012
    tags = ["Fälle"]  # noqa: RUF012

    # Listing and creating need a case role (403 otherwise). A single case answers 404 to anyone who
    # may not read it, round-table members and admins included: they may not know it exists.
    @get("/", guards=[requires_case_team])
    async def list_cases(
        self,
        request: SignedIn,
        cases: Cases,
        status: FromQuery[list[m.CaseStatus] | None] = None,
        quartier_id: FromQuery[UUID | None] = None,
        place_id: FromQuery[UUID | None] = None,
        mediator_id: FromQuery[UUID | None] = None,
        conflict_type_id: FromQuery[UUID | None] = None,
        due: FromQuery[Literal["wiedervorlage", "follow_up"] | None] = None,
        reference: FromQuery[str | None] = None,
        q: FromQuery[SearchText | None] = None,
        sort: FromQuery[CaseSort | None] = None,
        order: FromQuery[Order] = "asc",
        page: FromQuery[PageNumber] = 1,
        page_size: FromQuery[PageSize] = 25,
    ) -> schemas.CaseListOut:
        filters = CaseFilters(
            statuses=tuple(status or ()),
            quartier_id=quartier_id,
            place_id=place_id,
            mediator_id=mediator_id,
            conflict_type_id=conflict_type_id,
            due=due,
            reference=reference,
            q=q,
            sort=sort,
            order=order,
            page=page,
            page_size=page_size,
        )
        found = await cases.list_summaries(request.user, filters)
        return schemas.CaseListOut(
            items=found.items,
            total=found.total,
            total_exact=found.exact,
            page=page,
            page_size=page_size,
        )

    @post("/", guards=[requires_case_team])
    async def create_case(
        self, request: SignedIn, cases: Cases, data: JSONBody[schemas.CaseCreate]
    ) -> schemas.CaseDetail:
        return schemas.case_detail(await cases.record(request.user, data))

    @get("/{case_id:uuid}")
    async def get_case(
        self, request: SignedIn, db_session: NamedDependency[AsyncSession], case_id: FromPath[UUID]
    ) -> schemas.CaseDetail:
        return await case_rows.case_detail(db_session, request.user, case_id)

    @patch("/{case_id:uuid}", dependencies=case_access("update", for_write=True))
    async def update_case(self, cases: Cases, access: Access, data: JSONBody[schemas.CaseUpdate]) -> schemas.CaseDetail:
        return schemas.case_detail(await cases.revise(access, data))

    @put("/{case_id:uuid}/mediators", dependencies=case_access("assign_mediators", for_write=True))
    async def assign_mediators(
        self, cases: Cases, access: Access, data: JSONBody[schemas.MediatorAssignment]
    ) -> schemas.CaseDetail:
        return schemas.case_detail(await cases.assign_mediators(access, data))

    @get("/{case_id:uuid}/transitions", dependencies=case_access("read"))
    async def list_transitions(self, workflow: Workflow, access: Access) -> list[schemas.TransitionOption]:
        return await workflow.options(access)

    @post(
        "/{case_id:uuid}/transitions",
        status_code=200,
        dependencies=case_access("transition", for_write=Write.LIFECYCLE),
    )
    async def perform_transition(
        self, workflow: Workflow, access: Access, data: JSONBody[schemas.TransitionRequest]
    ) -> schemas.CaseDetail:
        return schemas.case_detail(await workflow.perform(access, data))

    @get("/{case_id:uuid}/events", dependencies=case_access("read"))
    async def list_case_events(self, cases: Cases, access: Access) -> list[schemas.CaseEventOut]:
        return [schemas.case_event(e) for e in await cases.events(access)]
