"""The demo cases: a case's facts, parties and path through the workflow, read from `demo_scenarios.toml`.

`demo_builder` walks a scenario's path with the app's own transitions, creating the data each
guard needs just before the step.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from konfliktmanagement.db import models as m

SCENARIO_FILE = Path(__file__).with_name("demo_scenarios.toml")
S, OUT, R, U, RQ = m.CaseStatus, m.Outcome, m.ReferralSource, m.Urgency, m.AdministrationRequestStatus


@dataclass(frozen=True, slots=True)
class Step:
    to: m.CaseStatus
    reason: str | None = None
    outcome: m.Outcome | None = None
    recipient: str | None = None
    days: int | None = None
    """Ruhend: Wiedervorlage, Nachbetreuung: follow-up date, in days from today (negative: overdue)."""
    by_coordinator: bool = False  # where mediators and coordinators may both act
    declines: bool = False  # the last core party declines or withdraws its consent first
    result: m.FollowUpResult | None = None  # the follow-up result recorded first


@dataclass(frozen=True, slots=True)
class Scenario:
    title: str
    description: str
    # quartier code (quartiers/seeds.py), place name (demo_places.py) or None, conflict type code,
    # referral source, urgency, escalation level (Glasl) at intake
    facts: tuple[str, str | None, str, m.ReferralSource, m.Urgency, int | None]
    parties: tuple[tuple[str, m.ParticipationRole], ...]  # demo_parties.DEMO_PARTIES keys
    age: int  # days since the case came in; the dates of its sessions and consents fall in between
    path: tuple[Step, ...] = ()
    mediators: int = 2  # 0: not assigned yet
    recorded_by_mediator: bool = False
    escalation_later: int | None = None
    requests: tuple[tuple[str, str, m.AdministrationRequestStatus, str | None], ...] = ()


def _step(raw: str | dict[str, Any]) -> Step:
    if isinstance(raw, str):
        return Step(S(raw))
    return Step(
        S(raw["to"]),
        reason=raw.get("reason"),
        outcome=OUT(raw["outcome"]) if "outcome" in raw else None,
        recipient=raw.get("recipient"),
        days=raw.get("days"),
        by_coordinator=raw.get("by_coordinator", False),
        declines=raw.get("declines", False),
        result=m.FollowUpResult(raw["result"]) if "result" in raw else None,
    )


def _scenario(raw: dict[str, Any]) -> Scenario:
    facts = raw["facts"]
    return Scenario(
        raw["title"],
        raw["description"],
        (
            facts["quartier"],
            facts.get("place"),
            facts["conflict_type"],
            R(facts["referral"]),
            U(facts["urgency"]),
            facts.get("escalation"),
        ),
        tuple((key, m.ParticipationRole(role)) for key, role in raw["parties"]),
        raw["age"],
        tuple(_step(step) for step in raw.get("path", ())),
        mediators=raw.get("mediators", 2),
        recorded_by_mediator=raw.get("recorded_by_mediator", False),
        escalation_later=raw.get("escalation_later"),
        requests=tuple(
            (office, text, RQ(status), answer[0] if answer else None)
            for office, text, status, *answer in raw.get("requests", ())
        ),
    )


def load_scenarios(path: Path = SCENARIO_FILE) -> tuple[Scenario, ...]:
    """The demo cases as data (`demo_scenarios.toml`): one table per case instead of one block of code."""
    with path.open("rb") as file:
        return tuple(_scenario(raw) for raw in tomllib.load(file)["scenario"])


SCENARIOS: tuple[Scenario, ...] = load_scenarios()
