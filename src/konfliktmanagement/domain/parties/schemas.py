"""API shapes for parties, participations and consents.

Parties appear by pseudonym and per-case alias everywhere; name and contact data only in
`PartyDetail`, and only for an assigned mediator of one of the party's cases (DESIGN.md §5).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.structs import Input, RecordOut, RecordPatch, from_row

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Phone = Annotated[str, msgspec.Meta(max_length=50)]
# Deliberately loose: a typo check, not RFC 5322; people give what they give.
Email = Annotated[str, msgspec.Meta(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
Address = Annotated[str, msgspec.Meta(max_length=500)]
Language = Annotated[str, msgspec.Meta(max_length=40)]
GroupSize = Annotated[int, msgspec.Meta(ge=1, le=10000)]


class PartyCreate(Input):
    kind: m.PartyKind
    name: Name
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = None
    language: Language | None = None
    group_size_estimate: GroupSize | None = None


class ParticipationCreate(Input):
    """Exactly one of `party` (record a new party) and `party_id` (an existing party you may see)."""

    role: m.ParticipationRole
    party: PartyCreate | None = None
    party_id: UUID | None = None
    status: m.ParticipationStatus = m.ParticipationStatus.ERFASST


class ParticipationByPseudonym(Input):
    """A party already known from another case, named as people recognise it: by its pseudonym."""

    pseudonym: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    role: m.ParticipationRole
    status: m.ParticipationStatus = m.ParticipationStatus.ERFASST


class ParticipationUpdate(RecordPatch):
    role: m.ParticipationRole | msgspec.UnsetType = msgspec.UNSET
    status: m.ParticipationStatus | msgspec.UnsetType = msgspec.UNSET


class ConsentInput(Input):
    past_only = frozenset({"given_on", "withdrawn_on"})
    given_on: date
    withdrawn_on: date | None = None


class PartyUpdate(RecordPatch):
    kind: m.PartyKind | msgspec.UnsetType = msgspec.UNSET
    name: Name | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    email: Email | msgspec.UnsetType | None = msgspec.UNSET
    address: Address | msgspec.UnsetType | None = msgspec.UNSET
    language: Language | msgspec.UnsetType | None = msgspec.UNSET
    group_size_estimate: GroupSize | msgspec.UnsetType | None = msgspec.UNSET


class PartyRef(msgspec.Struct):
    """A party as lists show it: pseudonymised, no name, no contact data."""

    id: UUID
    pseudonym: str
    kind: m.PartyKind
    group_size_estimate: int | None
    language: str | None


class ConsentOut(msgspec.Struct):
    purpose: m.ConsentPurpose
    given_on: date
    withdrawn_on: date | None


class ParticipationOut(msgspec.Struct):
    id: UUID
    case_id: UUID
    alias: str
    role: m.ParticipationRole
    status: m.ParticipationStatus
    party: PartyRef
    consents: list[ConsentOut]
    version: int


class PartyCase(msgspec.Struct):
    """One case of the party that the user may read, with the party's alias there."""

    case_id: UUID
    reference: str
    participation_id: UUID
    alias: str
    role: m.ParticipationRole
    status: m.ParticipationStatus


class PartyDetail(RecordOut):
    """The one place a party's name and contact data appear.

    `contact_visible` says whether this user may see them (an assigned mediator of one of the
    party's cases). When it is false, `name`, `phone`, `email` and `address` are always `null` —
    the fields are never left out — so a client can tell "hidden" from "not recorded".
    """

    id: UUID
    pseudonym: str
    kind: m.PartyKind
    group_size_estimate: int | None
    language: str | None
    contact_visible: bool
    name: str | None
    phone: str | None
    email: str | None
    address: str | None
    cases: list[PartyCase]


def party_ref(party: m.Party) -> PartyRef:
    return from_row(party, PartyRef)


def _in_purpose_order(consents: list[m.Consent]) -> list[m.Consent]:
    return sorted(consents, key=lambda c: list(m.ConsentPurpose).index(m.ConsentPurpose(c.purpose)))


def participation_out(participation: m.Participation) -> ParticipationOut:
    return from_row(participation, ParticipationOut, consents=_in_purpose_order(participation.consents))


def party_detail(party: m.Party, *, contact_visible: bool, cases: list[tuple[m.Participation, str]]) -> PartyDetail:
    """`cases`: the party's participations in cases the user may read, with each case's reference."""
    # Hidden contact data is answered as null, never read; visible data is read from the party.
    hidden = {} if contact_visible else dict.fromkeys(("name", "phone", "email", "address"))
    return from_row(
        party,
        PartyDetail,
        contact_visible=contact_visible,
        cases=[from_row(p, PartyCase, reference=reference, participation_id=p.id) for p, reference in cases],
        **hidden,
    )
