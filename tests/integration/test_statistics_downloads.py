"""Published statistics as downloads and from the command line: only stored publications, nothing
that identifies a case or a party, and publishing twice refused (exit 1, German message)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from httpx import AsyncClient
from litestar import Litestar
from openpyxl import load_workbook
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.exports import XLSX
from konfliktmanagement.lib.settings import Settings
from tests.cli import run_cli
from tests.helpers import api, case_team
from tests.integration.test_statistics_publishing import YEAR, publish, seed_cases, stored

pytestmark = pytest.mark.anyio

CANARY = "Canary Statistik-Wróblewska 4417"
XLSX_CHECKED = {"faelle_quartier_konfliktgruppe", "faelle_ort"}


async def _counts(app: Litestar) -> tuple[int | None, int | None]:
    async with app.state["alchemy_config"].get_session() as session:
        return (
            await session.scalar(select(func.count()).select_from(m.StatisticsPublication)),
            await session.scalar(select(func.count()).select_from(m.PublishedCell)),
        )


async def test_downloads_serve_the_stored_publication_and_leak_nothing(
    app: Litestar, make_client: Callable[[], AsyncClient], client: AsyncClient
) -> None:
    team = await case_team(app, make_client)
    party = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/participations",
        {"party": {"kind": "person", "name": CANARY}, "role": "anliegend"},
    )
    assert party.status_code == 201, party.text
    pseudonym = party.json()["party"]["pseudonym"]
    async with app.state["alchemy_config"].get_session() as session:
        await session.execute(m.Case.__table__.update().values(year=YEAR))
        await session.commit()
    seeded = await seed_cases(app)
    await publish(app)
    async with app.state["alchemy_config"].get_session() as session:
        record_keys = set(await session.scalars(select(m.Case.record_key)))
        references = set(await session.scalars(select(m.Case.reference)))
    assert len(record_keys) == len(seeded) + 2

    # Anonymous: no statistics (public access is a later step).
    assert (await client.get("/api/v1/statistics")).status_code == 401

    listing = await api(team.round_table, "GET", "/api/v1/statistics")
    assert listing.status_code == 200, listing.text
    assert [p["table_code"] for p in listing.json()] == [spec.code for spec in c.CATALOGUE]
    outputs = [listing.text]
    for entry in listing.json():
        as_json = await api(team.round_table, "GET", entry["downloads"]["json"])
        as_csv = await api(team.round_table, "GET", entry["downloads"]["csv"])
        assert as_json.status_code == 200, as_json.text
        assert as_csv.status_code == 200, as_csv.text
        assert as_csv.headers["content-type"].startswith("text/csv")
        body = as_json.json()
        # The metadata is in the JSON (and on the XLSX's second sheet), not in the CSV.
        assert "müssen nicht mit der Summe der Einzelwerte übereinstimmen" in body["note"]
        assert body["method"] == c.METHOD
        assert body["period"] == str(YEAR)
        assert isinstance(body["provisional"], bool)
        assert len(body["ptable_sha256"]) == 64
        assert set(body["cells"][0]) == {"dimensions", "labels", "value", "display", "state"}
        assert "müssen nicht mit der Summe" not in as_csv.text
        # The CSV's first line is its header (after the byte-order mark that tells spreadsheets UTF-8).
        rows = list(csv.reader(io.StringIO(as_csv.text.removeprefix("\ufeff")), delimiter=";"))
        codes = [d["code"] for d in body["dimensions"]]
        assert rows[0] == [*(p for d in body["dimensions"] for p in (f"{d['code']}_code", d["label"])), "Wert"]
        assert len(rows) == len(body["cells"]) + 1  # the header and one row per cell
        assert not [row for row in rows if row[0].startswith("#")]
        outputs += [as_json.text, as_csv.text]
        if entry["table_code"] not in XLSX_CHECKED:  # the workbooks take long to build and read
            continue

        as_xlsx = await api(team.round_table, "GET", entry["downloads"]["xlsx"])
        assert as_xlsx.status_code == 200, as_xlsx.text
        assert as_xlsx.headers["content-type"] == XLSX
        assert 'filename="statistik-' in as_xlsx.headers["content-disposition"]
        book = load_workbook(io.BytesIO(as_xlsx.content))
        assert book.sheetnames == ["Daten", "Metadaten"]
        data = [[cell.value for cell in row] for row in book["Daten"].iter_rows()]
        assert data[0] == rows[0]
        assert len(data) == len(rows)
        for row, cell in zip(data[1:], body["cells"], strict=True):
            named = [part for code in codes for part in (cell["dimensions"][code], cell["labels"][code])]
            assert row[: 2 * len(codes)] == named
            assert row[-1] == (cell["value"] if cell["state"] == "veroeffentlicht" else cell["display"])
        assert any(isinstance(row[-1], int) for row in data[1:])  # numbers as numbers, not text
        facts = {row[0].value: row[1].value for row in book["Metadaten"].iter_rows()}
        assert facts["Zeitraum"] == str(YEAR)
        assert facts["Vorläufig"] == ("ja" if body["provisional"] else "nein")
        assert facts["Methode"] == c.METHOD
        assert facts["Hinweis"] == body["note"]
        assert facts["Überlagerungstabelle (SHA-256)"] == body["ptable_sha256"]
        texts = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        outputs += texts

    everything = "\n".join(outputs)
    for secret in (CANARY, pseudonym, *references, *(str(k) for k in record_keys)):
        assert secret not in everything, secret[:6]
    assert "record_key" not in everything
    assert "ck_int" not in everything

    assert (await api(team.round_table, "GET", f"/api/v1/statistics/{YEAR}/unbekannt.json")).status_code == 404
    assert (await api(team.round_table, "GET", "/api/v1/statistics/1999/faelle_quartier.csv")).status_code == 404
    assert (await api(team.round_table, "GET", f"/api/v1/statistics/{YEAR}/faelle_quartier.xml")).status_code == 404
    assert (await api(team.round_table, "GET", f"/api/v1/statistics/{YEAR}/faelle_quartier.ods")).status_code == 404


async def test_stored_cells_hold_only_published_values(app: Litestar) -> None:
    await seed_cases(app)
    await publish(app)
    columns = {column.name for column in m.PublishedCell.__table__.columns}
    assert columns == {
        "id",
        "publication_id",
        "position",
        "dimension_values",
        "dimension_labels",
        "value",
        "display",
        "state",
        "sa_orm_sentinel",
        "created_at",
        "updated_at",
    }
    durations = await stored(app, "dauer_stadt")
    assert abs((durations[("31_90",)].value or 0) - 26) <= 5  # the 26 closed cases, 45 days each
    assert durations[("ueber_180",)].value == 0


async def test_the_cli_publishes_once_and_refuses_the_second_time(app: Litestar, settings: Settings) -> None:
    await seed_cases(app)
    first = await run_cli(settings, ["statistics", "publish", "--period", str(YEAR), "--vorlaeufig"])
    assert first.returncode == 0, first.stderr
    assert "faelle_quartier" in first.stdout
    before = await _counts(app)
    assert before[0] == len(c.CATALOGUE)

    second = await run_cli(settings, ["statistics", "publish", "--period", str(YEAR), "--vorlaeufig"])
    assert second.returncode == 1
    assert "bereits veröffentlicht" in second.stderr
    assert await _counts(app) == before

    bad = await run_cli(settings, ["statistics", "publish", "--period", "letztes Jahr"])
    assert bad.returncode == 1
    assert "Zeitraum" in bad.stderr
