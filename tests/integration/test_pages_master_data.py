"""Admin pages for Stadtbezirke, quartiers and places: add, edit, duplicates, stale edits, access."""

from __future__ import annotations

from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from tests.helpers import create_user, form_post, seed_master_data, sign_in

pytestmark = pytest.mark.anyio

OVERVIEW = "/admin/master-data"
PLACES = "/admin/places"


@pytest.fixture
async def admin(app: Litestar, client: AsyncClient) -> AsyncClient:
    await seed_master_data(app)
    await create_user(app, "admin@example.org", [m.Role.ADMIN], name="Ada Admin")
    await sign_in(client, "admin@example.org")
    return client


async def _one(app: Litestar, model: type, *conditions: object) -> object | None:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(model).where(*conditions))


async def _count(app: Litestar, model: type) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _quartier(app: Litestar, code: str) -> m.Quartier:
    quartier = await _one(app, m.Quartier, m.Quartier.code == code)
    assert isinstance(quartier, m.Quartier)
    return quartier


async def _add_place(app: Litestar, code: str, name: str, **extra: object) -> m.Place:
    quartier = await _quartier(app, code)
    async with app.state["alchemy_config"].get_session() as session:
        place = m.Place(quartier_id=quartier.id, name=name, **extra)
        session.add(place)
        await session.commit()
        return place


async def test_overview_shows_districts_quartiers_and_places(app: Litestar, admin: AsyncClient) -> None:
    await _add_place(app, "Q01", "Platz an St. Josef", latitude=51.3271, longitude=6.5663)
    page = await admin.get(OVERVIEW)
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    assert page.text.count("<h1") == 1
    for text in ("SB1 – Mitte", "Innenstadt/St. Josef", "Platz an St. Josef", "(51,3271; 6,5663)", "Stahldorf"):
        assert text in page.text
    quartier = await _quartier(app, "Q01")
    assert f'href="/admin/quartiers/{quartier.id}"' in page.text
    assert 'action="/admin/stadtbezirke"' in page.text
    assert 'action="/admin/places"' in page.text
    assert 'href="/admin/import"' in page.text


