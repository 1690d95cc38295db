"""The "Fallakte drucken" view (issue 13): the case as its reader may see it, ready to print — parties
by alias and pseudonym, sessions with their minutes, agreements, requests, the timeline, and notes
only in the tiers the reader may read; no write action; 404 for everyone else."""

from __future__ import annotations

import pytest
from litestar import Litestar

from tests.helpers import CaseTeam, api
from tests.workflow_fixtures import case_with_minutes

pytestmark = pytest.mark.anyio


async def test_the_case_file_prints_what_its_reader_may_see(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_with_minutes(app, team, "Ruhezeiten ab 22 Uhr vereinbart.")
    base = f"/api/v1/cases/{case_id}/notes"
    for tier, body in (("mediator_private", "Nur für die Mediation"), ("case_team", "Für das Fallteam")):
        assert (await api(team.mediator, "POST", base, {"tier": tier, "body": body})).status_code == 201

    mediator_view = await team.mediator.get(f"/cases/{case_id}/print")
    assert mediator_view.status_code == 200
    text = mediator_view.text
    for shown in ("Fallakte", "Partei A", "Ruhezeiten ab 22 Uhr vereinbart.", "Ruhezeiten", "Verlauf"):
        assert shown in text, shown
    assert "Nur für die Mediation" in text
    assert "Person 0" not in text, "parties by alias and pseudonym, never by name"
    assert "/edit" not in text
    assert "Bearbeiten" not in text

    coordinator_view = (await team.coordinator.get(f"/cases/{case_id}/print")).text
    assert "Für das Fallteam" in coordinator_view
    assert "Nur für die Mediation" not in coordinator_view, "a coordinator never reads mediator-private notes"

    for outsider in (team.other_mediator, team.round_table, team.admin):
        assert (await outsider.get(f"/cases/{case_id}/print")).status_code == 404

    assert f'href="/cases/{case_id}/print"' in (await team.mediator.get(f"/cases/{case_id}")).text
