"""Legal hold (DESIGN.md §5): while a case is held, the retention job erases and archives nothing of it."""

from __future__ import annotations

from advanced_alchemy.repository import SQLAlchemyAsyncRepository

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import deny
from konfliktmanagement.domain.privacy import schemas
from konfliktmanagement.domain.privacy.access import may_hold
from konfliktmanagement.lib.clock import now
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version
from konfliktmanagement.lib.services import Service


class HeldCaseRepository(SQLAlchemyAsyncRepository[m.Case]):
    model_type = m.Case


class LegalHoldService(Service[m.Case, HeldCaseRepository]):
    repository_type = HeldCaseRepository

    async def change(self, access: CaseAccess, data: schemas.LegalHoldChange) -> m.Case:
        """Place or lift the hold (the case comes locked for writing); the reason goes into the audit trail."""
        if not may_hold(access):
            raise deny(
                self.session,
                access,
                "legal_hold",
                _("Nur die Koordination kann eine Aufbewahrungssperre setzen oder aufheben."),
            )
        case = access.case
        if data.version is not None:
            ensure_version(case, data.version)
        if not data.reason.strip():
            raise ValidationFailed([FieldError("reason", _("Bitte begründen Sie die Aufbewahrungssperre."))])
        if case.legal_hold == data.hold:
            return case
        case.legal_hold = data.hold
        case.updated_at = now()
        await self.session.flush()
        await append_event(
            self.session,
            case_id=case.id,
            actor_id=access.user.id,
            action="legal_hold_placed" if data.hold else "legal_hold_lifted",
            reason=data.reason.strip(),
        )
        return case
