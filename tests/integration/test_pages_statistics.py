"""Statistics pages for signed-in users (KM_PUBLIC_STATISTICS off): German tables with their notes and
legend, SVG bar charts with text alternatives, downloads, the coordinator's publish button (refused
the second time with 409 and nothing changed, 403 for everyone else) and no identifying data."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from tests.helpers import api, case_team, count_statements, csrf_from, form_post
from tests.integration.test_statistics_publishing import YEAR, publish, seed_cases

pytestmark = pytest.mark.anyio

CANARY = "Canary Seitenstatistik-Kowalczyk 5521"
PERIOD = str(YEAR)


async def _counts(app: Litestar) -> tuple[int | None, int | None]:
    async with app.state["alchemy_config"].get_session() as session:
        return (
            await session.scalar(select(func.count()).select_from(m.StatisticsPublication)),
            await session.scalar(select(func.count()).select_from(m.PublishedCell)),
        )


async def test_pages_show_published_tables_with_charts_notes_and_legend(
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

    empty = await team.round_table.get("/statistics")
    assert empty.status_code == 200
    assert "noch keine Statistik veröffentlicht" in empty.text
    assert "Statistik veröffentlichen" not in empty.text  # the button is the coordinators'

    await seed_cases(app)
    await publish(app)

    # Anonymous visitors are sent to sign in (public statistics are off by default).
    anonymous = await client.get("/statistics")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=")
    assert (await client.get(f"/statistics/{PERIOD}/faelle_quartier")).status_code == 303

    outputs = []
    for viewer in (team.round_table, team.mediator, team.admin, team.coordinator):
        index = await viewer.get("/statistics")
        assert index.status_code == 200, index.text
        assert '<html lang="de">' in index.text
        assert 'href="/statistics"' in index.text  # the navigation item
        for spec in c.CATALOGUE:
            assert f'href="/statistics/{PERIOD}/{spec.code}"' in index.text
            assert f'href="/api/v1/statistics/{PERIOD}/{spec.code}.csv"' in index.text
            assert f'href="/api/v1/statistics/{PERIOD}/{spec.code}.json"' in index.text
            assert f'href="/api/v1/statistics/{PERIOD}/{spec.code}.xlsx"' in index.text
        outputs.append(index.text)

    for spec in c.CATALOGUE:
        page = await team.round_table.get(f"/statistics/{PERIOD}/{spec.code}")
        assert page.status_code == 200, (spec.code, page.text)
        html = page.text
        assert html.count("<h1") == 1
        # A wide table scrolls in a region keyboard users can focus, named by the table's caption.
        assert '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="table-caption">' in html
        assert '<caption id="table-caption">' in html
        assert '<th scope="col"' in html
        assert '<th scope="row"' in html
        assert "Sie müssen sich nicht zur Summe addieren" in html
        assert "müssen nicht mit der Summe der Einzelwerte übereinstimmen" in html  # the stored note
        assert "Legende" in html
        assert "„&lt;5“" in html
        assert "„.“" in html
        assert "Insgesamt" in html
        assert f'href="/api/v1/statistics/{PERIOD}/{spec.code}.csv"' in html
        assert f'href="/api/v1/statistics/{PERIOD}/{spec.code}.xlsx"' in html
        # The metadata is on the page (and in the JSON and the XLSX), no longer in the CSV.
        assert "Angaben zur Veröffentlichung" in html
        assert "Cell-Key-Methode (wie Destatis im Zensus 2022)" in html
        assert f"<dt>Zeitraum</dt><dd>{PERIOD}" in html
        assert "<script" not in html.split("</header>", 1)[-1]
        has_chart = spec.dimensions[0].code in {"quartier", "stadtbezirk", "quartal"}
        assert ('<svg role="img"' in html) is has_chart, spec.code
        if has_chart:
            svg = html[html.index("<svg") : html.index("</svg>")]
            assert re.search(r'aria-labelledby="chart-\w+-title chart-\w+-desc"', svg)
            assert '<title id="chart-' in svg
            assert '<desc id="chart-' in svg
            assert "Dieselben Werte stehen in der Tabelle" in svg
            assert "<rect" in svg
            # Two dimensions: grouped bars, a heading per group, every bar named, the colours explained
            # (one bar per group when the rules withheld the whole breakdown, "." under small parents).
            grouped = 'class="chart-heading"' in svg
            assert not grouped or len(spec.dimensions) > 1
            assert grouped or len(spec.dimensions) == 1 or any(d.breakdown for d in spec.dimensions), spec.code
            assert ('class="chart-legend"' in html) is grouped, spec.code
            if grouped:
                assert "Gruppiertes Balkendiagramm" in svg
                assert "chart-series-1" in html  # the legend (a bar may be withheld)
                assert svg.count('class="chart-label"') > svg.count('class="chart-heading"')
        outputs.append(html)

    # A sensitive table shows small values as "<5" and breakdowns under small parents as ".".
    sensitive = await team.round_table.get(f"/statistics/{PERIOD}/ergebnis_stadtbezirk_konfliktart")
    assert '<abbr title="nicht veröffentlicht">.</abbr>' in sensitive.text

    quartier = await team.round_table.get(f"/statistics/{PERIOD}/faelle_quartier")
    async with app.state["alchemy_config"].get_session() as session:
        names = list(await session.scalars(select(m.Quartier.name)))
        record_keys = {str(k) for k in await session.scalars(select(m.Case.record_key))}
        references = set(await session.scalars(select(m.Case.reference)))
    assert any(name in quartier.text for name in names)

    everything = "\n".join(outputs)
    for secret in (CANARY, pseudonym, *references):
        assert secret not in everything, secret[:6]
    for key in record_keys:
        assert not re.search(rf"(?<!\d){key}(?!\d)", everything), "a record key leaked"
    assert "record_key" not in everything

    assert (await team.round_table.get(f"/statistics/{PERIOD}/unbekannt")).status_code == 404
    assert (await team.round_table.get("/statistics/1999/faelle_quartier")).status_code == 404


async def test_coordinator_publishes_once_and_a_second_publish_is_refused(
    app: Litestar, make_client: Callable[[], AsyncClient]
) -> None:
    team = await case_team(app, make_client)
    await seed_cases(app)
    page = await team.coordinator.get("/statistics")
    assert "Statistik veröffentlichen" in page.text
    assert 'action="/statistics/publish"' in page.text

    bad = await form_post(team.coordinator, "/statistics", "/statistics/publish", {"period": "20x6"})
    assert bad.status_code == 422
    assert 'id="f-period-error"' in bad.text
    assert "Der Zeitraum ist ein Jahr" in bad.text
    assert 'value="20x6"' in bad.text
    assert await _counts(app) == (0, 0)

    done = await form_post(
        team.coordinator, "/statistics", "/statistics/publish", {"period": PERIOD, "provisional": "on"}
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/statistics"
    after = await team.coordinator.get("/statistics")
    assert f"Die Statistik für {PERIOD} ist veröffentlicht" in after.text
    assert f"Jahr {PERIOD}" in after.text
    counts = await _counts(app)
    assert counts[0] == len(c.CATALOGUE)
    async with app.state["alchemy_config"].get_session() as session:
        creators = set(await session.scalars(select(m.StatisticsPublication.created_by_id)))
    assert creators == {team.coordinator_user.id}

    again = await form_post(
        team.coordinator, "/statistics", "/statistics/publish", {"period": PERIOD, "provisional": "on"}
    )
    assert again.status_code == 409
    assert 'id="f-period-error"' in again.text
    assert f"Die Statistik für {PERIOD} ist bereits veröffentlicht" in again.text
    assert await _counts(app) == counts

    # The table pages serve what the button stored.
    table = await team.mediator.get(f"/statistics/{PERIOD}/faelle_quartier")
    assert table.status_code == 200


async def test_only_coordinators_may_publish(app: Litestar, make_client: Callable[[], AsyncClient]) -> None:
    team = await case_team(app, make_client)
    for viewer in (team.mediator, team.round_table, team.admin):
        page = await viewer.get("/statistics")
        assert page.status_code == 200
        assert 'action="/statistics/publish"' not in page.text
        token = csrf_from(page)  # the sign-out form's token
        refused = await viewer.post("/statistics/publish", data={"period": PERIOD, "_csrf_token": token})
        assert refused.status_code == 403
    assert await _counts(app) == (0, 0)


async def test_table_page_lays_out_a_publication_once(app: Litestar, make_client: Callable[[], AsyncClient]) -> None:
    """The second view of a table reads the publication row only, not its cells, and shows the same table."""

    team = await case_team(app, make_client)
    await seed_cases(app)
    await publish(app)
    path = f"/statistics/{PERIOD}/faelle_quartier_konfliktgruppe"
    tables = []
    for _ in range(2):
        with count_statements(app.state["alchemy_config"].get_engine()) as statements:
            page = await team.round_table.get(path)
        assert page.status_code == 200, page.text
        tables.append((page.text[page.text.index("<table") : page.text.index("</table>")], statements))
    (first, first_statements), (second, second_statements) = tables
    assert any("FROM statistics_cell" in s for s in first_statements)
    assert not any("FROM statistics_cell" in s for s in second_statements)
    assert len(second_statements) == len(first_statements) - 1
    assert second == first
    assert first.count("<tr") > 10
