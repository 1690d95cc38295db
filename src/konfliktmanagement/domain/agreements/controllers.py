"""`/api/v1/.../agreements` and `/api/v1/agreement-items`: agreements of a case and their items.

`server/app.py` registers everything listed in `API_CONTROLLERS`. No role guard here: a case's
agreements answer 404 to anyone who may not read the case, round-table members and admins included.
"""

from __future__ import annotations

from litestar import Controller, get, patch, post
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
from konfliktmanagement.domain.cases.deps import Access, case_access


class AgreementApiController(Controller):
    path = "/api/v1"
    dependencies = agreement_dependencies
    tags = ["Vereinbarungen"]  # noqa: RUF012

    @get("/cases/{case_id:uuid}/agreements", dependencies=case_access("read_agreements"))
    async def list_agreements(self, agreements: Agreements, access: Access) -> list[schemas.AgreementOut]:
        return [schemas.agreement_out(a) for a in await agreements.list_for_case(access)]

    @post("/cases/{case_id:uuid}/agreements", dependencies=case_access("create_agreement", for_write=True))
    async def create_agreement(
        self, agreements: Agreements, access: Access, data: JSONBody[schemas.AgreementCreate]
    ) -> schemas.AgreementOut:
        return schemas.agreement_out(await agreements.conclude(access, data))

    @get("/agreements/{agreement_id:uuid}", dependencies=agreement_record("read_agreement"))
    async def get_agreement(self, found: FoundAgreement) -> schemas.AgreementOut:
        return schemas.agreement_out(found.record)

    @patch("/agreements/{agreement_id:uuid}", dependencies=agreement_record("update_agreement", for_write=True))
    async def update_agreement(
        self, agreements: Agreements, found: FoundAgreement, data: JSONBody[schemas.AgreementUpdate]
    ) -> schemas.AgreementOut:
        return schemas.agreement_out(await agreements.revise(found, data))

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
