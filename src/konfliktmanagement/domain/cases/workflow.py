"""The case state machine of DESIGN.md §3 as data: states, transitions, who may perform them, guards.

This table drives the API (409 naming the failed guard), the pages (allowed actions and what is
missing), the diagram (`konfliktmanagement workflow diagram`) and the tests (every pair of states).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.i18n import gettext as _

S = m.CaseStatus

ACTIVE = frozenset({S.EINGEGANGEN, S.IN_KLAERUNG, S.VORGESPRAECHE, S.IN_MEDIATION, S.VEREINBARUNG, S.NACHBETREUUNG})
CLOSED = frozenset({S.ABGESCHLOSSEN, S.EINGESTELLT, S.WEITERGELEITET, S.NICHT_ANGENOMMEN})
FINAL = frozenset({S.ARCHIVIERT})
INTAKE = frozenset({S.EINGEGANGEN, S.IN_KLAERUNG})  # received, not yet taken on (a part of ACTIVE)
OPEN = ACTIVE | {S.RUHEND}  # still being worked on, on hold included
ENDED = CLOSED | FINAL
# Ways out of the mediation (ending it without an outcome, passing it on, pausing it): offered below the
# next step forward, never beside it, and only through their form, which is the confirmation step.
EXITS = frozenset({S.NICHT_ANGENOMMEN, S.WEITERGELEITET, S.EINGESTELLT, S.RUHEND})

# Guards satisfied by what the transition request itself carries (a form asks for them) rather
# than by data recorded on the case first (parties, consents, sessions, …).
REQUEST_INPUTS = frozenset({"reason", "recipient", "outcome", "resubmission_date", "follow_up_date"})


class Actor(StrEnum):
    MEDIATOR = "mediator"  # a mediator assigned to the case (coordinators: only as audited override)
    COORDINATOR = "coordinator"
    SYSTEM = "system"  # the retention job; never a person


@dataclass(frozen=True, slots=True)
class TransitionInput:
    """What a user supplies with a transition request."""

    reason: str | None = None
    outcome: m.Outcome | None = None
    recipient: str | None = None
    resubmission_date: date | None = None
    follow_up_date: date | None = None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the guards look at, loaded once per check (see `services.load_facts`)."""

    status: S
    resume_to: S | None
    mediator_count: int
    has_quartier: bool
    has_conflict_type: bool
    follow_up_date: date | None
    # per active participation: (alias, is_core, status, consents given and not withdrawn)
    parties: tuple[tuple[str, bool, str, frozenset[str]], ...]
    held_joint_sessions: int
    agreement_items: int
    agreements_without_follow_up_result: int
    today: date


@dataclass(frozen=True, slots=True)
class Guard:
    code: str
    check: Callable[[CaseFacts, TransitionInput], list[str]]
    """Returns what is missing, in words for people (German, via the translation layer); [] when satisfied."""
    reads_records: bool = False
    """Whether `check` looks at the case's records (parties, consents, sessions, agreements), which are
    loaded for it; otherwise it reads only the case row and the request (`facts.facts_of_case`)."""


def _need(condition: bool, message: str) -> list[str]:
    return [] if condition else [message]


def _core(facts: CaseFacts) -> list[tuple[str, bool, str, frozenset[str]]]:
    return [party for party in facts.parties if party[1]]


def _consent_of_core(purpose: m.ConsentPurpose, label: str) -> Callable[[CaseFacts, TransitionInput], list[str]]:
    def check(facts: CaseFacts, _given: TransitionInput) -> list[str]:
        missing = [alias for alias, _core_party, _status, consents in _core(facts) if purpose.value not in consents]
        return [_("%(what)s von %(alias)s") % {"what": label, "alias": alias} for alias in missing]

    return check


