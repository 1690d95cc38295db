"""The map of places and the quartier boundaries it draws (issue 15).

What a count on the map reveals: the number of cases at a place that the viewer may read, nothing
more. Every place is shown (places are master data every staff member chooses from), so a place where
only someone else's cases are shows 0 to a mediator — the same as their own case list would tell.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from uuid import UUID

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from sqlalchemy import select
from sqlalchemy.orm import undefer

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers.services import seed_boundaries
from tests.helpers import CaseTeam, api, create_user, csrf_from, field_error, seed_master_data, sign_in

pytestmark = pytest.mark.anyio

CANARY_TITLE = "Canary-Fall Kiosk 4471 vertraulich"
MARKER = re.compile(r'<a href="/places/([0-9a-f-]{36})" aria-label="([^"]*)"')
ROW = re.compile(r'<a href="/places/([0-9a-f-]{36})">[^<]*</a>.*?</th>\s*<td class="numeric"[^>]*>(\d+)</td>', re.S)


async def _place(app: Litestar, quartier_id: str, name: str, position: tuple[float, float] | None) -> str:
    latitude, longitude = position or (None, None)
    async with app.state["alchemy_config"].get_session() as session:
        place = m.Place(quartier_id=UUID(quartier_id), name=name, latitude=latitude, longitude=longitude)
        session.add(place)
        await session.commit()
        return str(place.id)


def _map(response: Response) -> tuple[dict[str, str], dict[str, int]]:
    """The markers (place id → accessible name) and the table's counts (place id → cases)."""
    assert response.status_code == 200, response.text
    page = response.text
    svg = page[page.index("<svg") : page.index("</svg>")]
    table = page[page.index("<table") : page.index("</table>")]
    return (
        {place: html.unescape(label) for place, label in MARKER.findall(svg)},
        {place: int(count) for place, count in ROW.findall(table)},
    )


async def test_the_map_counts_only_readable_cases_and_needs_no_outside_server(app: Litestar, team: CaseTeam) -> None:
    linden = await _place(app, team.quartier_id, "Lindenplatz", (51.3271, 6.5663))
    kiosk = await _place(app, team.quartier_id, "Kiosk am Wall", (51.3301, 6.5561))
    yard = await _place(app, team.quartier_id, "Hinterhof ohne Koordinaten", None)
    current = (await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}")).json()
    moved = await api(
        team.coordinator, "PATCH", f"/api/v1/cases/{team.case_id}", {"version": current["version"], "place_id": linden}
    )
    assert moved.status_code == 200, moved.text
    where = {"quartier_id": team.quartier_id}
    for client, title, place in (
        (team.coordinator, "Neue Beschwerde", linden),  # unassigned: the coordination's only
        (team.other_mediator, CANARY_TITLE, kiosk),  # another mediator's
        (team.other_mediator, "Zweiter Fall am Kiosk", kiosk),
    ):
        created = await api(client, "POST", "/api/v1/cases", {"title": title, "place_id": place, **where})
        assert created.status_code == 201, created.text

    coordinator = await team.coordinator.get("/places/map")
    markers, counts = _map(coordinator)
    assert markers == {linden: "Lindenplatz: 2 Fälle", kiosk: "Kiosk am Wall: 2 Fälle"}
    assert counts == {linden: 2, kiosk: 2, yard: 0}
    page = coordinator.text
    assert "ohne Koordinaten, nicht auf der Karte" in page
    assert page.count('class="map-quartier"') == len(seed_boundaries())  # the seed outlines
    assert "Innenstadt/St. Josef</text>" in page
    assert '<title id="map-title">' in page
    assert 'aria-labelledby="map-title map-desc"' in page
    assert "Sie sehen nur die Fälle" not in page
    # Offline: nothing on the page comes from or points to another host.
    assert not re.search(r"""(?:src|href|action|xlink:href)\s*=\s*["']?(?:[a-z]+:)?//""", page, re.I)
    assert not re.search(r"url\(|https?://", page, re.I)

    # The mediator: their own case only. The other mediator's place still shows, with 0.
    mediator = await team.mediator.get("/places/map")
    markers, counts = _map(mediator)
    assert markers == {linden: "Lindenplatz: 1 Fall", kiosk: "Kiosk am Wall: 0 Fälle"}
    assert counts == {linden: 1, kiosk: 0, yard: 0}
    assert "Sie sehen nur die Fälle, an denen Sie mitarbeiten" in mediator.text
    other = await team.other_mediator.get("/places/map")
    assert _map(other)[1] == {linden: 0, kiosk: 2, yard: 0}
    for response in (coordinator, mediator, other):
        assert CANARY_TITLE not in response.text  # counts only, never a case's title

    for client in (team.round_table, team.admin):
        refused = await client.get("/places/map")
        assert refused.status_code == 403
        assert "Lindenplatz" not in refused.text
    # Reached from the header, the place list and each place.
    assert 'href="/places/map"' in (await team.mediator.get("/places")).text
    assert f'href="/places/map#ort-{linden}"' in (await team.mediator.get(f"/places/{linden}")).text


