"""The partial indexes of `case_file` hold exactly the workflow's status sets (models and migration)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import workflow

VERSIONS = Path(__file__).parents[2] / "migrations" / "versions"
MIGRATIONS = (
    VERSIONS / "0014_a7c3e9f1b212_speed_indexes.py",
    VERSIONS / "0016_b8d4f0a2c323_mediator_case_index.py",
    VERSIONS / "0022_c4e8a1f3d920_dashboard_counts.py",
)
EXPECTED = {
    "ix_case_file_intake": {m.CaseStatus.EINGEGANGEN},
    "ix_case_file_on_hold": {m.CaseStatus.RUHEND},
    "ix_case_file_open_follow_up": set(workflow.OPEN),
    "ix_case_file_open_resubmission": set(workflow.OPEN),
    "ix_case_file_active": set(workflow.ACTIVE),
    "ix_case_file_closed_groups": set(workflow.CLOSED),
}


def _statuses(predicate: str) -> set[str]:
    return set(re.findall(r"'([a-z_]+)'", predicate))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_model_and_migration_predicates_are_the_workflow_sets(name: str) -> None:
    expected = {s.value for s in EXPECTED[name]}
    index = next(i for i in m.Case.__table__.indexes if i.name == name)
    assert _statuses(str(index.dialect_options["postgresql"]["where"])) == expected
    assert _statuses(str(index.dialect_options["sqlite"]["where"])) == expected
    migrated = {}
    for path in MIGRATIONS:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        migrated.update({n: (columns, predicate) for n, columns, predicate in module.INDEXES})
    assert _statuses(migrated[name][1]) == expected
    assert migrated[name][0] == [c.name for c in index.columns]
