"""Contact-data canary and access on the party, participation, note and administration-request pages.

A party with a unique name, phone, e-mail and address: only the case's assigned mediator sees them,
and only on `/parties/{id}`. Everyone else — coordinator, other mediator, round-table member,
admin — never sees them on any of these pages, whatever they request.
"""

from __future__ import annotations

import html
from uuid import UUID

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, form_post

pytestmark = pytest.mark.anyio

NAME = "Canary Wisniewski-Okafor"
PHONE = "+49 171 5550987"
EMAIL = "canary.okafor@example.org"
ADDRESS = "Kanarienweg 77b"
CANARIES = (NAME, PHONE, EMAIL, ADDRESS)
OUTSIDERS = ("other_mediator", "round_table", "admin")


def assert_clean(where: str, response: Response) -> None:
    content = html.unescape(response.text)
    for canary in CANARIES:
        assert canary not in content, f"{canary!r} leaked on {where} ({response.status_code})"


def token(client: AsyncClient) -> str:
    value = client.cookies.get("km_csrf")
    assert value
    return value


async def seed(app: Litestar, team: CaseTeam) -> dict[str, str]:
    """The canary party added through the page, plus a note and a request on the same case."""
    url = f"/cases/{team.case_id}/participations/new"
    data = {
        "party.kind": "person",
        "party.name": NAME,
        "party.phone": PHONE,
        "party.email": EMAIL,
        "party.address": ADDRESS,
        "role": "anliegend",
        "status": "informiert",
    }
    response = await form_post(team.mediator, url, url, data)
    assert response.status_code == 303, response.text
    async with app.state["alchemy_config"].get_session() as session:
        participation = await session.scalar(
            select(m.Participation)
            .where(m.Participation.case_id == UUID(team.case_id))
            .options(selectinload(m.Participation.party))
        )
    note = await api(
        team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "case_team", "body": "Telefonat"}
    )
    request = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/administration-requests",
        {"department": "Ordnungsamt", "subject": "Kontrollen abends"},
    )
    return {
        "participation": str(participation.id),
        "party": str(participation.party_id),
        "pseudonym": participation.party.pseudonym,
        "note": note.json()["id"],
        "request": request.json()["id"],
    }


def pages(team: CaseTeam, ids: dict[str, str]) -> dict[str, str]:
    return {
        "participation_new": f"/cases/{team.case_id}/participations/new",
        "participation": f"/participations/{ids['participation']}",
        "party": f"/parties/{ids['party']}",
        "note_new": f"/cases/{team.case_id}/notes/new",
        "note": f"/notes/{ids['note']}",
        "request_new": f"/cases/{team.case_id}/administration-requests/new",
        "request": f"/administration-requests/{ids['request']}",
    }


async def test_flash_after_adding_the_party_names_the_alias_only(app: Litestar, team: CaseTeam) -> None:
    ids = await seed(app, team)
    following = await team.mediator.get(f"/participations/{ids['participation']}")
    assert "Partei A hinzugefügt." in following.text
    assert_clean("the page after adding", following)


async def test_assigned_mediator_sees_contact_data_on_the_party_page_only(app: Litestar, team: CaseTeam) -> None:
    ids = await seed(app, team)
    for name, url in pages(team, ids).items():
        response = await team.mediator.get(url)
        assert response.status_code == 200, name
        if name == "party":
            content = html.unescape(response.text)
            assert all(canary in content for canary in CANARIES)
        else:
            assert_clean(name, response)


async def test_coordinator_never_sees_contact_data(app: Litestar, team: CaseTeam) -> None:
    ids = await seed(app, team)
    client = team.coordinator
    for name, url in pages(team, ids).items():
        response = await client.get(url)
        assert response.status_code == 200, name
        assert_clean(name, response)
    party_url = f"/parties/{ids['party']}"
    participation_url = f"/participations/{ids['participation']}"
    for url, data in (
        (party_url, {"version": "1", "kind": "person", "name": ""}),
        (party_url, {"version": "1", "kind": "person", "name": "Anders"}),
        (participation_url, {"version": "1", "role": "quatsch", "status": "erfasst"}),
        (participation_url, {"version": "9", "role": "anliegend", "status": "erfasst"}),
        (f"{participation_url}/consents", {"purpose": "mediation", "mediation.given_on": "x"}),
    ):
        response = await client.post(url, data=data | {"_csrf_token": token(client)})
        assert response.status_code in {403, 409, 422}, (url, response.status_code)
        assert_clean(f"POST {url}", response)


@pytest.mark.parametrize("who", OUTSIDERS)
async def test_outsiders_get_404_and_never_see_contact_data(app: Litestar, team: CaseTeam, who: str) -> None:
    ids = await seed(app, team)
    client = getattr(team, who)
    for name, url in pages(team, ids).items():
        response = await client.get(url)
        assert response.status_code == 404, name
        assert_clean(name, response)
    participation_url = f"/participations/{ids['participation']}"
    given = today().isoformat()
    posts = [
        (f"/cases/{team.case_id}/participations/new", {"party.kind": "person", "party.name": "X", "role": "betroffen"}),
        (f"/cases/{team.case_id}/participations/new", {"party.kind": "person", "party.name": "", "role": ""}),
        (f"/cases/{team.case_id}/participations/new", {"form": "existing", "existing.pseudonym": ids["pseudonym"]}),
        (participation_url, {"version": "1", "role": "betroffen", "status": "erfasst"}),
        (participation_url, {"version": "1", "role": "", "status": ""}),
        (f"{participation_url}/consents", {"purpose": "mediation", "mediation.given_on": given}),
        (f"{participation_url}/consents", {"purpose": "mediation", "mediation.given_on": ""}),
        (f"/parties/{ids['party']}", {"version": "1", "kind": "person", "name": "Überschrieben"}),
        (f"/parties/{ids['party']}", {"version": "1", "kind": "person", "name": ""}),
    ]
    for url, data in posts:
        response = await client.post(url, data=data | {"_csrf_token": token(client)})
        assert response.status_code == 404, (url, data)
        assert_clean(f"POST {url}", response)
    async with app.state["alchemy_config"].get_session() as session:
        party = await session.get(m.Party, UUID(ids["party"]))
        participations = list(await session.scalars(select(m.Participation)))
        consents = list(await session.scalars(select(m.Consent)))
    assert (party.name, party.version) == (NAME, 1)
    assert [(p.role, p.version) for p in participations] == [("anliegend", 1)]
    assert consents == []
