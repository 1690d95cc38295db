"""A guard that says it reads only the case row and the request (`reads_records` false) must not look at
the case's records: the transition service then checks it without loading them (`facts.facts_of_case`)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from itertools import product

import pytest

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.domain.cases.workflow import CaseFacts, TransitionInput

TODAY = date(2026, 6, 1)
BARE = CaseFacts(
    status=m.CaseStatus.IN_KLAERUNG,
    resume_to=None,
    mediator_count=0,
    has_quartier=False,
    has_conflict_type=False,
    follow_up_date=None,
    parties=(),
    held_joint_sessions=0,
    agreement_items=0,
    agreements_without_follow_up_result=0,
    today=TODAY,
)
CONSENTS = frozenset(p.value for p in m.ConsentPurpose)
RECORDED = [  # with every consent, and without any
    {
        "parties": (
            ("A", True, m.ParticipationStatus.ZUGESTIMMT.value, consents),
            ("B", True, m.ParticipationStatus.INFORMIERT.value, consents),
        ),
        "held_joint_sessions": 2,
        "agreement_items": 3,
        "agreements_without_follow_up_result": 0,
    }
    for consents in (CONSENTS, frozenset())
]
CASE_ROWS = [
    BARE,
    dataclasses.replace(
        BARE, mediator_count=2, has_quartier=True, has_conflict_type=True, follow_up_date=TODAY + timedelta(days=3)
    ),
    dataclasses.replace(BARE, follow_up_date=TODAY - timedelta(days=3)),
]
INPUTS = [
    TransitionInput(),
    TransitionInput(
        reason="Urlaub",
        outcome=m.Outcome.EINIGUNG_TEILWEISE,
        recipient="Schiedsstelle",
        resubmission_date=TODAY + timedelta(days=30),
        follow_up_date=TODAY + timedelta(days=7),
    ),
    TransitionInput(outcome=m.Outcome.KEINE_EINIGUNG, resubmission_date=TODAY),
]
GUARDS = {guard.code + str(id(guard)): guard for t in workflow.TRANSITIONS for guard in t.guards}


@pytest.mark.parametrize("guard", [g for g in GUARDS.values() if not g.reads_records], ids=lambda g: g.code)
def test_a_guard_of_the_case_row_ignores_the_records(guard: workflow.Guard) -> None:
    for facts, given, records in product(CASE_ROWS, INPUTS, RECORDED):
        assert guard.check(facts, given) == guard.check(dataclasses.replace(facts, **records), given)


@pytest.mark.parametrize("guard", [g for g in GUARDS.values() if g.reads_records], ids=lambda g: g.code)
def test_a_guard_of_the_records_depends_on_them(guard: workflow.Guard) -> None:
    """The flag is not set where it is not needed either: each such guard answers differently with records."""
    assert any(
        guard.check(facts, given) != guard.check(dataclasses.replace(facts, **records), given)
        for facts, given, records in product(CASE_ROWS, INPUTS, RECORDED)
    )
