"""The case API: create, read, update, list with filters and pages, and bad input as problems."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import api, case_team

pytestmark = pytest.mark.anyio


async def test_mediator_records_a_case_and_is_on_it(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    response = await api(
        team.mediator,
        "POST",
        "/api/v1/cases",
        {"title": "Müll an der Kiosk-Ecke", "conflict_type_id": team.conflict_type_id, "escalation_level": 3},
    )
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["status"] == "eingegangen"
    assert [mediator["name"] for mediator in case["mediators"]] == ["Mila Mediation"]
    assert case["escalation_level"] == 3
    assert "record_key" not in response.text
    async with app.state["alchemy_config"].get_session() as session:
        stored = await session.get(m.Case, case["id"])
        assert stored is not None
        assert 0 <= stored.record_key < 2**32
        levels = await session.scalar(select(func.count()).select_from(m.EscalationRecord))
    assert levels == 1


async def test_record_key_is_never_exposed_and_never_changes(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    async with app.state["alchemy_config"].get_session() as session:
        before = (await session.get(m.Case, team.case_id)).record_key  # type: ignore[union-attr]
    detail = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}")
    listing = await api(team.coordinator, "GET", "/api/v1/cases")
    patched = await api(
        team.mediator, "PATCH", f"/api/v1/cases/{team.case_id}", {"version": team.version, "title": "Neu"}
    )
    for response in (detail, listing, patched):
        assert "record_key" not in response.text
        assert str(before) not in response.text
    schema = await team.mediator.get("/api/v1/schema/openapi.json")
    assert "record_key" not in schema.text
    async with app.state["alchemy_config"].get_session() as session:
        assert (await session.get(m.Case, team.case_id)).record_key == before  # type: ignore[union-attr]


async def test_list_filters_and_pages(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    for i in range(4):
        created = await api(
            team.mediator, "POST", "/api/v1/cases", {"title": f"Fall {i}", "quartier_id": team.quartier_id}
        )
        assert created.status_code == 201
    due = await api(
        team.mediator,
        "PATCH",
        f"/api/v1/cases/{created.json()['id']}",
        {"version": created.json()["version"], "resubmission_date": (today() - timedelta(days=1)).isoformat()},
    )
    assert due.status_code == 200

    everything = (await api(team.coordinator, "GET", "/api/v1/cases?page_size=2")).json()
    assert everything["total"] == 5
    assert len(everything["items"]) == 2
    page3 = (await api(team.coordinator, "GET", "/api/v1/cases?page_size=2&page=3")).json()
    assert len(page3["items"]) == 1

    mine = (await api(team.mediator, "GET", f"/api/v1/cases?mediator_id={team.mediator_user.id}")).json()
    assert mine["total"] == 5
    other = (await api(team.other_mediator, "GET", "/api/v1/cases")).json()
    assert other["total"] == 0, "a mediator sees only the cases they are on"
    in_quartier = (await api(team.coordinator, "GET", f"/api/v1/cases?quartier_id={team.quartier_id}")).json()
    assert in_quartier["total"] == 5
    by_status = (await api(team.coordinator, "GET", "/api/v1/cases?status=eingegangen&status=in_klaerung")).json()
    assert by_status["total"] == 5
    none_closed = (await api(team.coordinator, "GET", "/api/v1/cases?status=abgeschlossen")).json()
    assert none_closed["total"] == 0
    overdue = (await api(team.coordinator, "GET", "/api/v1/cases?due=wiedervorlage")).json()
    assert [c["id"] for c in overdue["items"]] == [created.json()["id"]]
    by_reference = (await api(team.coordinator, "GET", f"/api/v1/cases?reference={created.json()['reference']}")).json()
    assert by_reference["total"] == 1
    assert (await api(team.round_table, "GET", "/api/v1/cases")).status_code == 403
    assert (await api(team.admin, "GET", "/api/v1/cases")).status_code == 403


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"title": "x", "urgency": "sofort"}, 400, "urgency"),
        ({"title": 42}, 400, "title"),
        ({}, 400, "title"),
        ({"title": "x" * 201}, 400, "title"),
        ({"title": "x", "escalation_level": 10}, 400, "escalation_level"),
        ({"title": "x", "unknown": 1}, 400, "unknown"),
        ({"title": "x", "quartier_id": str(uuid4())}, 422, "quartier_id"),
        ({"title": "x", "conflict_type_id": str(uuid4())}, 422, "conflict_type_id"),
        ({"title": "x", "place_id": "not-a-uuid"}, 400, "place_id"),
    ],
)
async def test_bad_case_input_is_a_problem_naming_the_field(
    app: Litestar,
    make_client,
    payload: dict,
    status: int,
    field: str,
) -> None:
    team = await case_team(app, make_client)
    response = await api(team.mediator, "POST", "/api/v1/cases", payload)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert any(field in error["field"] or field in error["message"] for error in errors), errors
    async with app.state["alchemy_config"].get_session() as session:
        assert await session.scalar(select(func.count()).select_from(m.Case)) == 1, "nothing written"


async def test_update_checks_place_against_quartier(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    async with app.state["alchemy_config"].get_session() as session:
        elsewhere = await session.scalar(select(m.Quartier).where(m.Quartier.code == "Q05"))
        assert elsewhere is not None
        place = m.Place(quartier_id=elsewhere.id, name="Park am Gatherhof")
        session.add(place)
        await session.commit()
        place_id = str(place.id)
    response = await api(
        team.mediator, "PATCH", f"/api/v1/cases/{team.case_id}", {"version": team.version, "place_id": place_id}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "place_id"


async def test_only_coordinators_assign_mediators(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    url = f"/api/v1/cases/{team.case_id}/mediators"
    body = {"version": team.version, "mediator_ids": []}
    refused = await api(team.mediator, "PUT", url, body)
    assert refused.status_code == 403
    assert (await api(team.other_mediator, "PUT", url, body)).status_code == 404
    case = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}")).json()
    assert [mediator["name"] for mediator in case["mediators"]] == ["Mila Mediation"], "nothing changed"
    events = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    assert events[-1]["action"] == "denied"
    assert events[-1]["details"] == {"attempted": "assign_mediators"}
    unknown = await api(
        team.coordinator, "PUT", url, {"version": team.version, "mediator_ids": [str(team.coordinator_user.id)]}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "mediator_ids"
