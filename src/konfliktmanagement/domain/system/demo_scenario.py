"""Scenario building blocks for the demo cases: a case's facts, parties and path through the workflow.

`demo_builder` walks a scenario's path with the app's own transitions, creating the data each
guard needs just before the step.
"""

from __future__ import annotations

from dataclasses import dataclass

from konfliktmanagement.db import models as m

S, OUT, R, U, RQ = m.CaseStatus, m.Outcome, m.ReferralSource, m.Urgency, m.AdministrationRequestStatus
A, B, INST, SUP = (
    m.ParticipationRole.ANLIEGEND,
    m.ParticipationRole.BETROFFEN,
    m.ParticipationRole.INSTITUTION,
    m.ParticipationRole.UNTERSTUETZUNG,
)
TRAEGT, TEILWEISE, NICHT = m.FollowUpResult.TRAEGT, m.FollowUpResult.TEILWEISE, m.FollowUpResult.NICHT


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


KL, VG, IM, VB = Step(S.IN_KLAERUNG), Step(S.VORGESPRAECHE), Step(S.IN_MEDIATION), Step(S.VEREINBARUNG)
TO_AGREEMENT = (KL, VG, IM, VB)


def nb(days: int | None = None) -> Step:
    return Step(S.NACHBETREUUNG, days=days)


def done(result: m.FollowUpResult) -> Step:
    outcome = OUT.EINIGUNG_VOLLSTAENDIG if result is TRAEGT else OUT.EINIGUNG_TEILWEISE
    return Step(S.ABGESCHLOSSEN, outcome=outcome, result=result)


def hold(days: int, reason: str, *, by_coordinator: bool = False) -> Step:
    return Step(S.RUHEND, reason=reason, days=days, by_coordinator=by_coordinator)


GRUEN, SPORT, TIEF, ABFALL = "Grünflächenamt", "Sport- und Bäderamt", "Tiefbauamt", "Abfallwirtschaftsbetrieb"
