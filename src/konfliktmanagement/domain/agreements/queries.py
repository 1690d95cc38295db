"""What the agreement pages show: a new agreement, an agreement with its items, one item.

The case comes as the request's access object (new agreement) or through `AgreementService.find`
(an existing agreement or item): 404 and an audited denial for users who may not read the case.
Parties appear only under their per-case alias: the suggestions for "who" never load a party row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.agreements import schemas
from konfliktmanagement.domain.agreements.services import ITEM_FLOW, AgreementService
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.parties import aliases
from konfliktmanagement.lib.clock import today

IS = m.ItemStatus
# Items still to be done; past their due date they are shown as overdue.
OPEN_ITEM_STATUSES = frozenset({IS.OFFEN.value, IS.IN_UMSETZUNG.value})


@dataclass(frozen=True, slots=True)
class ItemRow:
    item: m.AgreementItem
    overdue: bool


@dataclass(frozen=True, slots=True)
class NewAgreementPage:
    case: m.Case
    responsible_suggestions: list[str]
    defaults: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AgreementPage:
    """An agreement with its items, in order, and the case it belongs to."""

    case: m.Case
    responsible_suggestions: list[str]
    agreement: m.Agreement
    items: list[ItemRow]

    @property
    def values(self) -> dict[str, str]:
        """The agreement as form values, like a submitted form."""
        agreement = self.agreement
        return {
            "version": str(agreement.version),
            "title": agreement.title,
            "concluded_on": _day(agreement.concluded_on),
            "follow_up_result": agreement.follow_up_result or "",
            "follow_up_recorded_on": _day(agreement.follow_up_recorded_on),
        }


@dataclass(frozen=True, slots=True)
class ItemPage:
    case: m.Case
    responsible_suggestions: list[str]
    agreement: m.Agreement
    item: m.AgreementItem
    status_options: list[tuple[str, str]]

    @property
    def values(self) -> dict[str, str]:
        item = self.item
        return {
            "version": str(item.version),
            "responsible": item.responsible,
            "action": item.action,
            "due_on": _day(item.due_on),
            "status": item.status,
        }


class AgreementPageQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session
        self.agreements = AgreementService(session=db_session)

    async def new_agreement(self, access: CaseAccess) -> NewAgreementPage:
        return NewAgreementPage(
            case=access.case,
            responsible_suggestions=await self._suggestions(access.case_id),
            # Agreements are usually written down on the day they are reached.
            defaults={"concluded_on": today().isoformat()},
        )

    async def agreement(self, user: Principal, agreement_id: UUID) -> AgreementPage:
        access, agreement = await self.agreements.find(user, agreement_id, attempted="read_agreement")
        return await self._page(access, agreement)

    async def item(self, user: Principal, item_id: UUID) -> ItemPage:
        access, agreement, item = await self.agreements.find_item(user, item_id, attempted="read_agreement")
        page = await self._page(access, agreement)
        current = IS(item.status)
        return ItemPage(
            case=page.case,
            responsible_suggestions=page.responsible_suggestions,
            agreement=agreement,
            item=item,
            # Only where this item may still go (the service's flow); final statuses offer themselves only.
            status_options=[(s.value, label(s)) for s in IS if s is current or s in ITEM_FLOW[current]],
        )

    async def _page(self, access: CaseAccess, agreement: m.Agreement) -> AgreementPage:
        due_before = today()
        rows = [
            ItemRow(item, item.status in OPEN_ITEM_STATUSES and item.due_on is not None and item.due_on < due_before)
            for item in schemas.ordered(agreement.items)
        ]
        return AgreementPage(
            case=access.case,
            responsible_suggestions=await self._suggestions(access.case_id),
            agreement=agreement,
            items=rows,
        )

    async def _suggestions(self, case_id: UUID) -> list[str]:
        """The case's aliases: items name a side as "Partei A", never a person."""
        taken = await self.session.scalars(select(m.Participation.alias).where(m.Participation.case_id == case_id))
        return sorted(taken, key=aliases.sort_key)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""
