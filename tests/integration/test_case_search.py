"""Search, sortable lists and the CSV export of cases (issue 15), on both databases.

One scenario per concern, each on the module's shared app: German stems and prefixes, the permission
filter, the canary party's name never searchable, an exact reference straight to the case, the index
kept current, column sorting, the CSV's content and who may download it.
"""

from __future__ import annotations

import csv
import io
from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.privacy import erasure
from tests.helpers import CaseTeam, api
from tests.integration.test_pages_crawl import NAME as CANARY_NAME

pytestmark = pytest.mark.anyio


async def _case(client: AsyncClient, title: str, description: str | None = None) -> dict[str, object]:
    created = await api(client, "POST", "/api/v1/cases", {"title": title, "description": description})
    assert created.status_code == 201, created.text
    body: dict[str, object] = created.json()
    return body


async def _found(client: AsyncClient, query: str, **params: str) -> list[str]:
    response = await client.get("/api/v1/cases", params={"q": query, **params})
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def _seed(team: CaseTeam) -> dict[str, dict[str, object]]:
    """Besides the team's case ("Lärm am Platz", assigned to `team.mediator`): three of the coordination's."""
    cases = {
        "noise": await _case(team.coordinator, "Lärmbelästigung im Hof", "Wiederholte Belästigungen nachts"),
        "children": await _case(team.coordinator, "Kinderlärm auf dem Spielplatz"),
        "formula": await _case(team.coordinator, "=HYPERLINK(1) Müll am Kiosk"),
    }
    canary = {"party": {"kind": "person", "name": CANARY_NAME}, "role": "anliegend"}
    party = await api(team.coordinator, "POST", f"/api/v1/cases/{cases['noise']['id']}/participations", canary)
    assert party.status_code == 201, party.text
    cases["noise"]["alias"] = party.json()["alias"]
    cases["noise"]["pseudonym"] = party.json()["party"]["pseudonym"]
    return cases


async def test_search_stems_permissions_references_and_the_index_kept_current(app: Litestar, team: CaseTeam) -> None:
    cases = await _seed(team)
    coordinator, mediator = team.coordinator, team.mediator
    # A query word is a prefix of a stem: "Lärm" finds "Lärmbelästigung", not the compound "Kinderlärm".
    assert sorted(await _found(coordinator, "Lärm")) == ["Lärm am Platz", "Lärmbelästigung im Hof"]
    # Compounds are not split: "Lärmbelästigung" does not find a case that says only "Lärm".
    assert await _found(coordinator, "lärmbelästigung") == ["Lärmbelästigung im Hof"]
    # German stems: the plural in the description, the singular asked (and the other way round).
    assert await _found(coordinator, "Belästigung") == ["Lärmbelästigung im Hof"]
    assert await _found(coordinator, "Spielplätze") == ["Kinderlärm auf dem Spielplatz"]
    # Every word must match; function words are ignored.
    assert await _found(coordinator, "Lärm im Hof") == ["Lärmbelästigung im Hof"]
    assert await _found(coordinator, "der die das") == []
    # Quartier and party alias/pseudonym are searchable; the party's name never is.
    assert await _found(coordinator, "Lärm St. Josef") == ["Lärm am Platz"]
    assert await _found(coordinator, str(cases["noise"]["pseudonym"])) == ["Lärmbelästigung im Hof"]
    for part in CANARY_NAME.replace("-", " ").split():
        assert await _found(coordinator, part) == [], part
    # Only readable cases: the assigned mediator finds their case, another mediator nothing.
    assert await _found(mediator, "Lärm") == ["Lärm am Platz"]
    assert await _found(team.other_mediator, "Lärm") == []
    page = await mediator.get("/cases", params={"q": "Lärm"})
    assert page.status_code == 200
    assert "Lärm am Platz" in page.text
    assert "Lärmbelästigung" not in page.text
    assert (await team.round_table.get("/api/v1/cases", params={"q": "Lärm"})).status_code == 403

    noise = cases["noise"]
    reference = str(noise["reference"])
    # The header's search: an exact reference (any case) opens the case when it is readable.
    found = await team.coordinator.get("/cases", params={"q": reference.lower()})
    assert found.status_code == 303
    assert found.headers["location"] == f"/cases/{noise['id']}"
    assert await _found(team.coordinator, reference) == ["Lärmbelästigung im Hof"]
    unreadable = await team.mediator.get("/cases", params={"q": reference})
    assert unreadable.status_code == 200
    assert "Lärmbelästigung" not in unreadable.text
    # The header carries the search field for the case team (with a label), not for others.
    assert 'role="search"' in unreadable.text
    assert 'for="site-search-q"' in unreadable.text
    assert 'class="site-search"' not in (await team.round_table.get("/account/tokens")).text
    # A changed title is found at once (the index is written in the same transaction).
    revised = await api(
        team.coordinator, "PATCH", f"/api/v1/cases/{noise['id']}", {"title": "Ruhestörung", "version": noise["version"]}
    )
    assert revised.status_code == 200, revised.text
    assert await _found(team.coordinator, "Ruhestörungen") == ["Ruhestörung"]
    assert await _found(team.coordinator, "Lärmbelästigung") == []
    # The party's alias stays searchable with the new title (and only the alias of that case).
    assert await _found(team.coordinator, f"Ruhe {noise['alias']}") == ["Ruhestörung"]
    # Erasing the case's texts (a bulk update, as the retention job does it) erases them from the index.
    async with app.state["alchemy_config"].get_session() as session:
        await erasure.case_texts(session, [UUID(str(noise["id"]))], apply=True)
        await session.commit()
        body = await session.scalar(select(m.CaseSearch.body).where(m.CaseSearch.case_id == UUID(str(noise["id"]))))
    assert body is not None
    assert "Ruhestörung" not in body
    assert await _found(team.coordinator, "Ruhestörung") == []
    assert await _found(team.coordinator, str(noise["pseudonym"])) == [""]


