"""The audit trail is hash-chained: `konfliktmanagement audit verify` finds the first altered event."""

from __future__ import annotations

import pytest
from litestar import Litestar
from sqlalchemy import text

from konfliktmanagement.lib.settings import Settings
from tests.cli import run_cli
from tests.helpers import api, case_team

pytestmark = pytest.mark.anyio


async def _case_with_history(app: Litestar, make_client) -> tuple[str, str]:
    team = await case_team(app, make_client)
    url = f"/api/v1/cases/{team.case_id}"
    updated = await api(team.mediator, "PATCH", url, {"version": team.version, "urgency": "hoch"})
    assert updated.status_code == 200
    moved = await api(team.coordinator, "POST", f"{url}/transitions", {"to": "in_klaerung"})
    assert moved.status_code == 200, moved.text
    return team.case_id, moved.json()["reference"]


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("UPDATE case_event SET reason = 'nachträglich geändert' WHERE seq = 3", "altered"),
        ("UPDATE case_event SET to_status = 'abgeschlossen' WHERE seq = 3", "altered"),
        ("DELETE FROM case_event WHERE seq = 2", "missing"),
    ],
)
async def test_tampering_is_detected_and_named(
    app: Litestar,
    make_client,
    settings: Settings,
    tamper: str,
    problem: str,
) -> None:
    _case_id, reference = await _case_with_history(app, make_client)
    intact = await run_cli(settings, ["audit", "verify"])
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout

    async with app.state["alchemy_config"].get_engine().begin() as connection:
        await connection.execute(text(tamper))
    broken = await run_cli(settings, ["audit", "verify"])
    assert broken.returncode == 1
    assert reference in broken.stderr
    assert problem in broken.stderr
    # An altered #3 is named itself; a deleted #2 shows as the gap found at #3.
    assert "#3" in broken.stderr


async def test_events_carry_the_chain(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    events = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert len({e["hash"] for e in events}) == len(events)
    assert events[0]["action"] == "created"
