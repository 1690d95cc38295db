"""The catalogue, the grid and the publication rules of DESIGN.md §7, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.ckm import KEY_SPACE, load_ptable, perturb
from konfliktmanagement.domain.statistics.counting import ITEM_KEY_STEP, statement
from konfliktmanagement.domain.statistics.grid import publish_cells

PTABLE = load_ptable()
SEEDED_CONFLICT_TYPES = (
    "laerm",
    "muell",
    "nutzung_oeffentlicher_raum",
    "nachbarschaft",
    "sicherheitsempfinden",
    "jugendliche_gruppen",
    "alkohol_drogen",
    "verkehr_parken",
    "sonstiges",
)
CODES = {
    "stadtbezirk": [("SB1", "Mitte"), ("SB2", "Nord"), (c.UNKNOWN, "Ohne Angabe")],
    "konfliktart": [("laerm", "Lärm"), ("muell", "Müll"), (c.UNKNOWN, "Ohne Angabe")],
    "ergebnis": list(c.RESULTS),
    "quartier": [("Q01", "Innenstadt"), ("Q02", "Schinkenplatz"), (c.UNKNOWN, "Ohne Angabe")],
    "konfliktgruppe": [(g, label) for g, label, _ in c.CONFLICT_TYPE_GROUPS],
}
SENSITIVE = c.BY_CODE["ergebnis_stadtbezirk_konfliktart"]


def test_every_seeded_conflict_type_is_in_exactly_one_group() -> None:
    grouped = [code for _, _, codes in c.CONFLICT_TYPE_GROUPS for code in codes]
    assert sorted(grouped) == sorted(SEEDED_CONFLICT_TYPES)


def test_every_table_has_its_margins_and_its_note() -> None:
    for spec in c.CATALOGUE:
        sets = spec.grouping_sets
        assert sets[0] == tuple(d.code for d in spec.dimensions)
        assert sets[-1] == ()
        assert len(sets) == 2 ** len(spec.dimensions)
        assert "müssen nicht mit der Summe der Einzelwerte übereinstimmen" in c.note_for(spec)
    assert "Mediane werden nicht veröffentlicht" in c.note_for(c.BY_CODE["dauer_stadt"])
    assert "<5" in c.note_for(SENSITIVE)


def test_the_round_table_tables_are_sensitive_where_they_break_down_by_status() -> None:
    for code in ("faelle_quartier_status", "vereinbarungspunkte_quartier", "verwaltungsanliegen_quartier"):
        spec = c.BY_CODE[code]
        assert spec.sensitive, code  # a breakdown by status below city level: "<5"
        assert spec.dimensions[0].code == "quartier"
        assert spec.dimensions[1].breakdown, code  # shown only under a parent n' >= 10
        assert "<5" in c.note_for(spec)
    places = c.BY_CODE["faelle_ort"]
    assert not places.sensitive
    assert c.RECURRING_MINIMUM == 3
    grouped = [status for _, _, statuses in c.STATUS_GROUPS for status in statuses]
    assert sorted(grouped) == sorted(s.value for s in m.CaseStatus)  # every status in exactly one group
    assert [code for code, _ in c.ITEM_STATUSES] == [s.value for s in m.ItemStatus]
    assert [code for code, _ in c.REQUEST_STATUSES] == [s.value for s in m.AdministrationRequestStatus]


def test_items_and_requests_get_distinct_keys_derived_in_sql() -> None:
    for code in ("vereinbarungspunkte_quartier", "verwaltungsanliegen_quartier"):
        for dialect, compiler in (("postgresql", postgresql.dialect()), ("sqlite", sqlite.dialect())):
            sql = str(statement(c.BY_CODE[code], 2026, dialect).compile(dialect=compiler))
            assert "row_number() OVER (PARTITION BY case_file.id" in sql, (code, dialect)
            assert str(ITEM_KEY_STEP) in sql


@pytest.mark.parametrize("spec", c.CATALOGUE, ids=lambda s: s.code)
def test_one_statement_per_table_on_both_databases(spec: c.TableSpec) -> None:
    pg = str(statement(spec, 2026, "postgresql").compile(dialect=postgresql.dialect()))
    lite = str(statement(spec, 2026, "sqlite").compile(dialect=sqlite.dialect()))
    assert "GROUPING SETS" in pg
    assert "UNION ALL" not in pg
    assert lite.count("UNION ALL") == len(spec.grouping_sets) - 1
    for sql in (pg, lite):
        assert "4294967296" in sql  # the cell key is reduced in SQL
        assert sql.count("WITH records AS") == 1


def test_empty_cells_are_zero_and_the_grid_is_complete() -> None:
    cells = publish_cells(SENSITIVE, CODES, {}, PTABLE)
    assert len(cells) == (3 + 1) * (3 + 1) * (len(c.RESULTS) + 1)
    assert all(cell.value is None or cell.value == 0 for cell in cells)
    # Under an empty parent nothing is broken down.
    broken_down = [cell for cell in cells if cell.values[2] != c.TOTAL]
    assert all(cell.display == "." for cell in broken_down)
    margins = [cell for cell in cells if cell.values[2] == c.TOTAL]
    assert all(cell.display == "0" for cell in margins)


def _key_for(n: int, wanted: int) -> int:
    """A cell key that perturbs `n` to `wanted` (searching the key space in steps)."""
    for ck in range(0, KEY_SPACE, KEY_SPACE // 4096):
        if perturb(n, ck, PTABLE) == wanted:
            return ck
    raise AssertionError((n, wanted))


def test_small_values_and_small_parents_in_a_sensitive_table() -> None:
    parent = ("SB1", "laerm", c.TOTAL)
    child = ("SB1", "laerm", "keine_einigung")
    counts = {parent: (4, _key_for(4, 4)), child: (4, _key_for(4, 4))}
    cells = {cell.values: cell for cell in publish_cells(SENSITIVE, CODES, counts, PTABLE)}
    assert (cells[parent].display, cells[parent].value, cells[parent].state) == ("<5", None, "kleiner_5")
    assert (cells[child].display, cells[child].value, cells[child].state) == (".", None, "gesperrt")

    counts = {parent: (12, _key_for(12, 12)), child: (3, _key_for(3, 3))}
    cells = {cell.values: cell for cell in publish_cells(SENSITIVE, CODES, counts, PTABLE)}
    assert (cells[parent].display, cells[parent].value) == ("12", 12)
    assert (cells[child].display, cells[child].value) == ("<5", None)
    assert cells[("SB1", "laerm", "laufend")].display == "0"


def test_a_parent_just_below_ten_after_perturbation_suppresses_its_children() -> None:
    parent = ("SB1", "laerm", c.TOTAL)
    child = ("SB1", "laerm", "keine_einigung")
    counts = {parent: (11, _key_for(11, 9)), child: (11, _key_for(11, 11))}
    cells = {cell.values: cell for cell in publish_cells(SENSITIVE, CODES, counts, PTABLE)}
    assert cells[parent].value == 9
    assert cells[child].display == "."


def test_tables_without_a_breakdown_publish_every_perturbed_value() -> None:
    spec = c.BY_CODE["faelle_quartier_konfliktgruppe"]
    counts = {("Q01", "sonstiges"): (3, _key_for(3, 3)), ("Q01", c.TOTAL): (3, _key_for(3, 3))}
    cells = {cell.values: cell for cell in publish_cells(spec, CODES, counts, PTABLE)}
    assert cells[("Q01", "sonstiges")].display == "3"
    assert cells[("Q02", "sonstiges")].display == "0"


def test_unlisted_values_keep_their_row() -> None:
    spec = c.BY_CODE["faelle_quartier"]
    cells = {cell.values: cell for cell in publish_cells(spec, CODES, {("Q99",): (6, 0)}, PTABLE)}
    assert ("Q99",) in cells


@given(n=st.integers(min_value=0, max_value=400), ck=st.integers(min_value=0, max_value=KEY_SPACE - 1))
def test_published_values_keep_the_guarantees(n: int, ck: int) -> None:
    spec = c.BY_CODE["faelle_quartier"]
    cells = {cell.values: cell for cell in publish_cells(spec, CODES, {("Q01",): (n, ck)}, PTABLE)}
    value = cells[("Q01",)].value
    assert value is not None
    assert value not in {1, 2}
    assert abs(value - n) <= 5
    if n == 0:
        assert value == 0
