"""`/api/v1/.../agreements` and `/api/v1/agreement-items`: agreements of a case and their items.

`server/app.py` registers everything listed in `API_CONTROLLERS`. No role guard here: a case's
agreements answer 404 to anyone who may not read the case, round-table members and admins included.
"""

from __future__ import annotations

from litestar import Controller, patch, post
from litestar.params import JSONBody

from konfliktmanagement.domain.agreements import schemas
from konfliktmanagement.domain.agreements.deps import (
    Agreements,
    FoundAgreement,
    FoundAgreementItem,
    agreement_record,
    item_record,
)
from konfliktmanagement.domain.agreements.services import AgreementService
from konfliktmanagement.domain.cases import record_api


class AgreementApiController(
    record_api.CaseRecordController, records=agreement_record, out=schemas.agreement_out, tags=["Vereinbarungen"]
):
    list_agreements = record_api.list_records("/cases/{case_id:uuid}/agreements", "read_agreements")
    create_agreement = record_api.create_record(
        "/cases/{case_id:uuid}/agreements", "create_agreement", AgreementService.conclude
    )
    get_agreement = record_api.read_record("/agreements/{agreement_id:uuid}", "read_agreement")
    update_agreement = record_api.update_record(
        "/agreements/{agreement_id:uuid}", "update_agreement", AgreementService.revise
    )

    @post("/agreements/{agreement_id:uuid}/items", dependencies=agreement_record("add_agreement_item", for_write=True))
    async def add_agreement_item(
        self, agreements: Agreements, found: FoundAgreement, data: JSONBody[schemas.ItemCreate]
    ) -> schemas.ItemOut:
        return schemas.item_out((await agreements.add_item(found, data)).item)

    @patch("/agreement-items/{item_id:uuid}", dependencies=item_record("update_agreement_item", for_write=True))
    async def update_agreement_item(
        self, agreements: Agreements, found: FoundAgreementItem, data: JSONBody[schemas.ItemUpdate]
    ) -> schemas.ItemOut:
        return schemas.item_out((await agreements.revise_item(found, data)).item)


API_CONTROLLERS: list[type[Controller]] = [AgreementApiController]
