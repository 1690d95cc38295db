"""API shapes for cases. Never contains the record key (DESIGN.md §7)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.structs import Input, RecordOut, RecordPatch, from_row

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
LongText = Annotated[str, msgspec.Meta(max_length=20000)]
Reason = Annotated[str, msgspec.Meta(max_length=4000)]
Escalation = Annotated[int, msgspec.Meta(ge=1, le=9)]


class Ref(msgspec.Struct):
    id: UUID
    name: str


class CodeRef(msgspec.Struct):
    id: UUID
    code: str
    name: str


class CaseCreate(Input):
    title: Title
    description: LongText | None = None
    conflict_type_id: UUID | None = None
    quartier_id: UUID | None = None
    place_id: UUID | None = None
    referral_source: m.ReferralSource = m.ReferralSource.SONSTIGE
    urgency: m.Urgency = m.Urgency.NORMAL
    escalation_level: Escalation | None = None


class CaseUpdate(RecordPatch):
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType | None = msgspec.UNSET
    conflict_type_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    quartier_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    place_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    referral_source: m.ReferralSource | msgspec.UnsetType = msgspec.UNSET
    urgency: m.Urgency | msgspec.UnsetType = msgspec.UNSET
    escalation_level: Escalation | msgspec.UnsetType | None = msgspec.UNSET
    phase: m.MediationPhase | msgspec.UnsetType | None = msgspec.UNSET
    resubmission_date: date | msgspec.UnsetType | None = msgspec.UNSET
    follow_up_date: date | msgspec.UnsetType | None = msgspec.UNSET


class MediatorAssignment(Input):
    version: int
    mediator_ids: Annotated[list[UUID], msgspec.Meta(max_length=4)]


class CaseSummary(RecordOut):
    id: UUID
    reference: str
    title: str
    status: m.CaseStatus
    phase: m.MediationPhase | None
    urgency: m.Urgency
    conflict_type: CodeRef | None
    quartier: CodeRef | None
    place: Ref | None
    mediators: list[Ref]
    resubmission_date: date | None
    follow_up_date: date | None


# Keyword-only like the record fields, so the detail follows `version` in the answer, as it always has.
class CaseDetail(CaseSummary, kw_only=True):
    description: str | None
    referral_source: m.ReferralSource
    escalation_level: int | None
    outcome: m.Outcome | None
    closure_reason: str | None
    referral_recipient: str | None
    no_follow_up_reason: str | None
    reopen_count: int
    resume_to: m.CaseStatus | None
    closed_at: datetime | None
    legal_hold: bool


class TransitionRequest(Input):
    to: m.CaseStatus
    reason: Reason | None = None
    outcome: m.Outcome | None = None
    recipient: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    resubmission_date: date | None = None
    follow_up_date: date | None = None
    override: bool = False
    version: int | None = None


class MissingItem(msgspec.Struct):
    guard: str
    message: str


class TransitionOption(msgspec.Struct):
    to: m.CaseStatus
    label: str
    allowed: bool
    override: bool
    """True when this user may perform it only as a coordinator's override (with a reason)."""
    missing: list[MissingItem]


class CaseEventOut(msgspec.Struct):
    seq: int
    occurred_at: datetime
    actor_id: UUID | None
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    details: dict[str, object]
    hash: str


class CaseListOut(msgspec.Struct):
    items: list[CaseSummary]
    total: int
    """Matching cases, counted up to 10 000; when `total_exact` is false there are more than `total`."""
    page: int
    page_size: int
    total_exact: bool = True


def _conflict_type(case: m.Case) -> CodeRef | None:
    """A conflict type is named by its label (a quartier by its name, read as it is)."""
    kind = case.conflict_type
    return None if kind is None else CodeRef(id=kind.id, code=kind.code, name=kind.label)


def _derived(case: m.Case) -> dict[str, object]:
    """The summary fields built from the rows a case refers to, rather than read from them as they are."""
    return {
        "conflict_type": _conflict_type(case),
        "mediators": sorted((link.user for link in case.mediator_links), key=lambda user: user.name),
    }


def case_detail(case: m.Case) -> CaseDetail:
    return from_row(case, CaseDetail, **_derived(case))


def case_event(event: m.CaseEvent) -> CaseEventOut:
    return from_row(event, CaseEventOut)
