"""Concurrent requests: one transition wins, the rest get 409; parallel creations get distinct numbers."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import api, case_team, csrf_header
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio


async def test_twenty_concurrent_transitions_exactly_one_wins(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    body = {"to": "ruhend", "reason": "Urlaub", "resubmission_date": (today() + timedelta(days=10)).isoformat()}
    headers = csrf_header(team.mediator)
    responses = await asyncio.gather(
        *(team.mediator.post(f"/api/v1/cases/{case_id}/transitions", json=body, headers=headers) for _ in range(20))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 19, [r.text for r in responses if r.status_code not in {200, 409}]
    async with app.state["alchemy_config"].get_session() as session:
        transitions = await session.scalar(
            select(func.count())
            .select_from(m.CaseEvent)
            .where(m.CaseEvent.case_id == case_id, m.CaseEvent.action == "transition")
        )
        case = await session.get(m.Case, case_id)
    assert transitions == 1
    assert case is not None
    assert case.status == "ruhend"
    assert case.version == 2


async def test_twenty_concurrent_creations_get_distinct_references(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    headers = csrf_header(team.coordinator)
    responses = await asyncio.gather(
        *(
            team.coordinator.post(
                "/api/v1/cases", json={"title": f"Fall {i}", "quartier_id": team.quartier_id}, headers=headers
            )
            for i in range(20)
        )
    )
    assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses if r.status_code != 201]
    references = {r.json()["reference"] for r in responses}
    assert len(references) == 20
    year = today().year
    assert all(ref.startswith(f"KM-{year}-") and len(ref.split("-")[2]) == 4 for ref in references)


async def test_stale_version_is_refused_with_the_current_one(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    url = f"/api/v1/cases/{team.case_id}"
    first = await api(team.mediator, "PATCH", url, {"version": team.version, "title": "Neuer Titel"})
    assert first.status_code == 200, first.text
    stale = await api(team.coordinator, "PATCH", url, {"version": team.version, "title": "Überschrieben?"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == first.json()["version"]
    assert (await api(team.mediator, "GET", url)).json()["title"] == "Neuer Titel"
    stale_transition = await api(
        team.coordinator, "POST", f"{url}/transitions", {"to": "in_klaerung", "version": team.version}
    )
    assert stale_transition.status_code == 409
    assert stale_transition.json()["current_version"] == first.json()["version"]
