"""What each row of a quartier or place import would do, or why it cannot be imported.

A row is identified by its natural key (quartier: `code`; place: `quartier_code` + `name`), so
importing the same file twice changes nothing. Names stay unique as in the database; a name that
already belongs to another record is an error rather than a silent swap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.exceptions import FieldError
from konfliktmanagement.lib.i18n import gettext as _


class ImportKind(StrEnum):
    QUARTIERS = "quartiers"
    PLACES = "places"
    BOUNDARIES = "boundaries"  # GeoJSON, one feature per quartier (boundaries.py)


class RowAction(StrEnum):
    NEW = "neu"
    UNCHANGED = "unveraendert"
    CHANGED = "geaendert"


# The columns of each kind in the order the preview shows them, and which of them must be filled.
COLUMNS: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.QUARTIERS: ("stadtbezirk_code", "stadtbezirk_name", "code", "name"),
    ImportKind.PLACES: ("quartier_code", "name", "latitude", "longitude"),
    ImportKind.BOUNDARIES: ("code", "name", "geometry"),
}
REQUIRED: dict[ImportKind, frozenset[str]] = {
    ImportKind.QUARTIERS: frozenset({"stadtbezirk_code", "code", "name"}),
    ImportKind.PLACES: frozenset({"quartier_code", "name"}),
    ImportKind.BOUNDARIES: frozenset({"code", "geometry"}),
}
MAX_LENGTH = {"stadtbezirk_code": 20, "stadtbezirk_name": 120, "code": 20, "name": 120, "quartier_code": 20}
PLACE_NAME_LENGTH = 160


@dataclass(slots=True)
class ImportRow:
    line: int
    values: dict[str, str]
    action: RowAction | None = None
    changes: list[str] = field(default_factory=list)  # German names of what this row changes
    errors: list[FieldError] = field(default_factory=list)
    coordinates: tuple[float, float] | None = None  # places: parsed latitude, longitude
    boundary: dict[str, Any] | None = None  # boundaries: the normalised geometry


@dataclass(slots=True)
class QuartierState:
    """What is stored now, by natural key; the planner adds what earlier rows of the file create."""

    districts: dict[str, m.Stadtbezirk]
    quartiers: dict[str, m.Quartier]
    quartier_names: dict[str, str]  # name → code
    district_names: dict[str, str]  # name → code


@dataclass(slots=True)
class SeenInFile:
    """Keys of the rows above, so a repeated key names the line it first appeared in."""

    district_names: dict[str, tuple[str, int]] = field(default_factory=dict)  # code → (name, line)
    district_owners: dict[str, str] = field(default_factory=dict)  # name → code
    codes: dict[str, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    renamed: set[str] = field(default_factory=set)
    places: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass(slots=True)
class PlaceState:
    quartiers: dict[str, m.Quartier]
    places: dict[tuple[UUID, str], m.Place]


def check_cells(row: ImportRow, kind: ImportKind, extra_cells: bool) -> None:
    """Required cells present, lengths within the columns' limits."""
    required = [column for column in COLUMNS[kind] if column in REQUIRED[kind]]
    if extra_cells:
        row.errors.append(FieldError("", _("Die Zeile hat mehr Felder als die Kopfzeile (Trennzeichen im Text?).")))
    for column in required:
        if not row.values.get(column):
            row.errors.append(FieldError(column, _("Pflichtfeld fehlt.")))
    for column, value in row.values.items():
        limit = PLACE_NAME_LENGTH if (kind is ImportKind.PLACES and column == "name") else MAX_LENGTH.get(column)
        if limit and len(value) > limit:
            row.errors.append(FieldError(column, _("Höchstens %(n)d Zeichen.") % {"n": limit}))


