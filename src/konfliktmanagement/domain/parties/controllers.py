"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

No role guards here: every route answers 404 to anyone who may not read the case (or any case of
the party), round-table members and admins included — they may not know it exists (DESIGN.md §4).
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.params import FromPath, JSONBody

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.domain.parties import schemas
from konfliktmanagement.domain.parties.deps import (
    FoundParticipation,
    Participations,
    Parties,
    participation_record,
    party_dependencies,
)


class CaseParticipationApiController(Controller):
    path = "/api/v1/cases/{case_id:uuid}/participations"
    dependencies = party_dependencies
    tags = ["Parteien"]  # noqa: RUF012

    @get("/", dependencies=case_access("read"))
    async def list_participations(
        self, participations: Participations, access: Access
    ) -> list[schemas.ParticipationOut]:
        return [schemas.participation_out(p) for p in await participations.list_for_case(access)]

    @post("/", dependencies=case_access("add_participation", for_write=True))
    async def add_participation(
        self, participations: Participations, access: Access, data: JSONBody[schemas.ParticipationCreate]
    ) -> schemas.ParticipationOut:
        return schemas.participation_out(await participations.add(access, data))


class ParticipationApiController(Controller):
    path = "/api/v1/participations"
    dependencies = party_dependencies
    tags = ["Parteien"]  # noqa: RUF012

    @get("/{participation_id:uuid}", dependencies=participation_record("read"))
    async def get_participation(self, found: FoundParticipation) -> schemas.ParticipationOut:
        return schemas.participation_out(found.record)

    @patch("/{participation_id:uuid}", dependencies=participation_record("update_participation", for_write=True))
    async def update_participation(
        self, participations: Participations, found: FoundParticipation, data: JSONBody[schemas.ParticipationUpdate]
    ) -> schemas.ParticipationOut:
        return schemas.participation_out(await participations.change(found, data))

    @put("/{participation_id:uuid}/consents/{purpose:str}")
    async def record_consent(
        self,
        request: SignedIn,
        participations: Participations,
        participation_id: FromPath[UUID],
        purpose: FromPath[m.ConsentPurpose],
        data: JSONBody[schemas.ConsentInput],
    ) -> schemas.ParticipationOut:
        return schemas.participation_out(
            await participations.record_consent(request.user, participation_id, purpose, data)
        )


class PartyApiController(Controller):
    path = "/api/v1/parties"
    dependencies = party_dependencies
    tags = ["Parteien"]  # noqa: RUF012

    @get("/{party_id:uuid}")
    async def get_party(self, request: SignedIn, parties: Parties, party_id: FromPath[UUID]) -> schemas.PartyDetail:
        return (await parties.detail(request.user, party_id)).as_detail()

    @patch("/{party_id:uuid}")
    async def update_party(
        self, request: SignedIn, parties: Parties, party_id: FromPath[UUID], data: JSONBody[schemas.PartyUpdate]
    ) -> schemas.PartyDetail:
        return (await parties.revise(request.user, party_id, data)).as_detail()


API_CONTROLLERS: list[type[Controller]] = [
    CaseParticipationApiController,
    ParticipationApiController,
    PartyApiController,
]
