"""What the administration-request pages show, composed from the service (no rules of their own)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.administration.services import AdministrationRequestService

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


class AdministrationRequestPageQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.requests = AdministrationRequestService(session=db_session)

    async def request(self, user: Principal, request_id: UUID) -> RequestPage:
        # The request's case is loaded once, by `find`, and decides whether it exists for this user.
        access, row = await self.requests.find(user, request_id, attempted="read_administration_request")
        return RequestPage(row=row, case=access.case, editable=not access.is_closed)
