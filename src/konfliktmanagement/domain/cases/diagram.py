"""The case state machine as a Mermaid `stateDiagram-v2`, rendered from `workflow.TRANSITIONS`.

Generated, never drawn by hand, so the docs cannot drift from the rules the app enforces
(`konfliktmanagement workflow diagram` writes docs/state-machine.md; a test compares the file).
Transitions that differ only in their source (or only in their target) within one group of states
— "every active state → ruhend", "every closed state → archiviert" — are drawn as one edge from
(or to) a dashed stand-in node for the group; otherwise the diagram would be a knot of 40 arrows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.domain.cases.workflow import Actor, Transition

S = workflow.S

ACTOR_LABELS = {Actor.MEDIATOR: "Mediation", Actor.COORDINATOR: "Koordination", Actor.SYSTEM: "System"}
_ACTOR_ORDER = (Actor.MEDIATOR, Actor.COORDINATOR, Actor.SYSTEM)


@dataclass(frozen=True, slots=True)
class Group:
    node: str  # the stand-in node's id in the diagram
    label: str
    members: frozenset[S]


GROUPS = (
    Group("alle_aktiven", "jeder aktive Zustand", frozenset(workflow.ACTIVE)),
    Group("alle_geschlossenen", "jeder geschlossene Zustand", frozenset(workflow.CLOSED)),
)


@dataclass(frozen=True, slots=True)
class Edge:
    source: str  # a state's value or a group's node
    target: str
    label: str
    covers: tuple[Transition, ...]

    @property
    def line(self) -> str:
        return f"    {self.source} --> {self.target} : {self.label}"


def edge_label(transition: Transition) -> str:
    """Who may do it and the guard codes, e.g. `Koordination (reason)`.

    Mermaid ends a label at `;` or `#`, so neither may appear here.
    """
    actors = " / ".join(ACTOR_LABELS[a] for a in _ACTOR_ORDER if a in transition.actors)
    codes = ", ".join(guard.code for guard in transition.guards)
    return f"{actors} ({codes})" if codes else actors


def _signature(transition: Transition) -> tuple[frozenset[Actor], tuple[str, ...]]:
    return transition.actors, tuple(guard.code for guard in transition.guards)


def edges() -> list[Edge]:
    """Every transition of the table, each covered by exactly one edge, in table order."""
    remaining = list(workflow.TRANSITIONS)
    collapsed: list[Edge] = []
    for group in GROUPS:
        for fan_in in (True, False):
            # fan_in: many sources of the group → one target; otherwise one source → the group's members.
            buckets: dict[tuple[object, ...], list[Transition]] = defaultdict(list)
            for t in remaining:
                buckets[(t.target if fan_in else t.source, *_signature(t))].append(t)
            for bucket in buckets.values():
                ends = {t.source if fan_in else t.target for t in bucket}
                if len(bucket) < 2 or ends != group.members:
                    continue
                first = bucket[0]
                source, target = (group.node, first.target.value) if fan_in else (first.source.value, group.node)
                collapsed.append(Edge(source, target, edge_label(first), tuple(bucket)))
                remaining = [t for t in remaining if t not in bucket]
    single = [Edge(t.source.value, t.target.value, edge_label(t), (t,)) for t in remaining]
    order = {t: index for index, t in enumerate(workflow.TRANSITIONS)}
    return sorted(single + collapsed, key=lambda e: order[e.covers[0]])


def mermaid() -> str:
    """The whole diagram, ending with a newline."""
    lines = ["stateDiagram-v2", "    direction TB"]
    lines += [f'    state "{workflow.STATUS_LABELS[s]}" as {s.value}' for s in S]
    lines += [f'    state "{g.label}" as {g.node}' for g in GROUPS]
    lines.append(f"    [*] --> {S.EINGEGANGEN.value}")
    lines += [edge.line for edge in edges()]
    lines.append(f"    {S.ARCHIVIERT.value} --> [*]")
    for group in GROUPS:
        members = ", ".join(workflow.STATUS_LABELS[s] for s in S if s in group.members)
        lines.append(f"    note right of {group.node} : {members}")
    lines.append(f"    note left of {S.RUHEND.value} : merkt sich resume_to und kehrt nur dorthin zurück")
    lines.append("    classDef group stroke-dasharray: 5 5")
    lines.append(f"    class {','.join(g.node for g in GROUPS)} group")
    return "\n".join(lines) + "\n"


def document() -> str:
    """docs/state-machine.md: a short introduction and the diagram."""
    return f"""# Fall-Zustandsautomat / case state machine

Generiert aus `src/konfliktmanagement/domain/cases/workflow.py` mit
`konfliktmanagement workflow diagram` — nicht von Hand bearbeiten. Kanten nennen, wer den Wechsel
vornehmen darf (Mediation = eine dem Fall zugewiesene Mediator:in, Koordination, System) und in
Klammern die Codes der Bedingungen (Guards), die die API bei einem 409 nennt. Die gestrichelten
Knoten fassen gleichartige Wechsel aller aktiven bzw. aller geschlossenen Zustände zusammen.

Generated from the workflow table with `konfliktmanagement workflow diagram` — do not edit by hand;
a test fails when this file and the table disagree. Edges show who may act and the guard codes;
coordinators may perform a mediator's transition only as an audited override with a reason.

```mermaid
{mermaid()}```
"""
