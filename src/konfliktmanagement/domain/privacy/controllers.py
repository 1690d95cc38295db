"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

The party routes answer 404 to anyone who may not read a case of the party (audited), like the
party's own routes (`domain/parties/controllers.py`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import CaseAccess, Write
from konfliktmanagement.domain.cases.deps import case_access
from konfliktmanagement.domain.privacy import schemas
from konfliktmanagement.domain.privacy.deps import privacy_dependencies
from konfliktmanagement.domain.privacy.legal_hold import LegalHoldService
from konfliktmanagement.domain.privacy.subject_rights import PartyRightsService

User = Request[Principal, Any, Any]


class PartyRightsApiController(Controller):
    path = "/api/v1/parties"
    dependencies = privacy_dependencies
    tags = ["Datenschutz"]  # noqa: RUF012

    @get("/{party_id:uuid}/export")
    async def export_party(
        self, request: User, party_rights: NamedDependency[PartyRightsService], party_id: FromPath[UUID]
    ) -> schemas.PartyExport:
        """Art. 15: everything stored about the party (the PDF: the party page's "Auskunft")."""
        return await party_rights.export(request.user, party_id)

    @post("/{party_id:uuid}/erasure", status_code=200)
    async def erase_party(
        self,
        request: User,
        party_rights: NamedDependency[PartyRightsService],
        party_id: FromPath[UUID],
        data: JSONBody[schemas.ErasureRequest],
    ) -> schemas.ErasureOut:
        """Art. 17: irreversible; `confirm: true` and a `reason` are required; a repeat changes nothing."""
        return await party_rights.erase(request.user, party_id, data)


class LegalHoldApiController(Controller):
    path = "/api/v1/cases"
    dependencies = privacy_dependencies
    tags = ["Datenschutz"]  # noqa: RUF012

    @put("/{case_id:uuid}/legal-hold", dependencies=case_access("legal_hold", for_write=Write.LIFECYCLE))
    async def change_legal_hold(
        self,
        legal_holds: NamedDependency[LegalHoldService],
        access: NamedDependency[CaseAccess],
        data: JSONBody[schemas.LegalHoldChange],
    ) -> schemas.LegalHoldOut:
        case = await legal_holds.change(access, data)
        return schemas.LegalHoldOut(case.id, case.reference, case.legal_hold, case.version)


API_CONTROLLERS: list[type[Controller]] = [PartyRightsApiController, LegalHoldApiController]
