"""Mediation sessions (Sitzungen) through the API: plan, log, reschedule; who may; what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from tests.helpers import CaseTeam, api, case_team

pytestmark = pytest.mark.anyio

CANARY_MINUTES = "Canary-Protokoll 4417 vertraulich"


def _iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


async def _participations(
    app: Litestar,
    case_id: str,
    aliases: tuple[str, ...] = ("Partei A", "Partei B"),
    role: m.ParticipationRole = m.ParticipationRole.BETROFFEN,
) -> list[str]:
    """Parties of the case, written directly: the parties API is not part of this area."""
    ids = []
    async with app.state["alchemy_config"].get_session() as session:
        for alias in aliases:
            party = m.Party(kind=m.PartyKind.PERSON.value, name=f"Person {alias}")
            session.add(party)
            await session.flush()
            participation = m.Participation(case_id=UUID(case_id), party_id=party.id, alias=alias, role=role.value)
            session.add(participation)
            await session.flush()
            ids.append(str(participation.id))
        await session.commit()
    return ids


async def _user_id(app: Litestar, email: str) -> str:
    async with app.state["alchemy_config"].get_session() as session:
        return str(await session.scalar(select(m.User.id).where(m.User.email == email)))


async def _session_count(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(m.MediationSession)) or 0


def _quick_log(team: CaseTeam, participation_ids: list[str], **overrides: object) -> dict[str, object]:
    return {
        "kind": "gemeinsame_sitzung",
        "status": "durchgefuehrt",
        "held_at": _iso(-timedelta(days=1)),
        "duration_minutes": 90,
        "participation_ids": participation_ids,
        "mediator_ids": [str(team.mediator_user.id)],
        "phases": ["themensammlung", "interessenklaerung"],
        "minutes": CANARY_MINUTES,
        **overrides,
    }


async def _events(team: CaseTeam) -> list[dict]:
    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_held_session_is_logged_in_one_post(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    attendees = await _participations(app, team.case_id)
    created = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/sessions", _quick_log(team, attendees))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "durchgefuehrt"
    assert body["duration_minutes"] == 90
    assert body["minutes"] == CANARY_MINUTES
    assert sorted(body["participation_ids"]) == sorted(attendees)
    assert body["mediator_ids"] == [str(team.mediator_user.id)]
    assert body["phases"] == ["themensammlung", "interessenklaerung"]
    assert body["version"] == 1

    listed = await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}/sessions")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [body["id"]]
    assert listed.json()[0]["has_minutes"] is True
    assert CANARY_MINUTES not in listed.text  # lists carry no minutes
    detail = await api(team.coordinator, "GET", f"/api/v1/sessions/{body['id']}")
    assert detail.status_code == 200
    assert detail.json()["minutes"] == CANARY_MINUTES

    events = await _events(team)
    assert events[-1]["action"] == "session_created"
    assert events[-1]["details"] == {"session_id": body["id"], "kind": "gemeinsame_sitzung", "status": "durchgefuehrt"}
    assert CANARY_MINUTES not in str(events)


async def test_coordinator_plans_and_mediator_records_the_session(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    async with app.state["alchemy_config"].get_session() as session:
        place = m.Place(quartier_id=UUID(team.quartier_id), name="Spielplatz Lindenweg")
        session.add(place)
        await session.commit()
    planned = await api(
        team.coordinator,
        "POST",
        f"/api/v1/cases/{team.case_id}/sessions",
        {"kind": "vorgespraech", "scheduled_at": _iso(timedelta(days=3)), "place_id": str(place.id)},
    )
    assert planned.status_code == 201, planned.text
    assert planned.json()["status"] == "geplant"
    assert planned.json()["place_id"] == str(place.id)
    session_id = planned.json()["id"]

    held = await api(
        team.mediator,
        "PATCH",
        f"/api/v1/sessions/{session_id}",
        {
            "version": 1,
            "status": "durchgefuehrt",
            "held_at": _iso(-timedelta(hours=2)),  # earlier than planned: meetings move
            "duration_minutes": 45,
            "mediator_ids": [str(team.mediator_user.id)],
            "minutes": CANARY_MINUTES,
        },
    )
    assert held.status_code == 200, held.text
    assert held.json()["status"] == "durchgefuehrt"
    assert held.json()["version"] == 2
    assert held.json()["mediator_ids"] == [str(team.mediator_user.id)]

    # Attendance alone is a change too: the version moves so that other editors notice.
    only_links = await api(team.mediator, "PATCH", f"/api/v1/sessions/{session_id}", {"version": 2, "mediator_ids": []})
    assert only_links.status_code == 200, only_links.text
    assert only_links.json()["version"] == 3
    assert only_links.json()["mediator_ids"] == []

    events = await _events(team)
    updates = [e for e in events if e["action"] == "session_updated"]
    assert updates[0]["details"] == {
        "session_id": session_id,
        "fields": ["duration_minutes", "held_at", "mediator_ids", "minutes", "status"],
        "from_status": "geplant",
        "to_status": "durchgefuehrt",
    }
    assert updates[1]["details"] == {"session_id": session_id, "fields": ["mediator_ids"]}
    assert CANARY_MINUTES not in str(events)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["verschoben", "geplant", "durchgefuehrt"], [True, True, True]),
        (["verschoben", "abgesagt"], [True, True]),
        (["abgesagt", "geplant"], [True, False]),
        (["durchgefuehrt", "geplant"], [True, False]),
        (["durchgefuehrt", "abgesagt"], [True, False]),
        (["verschoben", "durchgefuehrt"], [True, False]),
    ],
)
async def test_status_changes_follow_the_session_lifecycle(
    app: Litestar, make_client, path: list[str], allowed: list[bool]
) -> None:
    team = await case_team(app, make_client)
    created = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/sessions", {"kind": "ortsbegehung"})
    assert created.status_code == 201, created.text
    session_id, version = created.json()["id"], created.json()["version"]
    for status, ok in zip(path, allowed, strict=True):
        payload: dict[str, object] = {"version": version, "status": status}
        if status == "durchgefuehrt":
            payload["held_at"] = _iso(-timedelta(minutes=10))
        response = await api(team.mediator, "PATCH", f"/api/v1/sessions/{session_id}", payload)
        if ok:
            assert response.status_code == 200, (status, response.text)
            version = response.json()["version"]
        else:
            assert response.status_code == 409, (status, response.text)
            assert response.json()["field"] == "status"
            current = await api(team.mediator, "GET", f"/api/v1/sessions/{session_id}")
            assert current.json()["status"] == path[-2]
            assert current.json()["version"] == version


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"kind": "kaffeeklatsch"}, 400, "kind"),
        ({}, 400, "kind"),
        ({"kind": "vorgespraech", "status": "vertagt"}, 400, "status"),
        ({"kind": "vorgespraech", "duration_minutes": "lang", "held_at": _iso(-timedelta(hours=1))}, 400, "duration"),
        ({"kind": "vorgespraech", "duration_minutes": 1441, "held_at": _iso(-timedelta(hours=1))}, 400, "duration"),
        ({"kind": "vorgespraech", "scheduled_at": "2026-12-01T10:00:00"}, 400, "scheduled_at"),
        ({"kind": "vorgespraech", "minutes": "x" * 20001}, 400, "minutes"),
        ({"kind": "vorgespraech", "location": "x" * 201}, 400, "location"),
        ({"kind": "vorgespraech", "phases": ["brainstorming"]}, 400, "phases"),
        ({"kind": "vorgespraech", "participation_ids": ["keine-uuid"]}, 400, "participation_ids"),
        ({"kind": "vorgespraech", "raum": "3"}, 400, "raum"),
        ({"kind": "vorgespraech", "status": "abgesagt"}, 422, "status"),
        ({"kind": "vorgespraech", "phases": ["optionen", "optionen"]}, 422, "phases"),
        ({"kind": "vorgespraech", "participation_ids": [str(uuid4())]}, 422, "participation_ids"),
        ({"kind": "vorgespraech", "mediator_ids": [str(uuid4())]}, 422, "mediator_ids"),
        ({"kind": "vorgespraech", "place_id": str(uuid4())}, 422, "place_id"),
        ({"kind": "vorgespraech", "status": "durchgefuehrt", "held_at": _iso(timedelta(days=1))}, 422, "held_at"),
        ({"kind": "vorgespraech", "status": "durchgefuehrt"}, 422, "held_at"),
        ({"kind": "vorgespraech", "duration_minutes": 60}, 422, "duration_minutes"),
    ],
)
async def test_invalid_sessions_name_the_field_and_write_nothing(
    app: Litestar, make_client, payload: dict, status: int, field: str
) -> None:
    team = await case_team(app, make_client)
    before = len(await _events(team))
    response = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/sessions", payload)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert any(field in e["field"] or field in e["message"] for e in errors), errors
    assert await _session_count(app) == 0
    assert len(await _events(team)) == before


async def test_ids_and_places_from_elsewhere_are_refused(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    other_case = await api(team.coordinator, "POST", "/api/v1/cases", {"title": "Anderer Fall"})
    foreign = await _participations(app, other_case.json()["id"], ("Partei X",))
    async with app.state["alchemy_config"].get_session() as session:
        elsewhere = await session.scalar(select(m.Quartier.id).where(m.Quartier.id != UUID(team.quartier_id)))
        place = m.Place(quartier_id=elsewhere, name="Kiosk am Ring")
        session.add(place)
        await session.commit()
    response = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/sessions",
        {
            "kind": "gemeinsame_sitzung",
            "participation_ids": foreign,
            "mediator_ids": [await _user_id(app, "andere@example.org")],
            "place_id": str(place.id),
            "location": "Hinterhof",
        },
    )
    assert response.status_code == 422, response.text
    assert {e["field"] for e in response.json()["errors"]} == {
        "participation_ids",
        "mediator_ids",
        "place_id",
        "location",
    }
    assert await _session_count(app) == 0


async def test_patch_with_invalid_values_changes_nothing(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    created = await api(
        team.mediator, "POST", f"/api/v1/cases/{team.case_id}/sessions", {"kind": "nachtreffen", "minutes": "alt"}
    )
    session_id = created.json()["id"]
    refused = await api(
        team.mediator,
        "PATCH",
        f"/api/v1/sessions/{session_id}",
        {"version": 1, "minutes": "neu", "duration_minutes": 30, "phases": ["optionen", "optionen"]},
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"duration_minutes", "phases"}
    current = (await api(team.mediator, "GET", f"/api/v1/sessions/{session_id}")).json()
    assert (current["minutes"], current["version"], current["phases"]) == ("alt", 1, [])


async def test_stale_version_is_a_conflict_and_overwrites_nothing(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    created = await api(
        team.mediator, "POST", f"/api/v1/cases/{team.case_id}/sessions", {"kind": "vorgespraech", "location": "Café"}
    )
    session_id = created.json()["id"]
    first = await api(
        team.mediator, "PATCH", f"/api/v1/sessions/{session_id}", {"version": 1, "location": "Bürgerhaus"}
    )
    assert first.status_code == 200
    stale = await api(team.coordinator, "PATCH", f"/api/v1/sessions/{session_id}", {"version": 1, "location": "Kirche"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    current = (await api(team.mediator, "GET", f"/api/v1/sessions/{session_id}")).json()
    assert (current["location"], current["version"]) == ("Bürgerhaus", 2)


@pytest.mark.parametrize("who", ["other_mediator", "round_table", "admin"])
async def test_users_outside_the_case_team_get_404_everywhere(app: Litestar, make_client, who: str) -> None:
    team = await case_team(app, make_client)
    attendees = await _participations(app, team.case_id)
    created = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/sessions", _quick_log(team, attendees))
    session_id = created.json()["id"]
    outsider = getattr(team, who)
    responses = [
        await api(outsider, "GET", f"/api/v1/cases/{team.case_id}/sessions"),
        await api(outsider, "POST", f"/api/v1/cases/{team.case_id}/sessions", {"kind": "vorgespraech"}),
        await api(outsider, "GET", f"/api/v1/sessions/{session_id}"),
        await api(outsider, "PATCH", f"/api/v1/sessions/{session_id}", {"version": 1, "minutes": "überschrieben"}),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert all(CANARY_MINUTES not in r.text for r in responses)
    assert await _session_count(app) == 1
    current = (await api(team.mediator, "GET", f"/api/v1/sessions/{session_id}")).json()
    assert (current["minutes"], current["version"]) == (CANARY_MINUTES, 1)
    denied = [e for e in await _events(team) if e["action"] == "denied"]
    assert [e["details"]["attempted"] for e in denied] == [
        "session:list",
        "session:create",
        "session:read",
        "session:update",
    ]
    # A session id that does not exist is simply not found: nothing to audit.
    assert (await api(team.mediator, "GET", f"/api/v1/sessions/{uuid4()}")).status_code == 404


async def test_a_session_keeps_its_mediators_when_the_case_team_changes(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    created = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/sessions", _quick_log(team, []))
    session_id = created.json()["id"]
    case = (await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}")).json()
    successor = await _user_id(app, "andere@example.org")
    handed_over = await api(
        team.coordinator,
        "PUT",
        f"/api/v1/cases/{team.case_id}/mediators",
        {"version": case["version"], "mediator_ids": [successor]},
    )
    assert handed_over.status_code == 200, handed_over.text

    # The successor corrects the minutes; who led the session back then stays on record.
    corrected = await api(
        team.other_mediator, "PATCH", f"/api/v1/sessions/{session_id}", {"version": 1, "minutes": "k"}
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["mediator_ids"] == [str(team.mediator_user.id)]
    assert (await api(team.mediator, "GET", f"/api/v1/sessions/{session_id}")).status_code == 404


async def _set_case_status(app: Litestar, case_id: str, status: m.CaseStatus) -> None:
    """Put the case where the test needs it: reaching in_mediation through the API needs parties
    and consents from another area, and this test is about sessions."""
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, UUID(case_id))
        assert case is not None
        case.status = status.value
        await session.commit()


async def _joint_session_missing(team: CaseTeam) -> bool:
    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/transitions")
    assert response.status_code == 200, response.text
    option = next(o for o in response.json() if o["to"] == "vereinbarung")
    return any(item["guard"] == "joint_session_held" for item in option["missing"])


async def test_a_held_joint_session_satisfies_the_workflow_guard(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    await _set_case_status(app, team.case_id, m.CaseStatus.IN_MEDIATION)
    # Supporters, not core parties: the consent guards of this transition are another area's concern.
    attendees = await _participations(app, team.case_id, role=m.ParticipationRole.UNTERSTUETZUNG)
    sessions_url = f"/api/v1/cases/{team.case_id}/sessions"
    assert await _joint_session_missing(team)

    # Neither a held pre-talk nor a joint session that is only planned counts.
    pre_talk = await api(team.mediator, "POST", sessions_url, _quick_log(team, attendees, kind="vorgespraech"))
    assert pre_talk.status_code == 201, pre_talk.text
    planned = await api(
        team.mediator, "POST", sessions_url, {"kind": "gemeinsame_sitzung", "scheduled_at": _iso(timedelta(days=2))}
    )
    assert planned.status_code == 201, planned.text
    assert await _joint_session_missing(team)

    held = await api(
        team.mediator,
        "PATCH",
        f"/api/v1/sessions/{planned.json()['id']}",
        {"version": 1, "status": "durchgefuehrt", "held_at": _iso(-timedelta(minutes=30))},
    )
    assert held.status_code == 200, held.text
    assert not await _joint_session_missing(team)
