"""Administration requests (Anliegen an Verwaltung) through the API: CRUD, validation, access, versions,
and an audit trail without the subject or the department's answer."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api

pytestmark = pytest.mark.anyio

CANARY = "KANARIENVOGEL-b41d"
TODAY = today()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
LAST_WEEK = (TODAY - timedelta(days=7)).isoformat()


def _url(team: CaseTeam) -> str:
    return f"/api/v1/cases/{team.case_id}/administration-requests"


async def _create(team: CaseTeam, **body: Any) -> dict[str, Any]:
    body.setdefault("department", "Grünflächenamt")
    body.setdefault("subject", "Zusätzlicher Mülleimer am Bolzplatz")
    response = await api(team.mediator, "POST", _url(team), body)
    assert response.status_code == 201, response.text
    return response.json()


async def _events(team: CaseTeam) -> list[dict[str, Any]]:
    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")
    assert response.status_code == 200
    return response.json()


async def _count(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(m.AdministrationRequest)) or 0


def _names(problem: dict[str, Any], field: str) -> bool:
    """Type errors name the field itself; a missing or unknown one is named in the message (`field`)."""
    return any(e["field"] == field or f"`{field}`" in e["message"] for e in problem["errors"])


async def test_create_read_list_and_follow_through(app: Litestar, team: CaseTeam) -> None:
    created = await _create(team)
    assert (created["status"], created["answer"], created["submitted_on"], created["version"]) == (
        "offen",
        None,
        None,
        1,
    )
    for client in (team.mediator, team.coordinator):
        detail = await api(client, "GET", f"/api/v1/administration-requests/{created['id']}")
        assert detail.status_code == 200
        assert detail.json() == created
        listed = await api(client, "GET", _url(team))
        assert [r["id"] for r in listed.json()] == [created["id"]]

    url = f"/api/v1/administration-requests/{created['id']}"
    submitted = await api(
        team.mediator, "PATCH", url, {"version": 1, "status": "eingereicht", "submitted_on": LAST_WEEK}
    )
    assert submitted.status_code == 200, submitted.text
    assert (submitted.json()["status"], submitted.json()["version"]) == ("eingereicht", 2)
    answered = await api(
        team.coordinator,
        "PATCH",
        url,
        {"version": 2, "status": "umgesetzt", "answer": "Wird im Frühjahr aufgestellt.", "answered_on": YESTERDAY},
    )
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert (body["status"], body["answered_on"], body["submitted_on"], body["version"]) == (
        "umgesetzt",
        YESTERDAY,
        LAST_WEEK,
        3,
    )
    # Nothing changed, nothing written: the version stays.
    assert (await api(team.mediator, "PATCH", url, {"version": 3, "status": "umgesetzt"})).json()["version"] == 3
    assert await _count(app) == 1


async def test_a_request_can_be_recorded_after_the_fact(team: CaseTeam) -> None:
    created = await _create(
        team, status="abgelehnt", submitted_on=LAST_WEEK, answered_on=LAST_WEEK, answer="Keine Mittel."
    )
    assert (created["status"], created["answered_on"]) == ("abgelehnt", LAST_WEEK)


# (body, status, the field the problem names)
INVALID_CREATES: list[tuple[dict[str, Any], int, str]] = [
    ({"department": "d" * 161, "subject": "s"}, 400, "department"),
    ({"department": "d", "subject": "s" * 301}, 400, "subject"),
    ({"department": "d", "subject": "s", "answer": "a" * 4001}, 400, "answer"),
    ({"department": "d", "subject": "s", "status": "erledigt"}, 400, "status"),
    ({"department": 7, "subject": "s"}, 400, "department"),
    ({"department": "d"}, 400, "subject"),  # missing
    ({"department": "d", "subject": "s", "submitted_on": "bald"}, 400, "submitted_on"),
    ({"department": "d", "subject": "s", "case_id": str(uuid.uuid4())}, 400, "case_id"),
    ({"department": " ", "subject": "s"}, 422, "department"),
    ({"department": "d", "subject": "s", "submitted_on": YESTERDAY, "answered_on": LAST_WEEK}, 422, "answered_on"),
    ({"department": "d", "subject": "s", "status": "beantwortet"}, 422, "answered_on"),
]


async def test_invalid_create_names_the_field_and_writes_nothing(app: Litestar, team: CaseTeam) -> None:
    before = await _events(team)
    for body, status, field in INVALID_CREATES:
        response = await api(team.mediator, "POST", _url(team), body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert _names(response.json(), field), (body, response.text)
    assert await _count(app) == 0
    assert await _events(team) == before


INVALID_UPDATES: list[tuple[dict[str, Any], int, str]] = [
    ({"answered_on": LAST_WEEK}, 422, "answered_on"),  # before it was submitted (yesterday)
    ({"status": "umgesetzt"}, 422, "answered_on"),
    ({"status": "abgelehnt", "answered_on": None}, 422, "answered_on"),
    ({"status": "ja"}, 400, "status"),
    ({"answer": 12}, 400, "answer"),
    ({"subject": "s" * 301}, 400, "subject"),
    ({"subject": ""}, 400, "subject"),
    ({"version": None}, 400, "version"),
]


async def test_invalid_update_names_the_field_and_changes_nothing(team: CaseTeam) -> None:
    created = await _create(team, status="eingereicht", submitted_on=YESTERDAY)
    url = f"/api/v1/administration-requests/{created['id']}"
    before = await _events(team)
    for body, status, field in INVALID_UPDATES:
        response = await api(team.mediator, "PATCH", url, {"version": 1, **body})
        assert response.status_code == status, (body, response.text)
        assert _names(response.json(), field), (body, response.text)
    missing = await api(team.mediator, "PATCH", url, {"status": "offen"})
    assert missing.status_code == 400
    assert _names(missing.json(), "version")
    assert (await api(team.mediator, "GET", url)).json() == created
    assert await _events(team) == before


async def test_answered_requests_can_be_corrected_consistently(team: CaseTeam) -> None:
    created = await _create(team, status="beantwortet", submitted_on=LAST_WEEK, answered_on=YESTERDAY)
    url = f"/api/v1/administration-requests/{created['id']}"
    # Back to `offen` (sent to the wrong department): the answer date may go with it.
    reopened = await api(team.mediator, "PATCH", url, {"version": 1, "status": "offen", "answered_on": None})
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["status"], reopened.json()["answered_on"]) == ("offen", None)


UNKNOWN: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/administration-requests/{random}", None),
    ("PATCH", "/api/v1/administration-requests/{random}", {"version": 1, "status": "eingereicht"}),
    ("GET", "/api/v1/cases/{random}/administration-requests", None),
    ("POST", "/api/v1/cases/{random}/administration-requests", {"department": "d", "subject": "s"}),
    ("GET", "/api/v1/administration-requests/123", None),
]


async def test_unknown_ids_are_404(app: Litestar, team: CaseTeam) -> None:
    for method, url, body in UNKNOWN:
        response = await api(team.mediator, method, url.format(random=uuid.uuid4()), body)
        assert response.status_code == 404, (method, url)
    assert await _count(app) == 0


def _calls(team: CaseTeam, created: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    url = f"/api/v1/administration-requests/{created['id']}"
    return [
        ("GET", _url(team), None),
        ("POST", _url(team), {"department": "Ordnungsamt", "subject": "Kontrollen"}),
        ("GET", url, None),
        ("PATCH", url, {"version": 1, "status": "eingereicht"}),
    ]


@pytest.mark.parametrize("who", ["mediator", "coordinator"])
async def test_case_team_reads_and_writes(app: Litestar, team: CaseTeam, who: str) -> None:
    created = await _create(team)
    for method, url, body in _calls(team, created):
        response = await api(getattr(team, who), method, url, body)
        assert response.status_code == (201 if method == "POST" else 200), (who, method, url, response.text)
    assert await _count(app) == 2


async def test_others_get_404_and_are_audited(app: Litestar, team: CaseTeam) -> None:
    created = await _create(team)
    before = await _events(team)
    calls = _calls(team, created)
    for who in ("other_mediator", "round_table", "admin"):
        for method, url, body in calls:
            response = await api(getattr(team, who), method, url, body)
            assert response.status_code == 404, (who, method, url, response.text)
    assert await _count(app) == 1
    assert (await api(team.mediator, "GET", f"/api/v1/administration-requests/{created['id']}")).json() == created
    denied = (await _events(team))[len(before) :]
    assert [e["action"] for e in denied] == ["denied"] * 3 * len(calls)
    assert {e["details"]["attempted"] for e in denied} == {
        "read_administration_requests",
        "create_administration_request",
        "read_administration_request",
        "update_administration_request",
    }


async def test_stale_version_is_refused(team: CaseTeam) -> None:
    created = await _create(team)
    url = f"/api/v1/administration-requests/{created['id']}"
    first = await api(team.mediator, "PATCH", url, {"version": 1, "department": "Tiefbauamt"})
    assert first.status_code == 200
    stale = await api(team.coordinator, "PATCH", url, {"version": 1, "department": "Sportamt"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert (await api(team.mediator, "GET", url)).json()["department"] == "Tiefbauamt"


async def test_every_change_is_audited_without_free_text(team: CaseTeam) -> None:
    before = len(await _events(team))
    created = await _create(team, subject=f"Beleuchtung {CANARY}", department=f"Amt {CANARY}")
    url = f"/api/v1/administration-requests/{created['id']}"
    await api(team.mediator, "PATCH", url, {"version": 1, "status": "eingereicht", "submitted_on": LAST_WEEK})
    answered = await api(
        team.mediator,
        "PATCH",
        url,
        {"version": 2, "status": "beantwortet", "answered_on": YESTERDAY, "answer": f"Antwort {CANARY}"},
    )
    assert answered.json()["answer"] == f"Antwort {CANARY}"

    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")
    assert CANARY not in response.text
    events = response.json()[before:]
    assert [(e["action"], e["details"]) for e in events] == [
        ("administration_request_created", {"request_id": created["id"], "status": "offen"}),
        (
            "administration_request_updated",
            {
                "request_id": created["id"],
                "fields": ["status", "submitted_on"],
                "status_from": "offen",
                "status_to": "eingereicht",
            },
        ),
        (
            "administration_request_updated",
            {
                "request_id": created["id"],
                "fields": ["answer", "answered_on", "status"],
                "status_from": "eingereicht",
                "status_to": "beantwortet",
            },
        ),
    ]
    assert all(e["reason"] is None and e["actor_id"] == str(team.mediator_user.id) for e in events)
