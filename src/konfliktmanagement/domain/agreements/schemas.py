"""API shapes for agreements (Vereinbarungen) and their items (who does what by when)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.structs import Input, RecordOut, RecordPatch, from_row

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Responsible = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Action = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Position = Annotated[int, msgspec.Meta(ge=1, le=10000)]


class ItemCreate(Input):
    """A new item starts `offen`; without a position it goes to the end."""

    responsible: Responsible
    action: Action
    due_on: date | None = None
    position: Position | None = None


class ItemUpdate(RecordPatch):
    responsible: Responsible | msgspec.UnsetType = msgspec.UNSET
    action: Action | msgspec.UnsetType = msgspec.UNSET
    due_on: date | msgspec.UnsetType | None = msgspec.UNSET
    position: Position | msgspec.UnsetType = msgspec.UNSET
    status: m.ItemStatus | msgspec.UnsetType = msgspec.UNSET


class AgreementCreate(Input):
    past_only = frozenset({"concluded_on"})
    title: Title
    concluded_on: date | None = None
    items: Annotated[list[ItemCreate], msgspec.Meta(max_length=100)] = msgspec.field(default_factory=list)


class AgreementUpdate(RecordPatch):
    """The follow-up result and the day it was recorded are set (or cleared) together."""

    past_only = frozenset({"concluded_on", "follow_up_recorded_on"})
    title: Title | msgspec.UnsetType = msgspec.UNSET
    concluded_on: date | msgspec.UnsetType | None = msgspec.UNSET
    follow_up_result: m.FollowUpResult | msgspec.UnsetType | None = msgspec.UNSET
    follow_up_recorded_on: date | msgspec.UnsetType | None = msgspec.UNSET


class ItemOut(RecordOut):
    id: UUID
    agreement_id: UUID
    position: int
    responsible: str
    action: str
    due_on: date | None
    status: m.ItemStatus


class AgreementOut(RecordOut):
    id: UUID
    case_id: UUID
    title: str
    concluded_on: date | None
    follow_up_result: m.FollowUpResult | None
    follow_up_recorded_on: date | None
    items: list[ItemOut]


def ordered(items: list[m.AgreementItem]) -> list[m.AgreementItem]:
    """By position; items sharing a position keep the order they were added in (UUIDv7 ids are time-ordered)."""
    return sorted(items, key=lambda item: (item.position, item.id))


def item_out(item: m.AgreementItem) -> ItemOut:
    return from_row(item, ItemOut)


def agreement_out(agreement: m.Agreement) -> AgreementOut:
    return from_row(agreement, AgreementOut, items=ordered(agreement.items))
