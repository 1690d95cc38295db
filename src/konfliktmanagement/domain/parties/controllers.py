"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

No role guards here: every route answers 404 to anyone who may not read the case (or any case of
the party), round-table members and admins included — they may not know it exists (DESIGN.md §4).
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, patch, put
from litestar.params import FromPath, JSONBody

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.cases import record_api
from konfliktmanagement.domain.parties import schemas
from konfliktmanagement.domain.parties.deps import Participations, Parties, participation_record, party_dependencies
from konfliktmanagement.domain.parties.participations import ParticipationService


class CaseParticipationApiController(
    record_api.CaseRecordController, records=participation_record, out=schemas.participation_out, tags=["Parteien"]
):
    path = "/api/v1/cases/{case_id:uuid}/participations"
    list_participations = record_api.list_records("/", "read")
    add_participation = record_api.create_record("/", "add_participation", ParticipationService.add)


class ParticipationApiController(
    record_api.CaseRecordController, records=participation_record, out=schemas.participation_out, tags=["Parteien"]
):
    path = "/api/v1/participations"
    get_participation = record_api.read_record("/{participation_id:uuid}", "read")
    update_participation = record_api.update_record(
        "/{participation_id:uuid}", "update_participation", ParticipationService.change
    )

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
