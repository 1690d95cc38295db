"""Place pages: a place's case history (only readable cases) and the list of places with counts."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select, update

from konfliktmanagement.db import models as m
from tests.helpers import CaseTeam, api

pytestmark = pytest.mark.anyio


async def _place(app: Litestar, quartier_id: str, name: str) -> str:
    async with app.state["alchemy_config"].get_session() as session:
        place = m.Place(quartier_id=UUID(quartier_id), name=name)
        session.add(place)
        await session.commit()
        return str(place.id)


async def _conflict_type(app: Litestar, code: str) -> str:
    async with app.state["alchemy_config"].get_session() as session:
        found = await session.scalar(select(m.ConflictType.id).where(m.ConflictType.code == code))
        assert found is not None, code
        return str(found)


async def _case(client: AsyncClient, title: str, **fields: object) -> str:
    response = await api(client, "POST", "/api/v1/cases", {"title": title, **fields})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _backdate(app: Litestar, case_id: str, year: int) -> None:
    """An older case: it came in that year (not settable through the API)."""
    async with app.state["alchemy_config"].get_session() as session:
        await session.execute(
            update(m.Case)
            .where(m.Case.id == UUID(case_id))
            .values(year=year, created_at=datetime(year, 6, 15, 10, tzinfo=UTC))
        )
        await session.commit()


@pytest.fixture
async def square(app: Litestar, team: CaseTeam) -> dict[str, str]:
    """A square with four cases: two of the team's mediator, one of another mediator, one unassigned."""
    place_id = await _place(app, team.quartier_id, "Lindenplatz")
    noise = team.conflict_type_id
    litter = await _conflict_type(app, "muell")
    where = {"quartier_id": team.quartier_id, "place_id": place_id}
    current = (await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}")).json()
    moved = await api(
        team.coordinator, "PATCH", f"/api/v1/cases/{team.case_id}", {"version": current["version"], **where}
    )
    assert moved.status_code == 200, moved.text
    own_old = await _case(team.mediator, "Lärm im Sommer", conflict_type_id=noise, **where)
    await _backdate(app, own_old, 2024)
    foreign = await _case(team.other_mediator, "Müll am Brunnen", conflict_type_id=litter, **where)
    unassigned = await _case(team.coordinator, "Neue Beschwerde", conflict_type_id=noise, **where)
    return {
        "place_id": place_id,
        "own": team.case_id,
        "own_old": own_old,
        "foreign": foreign,
        "unassigned": unassigned,
    }


def _history(page: str) -> str:
    return page[page.index('id="cases-heading"') :]


async def test_coordinator_sees_the_whole_history_newest_first(team: CaseTeam, square: dict[str, str]) -> None:
    response = await team.coordinator.get(f"/places/{square['place_id']}")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="de">' in page
    assert "<h1>Lindenplatz</h1>" in page
    history = _history(page)
    order = [history.index(square[k]) for k in ("unassigned", "foreign", "own", "own_old")]
    assert order == sorted(order), "newest first"
    assert "Sie sehen nur die Fälle" not in page
    # Recurring conflicts at a glance: noise three times in two years, litter once.
    assert re.search(
        r"<strong>Lärm</strong>:\s*3 Fälle\s*in 2 Jahren\s*<span class=\"badge badge-warning\">wiederkehrend", page
    )
    assert re.search(r"<strong>Müll/Verschmutzung</strong>:\s*1 Fall\s*in 1 Jahr\s*</li>", page)
    year_table = page[page.index("Fälle je Jahr und Konfliktart") : page.index('id="cases-heading"')]
    assert re.search(r'<th scope="row"[^>]*>2024</th>\s*<td class="numeric"[^>]*>1</td>', year_table)
    assert f'href="/cases?place_id={square["place_id"]}"' in page


async def test_mediator_sees_only_own_cases_at_the_place(team: CaseTeam, square: dict[str, str]) -> None:
    response = await team.mediator.get(f"/places/{square['place_id']}")
    assert response.status_code == 200
    page = response.text
    for visible in ("own", "own_old"):
        assert square[visible] in page
    for hidden in ("foreign", "unassigned"):
        assert square[hidden] not in page
    assert "Müll am Brunnen" not in page
    assert "Müll/Verschmutzung" not in page  # not even as a count
    assert re.search(r"<strong>Lärm</strong>:\s*2 Fälle", page)
    assert "Sie sehen nur die Fälle, an denen Sie mitarbeiten." in page

    other = await team.other_mediator.get(f"/places/{square['place_id']}")
    assert square["foreign"] in other.text
    assert square["own"] not in other.text


async def test_place_without_readable_cases_shows_an_empty_state(app: Litestar, team: CaseTeam) -> None:
    place_id = await _place(app, team.quartier_id, "Stiller Park")
    response = await team.mediator.get(f"/places/{place_id}")
    assert response.status_code == 200
    assert "An diesem Ort gibt es keine Fälle, die Sie sehen dürfen." in response.text


async def test_unknown_place_is_not_found(team: CaseTeam) -> None:
    response = await team.coordinator.get(f"/places/{uuid.uuid4()}")
    assert response.status_code == 404
    assert '<html lang="de">' in response.text


@pytest.mark.parametrize("who", ["round_table", "admin"])
async def test_round_table_members_and_admins_get_no_place_pages(
    team: CaseTeam, square: dict[str, str], who: str
) -> None:
    client = getattr(team, who)
    for url in (f"/places/{square['place_id']}", "/places"):
        response = await client.get(url)
        assert response.status_code == 403, url
        assert "Lindenplatz" not in response.text


async def test_places_list_counts_readable_cases(app: Litestar, team: CaseTeam, square: dict[str, str]) -> None:
    await _place(app, team.quartier_id, "Leerer Hof")
    row = re.compile(
        rf'<a href="/places/{square["place_id"]}">Lindenplatz</a></th>\s*'
        r'<td class="numeric"[^>]*>(\d+)</td>\s*<td class="numeric"[^>]*>(\d+)</td>'
    )
    coordinator = (await team.coordinator.get("/places")).text
    assert row.search(coordinator).groups() == ("4", "4")  # all four cases are open
    assert "Leerer Hof" not in coordinator  # only places with cases by default
    assert "Innenstadt/St. Josef" in coordinator  # grouped under the quartier

    mediator = (await team.mediator.get("/places")).text
    assert row.search(mediator).groups() == ("2", "2")

    everything = (await team.mediator.get("/places?alle=1")).text
    assert "Leerer Hof" in everything
    filtered = (await team.coordinator.get(f"/places?quartier_id={uuid.uuid4()}")).text
    assert "Lindenplatz" not in filtered
    assert "keine Orte mit Fällen" in filtered
    assert (await team.coordinator.get("/places?quartier_id=")).status_code == 200