async def test_admin_adds_a_district_a_quartier_and_a_place(app: Litestar, admin: AsyncClient) -> None:
    response = await form_post(
        admin, OVERVIEW, "/admin/stadtbezirke", {"district_code": " SB5 ", "district_name": "Nordwest"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(OVERVIEW)
    page = await admin.get(response.headers["location"])
    assert "Stadtbezirk „Nordwest“ angelegt." in page.text
    district = await _one(app, m.Stadtbezirk, m.Stadtbezirk.code == "SB5")
    assert isinstance(district, m.Stadtbezirk)
    assert district.name == "Nordwest"

    response = await form_post(
        admin,
        OVERVIEW,
        "/admin/quartiers",
        {"quartier_code": "Q09", "quartier_name": "Am Wasserturm", "quartier_stadtbezirk_id": str(district.id)},
    )
    assert response.status_code == 303
    assert "Quartier „Am Wasserturm“ angelegt." in (await admin.get(response.headers["location"])).text
    quartier = await _quartier(app, "Q09")
    assert quartier.stadtbezirk_id == district.id

    response = await form_post(
        admin,
        OVERVIEW,
        "/admin/places",
        {
            "place_name": "Spielplatz Wasserturm",
            "place_quartier_id": str(quartier.id),
            "place_latitude": "51,3301",
            "place_longitude": "6.5512",
        },
    )
    assert response.status_code == 303
    assert "Ort „Spielplatz Wasserturm“ angelegt." in (await admin.get(response.headers["location"])).text
    place = await _one(app, m.Place, m.Place.name == "Spielplatz Wasserturm")
    assert isinstance(place, m.Place)
    assert (place.quartier_id, place.latitude, place.longitude, place.version) == (quartier.id, 51.3301, 6.5512, 1)


@pytest.mark.parametrize(
    ("action", "data", "field", "message"),
    [
        ("/admin/stadtbezirke", {"district_code": "SB1", "district_name": "Neu"}, "district_code", "schon an"),
        ("/admin/stadtbezirke", {"district_code": "SB9", "district_name": "Mitte"}, "district_name", "schon ein"),
        ("/admin/stadtbezirke", {"district_code": "", "district_name": "Leer"}, "district_code", "Bitte ausfüllen"),
        ("/admin/quartiers", {"quartier_code": "Q01", "quartier_name": "Neu"}, "quartier_code", "schon an"),
        ("/admin/quartiers", {"quartier_code": "Q77", "quartier_name": "Lehmheide"}, "quartier_name", "schon ein"),
        (
            "/admin/quartiers",
            {"quartier_code": "Q77", "quartier_name": "Neu", "quartier_stadtbezirk_id": ""},
            "quartier_stadtbezirk_id",
            "Bitte ausfüllen",
        ),
        ("/admin/places", {"place_name": "Platz an St. Josef"}, "place_name", "schon einen Ort"),
        ("/admin/places", {"place_name": "Neu", "place_latitude": "51,3"}, "place_longitude", "beide leer"),
        (PLACES, {"place_name": "Neu", "place_latitude": "95", "place_longitude": "6"}, "place_latitude", "90"),
        (PLACES, {"place_name": "Neu", "place_latitude": "N", "place_longitude": "6"}, "place_latitude", "Zahl"),
    ],
)
async def test_bad_or_duplicate_input_answers_422_next_to_the_field(
    app: Litestar, admin: AsyncClient, action: str, data: dict[str, str], field: str, message: str
) -> None:
    await _add_place(app, "Q01", "Platz an St. Josef")
    q01, sb1 = await _quartier(app, "Q01"), await _one(app, m.Stadtbezirk, m.Stadtbezirk.code == "SB1")
    assert isinstance(sb1, m.Stadtbezirk)
    defaults = {
        "/admin/quartiers": {"quartier_stadtbezirk_id": str(sb1.id)},
        "/admin/places": {"place_quartier_id": str(q01.id)},
    }
    before = [await _count(app, model) for model in (m.Stadtbezirk, m.Quartier, m.Place)]

    response = await form_post(admin, OVERVIEW, action, {**defaults.get(action, {}), **data})

    assert response.status_code == 422
    error = response.text.split(f'id="f-{field}-error"', 1)
    assert len(error) == 2, f"no error next to {field}"
    assert message in error[1].split("</p>", 1)[0]
    assert 'class="error-summary"' in response.text
    kept = next(value for value in data.values() if value.strip())
    assert f'value="{kept}"' in response.text, "input is kept"
    assert [await _count(app, model) for model in (m.Stadtbezirk, m.Quartier, m.Place)] == before


async def test_admin_edits_each_kind_and_the_version_moves_on(app: Litestar, admin: AsyncClient) -> None:
    sb2 = await _one(app, m.Stadtbezirk, m.Stadtbezirk.code == "SB2")
    assert isinstance(sb2, m.Stadtbezirk)
    url = f"/admin/stadtbezirke/{sb2.id}"
    response = await form_post(admin, url, url, {"version": "1", "code": "SB2", "name": "Nord (neu)"})
    assert response.status_code == 303
    assert "Änderungen am Stadtbezirk gespeichert." in (await admin.get(response.headers["location"])).text
    stored = await _one(app, m.Stadtbezirk, m.Stadtbezirk.id == sb2.id)
    assert isinstance(stored, m.Stadtbezirk)
    assert (stored.name, stored.version) == ("Nord (neu)", 2)

    q03 = await _quartier(app, "Q03")
    sb1 = await _one(app, m.Stadtbezirk, m.Stadtbezirk.code == "SB1")
    assert isinstance(sb1, m.Stadtbezirk)
    url = f"/admin/quartiers/{q03.id}"
    page = await admin.get(url)
    assert 'value="Lehmheide"' in page.text
    data = {"version": "1", "code": "Q03a", "name": "Lehmheide-Nord", "stadtbezirk_id": str(sb1.id)}
    response = await form_post(admin, url, url, data)
    assert response.status_code == 303
    assert "Änderungen am Quartier gespeichert." in (await admin.get(response.headers["location"])).text
    stored_q = await _one(app, m.Quartier, m.Quartier.id == q03.id)
    assert isinstance(stored_q, m.Quartier)
    assert (stored_q.code, stored_q.name, stored_q.stadtbezirk_id, stored_q.version) == (
        "Q03a",
        "Lehmheide-Nord",
        sb1.id,
        2,
    )

    place = await _add_place(app, "Q01", "Kiosk-Ecke", latitude=51.0, longitude=6.0)
    q02 = await _quartier(app, "Q02")
    url = f"/admin/places/{place.id}"
    data = {"version": "1", "name": "Kiosk-Ecke Nord", "quartier_id": str(q02.id), "latitude": "", "longitude": ""}
    response = await form_post(admin, url, url, data)
    assert response.status_code == 303
    assert "Änderungen am Ort gespeichert." in (await admin.get(response.headers["location"])).text
    stored_p = await _one(app, m.Place, m.Place.id == place.id)
    assert isinstance(stored_p, m.Place)
    assert (stored_p.name, stored_p.quartier_id, stored_p.latitude, stored_p.version) == (
        "Kiosk-Ecke Nord",
        q02.id,
        None,
        2,
    )


async def test_stale_edit_answers_409_with_the_current_values(app: Litestar, admin: AsyncClient) -> None:
    q05 = await _quartier(app, "Q05")
    url = f"/admin/quartiers/{q05.id}"
    common = {"code": "Q05", "stadtbezirk_id": str(q05.stadtbezirk_id), "version": "1"}
    first = await form_post(admin, url, url, {**common, "name": "Hardenberg-Ost"})
    assert first.status_code == 303

    second = await form_post(admin, url, url, {**common, "name": "Hardenberg-West"})

    assert second.status_code == 409
    assert "Inzwischen geändert" in second.text
    assert 'value="Hardenberg-Ost"' in second.text, "the form shows what is stored now"
    assert 'name="version" value="2"' in second.text
    stored = await _quartier(app, "Q05")
    assert stored.name == "Hardenberg-Ost"


@pytest.mark.parametrize("kind", ["stadtbezirk", "place"])
async def test_stale_edit_of_districts_and_places_is_refused_too(app: Litestar, admin: AsyncClient, kind: str) -> None:
    if kind == "stadtbezirk":
        row = await _one(app, m.Stadtbezirk, m.Stadtbezirk.code == "SB3")
        assert isinstance(row, m.Stadtbezirk)
        url, data = f"/admin/stadtbezirke/{row.id}", {"code": "SB3"}
    else:
        row = await _add_place(app, "Q06", "Park am Gatherhof")
        url, data = f"/admin/places/{row.id}", {"quartier_id": str(row.quartier_id)}
    assert (await form_post(admin, url, url, {**data, "version": "1", "name": "Erster Name"})).status_code == 303
    response = await form_post(admin, url, url, {**data, "version": "1", "name": "Zweiter Name"})
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text
    assert 'value="Erster Name"' in response.text


async def test_edit_to_a_taken_name_answers_422_next_to_the_field(app: Litestar, admin: AsyncClient) -> None:
    q04 = await _quartier(app, "Q04")
    url = f"/admin/quartiers/{q04.id}"
    data = {"version": "1", "code": "Q01", "name": "Süd", "stadtbezirk_id": str(q04.stadtbezirk_id)}
    response = await form_post(admin, url, url, data)
    assert response.status_code == 422
    assert 'id="f-code-error"' in response.text
    assert 'id="f-name-error"' in response.text
    assert 'value="Süd"' in response.text, "input is kept"
    assert (await _quartier(app, "Q04")).name == "Bleichpfad"


async def test_a_place_with_cases_stays_in_its_quartier(app: Litestar, admin: AsyncClient) -> None:
    place = await _add_place(app, "Q07", "Stahldorfer Markt")
    async with app.state["alchemy_config"].get_session() as session:
        session.add(
            m.Case(
                reference="KM-2026-9001",
                year=2026,
                sequence=9001,
                title="Lärm",
                quartier_id=place.quartier_id,
                place_id=place.id,
            )
        )
        await session.commit()
    url = f"/admin/places/{place.id}"
    page = await admin.get(url)
    assert "Zu diesem Ort gibt es 1 Fall;" in page.text
    q08 = await _quartier(app, "Q08")
    response = await form_post(admin, url, url, {"version": "1", "name": "Markt", "quartier_id": str(q08.id)})
    assert response.status_code == 422
    assert 'id="f-quartier_id-error"' in response.text
    renamed = await form_post(admin, url, url, {"version": "1", "name": "Markt", "quartier_id": str(place.quartier_id)})
    assert renamed.status_code == 303, "renaming is fine; only the move is refused"


async def test_unknown_records_answer_404(admin: AsyncClient) -> None:
    missing = UUID(int=7)
    for path in ("stadtbezirke", "quartiers", "places"):
        assert (await admin.get(f"/admin/{path}/{missing}")).status_code == 404


@pytest.mark.parametrize("role", [m.Role.COORDINATOR, m.Role.MEDIATOR, m.Role.ROUND_TABLE_MEMBER])
async def test_only_admins_reach_master_data(app: Litestar, client: AsyncClient, role: m.Role) -> None:
    await seed_master_data(app)
    await create_user(app, "someone@example.org", [role])
    await sign_in(client, "someone@example.org")
    q01 = await _quartier(app, "Q01")
    for path in (OVERVIEW, f"/admin/quartiers/{q01.id}", f"/admin/stadtbezirke/{q01.stadtbezirk_id}", "/admin/import"):
        assert (await client.get(path)).status_code == 403, path
    response = await form_post(
        client, "/account/tokens", "/admin/stadtbezirke", {"district_code": "SBX", "district_name": "X"}
    )
    assert response.status_code == 403
    assert await _one(app, m.Stadtbezirk, m.Stadtbezirk.code == "SBX") is None


async def test_a_duplicate_that_slips_past_the_checks_is_a_field_error(
    app: Litestar, admin: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if a concurrent save won the race: the constraint fires, the person gets a field error."""
    from konfliktmanagement.domain.quartiers import schemas
    from konfliktmanagement.domain.quartiers.master_data import MasterDataService
    from konfliktmanagement.lib.exceptions import ValidationFailed

    async def no_check(*_args: object, **_kwargs: object) -> None:
        return None

    district_id = (await _quartier(app, "Q01")).stadtbezirk_id
    monkeypatch.setattr(MasterDataService, "_check_district", no_check)
    async with MasterDataService.new(config=app.state["alchemy_config"]) as service:
        with pytest.raises(ValidationFailed) as failed:
            await service.create_stadtbezirk(schemas.StadtbezirkInput(code="SB1", name="Doppelt"))
        assert {error.field for error in failed.value.errors} == {"code", "name"}
        # The savepoint kept the transaction usable for the page that shows the error.
        assert (await service.get_stadtbezirk(district_id)).code == "SB1"
