"""Pages for parties: add a party to a case, edit a participation and its consents, the party page."""

from __future__ import annotations

import html
from datetime import timedelta
from uuid import UUID

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, csrf_from, form_post

pytestmark = pytest.mark.anyio


async def add_party(team: CaseTeam, name: str = "Erika Muster", **party: object) -> dict:
    body = {"role": "anliegend", "party": {"kind": "person", "name": name, **party}}
    response = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/participations", body)
    assert response.status_code == 201, response.text
    return response.json()


async def participation_row(app: Litestar, participation_id: str) -> m.Participation:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(
            select(m.Participation)
            .where(m.Participation.id == UUID(participation_id))
            .options(selectinload(m.Participation.party), selectinload(m.Participation.consents))
        )


async def count(app: Litestar, model: type) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


def text_of(response: Response) -> str:
    return html.unescape(response.text)


def field_error(response: Response, name: str) -> str:
    """The message shown next to a field (`<p class="error" id="f-<name>-error">`)."""
    marker = f'id="f-{name}-error">'
    assert marker in response.text, f"no error next to {name}"
    return html.unescape(response.text.split(marker, 1)[1].split("</p>", 1)[0])


NEW_PARTY = {
    "party.kind": "informal_group",
    "party.name": "Jugendliche am Bolzplatz",
    "party.phone": "",
    "party.email": "",
    "party.address": "",
    "party.language": "Arabisch",
    "party.group_size_estimate": "12",
    "role": "betroffen",
    "status": "informiert",
}


async def test_add_party_redirects_to_the_case_with_a_flash_naming_the_alias(app: Litestar, team: CaseTeam) -> None:
    page_url = f"/cases/{team.case_id}/participations/new"
    page = await team.mediator.get(page_url)
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    assert 'id="f-party.name"' in page.text
    assert "Partei hinzufügen" in page.text

    response = await form_post(team.mediator, page_url, page_url, NEW_PARTY)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{team.case_id}#parteien"

    async with app.state["alchemy_config"].get_session() as session:
        row = await session.scalar(
            select(m.Participation)
            .where(m.Participation.case_id == UUID(team.case_id))
            .options(selectinload(m.Participation.party))
        )
    assert row is not None
    assert (row.alias, row.role, row.status) == ("Partei A", "betroffen", "informiert")
    assert row.party.kind == "informal_group"
    assert row.party.name == "Jugendliche am Bolzplatz"
    assert row.party.group_size_estimate == 12
    assert row.party.phone is None

    following = await team.mediator.get(f"/participations/{row.id}")
    assert "Partei A hinzugefügt." in following.text
    assert "Jugendliche am Bolzplatz" not in following.text  # the alias, not the name, outside the party page


async def test_coordinator_may_add_a_party_too(app: Litestar, team: CaseTeam) -> None:
    page_url = f"/cases/{team.case_id}/participations/new"
    response = await form_post(team.coordinator, page_url, page_url, NEW_PARTY | {"party.kind": "person"})
    assert response.status_code == 303
    assert await count(app, m.Participation) == 1


async def test_bad_new_party_shows_errors_next_to_the_fields_keeps_input_and_writes_nothing(
    app: Litestar, team: CaseTeam
) -> None:
    page_url = f"/cases/{team.case_id}/participations/new"
    bad = NEW_PARTY | {"party.name": "  ", "party.email": "keine-adresse", "party.group_size_estimate": "0", "role": ""}
    response = await form_post(team.mediator, page_url, page_url, bad)
    assert response.status_code == 422
    assert field_error(response, "party.name") == "Bitte ausfüllen."
    assert field_error(response, "party.email") == "Bitte im richtigen Format eingeben."
    assert field_error(response, "party.group_size_estimate") == "Bitte eine Zahl ab 1 eingeben."
    assert field_error(response, "role") == "Bitte ausfüllen."
    assert 'value="keine-adresse"' in response.text
    assert 'value="Arabisch"' in response.text
    assert 'value="informal_group" checked' in response.text
    assert await count(app, m.Party) == 0
    assert await count(app, m.Participation) == 0


