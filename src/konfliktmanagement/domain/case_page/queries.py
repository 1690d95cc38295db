"""The case page, composed above the areas built on cases: one read per section, the case loaded once.

The request's `CaseAccess` (case, role, visible note tiers) is passed to each area's read; the
workflow's next steps are computed from the rows the page loads anyway, not loaded again. Parties
are reduced to alias, pseudonym and their part in the case here, so no template can print a name
or contact data by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.agreements.services import ITEM_FLOW, AgreementService
from konfliktmanagement.domain.attachments.queries import NewAttachmentPage, new_attachment_page
from konfliktmanagement.domain.attachments.services import AttachmentService
from konfliktmanagement.domain.case_page.timeline import TimelineEntry, case_events, timeline
from konfliktmanagement.domain.cases.access import CaseAccess, CaseRole
from konfliktmanagement.domain.cases.facts import facts_from_records
from konfliktmanagement.domain.cases.queries import TransitionAction, next_steps
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.mediation.services import MediationSessionService
from konfliktmanagement.domain.notes.queries import writable_tiers
from konfliktmanagement.domain.notes.services import NoteService
from konfliktmanagement.domain.parties.participations import ParticipationService
from konfliktmanagement.lib.clock import today


@dataclass(frozen=True, slots=True)
class ConsentRow:
    purpose: str
    given_on: date
    withdrawn_on: date | None


@dataclass(frozen=True, slots=True)
class ParticipationRow:
    """A party as the case page may show it: alias and pseudonym, never a name or contact data."""

    id: UUID
    party_id: UUID
    version: int  # for the quick status form
    alias: str
    pseudonym: str
    kind: str
    role: str
    status: str
    status_value: str
    consents: list[ConsentRow]
    not_given: list[tuple[str, str]]  # (value, label) of the purposes without a consent: the quick form's boxes
    erased: bool  # erased under Art. 17 or by retention: shown as "Partei C (gelöscht)"


@dataclass(frozen=True, slots=True)
class NoteGroup:
    tier: m.NoteTier
    notes: list[m.Note]


@dataclass(frozen=True, slots=True)
class CasePage:
    case: m.Case
    role: CaseRole
    may_coordinate: bool
    actions: list[TransitionAction]
    timeline: list[TimelineEntry]
    participations: list[ParticipationRow]
    note_groups: list[NoteGroup]
    agreements: list[m.Agreement]
    requests: list[m.AdministrationRequest]
    sessions: list[m.MediationSession]
    attachments: list[m.Attachment]  # metadata only: the content is deferred
    upload: NewAttachmentPage  # the upload form's choices
    note_tiers: list[m.NoteTier]  # the tiers this user may write: the quick note form's choices
    today: date  # the date waiting in the quick forms' date fields

    # Whether the page offers adding and editing records: not on a closed case (CaseAccess.is_closed).
    writable: bool

    @property
    def archived(self) -> bool:
        return self.case.status == m.CaseStatus.ARCHIVIERT

    @property
    def attendee_options(self) -> list[tuple[str, str]]:
        """The parties a quick-logged session can have had present (not erased ones): (id, "alias (role)")."""
        return [(str(p.id), f"{p.alias} ({p.role})") for p in self.participations if not p.erased]

    @staticmethod
    def item_statuses(item: m.AgreementItem) -> list[tuple[str, str]]:
        """Where an agreement item may still go (the service's flow), for its quick status form."""
        current = m.ItemStatus(item.status)
        return [(s.value, label(s)) for s in m.ItemStatus if s is current or s in ITEM_FLOW[current]]


class CasePageQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def page(self, access: CaseAccess) -> CasePage:
        session = self.session
        sessions = await MediationSessionService(session=session).list_for_case(access, with_people=False)
        participations = await ParticipationService(session=session).list_for_case(access)
        notes = await NoteService(session=session).list_for_case(access)
        agreements = await AgreementService(session=session).list_for_case(access)
        requests = await AdministrationRequestService(session=session).list_for_case(access)
        attachments = await AttachmentService(session=session).list_for_case(access)
        events = await case_events(session, access.case_id)
        facts = facts_from_records(access.case, participations, sessions, agreements)
        return CasePage(
            case=access.case,
            role=access.role,
            may_coordinate=access.may_coordinate,
            actions=next_steps(access, facts),
            timeline=timeline(events, sessions, notes),
            participations=[_participation_row(p) for p in participations],
            note_groups=_group_notes(notes),
            agreements=agreements,
            requests=requests,
            sessions=sessions,
            attachments=attachments,
            upload=new_attachment_page(access),
            note_tiers=writable_tiers(access),
            today=today(),
            writable=not access.is_closed,
        )


def _participation_row(p: m.Participation) -> ParticipationRow:
    order = list(m.ConsentPurpose)
    given = {c.purpose for c in p.consents}
    return ParticipationRow(
        id=p.id,
        party_id=p.party_id,
        version=p.version,
        alias=p.alias,
        pseudonym=p.party.pseudonym,
        kind=label(m.PartyKind(p.party.kind)),
        role=label(m.ParticipationRole(p.role)),
        status=label(m.ParticipationStatus(p.status)),
        status_value=p.status,
        consents=[
            ConsentRow(label(m.ConsentPurpose(c.purpose)), c.given_on, c.withdrawn_on)
            for c in sorted(p.consents, key=lambda c: order.index(m.ConsentPurpose(c.purpose)))
        ],
        not_given=[(purpose.value, label(purpose)) for purpose in order if purpose.value not in given],
        erased=p.party.erased_at is not None,
    )


def _group_notes(notes: list[m.Note]) -> list[NoteGroup]:
    """In tier order, strictest first; only tiers that have notes (the service left out the others)."""
    groups = [NoteGroup(tier, [n for n in notes if n.tier == tier.value]) for tier in m.NoteTier]
    return [group for group in groups if group.notes]
