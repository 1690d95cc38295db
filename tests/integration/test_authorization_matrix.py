"""One declarative authorization matrix: who may do what with a case (DESIGN.md §4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from httpx import AsyncClient
from litestar import Litestar

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, case_team, create_user, sign_in

pytestmark = pytest.mark.anyio

ACTIONS = ("read", "update", "transition", "read_private_note")

# (role, relation to the case) → expected status per action
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("mediator", "assigned"): {"read": 200, "update": 200, "transition": 200, "read_private_note": 200},
    ("mediator", "not_assigned"): {"read": 404, "update": 404, "transition": 404, "read_private_note": 404},
    ("coordinator", "no_case_role"): {"read": 200, "update": 200, "transition": 200, "read_private_note": 404},
    ("coordinator+mediator", "assigned"): {"read": 200, "update": 200, "transition": 200, "read_private_note": 200},
    ("round_table_member", "no_case_role"): {"read": 404, "update": 404, "transition": 404, "read_private_note": 404},
    ("admin", "no_case_role"): {"read": 404, "update": 404, "transition": 404, "read_private_note": 404},
}


async def _client_for(app: Litestar, team: CaseTeam, make_client, role: str, relation: str) -> AsyncClient:
    fixed = {
        ("mediator", "assigned"): team.mediator,
        ("mediator", "not_assigned"): team.other_mediator,
        ("coordinator", "no_case_role"): team.coordinator,
        ("round_table_member", "no_case_role"): team.round_table,
        ("admin", "no_case_role"): team.admin,
    }
    if (role, relation) in fixed:
        return fixed[(role, relation)]
    both = await create_user(app, "beides@example.org", [m.Role.COORDINATOR, m.Role.MEDIATOR])
    async with app.state["alchemy_config"].get_session() as session:
        session.add(m.CaseMediator(case_id=team.case_id, user_id=both.id))
        await session.commit()
    client = make_client()
    await sign_in(client, "beides@example.org")
    return client


async def _private_note(app: Litestar, team: CaseTeam) -> str:
    async with app.state["alchemy_config"].get_session() as session:
        note = m.Note(
            case_id=team.case_id,
            author_id=team.mediator_user.id,
            tier=m.NoteTier.MEDIATOR_PRIVATE.value,
            body="Eindruck aus dem Vorgespräch",
        )
        session.add(note)
        await session.commit()
        return str(note.id)


async def _attempt(client: AsyncClient, action: str, case_id: str, note_id: str) -> int:
    url = f"/api/v1/cases/{case_id}"
    if action == "read":
        return (await api(client, "GET", url)).status_code
    if action == "update":
        current = await api(client, "GET", url)
        version = current.json()["version"] if current.status_code == 200 else 1
        return (await api(client, "PATCH", url, {"version": version, "urgency": "hoch"})).status_code
    if action == "transition":
        body = {"to": "ruhend", "reason": "Pause", "resubmission_date": (today() + timedelta(days=5)).isoformat()}
        return (await api(client, "POST", f"{url}/transitions", body)).status_code
    return (await api(client, "GET", f"/api/v1/notes/{note_id}")).status_code


@pytest.mark.parametrize(("role", "relation"), list(MATRIX), ids=lambda v: str(v))
async def test_authorization_matrix(app: Litestar, make_client, role: str, relation: str) -> None:
    team = await case_team(app, make_client)
    note_id = await _private_note(app, team)
    client = await _client_for(app, team, make_client, role, relation)
    observed = {action: await _attempt(client, action, team.case_id, note_id) for action in ACTIONS}
    assert observed == MATRIX[(role, relation)]
    if 404 in observed.values():
        events = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
        assert any(e["action"] == "denied" for e in events), "refusals on an existing case are audited"
