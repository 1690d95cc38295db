"""Publishing the statistics catalogue on the real database: perturbed, complete grids, consistent
values for the same set of cases, the publication rules, one SQL statement per table, frozen."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import event, func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers.services import ensure_seed_quartiers
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.publishing import StatisticsService, compute_table, load_code_lists
from konfliktmanagement.domain.statistics.queries import StatisticsQuery
from konfliktmanagement.lib.exceptions import Conflict

pytestmark = pytest.mark.anyio
YEAR = 2026
_sequence = iter(range(1000, 10**6))  # clear of cases created through the API


@dataclass(frozen=True)
class Seeded:
    quartier: str
    stadtbezirk: str
    conflict_type: str
    outcome: str | None
    status: str
    record_key: int
    place: str | None = None  # "<quartier code>/<place name>"
    items: int = 0  # agreement items (all "umgesetzt")
    requests: int = 0  # administration requests (all "eingereicht")


# (quartier, conflict type, status, outcome, how many): Q01 is big, Q03 small, Q05 single cases.
PLAN: tuple[tuple[str, str, str, str | None, int], ...] = (
    ("Q01", "laerm", "abgeschlossen", "einigung_vollstaendig", 12),
    ("Q01", "laerm", "in_mediation", None, 6),
    ("Q01", "muell", "archiviert", "keine_einigung", 4),
    ("Q02", "nachbarschaft", "eingestellt", None, 7),
    ("Q03", "alkohol_drogen", "abgeschlossen", "einigung_teilweise", 3),
    ("Q05", "verkehr_parken", "eingegangen", None, 1),
)
# The places of the seeded cases (by quartier and conflict type): 18 cases at one place in Q01, 3 in Q03.
PLACES = {("Q01", "laerm"): "Marktplatz", ("Q03", "alkohol_drogen"): "Parkbank am Weiher"}


async def seed_cases(app: Litestar, plan: tuple[tuple[str, str, str, str | None, int], ...] = PLAN) -> list[Seeded]:
    """Cases of YEAR straight into the database (the statistics read only these columns)."""
    seeded = []
    async with app.state["alchemy_config"].get_session() as session:
        await ensure_seed_quartiers(session)
        quartiers = {q.code: q for q in await session.scalars(select(m.Quartier))}
        districts = {d.id: d.code for d in await session.scalars(select(m.Stadtbezirk))}
        types = {t.code: t.id for t in await session.scalars(select(m.ConflictType))}
        received = datetime(YEAR, 2, 10, 9, 0, tzinfo=UTC)
        places: dict[str, m.Place] = {}
        for (quartier, _), name in PLACES.items():
            place = await session.scalar(
                select(m.Place).where(m.Place.quartier_id == quartiers[quartier].id, m.Place.name == name)
            )
            if place is None:
                place = m.Place(quartier_id=quartiers[quartier].id, name=name)
                session.add(place)
                await session.flush()
            places[quartier] = place
        for quartier, conflict_type, status, outcome, count in plan:
            place_name = PLACES.get((quartier, conflict_type))
            place_id = places[quartier].id if place_name else None
            for _ in range(count):
                sequence = next(_sequence)
                closed = status in {"abgeschlossen", "eingestellt", "archiviert"}
                case = m.Case(
                    reference=f"KM-{YEAR}-{sequence:05d}",
                    year=YEAR,
                    sequence=sequence,
                    title="Statistikfall",
                    status=status,
                    outcome=outcome,
                    quartier_id=quartiers[quartier].id,
                    conflict_type_id=types[conflict_type],
                    created_at=received,
                    closed_at=received + timedelta(days=45) if closed else None,
                    place_id=place_id,
                )
                session.add(case)
                await session.flush()
                items = requests = 0
                if outcome == "einigung_vollstaendig":
                    agreement = m.Agreement(case_id=case.id, title="Vereinbarung", follow_up_result="traegt")
                    session.add(agreement)
                    await session.flush()
                    session.add(
                        m.AgreementItem(
                            agreement_id=agreement.id,
                            position=1,
                            responsible="Hausverwaltung",
                            action="Aushang",
                            status="umgesetzt",
                        )
                    )
                    items = 1
                if status == "in_mediation":
                    for _ in range(2):
                        session.add(
                            m.AdministrationRequest(
                                case_id=case.id,
                                department="Grünflächenamt",
                                subject="Mülleimer",
                                status="eingereicht",
                            )
                        )
                    requests = 2
                    session.add(
                        m.MediationSession(
                            case_id=case.id, kind="gemeinsame_sitzung", status="durchgefuehrt", held_at=received
                        )
                    )
                seeded.append(
                    Seeded(
                        quartier,
                        districts[quartiers[quartier].stadtbezirk_id],
                        conflict_type,
                        outcome,
                        status,
                        case.record_key,
                        f"{quartier}/{place_name}" if place_name else None,
                        items,
                        requests,
                    )
                )
        # A case of another year never counts.
        sequence = next(_sequence)
        session.add(
            m.Case(
                reference=f"KM-2025-{sequence:05d}",
                year=2025,
                sequence=sequence,
                title="Vorjahr",
                quartier_id=quartiers["Q01"].id,
            )
        )
        await session.commit()
    return seeded


async def publish(app: Litestar, period: str = str(YEAR)) -> list[m.StatisticsPublication]:
    async with app.state["alchemy_config"].get_session() as session:
        # YEAR may be the current year: then only as provisional (meaningless for a past year).
        publications = await StatisticsService(session).publish(period, provisional=True)
        await session.commit()
        return publications


async def stored(app: Litestar, table_code: str) -> dict[tuple[str, ...], m.PublishedCell]:
    async with app.state["alchemy_config"].get_session() as session:
        publication = await StatisticsQuery(session).publication(str(YEAR), table_code)
        codes = [d["code"] for d in publication.dimensions]
        return {tuple(cell.dimension_values[d] for d in codes): cell for cell in publication.cells}


async def test_every_table_is_a_complete_grid_of_perturbed_values_near_the_true_count(app: Litestar) -> None:
    seeded = await seed_cases(app)
    publications = await publish(app)
    assert [p.table_code for p in publications] == [spec.code for spec in c.CATALOGUE]

    quartiers = await stored(app, "faelle_quartier")
    truth = Counter(s.quartier for s in seeded)
    assert len(quartiers) == 8 + 1 + 1  # eight quartiers, "ohne Angabe", the total
    for (quartier,), cell in quartiers.items():
        n = len(seeded) if quartier == c.TOTAL else truth.get(quartier, 0)
        assert cell.value is not None
        assert abs(cell.value - n) <= 5
        assert cell.value not in {1, 2}
        if n == 0:
            assert cell.value == 0
            assert cell.display == "0"

    grouped = await stored(app, "faelle_quartier_konfliktgruppe")
    assert len(grouped) == (8 + 1 + 1) * (4 + 1 + 1)  # every combination, "ohne Angabe" and margins
    assert grouped[("Q08", "laerm_nachbarschaft")].value == 0
    for publication in publications:
        assert "müssen nicht mit der Summe der Einzelwerte übereinstimmen" in publication.note
        assert publication.period == str(YEAR)
        assert len(publication.ptable_sha256) == 64


async def test_the_same_set_of_cases_gives_the_same_value_in_every_table(app: Litestar) -> None:
    await seed_cases(app)
    await publish(app)
    quartier = await stored(app, "faelle_quartier")
    grouped = await stored(app, "faelle_quartier_konfliktgruppe")
    by_outcome = await stored(app, "ergebnis_stadtbezirk_konfliktart")
    by_quarter = await stored(app, "ergebnis_stadt_quartal")
    durations = await stored(app, "dauer_stadt")
    sessions = await stored(app, "sitzungen_stadt")
    # A quartier's total in two tables (Q01: 22 cases).
    assert quartier[("Q01",)].value == grouped[("Q01", c.TOTAL)].value
    # The city's total in every table over all cases.
    city = quartier[(c.TOTAL,)].value
    assert city is not None
    assert city == grouped[(c.TOTAL, c.TOTAL)].value == by_outcome[(c.TOTAL, c.TOTAL, c.TOTAL)].value
    assert city == by_quarter[(c.TOTAL, c.TOTAL, c.TOTAL)].value == durations[(c.TOTAL,)].value
    assert city == sessions[(c.TOTAL,)].value
    # All cases were received in the first quarter: the same set as the year.
    assert by_quarter[("q1", c.TOTAL, c.TOTAL)].value == city
    # "Lärm" in the city, two tables; and Lärm in Q01 as a group (the same 18 cases).
    assert by_outcome[(c.TOTAL, "laerm", c.TOTAL)].value == by_quarter[(c.TOTAL, "laerm", c.TOTAL)].value
    assert by_outcome[(c.TOTAL, "laerm", c.TOTAL)].value == grouped[("Q01", "laerm_nachbarschaft")].value


async def test_the_publication_rules_work_on_the_perturbed_values(app: Litestar) -> None:
    await seed_cases(app)
    await publish(app)
    by_outcome = await stored(app, "ergebnis_stadtbezirk_konfliktart")
    for key, cell in by_outcome.items():
        parent = (*key[:2], c.TOTAL)
        if key[2] != c.TOTAL and by_outcome[parent].value is not None and by_outcome[parent].value < 10:
            assert (cell.display, cell.value, cell.state) == (".", None, "gesperrt"), key
        elif key[2] != c.TOTAL and by_outcome[parent].value is None:  # a parent shown as "<5"
            assert cell.display == "."
        elif cell.state == "kleiner_5":
            assert cell.display == "<5"
            assert cell.value is None
        else:
            assert cell.value is not None
            assert not 0 < cell.value < 5, key  # a sensitive table shows no small numbers
            assert cell.display == str(cell.value)
    # Q03's three cases (Stadtbezirk SB2): n' <= 8, so "0", "<5" or a number >= 5; children withheld.
    small = by_outcome[("SB2", c.TOTAL, c.TOTAL)]
    assert small.display in {"0", "<5"} or (small.value is not None and small.value >= 5)
    assert by_outcome[("SB2", "alkohol_drogen", "einigung_teilweise")].display == "."
    # The city-level quarter table is not sensitive: small numbers stand, but breakdowns need a parent >= 10.
    by_quarter = await stored(app, "ergebnis_stadt_quartal")
    assert all(cell.display != "<5" for cell in by_quarter.values())
    laerm_q1 = by_quarter[("q1", "laerm", c.TOTAL)]
    assert laerm_q1.value is not None
    assert laerm_q1.value >= 10  # 18 cases
    assert by_quarter[("q1", "laerm", "einigung_vollstaendig")].state == "veroeffentlicht"
    # Agreements that hold: the 12 cases with an agreement, all in SB1, all "trägt".
    follow_up = await stored(app, "nachbetreuung_stadtbezirk")
    sb1 = follow_up[("SB1", c.TOTAL)].value
    assert sb1 is not None
    assert abs(sb1 - 12) <= 5
    assert follow_up[("SB2", c.TOTAL)].display == "0"
    assert follow_up[("SB2", "traegt")].display == "."
    assert follow_up[("SB1", "nicht")].display in {"0", "."}


async def test_publishing_twice_is_refused_and_changes_nothing(app: Litestar) -> None:
    await seed_cases(app)
    await publish(app)

    async def snapshot() -> tuple[Any, ...]:
        async with app.state["alchemy_config"].get_session() as session:
            publications = await session.scalar(select(func.count()).select_from(m.StatisticsPublication))
            cells = await session.scalar(select(func.count()).select_from(m.PublishedCell))
            values = list(await session.execute(select(m.PublishedCell.id, m.PublishedCell.display)))
            return publications, cells, sorted(values)

    before = await snapshot()
    await seed_cases(app, (("Q02", "laerm", "eingegangen", None, 5),))
    with pytest.raises(Conflict, match="bereits veröffentlicht"):
        await publish(app)
    assert await snapshot() == before
    assert before[0] == len(c.CATALOGUE)


async def test_a_bad_period_is_refused(app: Litestar) -> None:
    from konfliktmanagement.lib.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        await publish(app, "2026-Q1")


async def test_each_table_is_one_sql_statement(app: Litestar, backend: str) -> None:
    await seed_cases(app)
    engine = app.state["alchemy_config"].get_engine()
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    async with app.state["alchemy_config"].get_session() as session:
        service = StatisticsService(session)
        code_lists = await load_code_lists(session)
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            for spec in c.CATALOGUE:
                statements.clear()
                cells = await compute_table(session, spec, YEAR, code_lists, service.ptable)
                assert len(statements) == 1, (spec.code, len(statements))
                keyword = "GROUPING SETS" if backend == "postgresql" else "UNION ALL"
                assert keyword in statements[0].upper()
                assert cells
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)


# -- the round-table tables: status groups, places, agreement items, administration requests ---------


def _status_group(status: str) -> str:
    return next(group for group, _, statuses in c.STATUS_GROUPS if status in statuses)


def _records_of(table_code: str, seeded: list[Seeded]) -> list[tuple[str, ...]]:
    """The plain records of a table, counted in Python from what was seeded."""
    if table_code == "faelle_quartier_status":
        return [(s.quartier, _status_group(s.status)) for s in seeded]
    if table_code == "faelle_ort":
        return [(s.place or c.UNKNOWN,) for s in seeded]
    if table_code == "vereinbarungspunkte_quartier":
        return [(s.quartier, "umgesetzt") for s in seeded for _ in range(s.items)]
    assert table_code == "verwaltungsanliegen_quartier"
    return [(s.quartier, "eingereicht") for s in seeded for _ in range(s.requests)]


def _plain_count(key: tuple[str, ...], records: list[tuple[str, ...]]) -> int:
    return sum(all(k in {c.TOTAL, v} for k, v in zip(key, record, strict=True)) for record in records)


def check_published(table_code: str, cells: dict[tuple[str, ...], m.PublishedCell], seeded: list[Seeded]) -> None:
    """Every cell against a plain count: within ±5, never 1 or 2, 0 stays 0, and the rules."""
    spec = c.BY_CODE[table_code]
    records = _records_of(table_code, seeded)
    for key, cell in cells.items():
        n = _plain_count(key, records)
        if cell.state == "veroeffentlicht":
            assert cell.value is not None
            assert cell.display == str(cell.value)
            assert abs(cell.value - n) <= 5, (key, n, cell.value)
            assert cell.value not in {1, 2}, key
            if n == 0:
                assert (cell.value, cell.display) == (0, "0"), key
            if spec.sensitive:
                assert not 0 < cell.value < 5, key
        elif cell.state == "kleiner_5":
            assert spec.sensitive
            assert (cell.display, cell.value) == ("<5", None)
            assert 0 < n < 10, key  # 0 < n' < 5 and |n' − n| <= 5
        else:
            assert cell.state == "gesperrt"
            assert (cell.display, cell.value) == (".", None)
            index = next(i for i, d in enumerate(spec.dimensions) if d.breakdown and key[i] != c.TOTAL)
            parent = cells[(*key[:index], c.TOTAL, *key[index + 1 :])]
            assert parent.value is None or parent.value < 10, key


async def test_cases_per_quartier_and_status_group(app: Litestar) -> None:
    seeded = await seed_cases(app)
    await publish(app)
    cells = await stored(app, "faelle_quartier_status")
    assert len(cells) == (8 + 1 + 1) * (4 + 1 + 1)
    check_published("faelle_quartier_status", cells, seeded)
    # The same 22 cases of Q01 as in the quartier table; its 16 closed ones are published (parent >= 10).
    quartier = await stored(app, "faelle_quartier")
    assert cells[("Q01", c.TOTAL)].value == quartier[("Q01",)].value
    assert cells[("Q01", "beendet")].state == "veroeffentlicht"
    assert (cells[("Q01", "beendet")].value or 0) >= 11
    # Nothing in Q08: 0, and its breakdown is withheld under a parent of 0.
    assert cells[("Q08", c.TOTAL)].display == "0"
    assert cells[("Q08", "neu")].display == "."
    # Q05's single new case: "0", "<5" or >= 5 (sensitive), and its breakdown withheld (parent < 10).
    single = cells[("Q05", c.TOTAL)]
    assert single.display in {"0", "<5"} or (single.value or 0) >= 5
    assert cells[("Q05", "neu")].display == "."
    assert "„<5“" in c.note_for(c.BY_CODE["faelle_quartier_status"])


async def test_cases_per_place(app: Litestar) -> None:
    seeded = await seed_cases(app)
    await publish(app)
    cells = await stored(app, "faelle_ort")
    assert set(cells) == {("Q01/Marktplatz",), ("Q03/Parkbank am Weiher",), (c.UNKNOWN,), (c.TOTAL,)}
    check_published("faelle_ort", cells, seeded)
    assert all(cell.state == "veroeffentlicht" for cell in cells.values())  # not sensitive, no breakdown
    # The Marktplatz's 18 cases are exactly the city's "Lärm" cases: the same set, the same n'.
    by_outcome = await stored(app, "ergebnis_stadtbezirk_konfliktart")
    assert cells[("Q01/Marktplatz",)].value == by_outcome[(c.TOTAL, "laerm", c.TOTAL)].value
    assert cells[("Q01/Marktplatz",)].dimension_labels["ort"].startswith("Marktplatz (")  # with its quartier
    # The city's total over all cases, as in every case table.
    quartier = await stored(app, "faelle_quartier")
    assert cells[(c.TOTAL,)].value == quartier[(c.TOTAL,)].value


async def test_agreement_items_per_quartier_and_status(app: Litestar) -> None:
    seeded = await seed_cases(app)
    await publish(app)
    cells = await stored(app, "vereinbarungspunkte_quartier")
    assert len(cells) == (8 + 1 + 1) * (len(c.ITEM_STATUSES) + 1 + 1)
    check_published("vereinbarungspunkte_quartier", cells, seeded)
    q01 = cells[("Q01", c.TOTAL)].value
    assert q01 is not None
    assert abs(q01 - 12) <= 5
    assert cells[("Q02", c.TOTAL)].display == "0"
    assert cells[("Q02", "offen")].display == "."
    assert cells[("Q01", "offen")].display in {"0", "."}
    assert "Vereinbarungspunkte" in c.note_for(c.BY_CODE["vereinbarungspunkte_quartier"])


async def test_administration_requests_per_quartier_and_status(app: Litestar) -> None:
    seeded = await seed_cases(app)
    await publish(app)
    cells = await stored(app, "verwaltungsanliegen_quartier")
    assert len(cells) == (8 + 1 + 1) * (len(c.REQUEST_STATUSES) + 1 + 1)
    check_published("verwaltungsanliegen_quartier", cells, seeded)
    q01 = cells[("Q01", c.TOTAL)].value
    assert q01 is not None
    assert abs(q01 - 12) <= 5  # two requests for each of the six cases in mediation
    assert cells[("Q03", c.TOTAL)].display == "0"
    assert cells[("Q03", "eingereicht")].display == "."


async def test_the_new_tables_are_empty_without_records(app: Litestar) -> None:
    async with app.state["alchemy_config"].get_session() as session:
        await ensure_seed_quartiers(session)
        await session.commit()
    await publish(app)
    for code in (
        "faelle_quartier_status",
        "faelle_ort",
        "vereinbarungspunkte_quartier",
        "verwaltungsanliegen_quartier",
    ):
        cells = await stored(app, code)
        assert cells
        for key, cell in cells.items():
            breakdown = any(d.breakdown and v != c.TOTAL for d, v in zip(c.BY_CODE[code].dimensions, key, strict=True))
            assert cell.display == ("." if breakdown else "0"), (code, key)