MEDIATOR_ASSIGNED = Guard(
    "mediator_assigned", lambda f, _i: _need(f.mediator_count >= 1, _("eine zugewiesene Mediator:in"))
)
QUARTIER_SET = Guard("quartier_set", lambda f, _i: _need(f.has_quartier, _("das Quartier")))
CONFLICT_TYPE_SET = Guard("conflict_type_set", lambda f, _i: _need(f.has_conflict_type, _("die Konfliktart")))
REASON = Guard("reason", lambda _f, i: _need(bool(i.reason and i.reason.strip()), _("eine Begründung")))
RECIPIENT = Guard(
    "recipient",
    lambda _f, i: _need(bool(i.recipient and i.recipient.strip()), _("die Stelle, an die weitergeleitet wird")),
)
PARTY_INFORMED = Guard(
    "party_informed",
    lambda f, _i: _need(
        any(
            status in {m.ParticipationStatus.INFORMIERT, m.ParticipationStatus.ZUGESTIMMT}
            for _a, _c, status, _s in f.parties
        ),
        _("mindestens eine erfasste und informierte Partei"),
    ),
    reads_records=True,
)
TWO_PARTIES = Guard(
    "two_parties",
    lambda f, _i: _need(len(f.parties) >= 2, _("mindestens zwei beteiligte Parteien")),
    reads_records=True,
)
CORE_MEDIATION_CONSENT = Guard(
    "core_mediation_consent",
    _consent_of_core(m.ConsentPurpose.MEDIATION, _("Einwilligung in die Mediation")),
    reads_records=True,
)
CORE_DOCUMENTATION_CONSENT = Guard(
    "core_documentation_consent",
    _consent_of_core(m.ConsentPurpose.DOCUMENTATION, _("Einwilligung in die Dokumentation der Vereinbarung")),
    reads_records=True,
)
JOINT_SESSION_HELD = Guard(
    "joint_session_held",
    lambda f, _i: _need(f.held_joint_sessions >= 1, _("eine durchgeführte gemeinsame Sitzung")),
    reads_records=True,
)
AGREEMENT_WITH_ITEM = Guard(
    "agreement_with_item",
    lambda f, _i: _need(f.agreement_items >= 1, _("eine Vereinbarung mit mindestens einem Punkt")),
    reads_records=True,
)
FOLLOW_UP_DATE = Guard(
    "follow_up_date",
    lambda f, i: _need(
        (i.follow_up_date or f.follow_up_date) is not None and (i.follow_up_date or f.follow_up_date) >= f.today,  # type: ignore[operator]
        _("ein Termin für die Nachbetreuung (heute oder später)"),
    ),
)
FOLLOW_UP_RESULT = Guard(
    "follow_up_result",
    lambda f, _i: _need(
        f.agreement_items >= 1 and f.agreements_without_follow_up_result == 0,
        _("das Ergebnis der Nachbetreuung für jede Vereinbarung"),
    ),
    reads_records=True,
)
RESUBMISSION_DATE = Guard(
    "resubmission_date",
    lambda f, i: _need(
        i.resubmission_date is not None and i.resubmission_date > f.today, _("ein Wiedervorlage-Datum in der Zukunft")
    ),
)
RESUME_TARGET = Guard("resume_target", lambda _f, _i: [])  # satisfied by construction, see `transitions_from`


def _outcome_in(*allowed: m.Outcome) -> Guard:
    labels = ", ".join(OUTCOME_LABELS[o] for o in allowed)
    return Guard(
        "outcome",
        lambda _f, i: _need(i.outcome in allowed, _("ein Ergebnis (%(labels)s)") % {"labels": labels}),
    )


OUTCOME_LABELS = {
    m.Outcome.EINIGUNG_VOLLSTAENDIG: _("Einigung vollständig"),
    m.Outcome.EINIGUNG_TEILWEISE: _("Einigung teilweise"),
    m.Outcome.KEINE_EINIGUNG: _("keine Einigung"),
    m.Outcome.ANDERWEITIG_GELOEST: _("anderweitig gelöst"),
}
AGREED = (m.Outcome.EINIGUNG_VOLLSTAENDIG, m.Outcome.EINIGUNG_TEILWEISE)


@dataclass(frozen=True, slots=True)
class Transition:
    source: S
    target: S
    actors: frozenset[Actor]
    guards: tuple[Guard, ...] = field(default=())

    @property
    def key(self) -> str:
        return f"{self.source.value}->{self.target.value}"

    @property
    def reads_records(self) -> bool:
        """Whether its guards need the case's records loaded (most need only the case and the request)."""
        return any(guard.reads_records for guard in self.guards)


def _t(source: S, target: S, *actors: Actor, guards: tuple[Guard, ...] = ()) -> Transition:
    return Transition(source, target, frozenset(actors), guards)


M, C = Actor.MEDIATOR, Actor.COORDINATOR

