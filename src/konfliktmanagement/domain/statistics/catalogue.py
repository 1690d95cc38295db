"""The fixed catalogue of published tables (DESIGN.md §7): no free filters, nested dimensions only.

Every table is counted per period (a year, e.g. "2026"); a case belongs to the year it was received
(`case_file.year`, the year in its reference number). Archived cases count: their statistical
skeleton is kept. Each table lists its grouping sets — the cells *and* the margins and totals, all
counted from records in one SQL statement and perturbed independently (see `counting.py`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

TOTAL = "_insgesamt"  # the dimension value of a margin or total
UNKNOWN = "_ohne_angabe"  # the case lacks this attribute (e.g. no quartier recorded yet)

# Groups of the conflict-type code list (migration 0002) for the quartier tables, where nine types
# per quartier would make almost every cell tiny. Codes an admin adds later fall into "sonstiges".
CONFLICT_TYPE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("laerm_nachbarschaft", "Lärm und Nachbarschaft", ("laerm", "nachbarschaft")),
    (
        "oeffentlicher_raum",
        "Nutzung und Zustand des öffentlichen Raums",
        ("muell", "nutzung_oeffentlicher_raum", "verkehr_parken"),
    ),
    (
        "sicherheit_gruppen_konsum",
        "Sicherheitsempfinden, Gruppen, Alkohol/Drogen",
        ("sicherheitsempfinden", "jugendliche_gruppen", "alkohol_drogen"),
    ),
    ("sonstiges", "Sonstiges", ("sonstiges",)),
)
OTHER_GROUP = "sonstiges"

# "Ergebnis bzw. Verbleib": the outcome of a closed case, else how it left the office, else running.
RESULTS: tuple[tuple[str, str], ...] = (
    ("einigung_vollstaendig", "Einigung vollständig"),
    ("einigung_teilweise", "Einigung teilweise"),
    ("keine_einigung", "Keine Einigung"),
    ("anderweitig_geloest", "Anderweitig gelöst"),
    ("eingestellt", "Eingestellt"),
    ("weitergeleitet", "Weitergeleitet"),
    ("nicht_angenommen", "Nicht angenommen"),
    ("laufend", "Laufend"),
    (UNKNOWN, "Ohne Angabe"),
)
QUARTERS: tuple[tuple[str, str], ...] = tuple((f"q{q}", f"{q}. Quartal") for q in range(1, 5))
# Days from receipt to closing.
DURATION_BANDS: tuple[tuple[str, str], ...] = (
    ("bis_30", "bis 30 Tage"),
    ("31_90", "31 bis 90 Tage"),
    ("91_180", "91 bis 180 Tage"),
    ("ueber_180", "über 180 Tage"),
    ("laufend", "noch nicht abgeschlossen"),
    (UNKNOWN, "Ohne Angabe"),
)
# Held sessions (every kind: pre-talks, joint sessions, site visits, …).
SESSION_BANDS: tuple[tuple[str, str], ...] = (
    ("0", "keine"),
    ("1", "1 Sitzung"),
    ("2_3", "2 bis 3 Sitzungen"),
    ("4_plus", "4 und mehr Sitzungen"),
)
# The follow-up result of the case's latest agreement.
FOLLOW_UP_RESULTS: tuple[tuple[str, str], ...] = (
    ("traegt", "trägt"),
    ("teilweise", "trägt teilweise"),
    ("nicht", "trägt nicht"),
    ("offen", "noch nicht nachbetreut"),
)


@dataclass(frozen=True, slots=True)
class Dimension:
    code: str
    label: str
    # A breakdown by status or outcome: its cells are shown only under a parent with n' >= 10.
    breakdown: bool = False


QUARTIER = Dimension("quartier", "Quartier")
STADTBEZIRK = Dimension("stadtbezirk", "Stadtbezirk")
CONFLICT_GROUP = Dimension("konfliktgruppe", "Konfliktart (Gruppe)")
CONFLICT_TYPE = Dimension("konfliktart", "Konfliktart")
RESULT = Dimension("ergebnis", "Ergebnis bzw. Verbleib", breakdown=True)
QUARTER = Dimension("quartal", "Quartal")
DURATION = Dimension("dauer", "Bearbeitungsdauer")
SESSIONS = Dimension("sitzungen", "Durchgeführte Sitzungen")
FOLLOW_UP = Dimension("nachbetreuung", "Ergebnis der Nachbetreuung", breakdown=True)


@dataclass(frozen=True, slots=True)
class TableSpec:
    code: str
    title: str
    dimensions: tuple[Dimension, ...]
    # Sensitive: a breakdown by status or outcome below city level ("<5" for 0 < n' < 5).
    sensitive: bool = False
    # Only cases with at least one agreement (the follow-up table).
    with_agreement: bool = False

    @property
    def grouping_sets(self) -> tuple[tuple[str, ...], ...]:
        """Every cell and every margin: all subsets of the dimensions, the full breakdown first."""
        codes = [d.code for d in self.dimensions]
        return tuple(combo for size in range(len(codes), -1, -1) for combo in itertools.combinations(codes, size))


CATALOGUE: tuple[TableSpec, ...] = (
    TableSpec("faelle_quartier", "Fälle je Quartier", (QUARTIER,)),
    TableSpec(
        "faelle_quartier_konfliktgruppe", "Fälle je Quartier und Konfliktart (Gruppe)", (QUARTIER, CONFLICT_GROUP)
    ),
    TableSpec(
        "ergebnis_stadtbezirk_konfliktart",
        "Fälle je Stadtbezirk, Konfliktart und Ergebnis",
        (STADTBEZIRK, CONFLICT_TYPE, RESULT),
        sensitive=True,
    ),
    TableSpec(
        "ergebnis_stadt_quartal",
        "Fälle der Stadt je Quartal, Konfliktart und Ergebnis",
        (QUARTER, CONFLICT_TYPE, RESULT),
    ),
    TableSpec("dauer_stadt", "Fälle der Stadt nach Bearbeitungsdauer", (DURATION,)),
    TableSpec("sitzungen_stadt", "Fälle der Stadt nach Zahl der durchgeführten Sitzungen", (SESSIONS,)),
    TableSpec(
        "nachbetreuung_stadtbezirk",
        "Fälle mit Vereinbarung je Stadtbezirk nach Ergebnis der Nachbetreuung (trägt die Vereinbarung?)",
        (STADTBEZIRK, FOLLOW_UP),
        sensitive=True,
        with_agreement=True,
    ),
)
BY_CODE = {spec.code: spec for spec in CATALOGUE}

NOTE = (
    "Alle Werte sind mit der Cell-Key-Methode zufällig überlagert (Abweichung höchstens ±5, "
    "keine veröffentlichten Werte 1 und 2). Summen und Teilsummen sind eigene, unabhängig "
    "überlagerte Werte; sie müssen nicht mit der Summe der Einzelwerte übereinstimmen."
)
SENSITIVE_NOTE = " „<5“: ein Wert zwischen 1 und 4."
BREAKDOWN_NOTE = " „.“: nicht veröffentlicht, weil der übergeordnete Wert unter 10 liegt."
NO_MEDIANS_NOTE = " Mittelwerte und Mediane werden nicht veröffentlicht."


def note_for(spec: TableSpec) -> str:
    text = NOTE
    if spec.sensitive:
        text += SENSITIVE_NOTE
    if any(d.breakdown for d in spec.dimensions):
        text += BREAKDOWN_NOTE
    if spec.code == "dauer_stadt":
        text += NO_MEDIANS_NOTE
    return text
