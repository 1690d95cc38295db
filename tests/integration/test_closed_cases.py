"""A closed case is read-only until it is reopened (issue 13): every write on its records answers 409
naming the status and changes nothing, in the API and the pages; the pages offer no write action;
reopening (a transition) still works, and afterwards the records can be written again."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from tests.helpers import CaseTeam, api, form_post
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio
S = m.CaseStatus


async def _ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def _trail(app: Litestar, case_id: object) -> tuple[int, int]:
    """(the case's version, the number of its audit events): both unchanged by a refused write."""
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, case_id)
        events = await session.scalar(
            select(func.count()).select_from(m.CaseEvent).where(m.CaseEvent.case_id == case_id)
        )
        assert case is not None
        return case.version, events or 0


async def test_every_write_on_a_closed_case_is_refused_until_it_is_reopened(app: Litestar, team: CaseTeam) -> None:
    mediator, coordinator = team.mediator, team.coordinator
    case_id = await case_in_state(app, team, S.IN_MEDIATION)
    base = f"/api/v1/cases/{case_id}"
    # One record of each kind while the case is open, to try editing them once it is closed.
    participations = (await api(mediator, "GET", f"{base}/participations")).json()
    participation = participations[0]
    session = await _ok(await api(mediator, "POST", f"{base}/sessions", {"kind": "vorgespraech"}))
    note = await _ok(await api(mediator, "POST", f"{base}/notes", {"tier": "case_team", "body": "Vor Ort gewesen"}))
    agreement = await _ok(await api(mediator, "POST", f"{base}/agreements", {"title": "Ruhezeiten"}))
    item = await _ok(
        await api(mediator, "POST", f"/api/v1/agreements/{agreement['id']}/items", {"responsible": "A", "action": "B"})
    )
    request = await _ok(
        await api(mediator, "POST", f"{base}/administration-requests", {"department": "Ordnungsamt", "subject": "X"})
    )
    closed = await api(mediator, "POST", f"{base}/transitions", {"to": "abgeschlossen", "outcome": "keine_einigung"})
    case = await _ok(closed, 200)
    assert case["status"] == "abgeschlossen"

    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("PATCH", base, {"version": case["version"], "title": "Neu"}),
        ("PUT", f"{base}/mediators", {"version": case["version"], "mediator_ids": [str(team.mediator_user.id)]}),
        ("POST", f"{base}/participations", {"role": "betroffen", "party": {"kind": "person", "name": "Neu"}}),
        (
            "PATCH",
            f"/api/v1/participations/{participation['id']}",
            {"version": participation["version"], "status": "informiert"},
        ),
        ("PUT", f"/api/v1/participations/{participation['id']}/consents/contact", {"given_on": "2020-01-01"}),
        ("POST", f"{base}/sessions", {"kind": "vorgespraech"}),
        ("PATCH", f"/api/v1/sessions/{session['id']}", {"version": session["version"], "location": "Platz"}),
        ("POST", f"{base}/notes", {"tier": "case_team", "body": "Noch etwas"}),
        ("PATCH", f"/api/v1/notes/{note['id']}", {"version": note["version"], "body": "Anders"}),
        ("POST", f"{base}/agreements", {"title": "Noch eine"}),
        ("PATCH", f"/api/v1/agreements/{agreement['id']}", {"version": agreement["version"], "title": "Anders"}),
        ("POST", f"/api/v1/agreements/{agreement['id']}/items", {"responsible": "A", "action": "C"}),
        ("PATCH", f"/api/v1/agreement-items/{item['id']}", {"version": item["version"], "status": "umgesetzt"}),
        ("POST", f"{base}/administration-requests", {"department": "Ordnungsamt", "subject": "Y"}),
        ("PATCH", f"/api/v1/administration-requests/{request['id']}", {"version": request["version"], "subject": "Z"}),
    ]
    before = await _trail(app, case_id)
    for method, url, body in writes:
        for client in (mediator, coordinator):
            response = await api(client, method, url, body)
            assert response.status_code == 409, (method, url, response.text)
            problem = response.json()
            assert problem["case_status"] == "abgeschlossen", (method, url)
            assert "„abgeschlossen“" in problem["detail"]
    assert await _trail(app, case_id) == before, "a refused write changes nothing and audits nothing"

    # Another mediator still gets 404, not a hint that the case is closed.
    assert (await api(team.other_mediator, "POST", f"{base}/notes", writes[7][2])).status_code == 404

    reopened = await api(coordinator, "POST", f"{base}/transitions", {"to": "in_klaerung", "reason": "Neuer Vorfall"})
    assert (await _ok(reopened, 200))["status"] == "in_klaerung"
    await _ok(await api(mediator, "POST", f"{base}/notes", {"tier": "case_team", "body": "Wieder offen"}))


async def test_the_pages_of_a_closed_case_offer_no_write_and_refuse_one_naming_the_status(
    app: Litestar, team: CaseTeam
) -> None:
    mediator = team.mediator
    open_id = await case_in_state(app, team, S.IN_MEDIATION)
    closed_id = await case_in_state(app, team, S.EINGESTELLT)
    offered = ("Partei hinzufügen", "Falldaten bearbeiten", "Notiz hinzufügen", "Sitzung erfassen", "Anliegen erfassen")
    open_page = (await mediator.get(f"/cases/{open_id}")).text
    assert all(text in open_page for text in offered)
    page = await mediator.get(f"/cases/{closed_id}")
    assert page.status_code == 200
    assert not any(text in page.text for text in offered)
    assert "nur zum Lesen geöffnet" in page.text

    participation = (await api(mediator, "GET", f"/api/v1/cases/{closed_id}/participations")).json()[0]
    participation_page = await mediator.get(f"/participations/{participation['id']}")
    assert participation_page.status_code == 200
    assert 'name="version"' not in participation_page.text, "no edit form for a participation of a closed case"

    before = await _trail(app, closed_id)
    refused = await form_post(
        mediator, f"/cases/{open_id}/notes/new", f"/cases/{closed_id}/notes/new", {"tier": "case_team", "body": "x"}
    )
    assert refused.status_code == 409
    assert "„eingestellt“" in refused.text
    assert await _trail(app, closed_id) == before
