"""Read models of the case pages that stay inside this area: the next steps, one transition's form,
the mediator assignment. The case page itself is composed above the areas (`domain/case_page`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases import schemas, transitions, workflow
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.case_list import CaseSort, Order
from konfliktmanagement.domain.cases.facts import load_facts
from konfliktmanagement.domain.cases.form_options import (
    CaseFormOptions,
    Choice,
    case_form_options,
    mediator_choices,
    mediator_workload,
)
from konfliktmanagement.domain.cases.loading import deny
from konfliktmanagement.domain.cases.my_cases import MyCasesPage, MySort, my_open_cases
from konfliktmanagement.domain.cases.workflow import CaseFacts
from konfliktmanagement.lib.i18n import gettext as _

ActionKind = Literal["direct", "form", "override", "blocked"]


@dataclass(frozen=True, slots=True)
class TransitionAction:
    to: m.CaseStatus
    label: str
    kind: ActionKind
    override: bool
    missing: list[str]  # case data still missing (what the form cannot supply)
    # The same, each with where it is entered (None: nowhere to link, e.g. a form field of this step).
    missing_links: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def is_exit(self) -> bool:
        """A way out (workflow.EXITS): shown as secondary, below the step forward."""
        return self.to in workflow.EXITS


# Where the data a guard looks at is entered, relative to the case page (`/cases/{id}`): the form
# that records it, or the case page's section that lists it with its add/edit links.
_ENTERED_AT = {
    "mediator_assigned": "/mediators",
    "quartier_set": "/edit#f-quartier_id",
    "conflict_type_set": "/edit#f-conflict_type_id",
    "party_informed": "#parteien",
    "two_parties": "/participations/new",
    "core_mediation_consent": "#parteien",
    "core_documentation_consent": "#parteien",
    "joint_session_held": "/sessions/new",
    "agreement_with_item": "#vereinbarung",
    "follow_up_result": "#vereinbarung",
}


def entered_at(case_id: object, guard: str) -> str | None:
    """Where the thing a guard misses is entered, as a link for "Es fehlt: …"."""
    where = _ENTERED_AT.get(guard)
    return f"/cases/{case_id}{where}" if where else None


def needs_input(case: m.Case, to: m.CaseStatus) -> bool:
    transition = workflow.find(m.CaseStatus(case.status), to)
    return transition is None or any(guard.code in workflow.REQUEST_INPUTS for guard in transition.guards)


def action_for(case: m.Case, option: schemas.TransitionOption) -> TransitionAction:
    missing_data = [item.message for item in option.missing if item.guard not in workflow.REQUEST_INPUTS]
    if not option.allowed:
        kind: ActionKind = "blocked"
    elif option.override:
        kind = "override"
    elif needs_input(case, option.to):
        kind = "form"
    else:
        kind = "direct"
    links = [
        (item.message, entered_at(case.id, item.guard))
        for item in option.missing
        if item.guard not in workflow.REQUEST_INPUTS
    ]
    return TransitionAction(option.to, option.label, kind, option.override, missing_data, links)


@dataclass(frozen=True, slots=True)
class TransitionFormData:
    case: m.Case
    action: TransitionAction
    fields: frozenset[str]  # which of workflow.REQUEST_INPUTS this transition asks for
    required: frozenset[str]  # those the guards still need
    input_missing: dict[str, str]  # guard → its own words for what the form must supply
    outcomes: list[m.Outcome]  # the results this transition accepts (the workflow table decides)


def next_steps(access: CaseAccess, facts: CaseFacts) -> list[TransitionAction]:
    """The case page's "next steps": every transition on offer for this user, as a button or a form."""
    return [action_for(access.case, option) for option in transitions.options(access, facts)]


class CaseQuery:
    """Read models of the case pages: Meine Fälle, the form choices, one transition's form, the assignment."""

    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def my_open_cases(
        self, user: Principal, page: int = 1, sort: CaseSort | None = None, order: Order = "asc"
    ) -> MyCasesPage:
        return await my_open_cases(self.session, user, page, MySort(sort, order))

    async def form_options(self) -> CaseFormOptions:
        return await case_form_options(self.session)

    async def mediator_choices(self) -> list[Choice]:
        return await mediator_choices(self.session)

    async def assignable_mediators(self) -> list[Choice]:
        """The assignment form's choices: each mediator with their workload in the label."""
        return [(str(mediator.id), mediator.label) for mediator in await mediator_workload(self.session)]

    async def offered_transition(self, access: CaseAccess, to: m.CaseStatus) -> TransitionFormData | None:
        """The one transition `to` as this user may take it now; None when it is not on offer for them."""
        facts = await load_facts(self.session, access.case)
        option = next((o for o in transitions.options(access, facts) if o.to is to), None)
        transition = workflow.find(m.CaseStatus(access.case.status), to)
        if option is None or transition is None:
            return None
        asked = frozenset(g.code for g in transition.guards if g.code in workflow.REQUEST_INPUTS)
        outcomes: list[m.Outcome] = []
        if outcome_guard := next((g for g in transition.guards if g.code == "outcome"), None):
            outcomes = [o for o in m.Outcome if not outcome_guard.check(facts, workflow.TransitionInput(outcome=o))]
        needed = [item for item in option.missing if item.guard in workflow.REQUEST_INPUTS]
        return TransitionFormData(
            case=access.case,
            action=action_for(access.case, option),
            fields=asked,
            required=frozenset(item.guard for item in needed),
            input_missing={item.guard: item.message for item in needed},
            outcomes=outcomes,
        )

    def mediator_assignment(self, access: CaseAccess) -> m.Case:
        """The case for the assignment form: readable but not coordination → 403 (audited)."""
        if not access.may_coordinate:
            raise deny(self.session, access, "assign_mediators", _("Nur die Koordination weist Mediator:innen zu."))
        return access.case
