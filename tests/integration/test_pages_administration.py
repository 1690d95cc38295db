"""Pages for administration requests (Anliegen an Verwaltung): record one for a case, follow it up."""

from __future__ import annotations

import html
from datetime import timedelta
from uuid import UUID

import pytest
from httpx import Response
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, csrf_from, form_post

pytestmark = pytest.mark.anyio


async def add_request(team: CaseTeam, **fields: object) -> dict:
    body = {"department": "Grünflächenamt", "subject": "Mülleimer am Spielplatz", **fields}
    response = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/administration-requests", body)
    assert response.status_code == 201, response.text
    return response.json()


async def request_row(app: Litestar, request_id: str) -> m.AdministrationRequest:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.get(m.AdministrationRequest, UUID(request_id))


async def request_count(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(m.AdministrationRequest)) or 0


def field_error(response: Response, name: str) -> str:
    marker = f'id="f-{name}-error">'
    assert marker in response.text, f"no error next to {name}"
    return html.unescape(response.text.split(marker, 1)[1].split("</p>", 1)[0])


@pytest.mark.parametrize("who", ["mediator", "coordinator"])
async def test_request_is_recorded_from_the_case(app: Litestar, team: CaseTeam, who: str) -> None:
    client = getattr(team, who)
    url = f"/cases/{team.case_id}/administration-requests/new"
    page = await client.get(url)
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    assert '<option value="offen" selected>' in page.text
    submitted = (today() - timedelta(days=2)).isoformat()
    data = {
        "department": " Grünflächenamt ",
        "subject": "Zweiter Mülleimer am Bolzplatz",
        "status": "eingereicht",
        "submitted_on": submitted,
        "answered_on": "",
        "answer": "",
    }
    response = await form_post(client, url, url, data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{team.case_id}#anliegen"
    async with app.state["alchemy_config"].get_session() as session:
        row = await session.scalar(
            select(m.AdministrationRequest).where(m.AdministrationRequest.case_id == UUID(team.case_id))
        )
    assert (row.department, row.subject, row.status) == (
        "Grünflächenamt",
        "Zweiter Mülleimer am Bolzplatz",
        "eingereicht",
    )
    assert row.submitted_on.isoformat() == submitted
    assert row.answer is None
    following = await client.get(f"/administration-requests/{row.id}")
    assert "Anliegen an die Verwaltung gespeichert." in following.text
    assert "Zweiter Mülleimer am Bolzplatz" in following.text


async def test_bad_request_shows_errors_next_to_the_fields_and_keeps_input(app: Litestar, team: CaseTeam) -> None:
    url = f"/cases/{team.case_id}/administration-requests/new"
    data = {
        "department": "",
        "subject": "Beleuchtung im Park",
        "status": "beantwortet",
        "submitted_on": "2026-13-40",
        "answered_on": "",
        "answer": "Wird geprüft",
    }
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 422
    assert field_error(response, "department") == "Bitte ausfüllen."
    assert field_error(response, "submitted_on") == "Bitte ein gültiges Datum angeben."
    assert "Beleuchtung im Park" in response.text
    assert "Wird geprüft" in response.text
    assert '<option value="beantwortet" selected>' in response.text
    # The service's own rule (a decided request needs its answer date) is shown the same way.
    data |= {"department": "Tiefbauamt", "submitted_on": today().isoformat()}
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 422
    assert field_error(response, "answered_on") == "Bitte das Datum der Antwort angeben."
    assert await request_count(app) == 0


async def test_request_is_followed_up(app: Litestar, team: CaseTeam) -> None:
    created = await add_request(team, status="eingereicht", submitted_on=(today() - timedelta(days=9)).isoformat())
    url = f"/administration-requests/{created['id']}"
    page = await team.mediator.get(url)
    assert page.status_code == 200
    assert 'value="Grünflächenamt"' in page.text
    data = {
        "version": "1",
        "department": "Grünflächenamt",
        "subject": "Mülleimer am Spielplatz",
        "status": "umgesetzt",
        "submitted_on": (today() - timedelta(days=9)).isoformat(),
        "answered_on": today().isoformat(),
        "answer": "Mülleimer wird im März aufgestellt.",
    }
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{team.case_id}#anliegen"
    row = await request_row(app, created["id"])
    assert (row.status, row.answered_on, row.answer, row.version) == (
        "umgesetzt",
        today(),
        "Mülleimer wird im März aufgestellt.",
        2,
    )
    assert "Anliegen an die Verwaltung gespeichert." in (await team.mediator.get(url)).text


async def test_answer_before_submission_is_refused_next_to_the_field(app: Litestar, team: CaseTeam) -> None:
    created = await add_request(team)
    url = f"/administration-requests/{created['id']}"
    data = {
        "version": "1",
        "department": "Grünflächenamt",
        "subject": "Mülleimer am Spielplatz",
        "status": "beantwortet",
        "submitted_on": today().isoformat(),
        "answered_on": (today() - timedelta(days=1)).isoformat(),
        "answer": "",
    }
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 422
    assert field_error(response, "answered_on") == "Die Antwort liegt vor der Einreichung."
    assert '<option value="beantwortet" selected>' in response.text
    row = await request_row(app, created["id"])
    assert (row.status, row.version) == ("offen", 1)


async def test_stale_request_edit_shows_the_current_values(app: Litestar, team: CaseTeam) -> None:
    created = await add_request(team)
    url = f"/administration-requests/{created['id']}"
    page = await team.mediator.get(url)
    patched = await api(
        team.coordinator,
        "PATCH",
        f"/api/v1/administration-requests/{created['id']}",
        {"version": 1, "department": "Ordnungsamt"},
    )
    assert patched.status_code == 200
    data = {
        "version": "1",
        "department": "Umweltamt",
        "subject": "Mülleimer",
        "status": "offen",
        "_csrf_token": csrf_from(page),
    }
    response = await team.mediator.post(url, data=data)
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text
    assert 'value="Ordnungsamt"' in response.text
    assert 'value="Umweltamt"' not in response.text
    assert 'name="version" value="2"' in response.text
    assert (await request_row(app, created["id"])).department == "Ordnungsamt"


@pytest.mark.parametrize("who", ["other_mediator", "round_table", "admin"])
async def test_users_outside_the_case_get_404(app: Litestar, team: CaseTeam, who: str) -> None:
    created = await add_request(team, subject="Anliegen 9931")
    client = getattr(team, who)
    token = client.cookies.get("km_csrf")
    new_url = f"/cases/{team.case_id}/administration-requests/new"
    url = f"/administration-requests/{created['id']}"
    valid = {"department": "Amt", "subject": "x", "status": "offen"}
    responses = [
        await client.get(new_url),
        await client.post(new_url, data=valid | {"_csrf_token": token}),
        await client.post(new_url, data=valid | {"department": "", "_csrf_token": token}),
        await client.get(url),
        await client.post(url, data=valid | {"version": "1", "_csrf_token": token}),
        await client.post(url, data=valid | {"version": "1", "department": "", "_csrf_token": token}),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert all("Anliegen 9931" not in r.text for r in responses)
    assert await request_count(app) == 1
    assert (await request_row(app, created["id"])).version == 1
