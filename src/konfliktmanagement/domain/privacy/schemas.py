"""Inputs and answers of the privacy functions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

import msgspec

from konfliktmanagement.db.classification import RetentionClass
from konfliktmanagement.lib.structs import Input


class PolicyChange(Input):
    data_class: RetentionClass
    amount: int
    unit: Literal["months", "days"]
    reason: str
    version: int  # the version in force the change starts from (0: the default)


class LegalHoldChange(Input):
    hold: bool
    reason: str
    version: int | None = None


class ErasureRequest(Input):
    reason: str
    confirm: bool = False


class ClassPlan(msgspec.Struct):
    data_class: str
    label: str
    policy_version: int
    period: str
    records: int
    case_references: list[str]


class RetentionReport(msgspec.Struct):
    as_of: date
    dry_run: bool
    classes: list[ClassPlan]
    archived: list[str]
    held: list[str]  # due, but on legal hold: untouched


class ErasureOut(msgspec.Struct):
    party_id: UUID
    pseudonym: str
    erased_at: datetime
    placeholders: list[str]  # "Partei C (gelöscht)" per case
    already_erased: bool


class LegalHoldOut(msgspec.Struct):
    case_id: UUID
    reference: str
    legal_hold: bool
    version: int


class ExportConsent(msgspec.Struct):
    purpose: str
    given_on: date
    withdrawn_on: date | None


class ExportSession(msgspec.Struct):
    kind: str
    status: str
    scheduled_at: datetime | None
    held_at: datetime | None


class ExportItem(msgspec.Struct):
    agreement_title: str
    position: int
    responsible: str
    action: str
    due_on: date | None
    status: str


class ExportParticipation(msgspec.Struct):
    case_reference: str
    case_status: str
    alias: str
    role: str
    status: str
    recorded_at: datetime
    consents: list[ExportConsent]
    sessions_attended: list[ExportSession]
    agreement_items: list[ExportItem]


class ExportParty(msgspec.Struct):
    id: UUID
    pseudonym: str
    kind: str
    name: str | None
    phone: str | None
    email: str | None
    address: str | None
    language: str | None
    group_size_estimate: int | None
    recorded_at: datetime
    erased_at: datetime | None


class Withheld(msgspec.Struct):
    category: str
    why: str


class PartyExport(msgspec.Struct):
    """Art. 15: everything stored about one party, and what is withheld and why."""

    generated_at: datetime
    party: ExportParty
    participations: list[ExportParticipation]
    withheld: list[Withheld]
