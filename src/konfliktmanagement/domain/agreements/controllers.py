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
    agreement_dependencies,
    agreement_record,
    item_record,
)
from konfliktmanagement.domain.agreements.services import AgreementService
from konfliktmanagement.domain.cases.record_api import CaseRecordApi

_agreements = CaseRecordApi(AgreementService, "agreements", agreement_record, schemas.agreement_out)


class AgreementApiController(Controller):
    path = "/api/v1"
    dependencies = agreement_dependencies
    tags = ["Vereinbarungen"]  # noqa: RUF012

    list_agreements = _agreements.list_for_case(
        "list_agreements", "/cases/{case_id:uuid}/agreements", "read_agreements", AgreementService.list_for_case
    )
    create_agreement = _agreements.create_for_case(
        "create_agreement", "/cases/{case_id:uuid}/agreements", "create_agreement", AgreementService.conclude
    )
    get_agreement = _agreements.read("get_agreement", "/agreements/{agreement_id:uuid}", "read_agreement")
    update_agreement = _agreements.update(
        "update_agreement", "/agreements/{agreement_id:uuid}", "update_agreement", AgreementService.revise
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
