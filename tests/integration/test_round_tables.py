"""Coordinators manage round tables: create, edit (stale → 409), validation next to the field, members."""

from __future__ import annotations

import re

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from tests.helpers import CaseTeam, create_user, form_post

pytestmark = pytest.mark.anyio


async def _quartier_ids(app: Litestar, *codes: str) -> list[str]:
    async with app.state["alchemy_config"].get_session() as session:
        rows = await session.scalars(select(m.Quartier).where(m.Quartier.code.in_(codes)))
        return [str(q.id) for q in rows]


async def _create(client: AsyncClient, app: Litestar, name: str, *codes: str) -> str:
    response = await form_post(
        client,
        "/round-tables/new",
        "/round-tables/new",
        {"name": name, "description": "", "quartier_ids": ["", *await _quartier_ids(app, *codes or ("Q01",))]},
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/round-tables/([0-9a-f-]{36})/edit", response.headers["location"])
    assert match
    return match.group(1)


async def _count(app: Litestar, model: type) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_coordinator_creates_a_round_table(app: Litestar, team: CaseTeam) -> None:
    listing = await team.coordinator.get("/round-tables/manage")
    assert listing.status_code == 200
    assert "Noch keine Runden Tische." in listing.text
    assert 'href="/round-tables/manage" aria-current="page"' in listing.text
    table_id = await _create(team.coordinator, app, "Runder Tisch St. Josef", "Q01", "Q02")
    page = await team.coordinator.get(f"/round-tables/{table_id}/edit")
    assert "Runder Tisch „Runder Tisch St. Josef“ angelegt." in page.text
    assert 'name="version" value="1"' in page.text
    listing = (await team.coordinator.get("/round-tables/manage")).text
    assert "Runder Tisch St. Josef" in listing
    assert "Innenstadt/St. Josef, Schinkenplatz" in listing or "Schinkenplatz, Innenstadt/St. Josef" in listing
    async with app.state["alchemy_config"].get_session() as session:
        row = await session.scalar(select(m.RoundTable))
        assert row is not None
        assert row.name == "Runder Tisch St. Josef"
        assert row.created_by_id == team.coordinator_user.id
        assert await session.scalar(select(func.count()).select_from(m.RoundTableQuartier)) == 2


async def test_bad_input_is_shown_next_to_the_field(app: Litestar, team: CaseTeam) -> None:
    await _create(team.coordinator, app, "Runder Tisch St. Josef")
    response = await form_post(
        team.coordinator,
        "/round-tables/new",
        "/round-tables/new",
        {"name": "Runder Tisch St. Josef", "description": "Zweiter Versuch", "quartier_ids": [""]},
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="f-name-error">Diesen Namen trägt schon ein anderer Runder Tisch.' in page
    assert 'id="f-quartier_ids-error">Bitte mindestens ein Quartier wählen.' in page
    assert "Zweiter Versuch" in page  # input kept
    assert await _count(app, m.RoundTable) == 1
    blank = await form_post(
        team.coordinator, "/round-tables/new", "/round-tables/new", {"name": "  ", "quartier_ids": ["", "kaputt"]}
    )
    assert blank.status_code == 422
    assert 'id="f-name-error">Bitte ausfüllen.' in blank.text
    assert 'id="f-quartier_ids-error">' in blank.text
    assert await _count(app, m.RoundTable) == 1


async def test_edit_and_stale_version(app: Litestar, team: CaseTeam) -> None:
    table_id = await _create(team.coordinator, app, "Runder Tisch Nord", "Q03")
    url = f"/round-tables/{table_id}/edit"
    nord = await _quartier_ids(app, "Q03", "Q04")
    saved = await form_post(
        team.coordinator,
        url,
        url,
        {"version": "1", "name": "Runder Tisch Nord", "description": "Trifft sich monatlich.", "quartier_ids": nord},
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/round-tables/manage"
    listing = (await team.coordinator.get("/round-tables/manage")).text
    assert "Änderungen am Runden Tisch gespeichert." in listing
    assert "Bleichpfad" in listing
    # A change of quartiers alone is a new version too: an older form must not overwrite it.
    only_q03 = await _quartier_ids(app, "Q03")
    stale = await form_post(
        team.coordinator, url, url, {"version": "1", "name": "Überschrieben", "quartier_ids": only_q03}
    )
    assert stale.status_code == 409
    assert "Inzwischen geändert" in stale.text
    assert 'value="Runder Tisch Nord"' in stale.text  # the current stored values
    assert "Trifft sich monatlich." in stale.text
    again = await form_post(team.coordinator, url, url, {"version": "2", "name": "Nord", "quartier_ids": only_q03})
    assert again.status_code == 303
    stale_after_quartier_change = await form_post(
        team.coordinator, url, url, {"version": "2", "name": "Nord", "quartier_ids": nord}
    )
    assert stale_after_quartier_change.status_code == 409
    async with app.state["alchemy_config"].get_session() as session:
        row = await session.scalar(select(m.RoundTable))
        assert row is not None
        assert (row.name, row.version) == ("Nord", 3)


async def test_duplicate_name_on_edit(app: Litestar, team: CaseTeam) -> None:
    await _create(team.coordinator, app, "Runder Tisch St. Josef")
    other = await _create(team.coordinator, app, "Runder Tisch Süd", "Q07")
    quartiers = await _quartier_ids(app, "Q07")
    url = f"/round-tables/{other}/edit"
    response = await form_post(
        team.coordinator,
        url,
        url,
        {"version": "1", "name": "Runder Tisch St. Josef", "quartier_ids": quartiers},
    )
    assert response.status_code == 422
    assert 'id="f-name-error">Diesen Namen trägt schon ein anderer Runder Tisch.' in response.text


async def test_members_need_the_round_table_role(app: Litestar, team: CaseTeam) -> None:
    table_id = await _create(team.coordinator, app, "Runder Tisch St. Josef")
    url = f"/round-tables/{table_id}/edit"
    async with app.state["alchemy_config"].get_session() as session:
        member = await session.scalar(select(m.User).where(m.User.email == "rundertisch@example.org"))
        assert member is not None
    page = (await team.coordinator.get(url)).text
    assert "Rita Runder Tisch (rundertisch@example.org)" in page
    assert "Mila Mediation" not in page  # only people with the round-table role are offered
    refused = await form_post(
        team.coordinator,
        url,
        f"/round-tables/{table_id}/members",
        {"user_id": str(team.mediator_user.id), "organisation": "Polizei"},
    )
    assert refused.status_code == 422
    assert 'id="f-user_id-error">Bitte eine Person mit der Rolle „Runder Tisch“ aus der Liste wählen.' in refused.text
    assert 'value="Polizei"' in refused.text
    no_org = await form_post(
        team.coordinator, url, f"/round-tables/{table_id}/members", {"user_id": str(member.id), "organisation": " "}
    )
    assert no_org.status_code == 422
    assert 'id="f-organisation-error">Bitte ausfüllen.' in no_org.text
    assert await _count(app, m.RoundTableMember) == 0

    added = await form_post(
        team.coordinator,
        url,
        f"/round-tables/{table_id}/members",
        {"user_id": str(member.id), "organisation": "Polizei"},
    )
    assert added.status_code == 303
    assert added.headers["location"] == f"{url}#members"
    page = (await team.coordinator.get(url)).text
    assert "Mitglied hinzugefügt." in page
    assert re.search(r"<td[^>]*>Polizei</td>", page)
    twice = await form_post(
        team.coordinator,
        url,
        f"/round-tables/{table_id}/members",
        {"user_id": str(member.id), "organisation": "Polizei"},
    )
    assert twice.status_code == 422
    assert "schon Mitglied dieses Runden Tisches" in twice.text
    assert await _count(app, m.RoundTableMember) == 1

    removed = await form_post(team.coordinator, url, f"/round-tables/{table_id}/members/{member.id}/remove", {})
    assert removed.status_code == 303
    assert "Mitglied entfernt." in (await team.coordinator.get(url)).text
    assert await _count(app, m.RoundTableMember) == 0
    gone = await form_post(team.coordinator, url, f"/round-tables/{table_id}/members/{member.id}/remove", {})
    assert gone.status_code == 404


async def test_deactivated_member_cannot_be_added(app: Litestar, team: CaseTeam) -> None:
    table_id = await _create(team.coordinator, app, "Runder Tisch St. Josef")
    user = await create_user(app, "inaktiv@example.org", [m.Role.ROUND_TABLE_MEMBER])
    async with app.state["alchemy_config"].get_session() as session:
        row = await session.get(m.User, user.id)
        assert row is not None
        row.is_active = False
        await session.commit()
    url = f"/round-tables/{table_id}/edit"
    assert "inaktiv@example.org" not in (await team.coordinator.get(url)).text
    refused = await form_post(
        team.coordinator, url, f"/round-tables/{table_id}/members", {"user_id": str(user.id), "organisation": "X"}
    )
    assert refused.status_code == 422


@pytest.mark.parametrize("who", ["mediator", "round_table", "admin"])
async def test_only_coordinators_manage(app: Litestar, team: CaseTeam, who: str) -> None:
    table_id = await _create(team.coordinator, app, "Runder Tisch St. Josef")
    client: AsyncClient = getattr(team, who)
    for path in ("/round-tables/manage", "/round-tables/new", f"/round-tables/{table_id}/edit"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert "Keine Berechtigung" in response.text
    home = await client.get("/")  # a page with a CSRF token for the posts below
    token = client.cookies.get("km_csrf")
    assert home.status_code in {200, 303}
    for path, data in (
        ("/round-tables/new", {"name": "Fremd", "quartier_ids": await _quartier_ids(app, "Q01")}),
        (f"/round-tables/{table_id}/edit", {"version": "1", "name": "Fremd"}),
        (f"/round-tables/{table_id}/members", {"user_id": str(team.mediator_user.id), "organisation": "X"}),
    ):
        response = await client.post(path, data={**data, "_csrf_token": token})
        assert response.status_code == 403, path
    nav = (await client.get("/account/tokens")).text
    assert 'href="/round-tables/manage"' not in nav
    assert await _count(app, m.RoundTable) == 1


async def test_unknown_round_table_is_404(team: CaseTeam) -> None:
    response = await team.coordinator.get("/round-tables/00000000-0000-7000-8000-000000000000/edit")
    assert response.status_code == 404
