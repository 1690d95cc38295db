from __future__ import annotations

import pytest
from litestar import Litestar

from tests.helpers import CaseTeam, csrf_header
from tests.integration.test_statement_budgets import _cost, _filled

pytestmark = pytest.mark.anyio
ROUTES = [
    ("coordinator", "/cases/{case_id}"),
    ("mediator", "/cases/mine"),
    ("coordinator", "/cases/"),
    ("coordinator", "/dashboard"),
    ("coordinator", "/api/v1/cases/{case_id}"),
    ("mediator", "/api/v1/cases/{case_id}"),
    ("coordinator", "/api/v1/cases"),
]


async def test_counts(app: Litestar, team: CaseTeam, request: pytest.FixtureRequest) -> None:
    await _filled(team)
    out = []
    for who, path in ROUTES:
        for _ in range(2):
            st = await _cost(app, getattr(team, who), "GET", path.format(case_id=team.case_id))
        out.append(f"{who} {path}: {len(st)}")
    case = (await team.coordinator.get(f"/api/v1/cases/{team.case_id}")).json()
    st = await _cost(
        app,
        team.coordinator,
        "POST",
        f"/api/v1/cases/{team.case_id}/transitions",
        json={"to": "in_klaerung", "version": case["version"]},
        headers=csrf_header(team.coordinator),
    )
    out.append(f"transition: {len(st)}")
    print(
        "\nCOUNTS " + request.node.name + "\n" + "\n".join(out) + "\nTRANSITION SQL:\n" + "\n".join(s[:100] for s in st)
    )
