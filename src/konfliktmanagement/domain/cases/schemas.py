"""API shapes for cases. Never contains the record key (DESIGN.md §7)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m

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


class CaseCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    description: LongText | None = None
    conflict_type_id: UUID | None = None
    quartier_id: UUID | None = None
    place_id: UUID | None = None
    referral_source: m.ReferralSource = m.ReferralSource.SONSTIGE
    urgency: m.Urgency = m.Urgency.NORMAL
    escalation_level: Escalation | None = None


class CaseUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Partial update: fields left out stay as they are. `version` is the one the client last saw."""

    version: int
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


class MediatorAssignment(msgspec.Struct, forbid_unknown_fields=True):
    version: int
    mediator_ids: Annotated[list[UUID], msgspec.Meta(max_length=4)]


class CaseSummary(msgspec.Struct):
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
    created_at: datetime
    updated_at: datetime
    version: int


class CaseDetail(CaseSummary):
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


class TransitionRequest(msgspec.Struct, forbid_unknown_fields=True):
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
    page: int
    page_size: int


def _code_ref(obj: m.ConflictType | m.Quartier | None) -> CodeRef | None:
    if obj is None:
        return None
    name = obj.label if isinstance(obj, m.ConflictType) else obj.name
    return CodeRef(id=obj.id, code=obj.code, name=name)


def _summary_fields(case: m.Case) -> dict[str, object]:
    return {
        "id": case.id,
        "reference": case.reference,
        "title": case.title,
        "status": m.CaseStatus(case.status),
        "phase": m.MediationPhase(case.phase) if case.phase else None,
        "urgency": m.Urgency(case.urgency),
        "conflict_type": _code_ref(case.conflict_type),
        "quartier": _code_ref(case.quartier),
        "place": Ref(id=case.place.id, name=case.place.name) if case.place else None,
        "mediators": sorted(
            (Ref(id=link.user.id, name=link.user.name) for link in case.mediator_links), key=lambda r: r.name
        ),
        "resubmission_date": case.resubmission_date,
        "follow_up_date": case.follow_up_date,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "version": case.version,
    }


def case_summary(case: m.Case) -> CaseSummary:
    return CaseSummary(**_summary_fields(case))  # type: ignore[arg-type]


def case_detail(case: m.Case) -> CaseDetail:
    return CaseDetail(
        **_summary_fields(case),  # type: ignore[arg-type]
        description=case.description,
        referral_source=m.ReferralSource(case.referral_source),
        escalation_level=case.escalation_level,
        outcome=m.Outcome(case.outcome) if case.outcome else None,
        closure_reason=case.closure_reason,
        referral_recipient=case.referral_recipient,
        no_follow_up_reason=case.no_follow_up_reason,
        reopen_count=case.reopen_count,
        resume_to=m.CaseStatus(case.resume_to) if case.resume_to else None,
        closed_at=case.closed_at,
        legal_hold=case.legal_hold,
    )


def case_event(event: m.CaseEvent) -> CaseEventOut:
    return CaseEventOut(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        details=event.details,
        hash=event.hash,
    )
