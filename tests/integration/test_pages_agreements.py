"""Agreement pages: a new agreement with its first item, the follow-up result, stale edits, access."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, case_team, csrf_from, form_post, split_own_input

pytestmark = pytest.mark.anyio

CANARY_NAME = "Canaria Zeisig-Vogelsang"


def _day(delta: int = 0) -> str:
    return (today() + timedelta(days=delta)).isoformat()


async def _team(app: Litestar, make_client) -> CaseTeam:
    team = await case_team(app, make_client)
    for role, name in (("anliegend", CANARY_NAME), ("betroffen", "Bernd Beispiel")):
        created = await api(
            team.mediator,
            "POST",
            f"/api/v1/cases/{team.case_id}/participations",
            {"role": role, "party": {"kind": "person", "name": name, "email": "canaria@example.org"}},
        )
        assert created.status_code == 201, created.text
    return team


async def _agreement_via_api(team: CaseTeam, items: int = 1) -> dict:
    body = {
        "title": "Ruhezeiten am Spielplatz",
        "concluded_on": _day(-7),
        "items": [{"responsible": f"Partei {'AB'[i % 2]}", "action": f"Schritt {i + 1}"} for i in range(items)],
    }
    created = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/agreements", body)
    assert created.status_code == 201, created.text
    return created.json()


async def _agreements(app: Litestar) -> list[m.Agreement]:
    async with app.state["alchemy_config"].get_session() as session:
        return list(await session.scalars(select(m.Agreement).options(selectinload(m.Agreement.items))))


async def _item_count(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(m.AgreementItem)) or 0


def _error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="f-{re.escape(field)}-error">([^<]*)</p>', page)
    assert match, f"no error next to {field}"
    return match.group(1)


def _new_agreement(**overrides: str) -> dict[str, str]:
    return {
        "title": "Ruhezeiten am Spielplatz",
        "concluded_on": _day(),
        "item.responsible": "Partei A",
        "item.action": "Hängt einen Aushang zu den Ruhezeiten auf.",
        "item.due_on": _day(14),
        **overrides,
    }


async def test_new_agreement_with_its_first_item(app: Litestar, make_client) -> None:
    team = await _team(app, make_client)
    url = f"/cases/{team.case_id}/agreements/new"
    page = await team.mediator.get(url)
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    for text in ("Titel der Vereinbarung", "Abgeschlossen am", "Wer (Partei oder Stelle)", "Vereinbarung speichern"):
        assert text in page.text
    assert f'value="{_day()}"' in page.text  # concluded today unless changed
    assert '<option value="Partei A">' in page.text
    assert CANARY_NAME not in page.text
    assert "canaria@" not in page.text

    response = await form_post(team.mediator, url, url, _new_agreement())
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{team.case_id}#vereinbarung"
    [agreement] = await _agreements(app)
    assert (agreement.title, agreement.concluded_on.isoformat()) == ("Ruhezeiten am Spielplatz", _day())
    [item] = agreement.items
    assert (item.responsible, item.status, item.due_on.isoformat()) == ("Partei A", "offen", _day(14))

    case_page = await team.mediator.get(response.headers["location"])
    assert case_page.status_code == 200
    assert "Vereinbarung gespeichert." in case_page.text
    assert f'href="/agreements/{agreement.id}"' in case_page.text
    shown = await team.mediator.get(f"/agreements/{agreement.id}")
    assert "Hängt einen Aushang zu den Ruhezeiten auf." in shown.text
    assert ">offen</span>" in shown.text


async def test_new_agreement_without_items(app: Litestar, make_client) -> None:
    team = await _team(app, make_client)
    url = f"/cases/{team.case_id}/agreements/new"
    blank_item = {"item.responsible": "", "item.action": "", "item.due_on": ""}
    response = await form_post(team.coordinator, url, url, _new_agreement(**blank_item))
    assert response.status_code == 303, response.text
    [agreement] = await _agreements(app)
    assert agreement.items == []
    assert "Noch keine Punkte" in (await team.mediator.get(f"/agreements/{agreement.id}")).text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Bitte ausfüllen."),
        ({"concluded_on": "morgen"}, "concluded_on", "Bitte ein gültiges Datum angeben."),
        ({"concluded_on": _day(3)}, "concluded_on", "nicht in der Zukunft"),
        ({"item.due_on": _day(-1)}, "item.due_on", "vor dem Abschluss"),
        ({"item.responsible": ""}, "item.responsible", "Bitte ausfüllen."),
    ],
)
async def test_bad_new_agreement_shows_the_error_next_to_the_field_and_writes_nothing(
    app: Litestar, make_client, overrides: dict[str, str], field: str, message: str
) -> None:
    team = await _team(app, make_client)
    url = f"/cases/{team.case_id}/agreements/new"
    response = await form_post(team.mediator, url, url, _new_agreement(**overrides))
    assert response.status_code == 422, response.text
    assert message in _error(response.text, field)
    assert "Hängt einen Aushang zu den Ruhezeiten auf." in response.text  # the input is kept
    assert await _agreements(app) == []


async def test_follow_up_result_is_recorded(app: Litestar, make_client) -> None:
    team = await _team(app, make_client)
    created = await _agreement_via_api(team, items=2)
    url = f"/agreements/{created['id']}"
    page = await team.mediator.get(url)
    assert page.status_code == 200
    assert page.text.count('href="/agreement-items/') == 2
    assert "Ergebnis der Nachbetreuung" in page.text
    data = {
        "version": "1",
        "title": "Ruhezeiten am Spielplatz",
        "concluded_on": _day(-7),
        "follow_up_result": "teilweise",
        "follow_up_recorded_on": _day(),
    }
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{team.case_id}#vereinbarung"
    [agreement] = await _agreements(app)
    assert (agreement.follow_up_result, agreement.follow_up_recorded_on.isoformat()) == ("teilweise", _day())
    again = await team.mediator.get(url)
    assert re.search(r'value="teilweise" checked', again.text)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"follow_up_result": "traegt", "follow_up_recorded_on": ""}, "follow_up_recorded_on", "Datum"),
        ({"follow_up_result": "", "follow_up_recorded_on": _day()}, "follow_up_result", "Ergebnis"),
        ({"follow_up_result": "traegt", "follow_up_recorded_on": _day(-8)}, "follow_up_recorded_on", "vor dem"),
        ({"title": ""}, "title", "Bitte ausfüllen."),
    ],
)
async def test_bad_agreement_edit_writes_nothing(
    app: Litestar, make_client, overrides: dict[str, str], field: str, message: str
) -> None:
    team = await _team(app, make_client)
    created = await _agreement_via_api(team)
    url = f"/agreements/{created['id']}"
    data = {"version": "1", "title": "Neuer Titel", "concluded_on": _day(-7), **overrides}
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 422, response.text
    assert message in _error(response.text, field)
    [agreement] = await _agreements(app)
    assert (agreement.version, agreement.title, agreement.follow_up_result) == (1, "Ruhezeiten am Spielplatz", None)


async def test_stale_agreement_edit_shows_the_current_values(app: Litestar, make_client) -> None:
    team = await _team(app, make_client)
    created = await _agreement_via_api(team)
    url = f"/agreements/{created['id']}"
    first, second = await team.mediator.get(url), await team.coordinator.get(url)
    base = {"version": "1", "concluded_on": _day(-7)}
    saved = await team.mediator.post(url, data={**base, "title": "Erste Fassung", "_csrf_token": csrf_from(first)})
    assert saved.status_code == 303
    stale = await team.coordinator.post(url, data={**base, "title": "Zweite Fassung", "_csrf_token": csrf_from(second)})
    assert stale.status_code == 409
    assert "Inzwischen geändert" in stale.text
    assert 'value="Erste Fassung"' in stale.text
    form, mine = split_own_input(stale)
    assert "Zweite Fassung" not in form  # not in the form: beside it, as the person's own input
    assert "Zweite Fassung" in mine
    [agreement] = await _agreements(app)
    assert (agreement.title, agreement.version) == ("Erste Fassung", 2)


async def test_items_are_added_and_move_through_their_statuses(app: Litestar, make_client) -> None:
    team = await _team(app, make_client)
    created = await _agreement_via_api(team, items=0)
    new_url = f"/agreements/{created['id']}/items/new"
    item = {"responsible": "Ordnungsamt", "action": "Prüft einen zweiten Mülleimer.", "due_on": _day(30)}
    more = await form_post(team.mediator, new_url, new_url, {**item, "next": new_url})
    assert more.status_code == 303, more.text
    assert more.headers["location"] == new_url  # "save and add another"
    done = await form_post(team.mediator, new_url, new_url, {**item, "responsible": "Partei B"})
    assert done.headers["location"] == f"/cases/{team.case_id}#vereinbarung"
    [agreement] = await _agreements(app)
    first = sorted(agreement.items, key=lambda i: i.position)[0]
    assert [i.responsible for i in sorted(agreement.items, key=lambda i: i.position)] == ["Ordnungsamt", "Partei B"]

    url = f"/agreement-items/{first.id}"
    for version, status in ((1, "in_umsetzung"), (2, "umgesetzt")):
        response = await form_post(team.mediator, url, url, {**item, "version": str(version), "status": status})
        assert response.status_code == 303, response.text
    page = await team.mediator.get(url)
    assert "Punkt der Vereinbarung gespeichert." in page.text
    options = re.findall(r'<option value="(\w+)"', page.text.split('id="f-status"')[1].split("</select>")[0])
    assert options == ["umgesetzt"]  # final: nothing else is offered
    refused = await form_post(team.mediator, url, url, {**item, "version": "3", "status": "offen"})
    assert refused.status_code == 409
    assert _error(refused.text, "status")
    listed = await team.mediator.get(f"/agreements/{agreement.id}")
    assert ">umgesetzt</span>" in listed.text
    assert ">offen</span>" in listed.text


async def test_bad_item_input_writes_nothing(app: Litestar, make_client) -> None:
    team = await _team(app, make_client)
    created = await _agreement_via_api(team)
    new_url = f"/agreements/{created['id']}/items/new"
    bad = {"responsible": "Partei A", "action": "Räumt auf.", "due_on": _day(-8)}  # before the agreement
    response = await form_post(team.mediator, new_url, new_url, bad)
    assert response.status_code == 422
    assert "vor dem Abschluss" in _error(response.text, "due_on")
    assert "Räumt auf." in response.text
    assert await _item_count(app) == 1

    url = f"/agreement-items/{created['items'][0]['id']}"
    for field, wrong in (("action", ""), ("due_on", _day(-8))):
        edit = {**bad, "version": "1", "status": "offen", "due_on": _day(), field: wrong}
        response = await form_post(team.mediator, url, url, edit)
        assert response.status_code == 422
        assert _error(response.text, field)
    [agreement] = await _agreements(app)
    assert (agreement.items[0].action, agreement.items[0].version) == ("Schritt 1", 1)


async def test_stale_item_edit_shows_the_current_values(app: Litestar, make_client) -> None:
    team = await _team(app, make_client)
    created = await _agreement_via_api(team)
    url = f"/agreement-items/{created['items'][0]['id']}"
    first, second = await team.mediator.get(url), await team.coordinator.get(url)
    base = {"version": "1", "responsible": "Partei A", "status": "offen"}
    saved = await team.mediator.post(url, data={**base, "action": "Erste Fassung", "_csrf_token": csrf_from(first)})
    assert saved.status_code == 303
    stale = await team.coordinator.post(
        url, data={**base, "status": "obsolet", "action": "Zweite Fassung", "_csrf_token": csrf_from(second)}
    )
    assert stale.status_code == 409
    assert "Inzwischen geändert" in stale.text
    assert "Erste Fassung" in stale.text
    form, mine = split_own_input(stale)
    assert "Zweite Fassung" not in form  # not in the form: beside it, as the person's own input
    assert "Zweite Fassung" in mine
    [agreement] = await _agreements(app)
    assert (agreement.items[0].action, agreement.items[0].status) == ("Erste Fassung", "offen")


@pytest.mark.parametrize("who", ["other_mediator", "round_table", "admin"])
async def test_users_outside_the_case_get_not_found(app: Litestar, make_client, who: str) -> None:
    team = await _team(app, make_client)
    created = await _agreement_via_api(team)
    client: AsyncClient = getattr(team, who)
    item_url = f"/agreement-items/{created['items'][0]['id']}"
    pages = {
        f"/cases/{team.case_id}/agreements/new": _new_agreement(),
        f"/agreements/{created['id']}": {"version": "1", "title": "Übernommen"},
        f"/agreements/{created['id']}/items/new": {"responsible": "Partei A", "action": "Fremd"},
        item_url: {"version": "1", "status": "obsolet"},
    }
    for url, data in pages.items():
        assert (await client.get(url)).status_code == 404, url
        assert (await form_post(client, "/account/tokens", url, data)).status_code == 404, url
    [agreement] = await _agreements(app)
    assert (agreement.title, agreement.version, len(agreement.items)) == ("Ruhezeiten am Spielplatz", 1, 1)
    assert agreement.items[0].status == "offen"
