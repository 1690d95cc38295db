"""Administration requests (Anliegen an Verwaltung) of a case: create, read, update.

Every change is written to the case's audit trail with ids, field names and status values only:
subject and answer are free text and stay out of it (DESIGN.md §5).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.administration import schemas
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.records import CaseRecord, CaseRecordService, add_record, revise_record
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import required_text, stored

RS = m.AdministrationRequestStatus

# The department has decided: the day of its answer belongs to the record.
ANSWERED = frozenset({RS.BEANTWORTET, RS.UMGESETZT, RS.ABGELEHNT})


class AdministrationRequestRepository(SQLAlchemyAsyncRepository[m.AdministrationRequest]):
    model_type = m.AdministrationRequest


class AdministrationRequestService(CaseRecordService[m.AdministrationRequest, AdministrationRequestRepository]):
    repository_type = AdministrationRequestRepository
    list_order = (m.AdministrationRequest.created_at, m.AdministrationRequest.id)

    async def record(self, access: CaseAccess, data: schemas.RequestCreate) -> m.AdministrationRequest:
        fields = msgspec.structs.asdict(data)
        errors: list[FieldError] = []
        for name in ("department", "subject"):
            fields[name] = required_text(errors, name, fields[name])
        _check_answer(errors, fields)
        if errors:
            raise ValidationFailed(errors)
        return await add_record(
            self.session,
            access,
            m.AdministrationRequest(case_id=access.case_id, **{k: stored(v) for k, v in fields.items()}),
            event="administration_request_created",
            details=lambda saved: {"request_id": str(saved.id), "status": saved.status},
        )

    async def revise(
        self, found: CaseRecord[m.AdministrationRequest], data: schemas.RequestUpdate
    ) -> m.AdministrationRequest:
        access, row = found
        before = row.status

        async def validate(changes: dict[str, Any]) -> dict[str, Any]:
            errors: list[FieldError] = []
            for name in ("department", "subject"):
                if name in changes:
                    changes[name] = required_text(errors, name, changes[name])
            _check_answer(
                errors,
                {name: changes.get(name, getattr(row, name)) for name in ("status", "submitted_on", "answered_on")},
            )
            if errors:
                raise ValidationFailed(errors)
            return changes

        def details(changed: list[str]) -> dict[str, Any]:
            result: dict[str, Any] = {"request_id": str(row.id)}
            if "status" in changed:
                result["status_from"], result["status_to"] = before, row.status
            return result

        await revise_record(
            self.session,
            access,
            row,
            data,
            validate=validate,
            event="administration_request_updated",
            details=details,
        )
        return row


def _check_answer(errors: list[FieldError], fields: dict[str, Any]) -> None:
    """An answer comes after the request went out, and a decided request says when it was answered."""
    status = RS(fields["status"])
    submitted: date | None = fields["submitted_on"]
    answered: date | None = fields["answered_on"]
    if status in ANSWERED and answered is None:
        errors.append(FieldError("answered_on", _("Bitte das Datum der Antwort angeben.")))
    if submitted is not None and answered is not None and answered < submitted:
        errors.append(FieldError("answered_on", _("Die Antwort liegt vor der Einreichung.")))
