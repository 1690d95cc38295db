"""Case notes through the API: confidentiality tiers, audited tier changes, approval for reports."""

from __future__ import annotations

from uuid import uuid4

import pytest
from httpx import Response
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from tests.helpers import CaseTeam, api, case_team

pytestmark = pytest.mark.anyio

CANARY = "Canary-Notiz 7731 vertraulich"
TIERS = ("mediator_private", "case_team", "shareable")


async def _note(team: CaseTeam, tier: str, body: str | None = None, *, by: str = "mediator") -> dict:
    response = await api(
        getattr(team, by),
        "POST",
        f"/api/v1/cases/{team.case_id}/notes",
        {"tier": tier, "body": body or f"{CANARY} {tier}"},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _events(team: CaseTeam) -> Response:
    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")
    assert response.status_code == 200, response.text
    return response


async def _note_count(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(m.Note)) or 0


async def test_mediator_writes_reads_and_edits_notes(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    created = await _note(team, "case_team", f"  {CANARY}  ")
    assert created["body"] == CANARY
    assert created["tier"] == "case_team"
    assert created["author_id"] == str(team.mediator_user.id)
    assert created["version"] == 1
    assert created["approved_at"] is None

    fetched = await api(team.mediator, "GET", f"/api/v1/notes/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created

    edited = await api(
        team.mediator, "PATCH", f"/api/v1/notes/{created['id']}", {"version": 1, "body": f"{CANARY} ergänzt"}
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["body"], edited.json()["version"]) == (f"{CANARY} ergänzt", 2)
    unchanged = await api(team.mediator, "PATCH", f"/api/v1/notes/{created['id']}", {"version": 2})
    assert unchanged.json()["version"] == 2

    events = await _events(team)
    tail = [(e["action"], e["details"]) for e in events.json()][-2:]
    assert tail == [
        ("note_created", {"note_id": created["id"], "tier": "case_team"}),
        ("note_updated", {"note_id": created["id"], "fields": ["body"]}),
    ]
    assert CANARY not in events.text


async def test_each_role_sees_only_the_tiers_it_may(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    notes = {tier: await _note(team, tier) for tier in TIERS}
    url = f"/api/v1/cases/{team.case_id}/notes"

    as_mediator = await api(team.mediator, "GET", url)
    assert sorted(n["tier"] for n in as_mediator.json()) == sorted(TIERS)

    as_coordinator = await api(team.coordinator, "GET", url)
    assert as_coordinator.status_code == 200
    assert sorted(n["tier"] for n in as_coordinator.json()) == ["case_team", "shareable"]
    assert f"{CANARY} mediator_private" not in as_coordinator.text
    assert (await api(team.coordinator, "GET", f"/api/v1/notes/{notes['shareable']['id']}")).status_code == 200

    for outsider in (team.other_mediator, team.round_table, team.admin):
        responses = [await api(outsider, "GET", url)]
        responses += [await api(outsider, "GET", f"/api/v1/notes/{note['id']}") for note in notes.values()]
        assert [r.status_code for r in responses] == [404] * 4
        assert all(CANARY not in r.text for r in responses)


async def test_a_coordinator_asking_for_a_private_note_gets_404_and_is_audited(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    private = await _note(team, "mediator_private")
    asked = await api(team.coordinator, "GET", f"/api/v1/notes/{private['id']}")
    assert asked.status_code == 404
    assert CANARY not in asked.text
    edit = await api(team.coordinator, "PATCH", f"/api/v1/notes/{private['id']}", {"version": 1, "tier": "shareable"})
    assert edit.status_code == 404
    # Exactly the same answer as for a note that does not exist.
    missing = await api(team.coordinator, "GET", f"/api/v1/notes/{uuid4()}")
    assert missing.status_code == 404
    assert missing.json()["detail"] == asked.json()["detail"]

    events = await _events(team)
    denied = [e for e in events.json() if e["action"] == "denied"]
    assert [(e["actor_id"], e["details"]) for e in denied] == [
        (str(team.coordinator_user.id), {"attempted": "note:read"}),
        (str(team.coordinator_user.id), {"attempted": "note:update"}),
    ]
    assert CANARY not in events.text
    still = await api(team.mediator, "GET", f"/api/v1/notes/{private['id']}")
    assert (still.json()["tier"], still.json()["version"]) == ("mediator_private", 1)


async def test_only_the_cases_mediators_write_private_notes(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    refused = await api(
        team.coordinator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "mediator_private", "body": CANARY}
    )
    assert refused.status_code == 403
    team_note = await _note(team, "case_team", by="coordinator")
    demote = await api(
        team.coordinator, "PATCH", f"/api/v1/notes/{team_note['id']}", {"version": 1, "tier": "mediator_private"}
    )
    assert demote.status_code == 403
    for outsider in (team.other_mediator, team.round_table, team.admin):
        response = await api(
            outsider, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "case_team", "body": "von außen"}
        )
        assert response.status_code == 404
    assert await _note_count(app) == 1
    current = await api(team.coordinator, "GET", f"/api/v1/notes/{team_note['id']}")
    assert (current.json()["tier"], current.json()["version"]) == ("case_team", 1)
    attempts = [e["details"]["attempted"] for e in (await _events(team)).json() if e["action"] == "denied"]
    assert attempts == ["note:create", "note:update", "note:create", "note:create", "note:create"]

    # Coordinators do keep the case team's notes: they may edit them.
    edited = await api(team.coordinator, "PATCH", f"/api/v1/notes/{team_note['id']}", {"version": 1, "body": "neu"})
    assert edited.status_code == 200


async def test_every_tier_change_is_audited_without_the_text(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    note = await _note(team, "mediator_private")
    shared = await api(
        team.mediator, "PATCH", f"/api/v1/notes/{note['id']}", {"version": 1, "tier": "shareable", "body": CANARY}
    )
    assert shared.status_code == 200, shared.text
    back = await api(team.mediator, "PATCH", f"/api/v1/notes/{note['id']}", {"version": 2, "tier": "case_team"})
    assert back.status_code == 200

    events = await _events(team)
    changes = [(e["action"], e["details"]) for e in events.json() if e["action"].startswith("note_")]
    assert changes == [
        ("note_created", {"note_id": note["id"], "tier": "mediator_private"}),
        ("note_updated", {"note_id": note["id"], "fields": ["body"]}),
        ("note_tier_changed", {"note_id": note["id"], "from_tier": "mediator_private", "to_tier": "shareable"}),
        ("note_tier_changed", {"note_id": note["id"], "from_tier": "shareable", "to_tier": "case_team"}),
    ]
    assert CANARY not in events.text
    assert CANARY not in (await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}/events")).text


async def test_coordinators_approve_shareable_notes_and_changes_clear_the_approval(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    shareable = await _note(team, "shareable")
    team_note = await _note(team, "case_team")

    by_mediator = await api(team.mediator, "POST", f"/api/v1/notes/{shareable['id']}/approval", {"version": 1})
    assert by_mediator.status_code == 403
    not_shareable = await api(team.coordinator, "POST", f"/api/v1/notes/{team_note['id']}/approval", {"version": 1})
    assert not_shareable.status_code == 409
    assert not_shareable.json()["field"] == "tier"
    stale = await api(team.coordinator, "POST", f"/api/v1/notes/{shareable['id']}/approval", {"version": 7})
    assert (stale.status_code, stale.json()["current_version"]) == (409, 1)

    approved = await api(team.coordinator, "POST", f"/api/v1/notes/{shareable['id']}/approval", {"version": 1})
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved_at"] is not None
    assert approved.json()["approved_by_id"] == str(team.coordinator_user.id)
    version = approved.json()["version"]

    edited = await api(
        team.mediator, "PATCH", f"/api/v1/notes/{shareable['id']}", {"version": version, "body": "umformuliert"}
    )
    assert edited.status_code == 200
    assert (edited.json()["approved_at"], edited.json()["approved_by_id"]) == (None, None)

    again = await api(
        team.coordinator, "POST", f"/api/v1/notes/{shareable['id']}/approval", {"version": edited.json()["version"]}
    )
    assert again.status_code == 200
    retiered = await api(
        team.mediator,
        "PATCH",
        f"/api/v1/notes/{shareable['id']}",
        {"version": again.json()["version"], "tier": "case_team"},
    )
    assert retiered.json()["approved_at"] is None

    actions = [
        e["action"] for e in (await _events(team)).json() if e["action"] not in {"created", "mediators_assigned"}
    ]
    assert actions == [
        "note_created",
        "note_created",
        "denied",
        "note_approved",
        "note_updated",
        "note_approval_cleared",
        "note_approved",
        "note_tier_changed",
        "note_approval_cleared",
    ]


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"tier": "geheim", "body": "x"}, 400, "tier"),
        ({"body": "x"}, 400, "tier"),
        ({"tier": "case_team"}, 400, "body"),
        ({"tier": "case_team", "body": ""}, 400, "body"),
        ({"tier": "case_team", "body": 42}, 400, "body"),
        ({"tier": "case_team", "body": "x" * 20001}, 400, "body"),
        ({"tier": "case_team", "body": "x", "title": "y"}, 400, "title"),
        ({"tier": "case_team", "body": "   \n "}, 422, "body"),
    ],
)
async def test_invalid_notes_name_the_field_and_write_nothing(
    app: Litestar, make_client, payload: dict, status: int, field: str
) -> None:
    team = await case_team(app, make_client)
    response = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", payload)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert any(field in e["field"] or field in e["message"] for e in errors), errors
    assert await _note_count(app) == 0
    assert not [e for e in (await _events(team)).json() if e["action"].startswith("note_")]


async def test_a_stale_version_is_a_conflict_and_overwrites_nothing(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    note = await _note(team, "case_team", "erste Fassung")
    first = await api(team.mediator, "PATCH", f"/api/v1/notes/{note['id']}", {"version": 1, "body": "zweite Fassung"})
    assert first.status_code == 200
    stale = await api(team.coordinator, "PATCH", f"/api/v1/notes/{note['id']}", {"version": 1, "body": "überschrieben"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    invalid = await api(team.mediator, "PATCH", f"/api/v1/notes/{note['id']}", {"version": 2, "body": "x" * 20001})
    assert invalid.status_code == 400
    current = (await api(team.mediator, "GET", f"/api/v1/notes/{note['id']}")).json()
    assert (current["body"], current["version"]) == ("zweite Fassung", 2)