async def test_participation_page_edits_role_and_status(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team, "Erika Muster")
    url = f"/participations/{created['id']}"
    page = await team.mediator.get(url)
    assert page.status_code == 200
    assert "Partei A" in page.text
    assert created["party"]["pseudonym"] in page.text
    assert "Erika Muster" not in page.text
    assert f'href="/parties/{created["party"]["id"]}"' in page.text

    response = await form_post(team.mediator, url, url, {"version": "1", "role": "betroffen", "status": "zugestimmt"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{team.case_id}#parteien"
    row = await participation_row(app, created["id"])
    assert (row.role, row.status, row.version) == ("betroffen", "zugestimmt", 2)
    following = await team.mediator.get(url)
    assert "Partei A gespeichert." in following.text


async def test_participation_edit_with_an_unknown_value_is_refused_next_to_the_field(
    app: Litestar, team: CaseTeam
) -> None:
    created = await add_party(team)
    url = f"/participations/{created['id']}"
    response = await form_post(team.mediator, url, url, {"version": "1", "role": "richter", "status": "informiert"})
    assert response.status_code == 422
    assert field_error(response, "role") == "Bitte einen Eintrag aus der Liste wählen."
    assert '<option value="informiert" selected>' in response.text  # the input is kept
    row = await participation_row(app, created["id"])
    assert (row.role, row.status, row.version) == ("anliegend", "erfasst", 1)


async def test_stale_participation_edit_shows_the_current_values(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team)
    url = f"/participations/{created['id']}"
    page = await team.mediator.get(url)
    changed = await api(
        team.coordinator, "PATCH", f"/api/v1/participations/{created['id']}", {"version": 1, "status": "abgelehnt"}
    )
    assert changed.status_code == 200
    response = await team.mediator.post(
        url,
        data={"version": "1", "role": "betroffen", "status": "informiert", "_csrf_token": csrf_from(page)},
    )
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text
    assert '<option value="abgelehnt" selected>' in response.text
    assert 'name="version" value="2"' in response.text
    row = await participation_row(app, created["id"])
    assert (row.role, row.status) == ("anliegend", "abgelehnt")


async def test_consents_are_recorded_per_purpose(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team)
    url = f"/participations/{created['id']}"
    action = f"{url}/consents"
    given = (today() - timedelta(days=3)).isoformat()
    response = await form_post(team.mediator, url, action, {"purpose": "mediation", "mediation.given_on": given})
    assert response.status_code == 303
    assert response.headers["location"] == f"{url}#einwilligungen"
    withdrawn = today().isoformat()
    response = await form_post(
        team.mediator,
        url,
        action,
        {"purpose": "contact", "contact.given_on": given, "contact.withdrawn_on": withdrawn},
    )
    assert response.status_code == 303
    row = await participation_row(app, created["id"])
    consents = {c.purpose: (c.given_on.isoformat(), c.withdrawn_on) for c in row.consents}
    assert consents == {"mediation": (given, None), "contact": (given, today())}
    page = await team.mediator.get(url)
    assert "Einwilligung von Partei A gespeichert." in page.text
    assert f'name="mediation.given_on" type="date" value="{given}"' in page.text
    assert "widerrufen am" in page.text
    assert "nicht erteilt" in page.text  # documentation


async def test_bad_consent_dates_are_shown_next_to_that_purposes_fields(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team)
    url = f"/participations/{created['id']}"
    future = (today() + timedelta(days=5)).isoformat()
    response = await form_post(
        team.mediator, url, f"{url}/consents", {"purpose": "documentation", "documentation.given_on": future}
    )
    assert response.status_code == 422
    assert field_error(response, "documentation.given_on") == ("Das Datum darf nicht in der Zukunft liegen.")
    assert f'value="{future}"' in response.text
    response = await form_post(
        team.mediator,
        url,
        f"{url}/consents",
        {"purpose": "mediation", "mediation.given_on": "", "mediation.withdrawn_on": "gestern"},
    )
    assert response.status_code == 422
    assert field_error(response, "mediation.given_on") == "Bitte ausfüllen."
    assert field_error(response, "mediation.withdrawn_on") == "Bitte ein gültiges Datum angeben."
    assert await count(app, m.Consent) == 0


async def test_party_page_shows_contact_data_to_the_mediator_and_saves_changes(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team, "Erika Muster", phone="0201 123456", email="erika@example.org")
    party_id = created["party"]["id"]
    url = f"/parties/{party_id}"
    page = await team.mediator.get(url)
    assert page.status_code == 200
    assert "Erika Muster" in page.text
    assert "0201 123456" in page.text
    assert "erika@example.org" in page.text
    assert f'href="/participations/{created["id"]}"' in page.text

    data = {
        "version": "1",
        "kind": "person",
        "name": "Erika Mustermann",
        "phone": "",
        "email": "erika@example.org",
        "address": "Am Markt 1\n45127 Essen",
        "language": "",
        "group_size_estimate": "",
    }
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 303
    assert response.headers["location"] == url
    async with app.state["alchemy_config"].get_session() as session:
        party = await session.get(m.Party, UUID(party_id))
    assert (party.name, party.phone, party.address, party.version) == (
        "Erika Mustermann",
        None,
        "Am Markt 1\n45127 Essen",
        2,
    )
    following = await team.mediator.get(url)
    assert f"Angaben zu {created['party']['pseudonym']} gespeichert." in following.text
    assert "Erika Mustermann" not in text_of(following).split("gespeichert.")[0]  # the flash has no name


async def test_bad_party_edit_keeps_input_and_changes_nothing(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team, "Erika Muster")
    url = f"/parties/{created['party']['id']}"
    data = {"version": "1", "kind": "person", "name": "", "email": "nope", "group_size_estimate": "viele"}
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 422
    assert field_error(response, "name") == "Bitte ausfüllen."
    assert field_error(response, "email") == "Bitte im richtigen Format eingeben."
    assert field_error(response, "group_size_estimate") == "Bitte eine Zahl eingeben."
    assert 'value="nope"' in response.text
    async with app.state["alchemy_config"].get_session() as session:
        party = await session.get(m.Party, UUID(created["party"]["id"]))
    assert (party.name, party.email, party.version) == ("Erika Muster", None, 1)


async def test_stale_party_edit_shows_the_current_values(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team, "Erika Muster")
    url = f"/parties/{created['party']['id']}"
    page = await team.mediator.get(url)
    patched = await api(
        team.mediator, "PATCH", f"/api/v1/parties/{created['party']['id']}", {"version": 1, "language": "Polnisch"}
    )
    assert patched.status_code == 200
    data = {"version": "1", "kind": "person", "name": "Erika M.", "_csrf_token": csrf_from(page)}
    response = await team.mediator.post(url, data=data)
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text
    assert 'value="Polnisch"' in response.text
    assert 'name="version" value="2"' in response.text
    async with app.state["alchemy_config"].get_session() as session:
        party = await session.get(m.Party, UUID(created["party"]["id"]))
    assert party.name == "Erika Muster"


async def test_coordinator_sees_the_party_by_pseudonym_and_may_not_edit_it(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team, "Erika Muster", phone="0201 123456")
    url = f"/parties/{created['party']['id']}"
    page = await team.coordinator.get(url)
    assert page.status_code == 200
    assert created["party"]["pseudonym"] in page.text
    assert "Erika Muster" not in page.text
    assert "0201 123456" not in page.text
    assert 'action="/parties/' not in page.text  # no edit form
    response = await form_post(team.coordinator, url, url, {"version": "1", "kind": "person", "name": "X"})
    assert response.status_code == 403
    async with app.state["alchemy_config"].get_session() as session:
        party = await session.get(m.Party, UUID(created["party"]["id"]))
    assert party.name == "Erika Muster"


async def own_case(client: AsyncClient, team: CaseTeam, title: str) -> str:
    """A case the given mediator records, so they are on it."""
    body = {"title": title, "quartier_id": team.quartier_id, "conflict_type_id": team.conflict_type_id}
    created = await api(client, "POST", "/api/v1/cases", body)
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def test_party_from_another_case_is_added_by_its_pseudonym(app: Litestar, team: CaseTeam) -> None:
    known = await add_party(team, "Erika Muster")
    second_case = await own_case(team.mediator, team, "Müll am Kiosk")
    url = f"/cases/{second_case}/participations/new"
    data = {
        "form": "existing",
        "existing.pseudonym": f" {known['party']['pseudonym'].lower()} ",
        "existing.role": "betroffen",
    }
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{second_case}#parteien"
    async with app.state["alchemy_config"].get_session() as session:
        rows = list(await session.scalars(select(m.Participation).where(m.Participation.case_id == UUID(second_case))))
    assert [(r.party_id, r.alias, r.role, r.status) for r in rows] == [
        (UUID(known["party"]["id"]), "Partei A", "betroffen", "erfasst")
    ]
    assert await count(app, m.Party) == 1

    # The same party twice in one case is refused next to the pseudonym field.
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 422
    assert field_error(response, "existing.pseudonym") == "Diese Partei ist an dem Fall bereits beteiligt."
    assert "<details open>" in response.text
    assert await count(app, m.Participation) == 2


async def test_pseudonyms_of_parties_in_cases_one_may_not_read_are_unknown(app: Litestar, team: CaseTeam) -> None:
    known = await add_party(team, "Erika Muster")
    foreign_case = await own_case(team.other_mediator, team, "Graffiti an der Schule")
    url = f"/cases/{foreign_case}/participations/new"
    for pseudonym, message in (
        (known["party"]["pseudonym"], "Keine Partei mit diesem Pseudonym in den Fällen, die Sie sehen dürfen."),
        ("", "Bitte ausfüllen."),
    ):
        data = {"form": "existing", "existing.pseudonym": pseudonym, "existing.role": "betroffen"}
        response = await form_post(team.other_mediator, url, url, data)
        assert response.status_code == 422
        assert field_error(response, "existing.pseudonym") == message
    assert await count(app, m.Participation) == 1
