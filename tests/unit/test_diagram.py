"""The state machine diagram shows exactly the workflow table, and the committed docs are current."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from konfliktmanagement.domain.cases import diagram, workflow
from konfliktmanagement.server.cli import workflow_diagram

DOCS = Path(__file__).resolve().parents[2] / "docs" / "state-machine.md"
EDGE = re.compile(r"^\s+(\w+) --> (\w+) : (.+)$")


def _drawn_edges() -> list[tuple[str, str, str]]:
    return [match.groups() for line in diagram.mermaid().splitlines() if (match := EDGE.match(line))]  # type: ignore[misc]


def _expand(node: str) -> set[str]:
    groups = {g.node: {s.value for s in g.members} for g in diagram.GROUPS}
    return groups.get(node, {node})


def test_the_drawn_edges_are_exactly_the_transitions_of_the_table() -> None:
    drawn = {(s, t) for source, target, _ in _drawn_edges() for s in _expand(source) for t in _expand(target)}
    table = {(t.source.value, t.target.value) for t in workflow.TRANSITIONS}
    assert drawn == table


def test_every_transition_is_labelled_with_its_actors_and_guard_codes() -> None:
    labels: dict[tuple[str, str], str] = {}
    for source, target, label in _drawn_edges():
        for s in _expand(source):
            for t in _expand(target):
                labels[(s, t)] = label
    for transition in workflow.TRANSITIONS:
        label = labels[(transition.source.value, transition.target.value)]
        for actor in transition.actors:
            assert diagram.ACTOR_LABELS[actor] in label, transition.key
        for guard in transition.guards:
            assert guard.code in label, transition.key
        assert ";" not in label
        assert "#" not in label


def test_every_transition_is_covered_by_exactly_one_edge() -> None:
    covered = [t for edge in diagram.edges() for t in edge.covers]
    assert sorted(t.key for t in covered) == sorted(t.key for t in workflow.TRANSITIONS)


def test_states_carry_their_german_labels() -> None:
    text = diagram.mermaid()
    assert text.startswith("stateDiagram-v2\n")
    for status, label in workflow.STATUS_LABELS.items():
        assert f'state "{label}" as {status.value}' in text


def test_the_committed_docs_match_the_table() -> None:
    assert DOCS.read_text(encoding="utf-8") == diagram.document(), (
        "docs/state-machine.md is stale: run `uv run konfliktmanagement workflow diagram`"
    )
    assert f"```mermaid\n{diagram.mermaid()}```" in DOCS.read_text(encoding="utf-8")


def test_the_cli_writes_the_document(tmp_path: Path) -> None:
    target = tmp_path / "out" / "state-machine.md"
    result = CliRunner().invoke(workflow_diagram, ["--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == diagram.document()
    assert CliRunner().invoke(workflow_diagram, ["--output", "-"]).output == diagram.document()
