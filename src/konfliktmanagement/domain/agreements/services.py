"""Agreements (Vereinbarungen) and their items: create, read, update, and the item status flow.

Every change is written to the case's audit trail with ids, field names and status values only:
titles, names and actions are free text and stay out of it (DESIGN.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.agreements import schemas
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import load_case
from konfliktmanagement.domain.cases.records import (
    CaseRecord,
    CaseRecordService,
    add_record,
    refused_status,
    revise_record,
)
from konfliktmanagement.lib.exceptions import FieldError, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import required_text

IS = m.ItemStatus

# Where an item may go from each status. Final statuses lead nowhere: what was done (or dropped)
# stays recorded as such; a new item is the way to agree on something again.
ITEM_FLOW: dict[m.ItemStatus, frozenset[m.ItemStatus]] = {
    IS.OFFEN: frozenset({IS.IN_UMSETZUNG, IS.UMGESETZT, IS.NICHT_UMGESETZT, IS.OBSOLET}),
    IS.IN_UMSETZUNG: frozenset({IS.UMGESETZT, IS.NICHT_UMGESETZT, IS.OBSOLET}),
    IS.UMGESETZT: frozenset(),
    IS.NICHT_UMGESETZT: frozenset(),
    IS.OBSOLET: frozenset(),
}


class AgreementRepository(SQLAlchemyAsyncRepository[m.Agreement]):
    model_type = m.Agreement


@dataclass(frozen=True, slots=True)
class SavedItem:
    """An item as saved, and the case it belongs to (an item knows only its agreement)."""

    case_id: UUID
    item: m.AgreementItem


class FoundItem(NamedTuple):
    """An item with its agreement (and all its items) and its case's access, as `find_item` answers them."""

    access: CaseAccess
    agreement: m.Agreement
    item: m.AgreementItem


