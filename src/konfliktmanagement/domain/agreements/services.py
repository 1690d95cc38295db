"""Agreements (Vereinbarungen) and their items: create, read, update, and the item status flow.

Every change is written to the case's audit trail with ids, field names and status values only:
titles, names and actions are free text and stay out of it (DESIGN.md §5).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.agreements import schemas
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import case_id_of, load_case
from konfliktmanagement.lib.clock import now, today
from konfliktmanagement.lib.exceptions import Conflict, FieldError, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import apply_changes, ensure_version, provided, required_text

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


class AgreementService(SQLAlchemyAsyncRepositoryService[m.Agreement, AgreementRepository]):
    """The agreement aggregate: an agreement and its items are read and changed together."""

    repository_type = AgreementRepository

    async def list_for_case(self, access: CaseAccess) -> list[m.Agreement]:
        return list(
            await self.repository.session.scalars(
                select(m.Agreement)
                .where(m.Agreement.case_id == access.case_id)
                .options(selectinload(m.Agreement.items))
                .order_by(m.Agreement.created_at, m.Agreement.id)
            )
        )

    async def detail(self, user: m.User, agreement_id: UUID) -> m.Agreement:
        await load_case(
            self.repository.session,
            user,
            await case_id_of(self.repository.session, m.Agreement, agreement_id),
            attempted="read_agreement",
        )
        return await self._agreement(agreement_id)

    async def create(self, user: m.User, case_id: UUID, data: schemas.AgreementCreate) -> m.Agreement:
        session = self.repository.session
        await load_case(self.repository.session, user, case_id, attempted="create_agreement", for_write=True)
        errors: list[FieldError] = []
        title = required_text(errors, "title", data.title)
        _not_in_future(errors, "concluded_on", data.concluded_on)
        for index, item in enumerate(data.items):
            _check_item(errors, f"items[{index}].", item.responsible, item.action, item.due_on, data.concluded_on)
        if errors:
            raise ValidationFailed(errors)
        agreement = m.Agreement(
            case_id=case_id,
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
        session.add(agreement)
        await session.flush()
        await append_event(
            session,
            case_id=case_id,
            actor_id=user.id,
            action="agreement_created",
            details={"agreement_id": str(agreement.id), "item_ids": [str(item.id) for item in agreement.items]},
        )
        return await self._agreement(agreement.id)

    async def update(self, user: m.User, agreement_id: UUID, data: schemas.AgreementUpdate) -> m.Agreement:
        session = self.repository.session
        await load_case(
            self.repository.session,
            user,
            await case_id_of(self.repository.session, m.Agreement, agreement_id),
            attempted="update_agreement",
            for_write=True,
        )
        agreement = await self._agreement(agreement_id)
        ensure_version(agreement, data.version)
        changes = provided(data)
        errors: list[FieldError] = []
        if "title" in changes:
            changes["title"] = required_text(errors, "title", changes["title"])
        if "concluded_on" in changes:
            _not_in_future(errors, "concluded_on", changes["concluded_on"])
            concluded = changes["concluded_on"]
            if concluded and any(item.due_on and item.due_on < concluded for item in agreement.items):
                errors.append(FieldError("concluded_on", _("Ein Punkt ist vor diesem Datum fällig.")))
        _check_follow_up(errors, agreement, changes)
        if errors:
            raise ValidationFailed(errors)
        changed = apply_changes(agreement, changes)
        if changed:
            agreement.updated_at = now()
            await session.flush()
            details: dict[str, Any] = {"agreement_id": str(agreement.id), "fields": changed}
            if "follow_up_result" in changed:
                details["follow_up_result"] = agreement.follow_up_result
            await append_event(
                session, case_id=agreement.case_id, actor_id=user.id, action="agreement_updated", details=details
            )
        return await self._agreement(agreement.id)

    async def add_item(self, user: m.User, agreement_id: UUID, data: schemas.ItemCreate) -> m.AgreementItem:
        session = self.repository.session
        await load_case(
            self.repository.session,
            user,
            await case_id_of(self.repository.session, m.Agreement, agreement_id),
            attempted="add_agreement_item",
            for_write=True,
        )
        agreement = await self._agreement(agreement_id)
        errors: list[FieldError] = []
        _check_item(errors, "", data.responsible, data.action, data.due_on, agreement.concluded_on)
        if errors:
            raise ValidationFailed(errors)
        last = await session.scalar(
            select(func.max(m.AgreementItem.position)).where(m.AgreementItem.agreement_id == agreement.id)
        )
        item = m.AgreementItem(
            agreement_id=agreement.id,
            position=data.position or (last or 0) + 1,
            responsible=data.responsible.strip(),
            action=data.action.strip(),
            due_on=data.due_on,
            status=IS.OFFEN.value,
        )
        session.add(item)
        await session.flush()
        await append_event(
            session,
            case_id=agreement.case_id,
            actor_id=user.id,
            action="agreement_item_added",
            details={"agreement_id": str(agreement.id), "item_id": str(item.id), "status": item.status},
        )
        return item

    async def update_item(self, user: m.User, item_id: UUID, data: schemas.ItemUpdate) -> m.AgreementItem:
        session = self.repository.session
        case_id = await session.scalar(
            select(m.Agreement.case_id)
            .join(m.AgreementItem, m.AgreementItem.agreement_id == m.Agreement.id)
            .where(m.AgreementItem.id == item_id)
        )
        if case_id is None:
            raise NotFound
        await load_case(self.repository.session, user, case_id, attempted="update_agreement_item", for_write=True)
        # Read under the case lock, so a concurrent change of the agreement's date is seen.
        item = await session.get_one(m.AgreementItem, item_id, populate_existing=True)
        concluded_on = await session.scalar(select(m.Agreement.concluded_on).where(m.Agreement.id == item.agreement_id))
        ensure_version(item, data.version)
        changes = provided(data)
        errors: list[FieldError] = []
        for name in ("responsible", "action"):
            if name in changes:
                changes[name] = required_text(errors, name, changes[name])
        if "due_on" in changes:
            _check_due(errors, "due_on", changes["due_on"], concluded_on)
        if errors:
            raise ValidationFailed(errors)
        before = IS(item.status)
        if "status" in changes and changes["status"] is not before and changes["status"] not in ITEM_FLOW[before]:
            raise Conflict(
                _("Ein Punkt mit dem Status „%(status)s“ kann nicht mehr nach „%(target)s“ wechseln.")
                % {"status": before.value, "target": changes["status"].value},
                extra={"field": "status", "current_status": before.value},
            )
        changed = apply_changes(item, changes)
        if changed:
            item.updated_at = now()
            await session.flush()
            details: dict[str, Any] = {
                "agreement_id": str(item.agreement_id),
                "item_id": str(item.id),
                "fields": changed,
            }
            if "status" in changed:
                details["status_from"], details["status_to"] = before.value, item.status
            await append_event(
                session, case_id=case_id, actor_id=user.id, action="agreement_item_updated", details=details
            )
        return item

    async def _agreement(self, agreement_id: UUID) -> m.Agreement:
        # populate_existing: items added or changed in this session must show in the answer.
        return await self.repository.session.get_one(
            m.Agreement, agreement_id, options=[selectinload(m.Agreement.items)], populate_existing=True
        )


def _not_in_future(errors: list[FieldError], field: str, value: date | None) -> None:
    if value is not None and value > today():
        errors.append(FieldError(field, _("Das Datum darf nicht in der Zukunft liegen.")))


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
    if "follow_up_recorded_on" in changes:
        _not_in_future(errors, "follow_up_recorded_on", recorded)
    if recorded is not None and concluded is not None and recorded < concluded:
        field = "follow_up_recorded_on" if "follow_up_recorded_on" in changes else "concluded_on"
        errors.append(FieldError(field, _("Die Nachbetreuung liegt vor dem Abschluss der Vereinbarung.")))