def plan_quartier(row: ImportRow, state: QuartierState, seen: SeenInFile) -> None:
    """Decide one quartier row, given the stored state and the rows above it."""
    sb_code, sb_name = row.values.get("stadtbezirk_code", ""), row.values.get("stadtbezirk_name", "")
    code, name = row.values.get("code", ""), row.values.get("name", "")
    district = state.districts.get(sb_code)
    if sb_code and district is None and not sb_name and sb_code not in seen.district_names:
        row.errors.append(
            FieldError(
                "stadtbezirk_code", _("Unbekannter Stadtbezirk – für einen neuen bitte stadtbezirk_name angeben.")
            )
        )
    if sb_code and sb_name:
        first = seen.district_names.setdefault(sb_code, (sb_name, row.line))
        owner = state.district_names.get(sb_name) or seen.district_owners.setdefault(sb_name, sb_code)
        if first[0] != sb_name:
            row.errors.append(
                FieldError("stadtbezirk_name", _("Anderer Name als in Zeile %(line)s.") % {"line": first[1]})
            )
        elif owner != sb_code:
            row.errors.append(
                FieldError("stadtbezirk_name", _("Diesen Namen trägt schon Stadtbezirk %(code)s.") % {"code": owner})
            )
    if code and (earlier := seen.codes.setdefault(code, row.line)) != row.line:
        row.errors.append(FieldError("code", _("Doppelt in der Datei (auch in Zeile %(line)s).") % {"line": earlier}))
    if name and (earlier := seen.names.setdefault(name, row.line)) != row.line:
        row.errors.append(FieldError("name", _("Doppelt in der Datei (auch in Zeile %(line)s).") % {"line": earlier}))
    elif name and (holder := state.quartier_names.get(name)) not in (None, code):
        row.errors.append(FieldError("name", _("Diesen Namen trägt schon Quartier %(code)s.") % {"code": holder}))
    if row.errors:
        return
    quartier = state.quartiers.get(code)
    if district is not None and sb_name and district.name != sb_name and sb_code not in seen.renamed:
        seen.renamed.add(sb_code)
        row.changes.append(_("Name des Stadtbezirks"))
    if quartier is None:
        row.action = RowAction.NEW
        return
    if quartier.name != name:
        row.changes.append(_("Name"))
    if district is None or quartier.stadtbezirk_id != district.id:
        row.changes.append(_("Stadtbezirk"))
    row.action = RowAction.CHANGED if row.changes else RowAction.UNCHANGED


def plan_place(row: ImportRow, state: PlaceState, seen: SeenInFile) -> None:
    quartier_code, name = row.values.get("quartier_code", ""), row.values.get("name", "")
    quartier = state.quartiers.get(quartier_code)
    if quartier_code and quartier is None:
        row.errors.append(
            FieldError(
                "quartier_code", _("Unbekanntes Quartier – bitte zuerst die Quartiere anlegen oder importieren.")
            )
        )
    row.coordinates = _coordinates(row)
    if quartier_code and name and (earlier := seen.places.setdefault((quartier_code, name), row.line)) != row.line:
        row.errors.append(FieldError("name", _("Doppelt in der Datei (auch in Zeile %(line)s).") % {"line": earlier}))
    if row.errors or quartier is None:
        return
    place = state.places.get((quartier.id, name))
    if place is None:
        row.action = RowAction.NEW
        return
    # Empty coordinates keep the stored ones: a plain list of names must not erase a map position.
    if row.coordinates is not None and not _same_position(row.coordinates, (place.latitude, place.longitude)):
        row.changes.append(_("Koordinaten"))
    row.action = RowAction.CHANGED if row.changes else RowAction.UNCHANGED


def _coordinates(row: ImportRow) -> tuple[float, float] | None:
    latitude = _number(row, "latitude", 90)
    longitude = _number(row, "longitude", 180)
    lat_text, lon_text = row.values.get("latitude", ""), row.values.get("longitude", "")
    if bool(lat_text) != bool(lon_text):
        missing = "longitude" if lat_text else "latitude"
        row.errors.append(FieldError(missing, _("Bitte Breite und Länge angeben – oder beide leer lassen.")))
    if latitude is None or longitude is None:
        return None
    return latitude, longitude


def _number(row: ImportRow, column: str, bound: int) -> float | None:
    text = row.values.get(column, "")
    if not text:
        return None
    try:
        # Spreadsheets with German settings write a decimal comma.
        value = float(text.replace(",", "."))
    except ValueError:
        row.errors.append(FieldError(column, _("Keine gültige Zahl (Beispiel: 51,3271 oder 51.3271).")))
        return None
    if not math.isfinite(value) or not -bound <= value <= bound:
        row.errors.append(FieldError(column, _("Muss zwischen -%(n)s und %(n)s liegen.") % {"n": bound}))
        return None
    return value


def _same_position(new: tuple[float, float], stored: tuple[float | None, float | None]) -> bool:
    return all(s is not None and math.isclose(n, s, abs_tol=1e-9) for n, s in zip(new, stored, strict=True))