TRANSITIONS: tuple[Transition, ...] = (
    # Taking a received case on is the coordination's alone, also when a mediator recorded it (and is on
    # it): accepting a case and deciding who works on it as a pair is the office's (DESIGN.md §1, §3), as
    # refusing and referring are. Every `eingegangen` case therefore waits in the coordination's intake.
    _t(S.EINGEGANGEN, S.IN_KLAERUNG, C, guards=(MEDIATOR_ASSIGNED, QUARTIER_SET, CONFLICT_TYPE_SET)),
    _t(S.EINGEGANGEN, S.NICHT_ANGENOMMEN, C, guards=(REASON,)),
    _t(S.EINGEGANGEN, S.WEITERGELEITET, C, guards=(RECIPIENT,)),
    _t(S.IN_KLAERUNG, S.VORGESPRAECHE, M, guards=(PARTY_INFORMED,)),
    _t(S.IN_KLAERUNG, S.IN_MEDIATION, M, guards=(TWO_PARTIES, CORE_MEDIATION_CONSENT)),
    _t(S.IN_KLAERUNG, S.WEITERGELEITET, C, M, guards=(RECIPIENT,)),
    _t(S.IN_KLAERUNG, S.NICHT_ANGENOMMEN, C, M, guards=(REASON,)),
    _t(S.IN_KLAERUNG, S.EINGESTELLT, C, M, guards=(REASON,)),
    _t(S.VORGESPRAECHE, S.IN_MEDIATION, M, guards=(TWO_PARTIES, CORE_MEDIATION_CONSENT)),
    _t(S.VORGESPRAECHE, S.EINGESTELLT, M, guards=(REASON,)),
    _t(S.VORGESPRAECHE, S.WEITERGELEITET, C, guards=(RECIPIENT,)),
    _t(S.IN_MEDIATION, S.VORGESPRAECHE, M, guards=(REASON,)),
    _t(
        S.IN_MEDIATION,
        S.VEREINBARUNG,
        M,
        guards=(JOINT_SESSION_HELD, AGREEMENT_WITH_ITEM, CORE_DOCUMENTATION_CONSENT),
    ),
    _t(
        S.IN_MEDIATION,
        S.ABGESCHLOSSEN,
        M,
        guards=(_outcome_in(m.Outcome.KEINE_EINIGUNG, m.Outcome.ANDERWEITIG_GELOEST),),
    ),
    _t(S.IN_MEDIATION, S.EINGESTELLT, M, guards=(REASON,)),
    _t(S.VEREINBARUNG, S.NACHBETREUUNG, M, guards=(FOLLOW_UP_DATE,)),
    _t(S.VEREINBARUNG, S.ABGESCHLOSSEN, M, guards=(_outcome_in(*AGREED), REASON)),
    _t(S.NACHBETREUUNG, S.ABGESCHLOSSEN, M, guards=(FOLLOW_UP_RESULT, _outcome_in(*AGREED))),
    _t(S.NACHBETREUUNG, S.IN_MEDIATION, M, guards=(REASON,)),
    *(_t(source, S.RUHEND, M, C, guards=(REASON, RESUBMISSION_DATE)) for source in sorted(ACTIVE)),
    *(_t(S.RUHEND, target, M, C, guards=(RESUME_TARGET,)) for target in sorted(ACTIVE)),
    _t(S.RUHEND, S.EINGESTELLT, C, guards=(REASON,)),
    *(_t(source, S.IN_KLAERUNG, C, guards=(REASON,)) for source in sorted(CLOSED)),
    *(_t(source, S.ARCHIVIERT, Actor.SYSTEM) for source in sorted(CLOSED)),
)

_BY_KEY = {(t.source, t.target): t for t in TRANSITIONS}


def find(source: S, target: S) -> Transition | None:
    return _BY_KEY.get((source, target))


def transitions_from(status: S, resume_to: S | None) -> list[Transition]:
    """The transitions that exist from a state; from `ruhend` only back to where the case was."""
    candidates = [t for t in TRANSITIONS if t.source is status]
    if status is S.RUHEND:
        candidates = [
            t for t in candidates if t.target is not S.RUHEND and (t.target not in ACTIVE or t.target is resume_to)
        ]
    return candidates


def missing(transition: Transition, facts: CaseFacts, given: TransitionInput) -> list[tuple[str, str]]:
    """(guard code, what is missing) for every unmet guard."""
    return [(guard.code, text) for guard in transition.guards for text in guard.check(facts, given)]


STATUS_LABELS = {
    S.EINGEGANGEN: _("eingegangen"),
    S.IN_KLAERUNG: _("in Klärung"),
    S.VORGESPRAECHE: _("Vorgespräche"),
    S.IN_MEDIATION: _("in Mediation"),
    S.VEREINBARUNG: _("Vereinbarung"),
    S.NACHBETREUUNG: _("Nachbetreuung"),
    S.RUHEND: _("ruhend"),
    S.ABGESCHLOSSEN: _("abgeschlossen"),
    S.EINGESTELLT: _("eingestellt"),
    S.WEITERGELEITET: _("weitergeleitet"),
    S.NICHT_ANGENOMMEN: _("nicht angenommen"),
    S.ARCHIVIERT: _("archiviert"),
}