def _feature(code: str, geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def _collection(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


async def _preview(admin: AsyncClient, content: bytes = b"", pasted: str = "") -> Response:
    token = csrf_from(await admin.get("/admin/import"))
    files = {"file": ("grenzen.geojson", content, "application/geo+json")}
    data = {"kind": "boundaries", "csv_text": pasted, "_csrf_token": token}
    return await admin.post("/admin/import", data=data, files=files)


async def _confirm(admin: AsyncClient, preview: Response) -> Response:
    fields = dict(re.findall(r'<input type="hidden" name="(kind|csv)" value="([^"]*)"', preview.text))
    assert set(fields) == {"kind", "csv"}, "the preview offers no import"
    parts = {name: (None, value) for name, value in {**fields, "_csrf_token": csrf_from(preview)}.items()}
    return await admin.post("/admin/import/apply", files=parts)


async def _outlines(app: Litestar) -> dict[str, tuple[dict[str, Any] | None, int]]:
    async with app.state["alchemy_config"].get_session() as session:
        quartiers = await session.scalars(select(m.Quartier).options(undefer(m.Quartier.boundary)))
        return {q.code: (q.boundary, q.version) for q in quartiers}


async def test_boundaries_are_imported_from_geojson_all_or_nothing(app: Litestar, client: AsyncClient) -> None:
    quartier_id, _conflict_type = await seed_master_data(app)
    await create_user(app, "admin@example.org", [m.Role.ADMIN])
    await sign_in(client, "admin@example.org")
    admin = client
    await _place(app, quartier_id, "Platz an St. Josef", (51.3271, 6.5663))
    seeds = seed_boundaries()
    before = await _outlines(app)
    assert before["Q02"][0] == seeds["Q02"]  # the seed quartiers come with their outlines
    smaller = {"type": "Polygon", "coordinates": [[[6.545, 51.322], [6.56, 51.322], [6.56, 51.339], [6.545, 51.322]]]}
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[6.55, 51.32], [6.56, 51.33], [6.56, 51.32], [6.55, 51.33], [6.55, 51.32]]],
    }

    # Broken features: each named with its reason, nothing written, no import offered.
    broken = await _preview(
        admin,
        _collection(
            _feature("Q01", smaller),
            _feature("Q99", seeds["Q02"]),
            _feature("Q03", bowtie),
            _feature("Q04", {"type": "Point", "coordinates": [6.55, 51.32]}),
            _feature("Q01", seeds["Q01"]),
        ),
    )
    assert broken.status_code == 422
    text = html.unescape(broken.text)
    assert "4 Features mit Fehlern – es wird nichts importiert" in text
    assert "Feature 2, Spalte code: Unbekanntes Quartier" in text
    assert "Feature 3, Spalte geometry: Die Grenze kreuzt sich selbst" in text
    assert "Feature 4, Spalte geometry: Nur Flächen sind möglich (Polygon oder MultiPolygon), nicht Point." in text
    assert "Feature 5, Spalte code: Doppelt in der Datei (auch in Feature 1)." in text
    assert 'name="csv"' not in broken.text
    # A file that is no GeoJSON at all: the form again, the reason next to the field it came from.
    for content, pasted, field in (
        (b'{"type": "FeatureCollection", "features": [}', "", "file"),
        (b"", "Q01;x", "csv_text"),
    ):
        refused = await _preview(admin, content, pasted)
        assert refused.status_code == 422
        assert "Kein gültiges JSON" in field_error(refused, field)
    assert await _outlines(app) == before

    # A valid file: one outline changed (a place now outside it is named), one unchanged.
    preview = await _preview(admin, _collection(_feature("Q01", smaller), _feature("Q02", seeds["Q02"])))
    assert preview.status_code == 200, preview.text
    text = html.unescape(preview.text)
    assert "Quartier Q01: Diese Orte liegen außerhalb der neuen Grenze: Platz an St. Josef." in text
    assert re.search(
        r"<td[^>]*>Polygon, 4 Punkte</td>\s*<td[^>]*>\s*<span class=\"badge badge-warning\">geändert", text
    )
    done = await _confirm(admin, preview)
    assert done.status_code == 303
    after = await _outlines(app)
    assert after["Q01"] == (smaller, before["Q01"][1] + 1)
    assert after["Q02"] == before["Q02"]
    assert after["Q03"] == before["Q03"]  # not in the file: kept
    again = await _preview(admin, _collection(_feature("Q01", smaller)))
    assert "Nichts zu importieren" in again.text
