"""Every pair of states, for each kind of user: allowed transitions succeed only for the right role
with the guard data present; everything else is refused and leaves the case as it was."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.domain.cases.workflow import Actor
from tests.helpers import api, case_team
from tests.workflow_fixtures import case_in_state, full_input

pytestmark = pytest.mark.anyio
S = m.CaseStatus
RESUME_TO = S.IN_MEDIATION


def expected_status(source: S, target: S, actor: str) -> int:
    defined = {t.target: t for t in workflow.transitions_from(source, RESUME_TO if source is S.RUHEND else None)}
    transition = defined.get(target)
    if transition is None:
        return 409
    if actor == "mediator":
        return 200 if Actor.MEDIATOR in transition.actors else 403
    return 200 if Actor.COORDINATOR in transition.actors else 403  # coordinator without override


async def _state(app: Litestar, case_id: object) -> tuple[str, int, list[str]]:
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, case_id)
        actions = list(
            await session.scalars(
                select(m.CaseEvent.action).where(m.CaseEvent.case_id == case_id).order_by(m.CaseEvent.seq)
            )
        )
        assert case is not None
        return case.status, case.version, actions


async def test_every_pair_of_states(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    clients: dict[str, AsyncClient] = {"mediator": team.mediator, "coordinator": team.coordinator}
    checked = 0
    for source in S:
        # A refused attempt leaves the case exactly as it was (asserted below), so the same case serves
        # the next attempt; only a transition that went through needs a new case in `source`.
        case_id = await case_in_state(app, team, source)
        other = await case_in_state(app, team, source)
        for target in S:
            for actor, client in clients.items():
                response = await api(client, "POST", f"/api/v1/cases/{case_id}/transitions", full_input(source, target))
                want = expected_status(source, target, actor)
                assert response.status_code == want, (source, target, actor, response.text)
                status, version, actions = await _state(app, case_id)
                if want == 200:
                    assert status == target.value
                    assert version == 2
                    assert actions[-1] == "transition"
                    case_id = await case_in_state(app, team, source)
                else:
                    assert response.headers["content-type"] == "application/problem+json"
                    assert status == source.value, "a refused transition changes nothing"
                    assert version == 1
                    assert "transition" not in actions
                    if want == 403:
                        assert actions[-1] == "denied", "a denied attempt is audited"
                checked += 1
            assert (
                await api(team.other_mediator, "POST", f"/api/v1/cases/{other}/transitions", full_input(source, target))
            ).status_code == 404
    assert checked == len(S) * len(S) * 2


async def test_coordinator_override_needs_a_reason_and_is_flagged(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    case_id = await case_in_state(app, team, S.IN_KLAERUNG)
    body = {"to": "vorgespraeche"}
    assert (await api(team.coordinator, "POST", f"/api/v1/cases/{case_id}/transitions", body)).status_code == 403
    body = {"to": "vorgespraeche", "override": True}
    assert (await api(team.coordinator, "POST", f"/api/v1/cases/{case_id}/transitions", body)).status_code == 403
    body = {"to": "vorgespraeche", "override": True, "reason": "Mediatorin erkrankt, Gespräche laufen"}
    response = await api(team.coordinator, "POST", f"/api/v1/cases/{case_id}/transitions", body)
    assert response.status_code == 200, response.text
    events = (await api(team.coordinator, "GET", f"/api/v1/cases/{case_id}/events")).json()
    assert events[-1]["action"] == "transition"
    assert events[-1]["details"]["override"] is True
    assert events[-1]["reason"] == "Mediatorin erkrankt, Gespräche laufen"


TRANSITIONS_WITH_DATA_GUARDS = [
    t
    for t in workflow.TRANSITIONS
    if any(g.code not in {"reason", "recipient", "outcome", "resubmission_date", "resume_target"} for g in t.guards)
]


@pytest.mark.parametrize("transition", TRANSITIONS_WITH_DATA_GUARDS, ids=lambda t: t.key)
async def test_missing_guard_data_is_named(app: Litestar, make_client, transition: workflow.Transition) -> None:
    team = await case_team(app, make_client)
    case_id = await case_in_state(app, team, transition.source, complete=False)
    client = team.mediator if Actor.MEDIATOR in transition.actors else team.coordinator
    body = {"to": transition.target.value, "reason": "x", "outcome": "einigung_vollstaendig"}
    response = await api(client, "POST", f"/api/v1/cases/{case_id}/transitions", body)
    assert response.status_code == 409, response.text
    problem = response.json()
    data_guards = {g.code for g in transition.guards}
    assert problem["guard"] in data_guards
    assert problem["missing"]
    assert all(item["message"] for item in problem["missing"])
    status, _version, _actions = await _state(app, case_id)
    assert status == transition.source.value


async def test_archiviert_is_never_reachable_by_a_user(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    for source in workflow.CLOSED:
        case_id = await case_in_state(app, team, source)
        for client in (team.mediator, team.coordinator):
            response = await api(
                client, "POST", f"/api/v1/cases/{case_id}/transitions", {"to": "archiviert", "reason": "x"}
            )
            assert response.status_code == 403
        options = (await api(team.coordinator, "GET", f"/api/v1/cases/{case_id}/transitions")).json()
        assert "archiviert" not in {o["to"] for o in options}