async def test_sorting_and_the_csv_export(team: CaseTeam) -> None:
    cases = await _seed(team)
    titles = ["=HYPERLINK(1) Müll am Kiosk", "Kinderlärm auf dem Spielplatz", "Lärm am Platz", "Lärmbelästigung im Hof"]
    ascending = await team.coordinator.get("/api/v1/cases", params={"sort": "title"})
    assert [i["title"] for i in ascending.json()["items"]] == titles
    descending = await team.coordinator.get("/api/v1/cases", params={"sort": "title", "order": "desc"})
    assert [i["title"] for i in descending.json()["items"]] == titles[::-1]
    assert (await team.coordinator.get("/api/v1/cases", params={"sort": "name"})).status_code == 400
    by_reference = await team.coordinator.get("/api/v1/cases", params={"sort": "reference", "order": "desc"})
    references = [i["reference"] for i in by_reference.json()["items"]]
    assert references == sorted(references, reverse=True)
    # The page: links in the headers, aria-sort on the sorted column, the other way round offered.
    page = await team.coordinator.get("/cases", params={"sort": "title", "order": "desc", "q": "Lärm"})
    assert (
        '<th scope="col" aria-sort="descending"><a href="/cases?q=L%C3%A4rm&amp;sort=title&amp;order=asc' in page.text
    )
    assert page.text.index("Lärmbelästigung im Hof") < page.text.index("Lärm am Platz")
    mine = await team.mediator.get("/cases/mine", params={"sort": "title", "order": "desc"})
    assert mine.status_code == 200
    assert 'aria-sort="descending"' in mine.text
    # The CSV: the list as shown (search and sort), header first, pseudonyms only, cells neutralised.
    download = await team.coordinator.get("/cases/export.csv", params={"sort": "title"})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Aktenzeichen", "Titel", "Status"]
    assert [row[1] for row in rows[1:]] == ["'" + titles[0], *titles[1:]]
    noise_row = next(row for row in rows if row[1] == "Lärmbelästigung im Hof")
    assert noise_row[9] == f"{cases['noise']['alias']} ({cases['noise']['pseudonym']})"
    assert CANARY_NAME not in download.text
    assert "Wieczorek" not in download.text
    searched = await team.coordinator.get("/cases/export.csv", params={"q": "Lärm", "sort": "title", "order": "desc"})
    assert [row[1] for row in csv.reader(io.StringIO(searched.text), delimiter=";")][1:] == titles[:1:-1]
    # Mediators (and everyone else) may not download lists.
    assert (await team.mediator.get("/cases/export.csv")).status_code == 403
    assert (await team.round_table.get("/cases/export.csv")).status_code == 403
