"""The round-table member's home: their own round tables only (others 404), no case data, no
other members' contact data; an empty state while they sit at none; nobody else gets in."""

from __future__ import annotations

import pytest
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.round_tables.schemas import MemberInput, RoundTableInput
from konfliktmanagement.domain.round_tables.services import RoundTableService
from tests.helpers import CaseTeam, create_user, sign_in

pytestmark = pytest.mark.anyio


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


async def _round_table(app: Litestar, team: CaseTeam, name: str, codes: list[str], members: dict[str, str]) -> str:
    """A round table made through the service; `members` maps e-mail → organisation."""
    async with RoundTableService.new(config=app.state["alchemy_config"]) as service:
        session = service.repository.session
        quartiers = list(await session.scalars(select(m.Quartier.id).where(m.Quartier.code.in_(codes))))
        table = await service.establish(team.coordinator_user, RoundTableInput(name=name, quartier_ids=quartiers))
        for email, organisation in members.items():
            user = await session.scalar(select(m.User).where(m.User.email == email))
            assert user is not None
            await service.add_member(table.id, MemberInput(user_id=user.id, organisation=organisation))
        await session.commit()
        return str(table.id)


@pytest.fixture
async def tables(app: Litestar, team: CaseTeam) -> dict[str, str]:
    await create_user(app, "pfarrei@example.org", [m.Role.ROUND_TABLE_MEMBER], name="Paula Pfarrei")
    await create_user(app, "fremd@example.org", [m.Role.ROUND_TABLE_MEMBER], name="Fritz Fremd")
    josef = await _round_table(
        app,
        team,
        "Runder Tisch St. Josef",
        ["Q01", "Q02"],
        {"rundertisch@example.org": "Polizei", "pfarrei@example.org": "Kirchengemeinde"},
    )
    sued = await _round_table(app, team, "Runder Tisch Süd", ["Q07"], {"fremd@example.org": "Ordnungsamt"})
    return {"josef": josef, "sued": sued}


async def test_member_sees_their_round_tables_only(team: CaseTeam, tables: dict[str, str]) -> None:
    response = await team.round_table.get("/round-tables")
    assert response.status_code == 200
    page = response.text
    assert page.count("<h1>") == 1
    assert f'<a href="/round-tables/{tables["josef"]}">Runder Tisch St. Josef</a>' in page
    assert "Innenstadt/St. Josef (Mitte), Schinkenplatz (Mitte)" in page
    assert "Kirchengemeinde, Polizei" in page  # the organisations at the table
    assert "Sie sind noch keinem Runden Tisch zugeordnet." not in page
    assert "Noch keine Berichte." in page  # reports arrive later
    # Not the round table they do not sit at, nor anyone's name or address.
    assert "Runder Tisch Süd" not in page
    assert "Ordnungsamt" not in page
    for personal in ("Paula Pfarrei", "pfarrei@example.org", "Fritz Fremd", "fremd@example.org"):
        assert personal not in page


async def test_member_opens_their_round_table(team: CaseTeam, tables: dict[str, str]) -> None:
    response = await team.round_table.get(f"/round-tables/{tables['josef']}")
    assert response.status_code == 200
    page = response.text
    assert page.count("<h1>") == 1
    assert "<h1>Runder Tisch St. Josef</h1>" in page
    assert "Kirchengemeinde, Polizei" in page
    assert "Paula Pfarrei" not in page
    assert "pfarrei@example.org" not in page
    assert "Noch keine Berichte." in page


async def test_other_round_tables_are_not_found(team: CaseTeam, tables: dict[str, str]) -> None:
    response = await team.round_table.get(f"/round-tables/{tables['sued']}")
    assert response.status_code == 404
    assert "Runder Tisch Süd" not in response.text
    unknown = await team.round_table.get("/round-tables/00000000-0000-7000-8000-000000000000")
    assert unknown.status_code == 404


async def test_round_table_pages_show_no_case_data(app: Litestar, team: CaseTeam, tables: dict[str, str]) -> None:
    pages = [
        (team.round_table, "/round-tables"),
        (team.round_table, f"/round-tables/{tables['josef']}"),
        (team.coordinator, "/round-tables/manage"),
        (team.coordinator, f"/round-tables/{tables['josef']}/edit"),
    ]
    async with app.state["alchemy_config"].get_session() as session:
        reference = await session.scalar(select(m.Case.reference).where(m.Case.id == team.case_id))
    assert reference
    for client, url in pages:
        page = (await client.get(url)).text
        assert team.case_id not in page, url
        assert reference not in page, url
        assert "Lärm am Platz" not in page, url
        assert "/cases/" not in page, url


async def test_a_member_removed_loses_access(app: Litestar, team: CaseTeam, tables: dict[str, str]) -> None:
    async with RoundTableService.new(config=app.state["alchemy_config"]) as service:
        session = service.repository.session
        user = await session.scalar(select(m.User).where(m.User.email == "rundertisch@example.org"))
        assert user is not None
        await service.remove_member(tables["josef"], user.id)  # type: ignore[arg-type]
        await session.commit()
    assert (await team.round_table.get(f"/round-tables/{tables['josef']}")).status_code == 404
    assert "Sie sind noch keinem Runden Tisch zugeordnet." in (await team.round_table.get("/round-tables")).text
