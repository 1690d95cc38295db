"""What the administration-request pages show, composed from the services (no rules of their own)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.cases.services import CaseService

TEXT_FIELDS = ("department", "subject", "status", "answer", "submitted_on", "answered_on")


@dataclass(frozen=True, slots=True)
class RequestPage:
    row: m.AdministrationRequest
    case: m.Case
    editable: bool

    @property
    def values(self) -> dict[str, str]:
        """The stored request as the form shows it (dates as ISO, what `<input type=date>` expects)."""
        values = {"version": str(self.row.version)}
        for name in TEXT_FIELDS:
            value = getattr(self.row, name)
            values[name] = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
        return values


async def request_page(
    requests: AdministrationRequestService, cases: CaseService, user: m.User, request_id: UUID
) -> RequestPage:
    row = await requests.detail(user, request_id)
    case = (await cases.access(user, row.case_id)).case
    return RequestPage(row=row, case=case, editable=case.status != m.CaseStatus.ARCHIVIERT)