class AgreementService(CaseRecordService[m.Agreement, AgreementRepository]):
    """The agreement aggregate: an agreement and its items are read and changed together."""

    repository_type = AgreementRepository
    record_load = (selectinload(m.Agreement.items),)

    async def list_for_case(self, access: CaseAccess) -> list[m.Agreement]:
        # The items joined in: one statement for the case page's agreements.
        agreements = await self.session.scalars(
            select(m.Agreement)
            .where(m.Agreement.case_id == access.case_id)
            .options(joinedload(m.Agreement.items))
            .order_by(m.Agreement.created_at, m.Agreement.id)
        )
        return list(agreements.unique())

    async def find_item(self, user: Principal, item_id: UUID, *, attempted: str, for_write: bool = False) -> FoundItem:
        """The item, its agreement (with all items) and its case, as `find` answers an agreement."""
        session = self.session
        row = (
            await session.execute(
                select(m.Agreement.case_id, m.Agreement.id)
                .join(m.AgreementItem, m.AgreementItem.agreement_id == m.Agreement.id)
                .where(m.AgreementItem.id == item_id)
            )
        ).first()
        if row is None:
            raise NotFound
        access = await load_case(session, user, row.case_id, attempted=attempted, for_write=for_write)
        # Read under the case lock, so a concurrent change of the agreement's date is seen.
        agreement = await self.reload(row.id)
        return FoundItem(access, agreement, next(item for item in agreement.items if item.id == item_id))

    async def conclude(self, access: CaseAccess, data: schemas.AgreementCreate) -> m.Agreement:
        """Write down an agreement the parties reached, with its first items."""
        errors: list[FieldError] = []
        title = required_text(errors, "title", data.title)
        for index, item in enumerate(data.items):
            _check_item(errors, f"items[{index}].", item.responsible, item.action, item.due_on, data.concluded_on)
        if errors:
            raise ValidationFailed(errors)
        agreement = m.Agreement(
            case_id=access.case_id,
            title=title,
            concluded_on=data.concluded_on,
            items=[
                m.AgreementItem(
                    position=item.position or index + 1,
                    responsible=item.responsible.strip(),
                    action=item.action.strip(),
                    due_on=item.due_on,
                    status=IS.OFFEN.value,
                )
                for index, item in enumerate(data.items)
            ],
        )
        await add_record(
            self.session,
            access,
            agreement,
            event="agreement_created",
            details=lambda saved: {"agreement_id": str(saved.id), "item_ids": [str(item.id) for item in saved.items]},
        )
        return await self.reload(agreement.id)

    async def revise(self, found: CaseRecord[m.Agreement], data: schemas.AgreementUpdate) -> m.Agreement:
        access, agreement = found

        async def validate(changes: dict[str, Any]) -> dict[str, Any]:
            errors: list[FieldError] = []
            if "title" in changes:
                changes["title"] = required_text(errors, "title", changes["title"])
            if "concluded_on" in changes:
                concluded = changes["concluded_on"]
                if concluded and any(item.due_on and item.due_on < concluded for item in agreement.items):
                    errors.append(FieldError("concluded_on", _("Ein Punkt ist vor diesem Datum fällig.")))
            _check_follow_up(errors, agreement, changes)
            if errors:
                raise ValidationFailed(errors)
            return changes

        def details(changed: list[str]) -> dict[str, Any]:
            # The result is one of a few categories, not free text, so the trail may name it.
            result: dict[str, Any] = {"agreement_id": str(agreement.id)}
            if "follow_up_result" in changed:
                result["follow_up_result"] = agreement.follow_up_result
            return result

        await revise_record(
            self.session, access, agreement, data, validate=validate, event="agreement_updated", details=details
        )
        return await self.reload(agreement.id)

    async def add_item(self, found: CaseRecord[m.Agreement], data: schemas.ItemCreate) -> SavedItem:
        access, agreement = found
        errors: list[FieldError] = []
        _check_item(errors, "", data.responsible, data.action, data.due_on, agreement.concluded_on)
        if errors:
            raise ValidationFailed(errors)
        last = max((item.position for item in agreement.items), default=0)
        item = m.AgreementItem(
            agreement_id=agreement.id,
            position=data.position or last + 1,
            responsible=data.responsible.strip(),
            action=data.action.strip(),
            due_on=data.due_on,
            status=IS.OFFEN.value,
        )
        # Into the loaded agreement too: what this request reads next (the case page's section) shows it.
        agreement.items.append(item)
        await add_record(
            self.session,
            access,
            item,
            event="agreement_item_added",
            details=lambda saved: {"agreement_id": str(agreement.id), "item_id": str(saved.id), "status": saved.status},
        )
        return SavedItem(access.case_id, item)

    async def revise_item(self, found: FoundItem, data: schemas.ItemUpdate) -> SavedItem:
        access, agreement, item = found
        before = IS(item.status)

        async def validate(changes: dict[str, Any]) -> dict[str, Any]:
            errors: list[FieldError] = []
            for name in ("responsible", "action"):
                if name in changes:
                    changes[name] = required_text(errors, name, changes[name])
            if "due_on" in changes:
                _check_due(errors, "due_on", changes["due_on"], agreement.concluded_on)
            if errors:
                raise ValidationFailed(errors)
            target = changes.get("status", before)
            if target is not before and target not in ITEM_FLOW[before]:
                raise refused_status(
                    _("Ein Punkt mit dem Status „%(status)s“ kann nicht mehr nach „%(target)s“ wechseln.")
                    % {"status": before.value, "target": target.value},
                    current_status=before.value,
                )
            return changes

        def details(changed: list[str]) -> dict[str, Any]:
            result: dict[str, Any] = {"agreement_id": str(item.agreement_id), "item_id": str(item.id)}
            if "status" in changed:
                result["status_from"], result["status_to"] = before.value, item.status
            return result

        await revise_record(
            self.session, access, item, data, validate=validate, event="agreement_item_updated", details=details
        )
        return SavedItem(access.case_id, item)


def _check_due(errors: list[FieldError], field: str, due_on: date | None, concluded_on: date | None) -> None:
    if due_on is not None and concluded_on is not None and due_on < concluded_on:
        errors.append(FieldError(field, _("Die Frist liegt vor dem Abschluss der Vereinbarung.")))


def _check_item(
    errors: list[FieldError],
    prefix: str,
    responsible: str,
    action: str,
    due_on: date | None,
    concluded_on: date | None,
) -> None:
    required_text(errors, f"{prefix}responsible", responsible)
    required_text(errors, f"{prefix}action", action)
    _check_due(errors, f"{prefix}due_on", due_on, concluded_on)


def _check_follow_up(errors: list[FieldError], agreement: m.Agreement, changes: dict[str, Any]) -> None:
    """The result and the day it was recorded go together; that day is not before the agreement."""
    result = changes.get("follow_up_result", agreement.follow_up_result)
    recorded = changes.get("follow_up_recorded_on", agreement.follow_up_recorded_on)
    concluded = changes.get("concluded_on", agreement.concluded_on)
    if result is not None and recorded is None:
        errors.append(FieldError("follow_up_recorded_on", _("Bitte das Datum der Nachbetreuung angeben.")))
    if recorded is not None and result is None:
        errors.append(FieldError("follow_up_result", _("Bitte das Ergebnis der Nachbetreuung angeben.")))
    if recorded is not None and concluded is not None and recorded < concluded:
        field = "follow_up_recorded_on" if "follow_up_recorded_on" in changes else "concluded_on"
        errors.append(FieldError(field, _("Die Nachbetreuung liegt vor dem Abschluss der Vereinbarung.")))
