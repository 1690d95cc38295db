"""What the case page and the transition form show, gathered in one read per page.

Everything comes from the services (which check access and confidentiality tiers); this module only
arranges it for the templates. Parties are reduced to alias, pseudonym and their part in the case
here, so no template can print a name or contact data by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.agreements.services import AgreementService
from konfliktmanagement.domain.cases import schemas, transitions, workflow
from konfliktmanagement.domain.cases.access import CaseRole, may_coordinate
from konfliktmanagement.domain.cases.facts import load_facts
from konfliktmanagement.domain.cases.loading import CASE_DETAIL_LOAD, deny, load_case
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.cases.views_timeline import TimelineEntry, timeline
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.mediation.services import MediationSessionService
from konfliktmanagement.domain.notes.services import NoteService
from konfliktmanagement.domain.parties.participations import ParticipationService
from konfliktmanagement.lib.exceptions import NotFound
from konfliktmanagement.lib.i18n import gettext as _

# Guards a transition request satisfies with its own fields; the form asks for them. Every other
# guard needs data recorded on the case first (parties, consents, sessions, …).
INPUT_FIELDS = frozenset({"reason", "recipient", "outcome", "resubmission_date", "follow_up_date"})

ActionKind = Literal["direct", "form", "override", "blocked"]


@dataclass(frozen=True, slots=True)
class TransitionAction:
    to: m.CaseStatus
    label: str
    kind: ActionKind
    override: bool
    missing: list[str]  # case data still missing (what the form cannot supply)


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
    alias: str
    pseudonym: str
    kind: str
    role: str
    status: str
    consents: list[ConsentRow]


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
    sessions: list[m.MediationSession] = field(default_factory=list)

    @property
    def archived(self) -> bool:
        return self.case.status == m.CaseStatus.ARCHIVIERT


async def case_page(session: AsyncSession, user: m.User, case_id: UUID) -> CasePage:
    access = await load_case(session, user, case_id, attempted="read", options=CASE_DETAIL_LOAD)
    options = await transitions.options(session, user, case_id)
    events = await CaseService(session=session).events(user, case_id)
    sessions = await MediationSessionService(session=session).list_for_case(user, case_id)
    participations = await ParticipationService(session=session).list_for_case(user, case_id)
    notes = await NoteService(session=session).list_for_case(user, case_id)
    agreements = await AgreementService(session=session).list_for_case(user, case_id)
    requests = await AdministrationRequestService(session=session).list_for_case(user, case_id)
    return CasePage(
        case=access.case,
        role=access.role,
        may_coordinate=may_coordinate(user),
        actions=[_action(access.case, option) for option in options],
        timeline=await timeline(session, events, sessions, notes),
        participations=[_participation_row(p) for p in participations],
        note_groups=_group_notes(notes),
        agreements=agreements,
        requests=requests,
        sessions=sessions,
    )


def _needs_input(case: m.Case, to: m.CaseStatus) -> bool:
    transition = workflow.find(m.CaseStatus(case.status), to)
    return transition is None or any(guard.code in INPUT_FIELDS for guard in transition.guards)


def _action(case: m.Case, option: schemas.TransitionOption) -> TransitionAction:
    missing_data = [item.message for item in option.missing if item.guard not in INPUT_FIELDS]
    if not option.allowed:
        kind: ActionKind = "blocked"
    elif option.override:
        kind = "override"
    elif _needs_input(case, option.to):
        kind = "form"
    else:
        kind = "direct"
    return TransitionAction(option.to, option.label, kind, option.override, missing_data)


def _participation_row(p: m.Participation) -> ParticipationRow:
    return ParticipationRow(
        id=p.id,
        party_id=p.party_id,
        alias=p.alias,
        pseudonym=p.party.pseudonym,
        kind=label(m.PartyKind(p.party.kind)),
        role=label(m.ParticipationRole(p.role)),
        status=label(m.ParticipationStatus(p.status)),
        consents=[
            ConsentRow(label(m.ConsentPurpose(c.purpose)), c.given_on, c.withdrawn_on)
            for c in sorted(p.consents, key=lambda c: list(m.ConsentPurpose).index(m.ConsentPurpose(c.purpose)))
        ],
    )


def _group_notes(notes: list[m.Note]) -> list[NoteGroup]:
    """In tier order, strictest first; only tiers that have notes (the service left out the others)."""
    groups = [NoteGroup(tier, [n for n in notes if n.tier == tier.value]) for tier in m.NoteTier]
    return [group for group in groups if group.notes]


@dataclass(frozen=True, slots=True)
class TransitionFormData:
    case: m.Case
    action: TransitionAction
    fields: frozenset[str]  # which of INPUT_FIELDS this transition asks for
    required: frozenset[str]  # those the guards still need
    input_missing: dict[str, str]  # guard → its own words for what the form must supply
    outcomes: list[m.Outcome]  # the results this transition accepts (the workflow table decides)


async def transition_form(session: AsyncSession, user: m.User, case_id: UUID, to: m.CaseStatus) -> TransitionFormData:
    """The one transition `to` as this user may take it now; 404 when it is not on offer for them."""
    access = await load_case(session, user, case_id, attempted="read", options=CASE_DETAIL_LOAD)
    option = next((o for o in await transitions.options(session, user, case_id) if o.to is to), None)
    transition = workflow.find(m.CaseStatus(access.case.status), to)
    if option is None or transition is None:
        raise NotFound
    asked = frozenset(g.code for g in transition.guards if g.code in INPUT_FIELDS)
    outcomes: list[m.Outcome] = []
    if outcome_guard := next((g for g in transition.guards if g.code == "outcome"), None):
        facts = await load_facts(session, access.case)
        outcomes = [o for o in m.Outcome if not outcome_guard.check(facts, workflow.TransitionInput(outcome=o))]
    needed = [item for item in option.missing if item.guard in INPUT_FIELDS]
    return TransitionFormData(
        case=access.case,
        action=_action(access.case, option),
        fields=asked,
        required=frozenset(item.guard for item in needed),
        input_missing={item.guard: item.message for item in needed},
        outcomes=outcomes,
    )


async def mediator_assignment(session: AsyncSession, user: m.User, case_id: UUID) -> m.Case:
    """The case for the assignment form: unreadable → 404; readable but not coordination → 403."""
    access = await load_case(session, user, case_id, attempted="assign_mediators", options=CASE_DETAIL_LOAD)
    if not may_coordinate(user):
        raise deny(session, access, user, "assign_mediators", _("Nur die Koordination weist Mediator:innen zu."))
    return access.case
