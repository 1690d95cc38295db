"""The fixed catalogue of published tables (DESIGN.md §7): no free filters, nested dimensions only.

Every table is counted per period (a year, e.g. "2026"); a case belongs to the year it was received
(`case_file.year`, the year in its reference number). Archived cases count: their statistical
skeleton is kept. Most tables count cases; two count the agreement items and the administration
requests *of the cases received in the year* (their unit is named in `TableSpec.unit`), each in the
quartier of its case.

Definitions of the round-table tables (DESIGN.md §6):
- Status group (`faelle_quartier_status`): the case's status at the publication snapshot, grouped
  as "neu" (eingegangen, in Klärung: not yet taken on), "in Bearbeitung" (Vorgespräche, Mediation,
  Vereinbarung, Nachbetreuung), "ruhend" and "beendet" (abgeschlossen, eingestellt, weitergeleitet,
  nicht angenommen, archiviert). Together with the year this reads as "new, active and closed
  cases": of the cases received in the year, how many are still new, being worked on, resting or
  closed at the snapshot. It is a breakdown by status below city level, so it is sensitive.
- Places (`faelle_ort`): cases per place (the place recorded on the case), each place named with its
  quartier. A report lists the places of its quartiers whose published value n' is at least
  `RECURRING_MINIMUM` (3) as places with recurring conflicts; since no published value is 1 or 2,
  that is every place with a published value above 0.

Each table lists its grouping sets — the cells *and* the margins and totals, all counted from
records in one SQL statement and perturbed independently (see `counting.py`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from konfliktmanagement.domain.cases import workflow

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


# The case's current status, grouped (see the module docstring).
def _values(statuses: frozenset[workflow.S]) -> tuple[str, ...]:
    return tuple(sorted(status.value for status in statuses))


# The workflow table's status sets, grouped (see the module docstring).
STATUS_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("neu", "Neu (eingegangen, in Klärung)", _values(workflow.INTAKE)),
    ("in_bearbeitung", "In Bearbeitung", _values(workflow.ACTIVE - workflow.INTAKE)),
    ("ruhend", "Ruhend", _values(frozenset({workflow.S.RUHEND}))),
    ("beendet", "Beendet", _values(workflow.CLOSED | workflow.FINAL)),
)
# The status of an agreement item (model `ItemStatus`).
ITEM_STATUSES: tuple[tuple[str, str], ...] = (
    ("offen", "offen"),
    ("in_umsetzung", "in Umsetzung"),
    ("umgesetzt", "umgesetzt"),
    ("nicht_umgesetzt", "nicht umgesetzt"),
    ("obsolet", "hinfällig"),
)
# The status of an administration request (model `AdministrationRequestStatus`).
REQUEST_STATUSES: tuple[tuple[str, str], ...] = (
    ("offen", "offen"),
    ("eingereicht", "eingereicht"),
    ("beantwortet", "beantwortet"),
    ("umgesetzt", "umgesetzt"),
    ("abgelehnt", "abgelehnt"),
)
# A place whose published number of cases is at least this is a place with recurring conflicts.
RECURRING_MINIMUM = 3
PLACE_SEPARATOR = "/"  # a place's code: "<quartier code>/<place name>" (names are unique per quartier)

UNIT_CASE = "fall"
UNIT_AGREEMENT_ITEM = "vereinbarungspunkt"
UNIT_ADMINISTRATION_REQUEST = "verwaltungsanliegen"


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
STATUS_GROUP = Dimension("statusgruppe", "Stand der Bearbeitung", breakdown=True)
PLACE = Dimension("ort", "Ort (Quartier)")
ITEM_STATUS = Dimension("punktstatus", "Stand des Vereinbarungspunkts", breakdown=True)
REQUEST_STATUS = Dimension("anliegenstatus", "Stand des Verwaltungsanliegens", breakdown=True)


@dataclass(frozen=True, slots=True)
class TableSpec:
    code: str
    title: str
    dimensions: tuple[Dimension, ...]
    # Sensitive: a breakdown by status or outcome below city level ("<5" for 0 < n' < 5).
    sensitive: bool = False
    # Only cases with at least one agreement (the follow-up table).
    with_agreement: bool = False
    # What one record is: a case, an agreement item or an administration request.
    unit: str = UNIT_CASE

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
    TableSpec(
        "faelle_quartier_status",
        "Fälle je Quartier nach Stand der Bearbeitung (neu, in Bearbeitung, ruhend, beendet)",
        (QUARTIER, STATUS_GROUP),
        sensitive=True,
    ),
    TableSpec("faelle_ort", "Fälle je Ort", (PLACE,)),
    TableSpec(
        "vereinbarungspunkte_quartier",
        "Vereinbarungspunkte je Quartier nach Stand der Umsetzung",
        (QUARTIER, ITEM_STATUS),
        sensitive=True,
        unit=UNIT_AGREEMENT_ITEM,
    ),
    TableSpec(
        "verwaltungsanliegen_quartier",
        "Anliegen an die Verwaltung je Quartier nach Stand",
        (QUARTIER, REQUEST_STATUS),
        sensitive=True,
        unit=UNIT_ADMINISTRATION_REQUEST,
    ),
)
BY_CODE = {spec.code: spec for spec in CATALOGUE}

NOTE = (
    "Alle Werte sind mit der Cell-Key-Methode zufällig überlagert (Abweichung höchstens ±5, "
    "keine veröffentlichten Werte 1 und 2). Summen und Teilsummen sind eigene, unabhängig "
    "überlagerte Werte; sie müssen nicht mit der Summe der Einzelwerte übereinstimmen."
)
# How every value was made, for the downloads' metadata and the table page (DESIGN.md §7).
METHOD = (
    "Cell-Key-Methode (wie Destatis im Zensus 2022): jeder Wert ist um höchstens ±5 zufällig überlagert, "
    "dieselben Fälle ergeben immer denselben Wert; Veröffentlichungsregeln: „<5“ in empfindlichen Tabellen, "
    "Aufgliederungen nach Stand oder Ergebnis nur unter Werten ab 10."
)
SENSITIVE_NOTE = " „<5“: ein Wert zwischen 1 und 4."
BREAKDOWN_NOTE = " „.“: nicht veröffentlicht, weil der übergeordnete Wert unter 10 liegt."
NO_MEDIANS_NOTE = " Mittelwerte und Mediane werden nicht veröffentlicht."

ITEMS_NOTE = " Gezählt sind die Vereinbarungspunkte der im Zeitraum eingegangenen Fälle, nicht die Fälle."
REQUESTS_NOTE = " Gezählt sind die Anliegen an die Verwaltung der im Zeitraum eingegangenen Fälle, nicht die Fälle."


def note_for(spec: TableSpec) -> str:
    text = NOTE
    if spec.sensitive:
        text += SENSITIVE_NOTE
    if any(d.breakdown for d in spec.dimensions):
        text += BREAKDOWN_NOTE
    if spec.code == "dauer_stadt":
        text += NO_MEDIANS_NOTE
    if spec.unit == UNIT_AGREEMENT_ITEM:
        text += ITEMS_NOTE
    elif spec.unit == UNIT_ADMINISTRATION_REQUEST:
        text += REQUESTS_NOTE
    return text
