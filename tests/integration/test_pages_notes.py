"""Pages for case notes: write one with its tier, edit it, approve a shareable one for reports."""

from __future__ import annotations

import html
from uuid import UUID

import pytest
from httpx import Response
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from tests.helpers import CaseTeam, api, csrf_from, form_post

pytestmark = pytest.mark.anyio

PRIVATE_TEXT = "Vertraulich 4711: Frau K. erwähnte Schulden"


async def add_note(team: CaseTeam, tier: str, body: str, client=None) -> dict:
    response = await api(
        client or team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": tier, "body": body}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def note_row(app: Litestar, note_id: str) -> m.Note:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.get(m.Note, UUID(note_id))


async def note_count(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(m.Note)) or 0


def field_error(response: Response, name: str) -> str:
    marker = f'id="f-{name}-error">'
    assert marker in response.text, f"no error next to {name}"
    return html.unescape(response.text.split(marker, 1)[1].split("</p>", 1)[0])


def offered_tiers(response: Response) -> list[str]:
    return [t for t in ("mediator_private", "case_team", "shareable") if f'name="tier" value="{t}"' in response.text]


async def test_mediator_writes_a_private_note(app: Litestar, team: CaseTeam) -> None:
    url = f"/cases/{team.case_id}/notes/new"
    page = await team.mediator.get(url)
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    assert offered_tiers(page) == ["mediator_private", "case_team", "shareable"]
    assert "auch die Koordination nicht" in html.unescape(page.text)
    assert " checked" not in page.text.split('id="f-tier"', 1)[1].split("</fieldset>", 1)[0]  # no default tier

    response = await form_post(
        team.mediator, url, url, {"tier": ["", "mediator_private"], "body": f"  {PRIVATE_TEXT}  "}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{team.case_id}#notizen"
    async with app.state["alchemy_config"].get_session() as session:
        note = await session.scalar(select(m.Note).where(m.Note.case_id == UUID(team.case_id)))
    assert (note.tier, note.body, note.author_id) == ("mediator_private", PRIVATE_TEXT, team.mediator_user.id)
    following = await team.mediator.get(f"/notes/{note.id}")
    assert "Notiz gespeichert." in following.text
    assert PRIVATE_TEXT in following.text
    assert "nur Mediation (vertraulich)" in following.text


async def test_coordinator_is_offered_only_the_tiers_they_may_write(app: Litestar, team: CaseTeam) -> None:
    url = f"/cases/{team.case_id}/notes/new"
    page = await team.coordinator.get(url)
    assert page.status_code == 200
    assert offered_tiers(page) == ["case_team", "shareable"]
    response = await form_post(team.coordinator, url, url, {"tier": ["", "case_team"], "body": "Rückruf Ordnungsamt"})
    assert response.status_code == 303
    # Sending the hidden tier anyway is refused by the service, not just hidden by the page.
    response = await form_post(team.coordinator, url, url, {"tier": "mediator_private", "body": "Versuch"})
    assert response.status_code == 403
    assert await note_count(app) == 1


async def test_new_note_without_tier_or_text_shows_both_errors_and_keeps_input(app: Litestar, team: CaseTeam) -> None:
    url = f"/cases/{team.case_id}/notes/new"
    response = await form_post(team.mediator, url, url, {"tier": "", "body": "   "})
    assert response.status_code == 422
    assert field_error(response, "tier") == "Bitte ausfüllen."
    assert field_error(response, "body") == "Bitte ausfüllen."
    response = await form_post(team.mediator, url, url, {"tier": ["", "case_team"], "body": "x" * 20001})
    assert response.status_code == 422
    assert field_error(response, "body") == "Höchstens 20000 Zeichen."
    assert 'value="case_team" aria-describedby="f-tier-case_team-hint" checked' in response.text
    assert await note_count(app) == 0


async def test_note_is_edited_and_a_tier_change_is_saved(app: Litestar, team: CaseTeam) -> None:
    note = await add_note(team, "case_team", "Erstgespräch vereinbart")
    url = f"/notes/{note['id']}"
    page = await team.mediator.get(url)
    assert page.status_code == 200
    assert "Erstgespräch vereinbart" in page.text
    assert "Vertraulichkeit: Fallteam" in page.text
    response = await form_post(
        team.mediator, url, url, {"version": "1", "tier": ["", "shareable"], "body": "Erstgespräch fand statt"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{team.case_id}#notizen"
    row = await note_row(app, note["id"])
    assert (row.tier, row.body, row.version) == ("shareable", "Erstgespräch fand statt", 2)
    assert "Notiz gespeichert." in (await team.mediator.get(url)).text


async def test_emptied_note_is_refused_next_to_the_field(app: Litestar, team: CaseTeam) -> None:
    note = await add_note(team, "case_team", "Erstgespräch vereinbart")
    url = f"/notes/{note['id']}"
    response = await form_post(team.mediator, url, url, {"version": "1", "tier": ["", "case_team"], "body": ""})
    assert response.status_code == 422
    assert field_error(response, "body") == "Bitte ausfüllen."
    row = await note_row(app, note["id"])
    assert (row.body, row.version) == ("Erstgespräch vereinbart", 1)


async def test_stale_note_edit_shows_the_current_text(app: Litestar, team: CaseTeam) -> None:
    note = await add_note(team, "case_team", "Alte Fassung")
    url = f"/notes/{note['id']}"
    page = await team.mediator.get(url)
    patched = await api(
        team.coordinator, "PATCH", f"/api/v1/notes/{note['id']}", {"version": 1, "body": "Neue Fassung"}
    )
    assert patched.status_code == 200
    data = {"version": "1", "tier": "case_team", "body": "Meine Fassung", "_csrf_token": csrf_from(page)}
    response = await team.mediator.post(url, data=data)
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text
    assert "Neue Fassung" in response.text
    # The form holds what is stored; the person's own text stands beside it, under its field's label.
    assert ">Meine Fassung</textarea>" not in response.text
    assert '<a href="#f-body">Notiz: <span class="prewrap">Meine Fassung</span></a>' in response.text
    assert 'name="version" value="2"' in response.text
    assert (await note_row(app, note["id"])).body == "Neue Fassung"


async def test_coordinator_approves_a_shareable_note(app: Litestar, team: CaseTeam) -> None:
    note = await add_note(team, "shareable", "Die Beleuchtung am Platz fehlt.")
    url = f"/notes/{note['id']}"
    mediator_page = await team.mediator.get(url)
    assert "Für Berichte freigeben" not in mediator_page.text  # only the coordination approves
    assert "noch nicht freigegeben" in mediator_page.text
    page = await team.coordinator.get(url)
    assert "Für Berichte freigeben" in page.text
    response = await form_post(team.coordinator, url, f"{url}/approval", {"version": "1"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{team.case_id}#notizen"
    row = await note_row(app, note["id"])
    assert row.approved_by_id == team.coordinator_user.id
    assert row.approved_at is not None
    following = await team.coordinator.get(url)
    assert "Notiz für Berichte an den Runden Tisch freigegeben." in following.text
    assert "freigegeben am" in following.text
    assert "Für Berichte freigeben</button>" not in following.text


async def test_stale_approval_shows_the_current_note(app: Litestar, team: CaseTeam) -> None:
    note = await add_note(team, "shareable", "Alte Fassung")
    url = f"/notes/{note['id']}"
    page = await team.coordinator.get(url)
    patched = await api(team.mediator, "PATCH", f"/api/v1/notes/{note['id']}", {"version": 1, "body": "Neue Fassung"})
    assert patched.status_code == 200
    response = await team.coordinator.post(f"{url}/approval", data={"version": "1", "_csrf_token": csrf_from(page)})
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text
    assert "Neue Fassung" in response.text
    assert (await note_row(app, note["id"])).approved_at is None


async def test_mediator_may_not_approve(app: Litestar, team: CaseTeam) -> None:
    note = await add_note(team, "shareable", "Text")
    url = f"/notes/{note['id']}"
    response = await form_post(team.mediator, url, f"{url}/approval", {"version": "1"})
    assert response.status_code == 403
    assert (await note_row(app, note["id"])).approved_at is None


async def test_private_note_is_never_shown_to_the_coordinator(app: Litestar, team: CaseTeam) -> None:
    private = await add_note(team, "mediator_private", PRIVATE_TEXT)
    url = f"/notes/{private['id']}"
    for response in (
        await team.coordinator.get(url),
        await team.coordinator.post(
            url, data={"version": "1", "tier": "case_team", "body": "x", "_csrf_token": _token(team)}
        ),
        await team.coordinator.post(f"{url}/approval", data={"version": "1", "_csrf_token": _token(team)}),
    ):
        assert response.status_code == 404
        assert PRIVATE_TEXT not in html.unescape(response.text)
    for page in (f"/cases/{team.case_id}/notes/new", f"/cases/{team.case_id}/participations/new"):
        assert PRIVATE_TEXT not in html.unescape((await team.coordinator.get(page)).text)
    row = await note_row(app, private["id"])
    assert (row.body, row.tier, row.version) == (PRIVATE_TEXT, "mediator_private", 1)


@pytest.mark.parametrize("who", ["other_mediator", "round_table", "admin"])
async def test_users_outside_the_case_get_404_on_every_note_url(app: Litestar, team: CaseTeam, who: str) -> None:
    note = await add_note(team, "case_team", "Fallteam-Notiz 5512")
    client = getattr(team, who)
    token = _token(team, who)
    new_url = f"/cases/{team.case_id}/notes/new"
    note_url = f"/notes/{note['id']}"
    responses = [
        await client.get(new_url),
        await client.post(new_url, data={"tier": "case_team", "body": "x", "_csrf_token": token}),
        await client.post(new_url, data={"tier": "", "body": "", "_csrf_token": token}),
        await client.get(note_url),
        await client.post(note_url, data={"version": "1", "tier": "case_team", "body": "x", "_csrf_token": token}),
        await client.post(note_url, data={"version": "1", "tier": "case_team", "body": "", "_csrf_token": token}),
        await client.post(f"{note_url}/approval", data={"version": "1", "_csrf_token": token}),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert all("Fallteam-Notiz 5512" not in r.text for r in responses)
    assert await note_count(app) == 1
    assert (await note_row(app, note["id"])).version == 1


def _token(team: CaseTeam, who: str = "coordinator") -> str:
    token = getattr(team, who).cookies.get("km_csrf")
    assert token
    return token
