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


# (quartier, conflict type, status, outcome, how many): Q01 is big, Q03 small, Q05 single cases.
PLAN: tuple[tuple[str, str, str, str | None, int], ...] = (
    ("Q01", "laerm", "abgeschlossen", "einigung_vollstaendig", 12),
    ("Q01", "laerm", "in_mediation", None, 6),
    ("Q01", "muell", "archiviert", "keine_einigung", 4),
    ("Q02", "nachbarschaft", "eingestellt", None, 7),
    ("Q03", "alkohol_drogen", "abgeschlossen", "einigung_teilweise", 3),
    ("Q05", "verkehr_parken", "eingegangen", None, 1),
)


async def seed_cases(app: Litestar, plan: tuple[tuple[str, str, str, str | None, int], ...] = PLAN) -> list[Seeded]:
    """Cases of YEAR straight into the database (the statistics read only these columns)."""
    seeded = []
    async with app.state["alchemy_config"].get_session() as session:
        await ensure_seed_quartiers(session)
        quartiers = {q.code: q for q in await session.scalars(select(m.Quartier))}
        districts = {d.id: d.code for d in await session.scalars(select(m.Stadtbezirk))}
        types = {t.code: t.id for t in await session.scalars(select(m.ConflictType))}
        received = datetime(YEAR, 2, 10, 9, 0, tzinfo=UTC)
        for quartier, conflict_type, status, outcome, count in plan:
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
                )
                session.add(case)
                await session.flush()
                if outcome == "einigung_vollstaendig":
                    session.add(m.Agreement(case_id=case.id, title="Vereinbarung", follow_up_result="traegt"))
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
        publications = await StatisticsService(session).publish(period)
        await session.commit()
        return publications


async def stored(app: Litestar, table_code: str) -> dict[tuple[str, ...], m.PublishedCell]:
    async with app.state["alchemy_config"].get_session() as session:
        publication = await StatisticsService(session).get_publication(str(YEAR), table_code)
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
