"""The round-table member's home: an empty state that says what will appear; nobody else gets in."""

from __future__ import annotations

import pytest
from litestar import Litestar

from konfliktmanagement.db import models as m
from tests.helpers import CaseTeam, case_team, create_user, sign_in

pytestmark = pytest.mark.anyio


@pytest.fixture
async def team(app: Litestar, make_client) -> CaseTeam:
    return await case_team(app, make_client)


async def test_member_sees_what_will_appear_here(team: CaseTeam) -> None:
    response = await team.round_table.get("/round-tables")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="de">' in page
    assert page.count("<h1>") == 1
    assert "Meine Runden Tische" in page
    assert "Sie sind noch keinem Runden Tisch zugeordnet." in page
    assert "anonymisierten Berichte Ihrer Runden Tische" in page
    assert "sobald die Koordination sie geprüft und versendet hat" in page
    assert "Öffentliche Statistik" in page
    # The member's start page and navigation lead here.
    assert 'href="/round-tables" aria-current="page"' in page
    home = await team.round_table.get("/")
    assert home.headers["location"] == "/round-tables"


async def test_member_page_shows_no_case_data(team: CaseTeam) -> None:
    page = (await team.round_table.get("/round-tables")).text
    assert team.case_id not in page
    assert "Lärm am Platz" not in page


@pytest.mark.parametrize("who", ["coordinator", "mediator", "admin"])
async def test_others_are_refused(team: CaseTeam, who: str) -> None:
    response = await getattr(team, who).get("/round-tables")
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.text


async def test_member_with_another_role_too_gets_in(app: Litestar, make_client) -> None:
    await create_user(app, "beides@example.org", [m.Role.MEDIATOR, m.Role.ROUND_TABLE_MEMBER])
    client = make_client()
    await sign_in(client, "beides@example.org")
    assert (await client.get("/round-tables")).status_code == 200
