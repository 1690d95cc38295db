"""Session pages: the quick log, the edit page (status, minutes), stale edits and who may open them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import BERLIN
from tests.helpers import CaseTeam, api, case_team, csrf_from, form_post, split_own_input

pytestmark = pytest.mark.anyio

CANARY_NAME = "Canaria Zeisig-Vogelsang"


def _local(delta: timedelta) -> str:
    """A datetime-local value (Berlin wall-clock time), as a browser sends it."""
    return (datetime.now(BERLIN) + delta).strftime("%Y-%m-%dT%H:%M")


async def _with_parties(app: Litestar, make_client) -> tuple[CaseTeam, list[str]]:
    team = await case_team(app, make_client)
    ids = []
    for role, name in (("anliegend", CANARY_NAME), ("betroffen", "Bernd Beispiel")):
        created = await api(
            team.mediator,
            "POST",
            f"/api/v1/cases/{team.case_id}/participations",
            {"role": role, "party": {"kind": "person", "name": name, "phone": "0170 1234567"}},
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return team, ids


async def _sessions(app: Litestar) -> list[m.MediationSession]:
    async with app.state["alchemy_config"].get_session() as session:
        rows = await session.scalars(
            select(m.MediationSession).options(
                selectinload(m.MediationSession.attendances), selectinload(m.MediationSession.mediator_links)
            )
        )
        return list(rows)


async def _count(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(m.MediationSession)) or 0


async def _plan(team: CaseTeam, **fields: object) -> str:
    body = {"kind": "gemeinsame_sitzung", **fields}
    created = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/sessions", body)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _quick_log(team: CaseTeam, attendees: list[str], **overrides: object) -> dict[str, object]:
    return {
        "kind": "gemeinsame_sitzung",
        "status": "",
        "when": _local(-timedelta(days=1)),
        "duration_minutes": "90",
        "participation_ids": ["", *attendees],
        "mediator_ids": ["", str(team.mediator_user.id)],
        "phases": ["", "themensammlung", "interessenklaerung"],
        "location": "Quartiersbüro, Raum 2",
        "minutes": "Partei A und Partei B vereinbaren Ruhezeiten ab 22 Uhr.",
        **overrides,
    }


async def test_quick_log_form_shows_aliases_and_preticks_the_case_mediators(app: Litestar, make_client) -> None:
    team, _ids = await _with_parties(app, make_client)
    page = await team.mediator.get(f"/cases/{team.case_id}/sessions/new")
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    for text in ("Art der Sitzung", "Datum und Uhrzeit", "Dauer (Minuten)", "Ergebnisprotokoll", "Sitzung speichern"):
        assert text in page.text
    assert "Partei A (anliegend / beschwerdeführend)" in page.text
    assert "Partei B (betroffen)" in page.text
    assert CANARY_NAME not in page.text
    assert "0170 1234567" not in page.text
    mediator_box = re.search(rf'name="mediator_ids" value="{team.mediator_user.id}"[^>]*>', page.text)
    assert mediator_box
    assert "checked" in mediator_box.group(0)
    # The coordinator plans sessions too.
    assert (await team.coordinator.get(f"/cases/{team.case_id}/sessions/new")).status_code == 200


async def test_a_held_session_is_logged_in_one_post(app: Litestar, make_client) -> None:
    team, attendees = await _with_parties(app, make_client)
    url = f"/cases/{team.case_id}/sessions/new"
    response = await form_post(team.mediator, url, url, _quick_log(team, attendees))
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{team.case_id}#sitzungen"

    [meeting] = await _sessions(app)
    assert meeting.status == "durchgefuehrt"  # a time in the past: it was held
    assert meeting.held_at is not None
    assert meeting.scheduled_at is None
    assert meeting.held_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M") == _quick_log(team, [])["when"]
    assert meeting.duration_minutes == 90
    assert meeting.phases == ["themensammlung", "interessenklaerung"]
    assert meeting.location == "Quartiersbüro, Raum 2"
    assert sorted(str(a.participation_id) for a in meeting.attendances) == sorted(attendees)
    assert [link.user_id for link in meeting.mediator_links] == [team.mediator_user.id]

    case_page = await team.mediator.get(response.headers["location"])
    assert case_page.status_code == 200
    assert "Sitzung gespeichert." in case_page.text
    assert f'href="/sessions/{meeting.id}"' in case_page.text
    page = await team.mediator.get(f"/sessions/{meeting.id}")
    assert "Ruhezeiten ab 22 Uhr" in page.text


async def test_a_future_date_plans_the_session(app: Litestar, make_client) -> None:
    team, attendees = await _with_parties(app, make_client)
    url = f"/cases/{team.case_id}/sessions/new"
    data = _quick_log(team, attendees, kind="vorgespraech", when=_local(timedelta(days=3)), duration_minutes="")
    response = await form_post(team.coordinator, url, url, data)
    assert response.status_code == 303, response.text
    [meeting] = await _sessions(app)
    assert (meeting.status, meeting.kind) == ("geplant", "vorgespraech")
    assert meeting.scheduled_at is not None
    assert meeting.held_at is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"duration_minutes": "abc"}, "duration_minutes", "Bitte eine Zahl eingeben."),
        ({"duration_minutes": "0"}, "duration_minutes", "Bitte eine Zahl ab 1 eingeben."),
        ({"kind": ""}, "kind", "Bitte ausfüllen."),
        ({"when": ""}, "when", "Bitte Datum und Uhrzeit angeben"),
        ({"when": "gestern"}, "when", "Bitte Datum und Uhrzeit angeben."),
        ({"status": "durchgefuehrt", "when": _local(timedelta(days=2))}, "when", "in der Zukunft"),
        ({"when": _local(timedelta(days=2))}, "duration_minutes", "nur für eine durchgeführte Sitzung"),
        ({"mediator_ids": ["", "0190a0a0-0000-7000-8000-000000000000"]}, "mediator_ids", "zugewiesenen"),
    ],
)
async def test_bad_quick_log_shows_the_error_next_to_the_field_and_writes_nothing(
    app: Litestar, make_client, overrides: dict[str, object], field: str, message: str
) -> None:
    team, attendees = await _with_parties(app, make_client)
    url = f"/cases/{team.case_id}/sessions/new"
    response = await form_post(team.mediator, url, url, _quick_log(team, attendees, **overrides))
    assert response.status_code == 422, response.text
    error = re.search(rf'<p class="error" id="f-{field}-error">([^<]*)</p>', response.text)
    assert error, f"no error next to {field}"
    assert message in error.group(1)
    assert "Ruhezeiten ab 22 Uhr" in response.text  # the input is kept
    assert 'value="Quartiersbüro, Raum 2"' in response.text
    assert await _count(app) == 0


async def test_marking_a_planned_session_as_held_records_minutes(app: Litestar, make_client) -> None:
    team, attendees = await _with_parties(app, make_client)
    planned_at = datetime.now(BERLIN) - timedelta(hours=2)
    session_id = await _plan(team, scheduled_at=planned_at.isoformat())
    url = f"/sessions/{session_id}"
    page = await team.mediator.get(url)
    assert page.status_code == 200
    options = re.findall(r'<option value="(\w+)"', page.text.split('id="f-status"')[1].split("</select>")[0])
    assert options == ["geplant", "durchgefuehrt", "abgesagt", "verschoben"]

    data = {
        "version": "1",
        "kind": "gemeinsame_sitzung",
        "status": "durchgefuehrt",
        "scheduled_at": planned_at.strftime("%Y-%m-%dT%H:%M"),
        "held_at": "",  # held as planned
        "duration_minutes": "75",
        "participation_ids": ["", attendees[0]],
        "mediator_ids": ["", str(team.mediator_user.id)],
        "phases": [""],
        "place_id": "",
        "location": "",
        "minutes": "Partei A schlägt einen Aushang vor.",
    }
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{team.case_id}#sitzungen"
    [meeting] = await _sessions(app)
    assert meeting.status == "durchgefuehrt"
    assert meeting.held_at == meeting.scheduled_at
    assert (meeting.duration_minutes, meeting.minutes, meeting.version) == (
        75,
        "Partei A schlägt einen Aushang vor.",
        2,
    )
    assert [str(a.participation_id) for a in meeting.attendances] == [attendees[0]]

    # A held session stays held: only its own status is offered, and a forged change is refused.
    page = await team.mediator.get(url)
    assert "Sitzung gespeichert." in page.text
    options = re.findall(r'<option value="(\w+)"', page.text.split('id="f-status"')[1].split("</select>")[0])
    assert options == ["durchgefuehrt"]
    refused = await form_post(team.mediator, url, url, {**data, "version": "2", "status": "geplant"})
    assert refused.status_code == 409
    assert 'id="f-status-error"' in refused.text
    assert [s.status for s in await _sessions(app)] == ["durchgefuehrt"]


async def test_bad_edit_keeps_the_input_and_changes_nothing(app: Litestar, make_client) -> None:
    team, _ids = await _with_parties(app, make_client)
    session_id = await _plan(team, scheduled_at=(datetime.now(BERLIN) + timedelta(days=1)).isoformat())
    url = f"/sessions/{session_id}"
    data = {"version": "1", "kind": "gemeinsame_sitzung", "status": "geplant", "duration_minutes": "abc"}
    response = await form_post(team.mediator, url, url, {**data, "minutes": "Bleibt stehen"})
    assert response.status_code == 422
    assert re.search(r'id="f-duration_minutes-error">Bitte eine Zahl eingeben.<', response.text)
    assert "Bleibt stehen" in response.text
    [meeting] = await _sessions(app)
    assert (meeting.version, meeting.minutes) == (1, None)


async def test_stale_edit_shows_the_current_values_instead_of_overwriting(app: Litestar, make_client) -> None:
    team, _ids = await _with_parties(app, make_client)
    session_id = await _plan(team, scheduled_at=(datetime.now(BERLIN) + timedelta(days=1)).isoformat())
    url = f"/sessions/{session_id}"
    first = await team.mediator.get(url)
    second = await team.coordinator.get(url)
    base = {"version": "1", "kind": "gemeinsame_sitzung", "status": "geplant"}
    saved = await team.mediator.post(url, data={**base, "minutes": "Erste Fassung", "_csrf_token": csrf_from(first)})
    assert saved.status_code == 303
    stale = await team.coordinator.post(
        url, data={**base, "status": "abgesagt", "minutes": "Zweite Fassung", "_csrf_token": csrf_from(second)}
    )
    assert stale.status_code == 409
    assert "Inzwischen geändert" in stale.text
    assert "Erste Fassung" in stale.text  # the stored value, not the refused one
    form, mine = split_own_input(stale)
    assert "Zweite Fassung" not in form  # not in the form: beside it, as the person's own input
    assert "Zweite Fassung" in mine
    assert 'name="version" value="2"' in stale.text
    [meeting] = await _sessions(app)
    assert (meeting.status, meeting.minutes, meeting.version) == ("geplant", "Erste Fassung", 2)


@pytest.mark.parametrize("who", ["other_mediator", "round_table", "admin"])
async def test_users_outside_the_case_get_not_found(app: Litestar, make_client, who: str) -> None:
    team, attendees = await _with_parties(app, make_client)
    session_id = await _plan(team)
    client: AsyncClient = getattr(team, who)
    new_url, edit_url = f"/cases/{team.case_id}/sessions/new", f"/sessions/{session_id}"
    assert (await client.get(new_url)).status_code == 404
    assert (await client.get(edit_url)).status_code == 404
    created = await form_post(client, "/account/tokens", new_url, _quick_log(team, attendees))
    assert created.status_code == 404
    edited = await form_post(
        client, "/account/tokens", edit_url, {"version": "1", "kind": "vorgespraech", "status": "abgesagt"}
    )
    assert edited.status_code == 404
    [meeting] = await _sessions(app)
    assert (meeting.kind, meeting.status, meeting.version) == ("gemeinsame_sitzung", "geplant", 1)


async def test_unknown_session_is_not_found(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    assert (await team.mediator.get(f"/sessions/{UUID(int=7)}")).status_code == 404
    assert (await team.mediator.get(f"/cases/{UUID(int=7)}/sessions/new")).status_code == 404
