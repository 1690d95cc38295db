"""What the agreement pages show, and how their forms map onto the service's input Structs.

Reads start from `load_case` (404 and an audited denial for users who may not read the case).
Parties appear only under their per-case alias: the suggestions for "who" never load a party row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.agreements import schemas
from konfliktmanagement.domain.agreements.services import ITEM_FLOW, AgreementService
from konfliktmanagement.domain.cases.loading import case_id_of, load_case
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.parties import aliases
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.clock import today
from konfliktmanagement.lib.exceptions import FieldError, NotFound, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse

IS = m.ItemStatus
# Items still to be done; past their due date they are shown as overdue.
OPEN_ITEM_STATUSES = frozenset({IS.OFFEN.value, IS.IN_UMSETZUNG.value})
# The new-agreement form carries one optional first item under these names.
FIRST_ITEM_PREFIX = "item."
_ITEM_FIELDS = ("responsible", "action", "due_on")


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


@dataclass(frozen=True, slots=True)
class ItemPage:
    case: m.Case
    responsible_suggestions: list[str]
    agreement: m.Agreement
    item: m.AgreementItem
    status_options: list[tuple[str, str]]


class AgreementPages(AgreementService):
    """The agreement service plus the reads its pages need."""

    async def new_form(self, user: m.User, case_id: UUID) -> NewAgreementPage:
        access = await load_case(self.repository.session, user, case_id, attempted="agreement:form")
        return NewAgreementPage(
            case=access.case,
            responsible_suggestions=await self._suggestions(case_id),
            # Agreements are usually written down on the day they are reached.
            defaults={"concluded_on": today().isoformat()},
        )

    async def agreement_page(self, user: m.User, agreement_id: UUID) -> AgreementPage:
        session = self.repository.session
        access = await load_case(
            session, user, await case_id_of(session, m.Agreement, agreement_id), attempted="read_agreement"
        )
        agreement = await self._agreement(agreement_id)
        due_before = today()
        rows = [
            ItemRow(item, item.status in OPEN_ITEM_STATUSES and item.due_on is not None and item.due_on < due_before)
            for item in schemas.ordered(agreement.items)
        ]
        return AgreementPage(
            case=access.case,
            responsible_suggestions=await self._suggestions(access.case.id),
            agreement=agreement,
            items=rows,
        )

    async def item_page(self, user: m.User, item_id: UUID) -> ItemPage:
        session = self.repository.session
        agreement_id = await session.scalar(select(m.AgreementItem.agreement_id).where(m.AgreementItem.id == item_id))
        if agreement_id is None:
            raise NotFound
        page = await self.agreement_page(user, agreement_id)
        item = next(row.item for row in page.items if row.item.id == item_id)
        current = IS(item.status)
        return ItemPage(
            case=page.case,
            responsible_suggestions=page.responsible_suggestions,
            agreement=page.agreement,
            item=item,
            # Only where this item may still go (the service's flow); final statuses offer themselves only.
            status_options=[(s.value, label(s)) for s in IS if s is current or s in ITEM_FLOW[current]],
        )

    async def case_id_of_agreement(self, agreement_id: UUID) -> UUID:
        """Where to return after a change the service has already allowed."""
        return await case_id_of(self.repository.session, m.Agreement, agreement_id)

    async def _suggestions(self, case_id: UUID) -> list[str]:
        """The case's aliases: items name a side as "Partei A", never a person."""
        taken = await self.repository.session.scalars(
            select(m.Participation.alias).where(m.Participation.case_id == case_id)
        )
        return sorted(taken, key=aliases.sort_key)


def agreement_values(agreement: m.Agreement) -> dict[str, Any]:
    """The agreement as form values, like a submitted form."""
    return {
        "version": str(agreement.version),
        "title": agreement.title,
        "concluded_on": agreement.concluded_on.isoformat() if agreement.concluded_on else "",
        "follow_up_result": agreement.follow_up_result or "",
        "follow_up_recorded_on": (
            agreement.follow_up_recorded_on.isoformat() if agreement.follow_up_recorded_on else ""
        ),
    }


def item_values(item: m.AgreementItem) -> dict[str, Any]:
    return {
        "version": str(item.version),
        "responsible": item.responsible,
        "action": item.action,
        "due_on": item.due_on.isoformat() if item.due_on else "",
        "status": item.status,
    }


def parse_new_agreement(form: dict[str, Any]) -> schemas.AgreementCreate:
    """The agreement, plus its first item when any of the item's fields is filled in."""
    errors: list[FieldError] = []
    agreement = item = None
    try:
        agreement = parse(schemas.AgreementCreate, form)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if any(forms.text(form, FIRST_ITEM_PREFIX + name).strip() for name in _ITEM_FIELDS):
        try:
            item = parse(schemas.ItemCreate, form, prefix=FIRST_ITEM_PREFIX)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors or agreement is None:
        raise ValidationFailed(errors)
    return msgspec.structs.replace(agreement, items=[item] if item else [])


def new_agreement_errors(exc: ValidationFailed) -> dict[str, str]:
    """Errors by form field: the service names the first item `items[0].…`, the form `item.…`."""
    return {name.replace("items[0].", FIRST_ITEM_PREFIX): message for name, message in field_errors(exc).items()}
