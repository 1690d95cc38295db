"""Quartier boundaries from GeoJSON (RFC 7946): read, validate and plan them like an import's rows.

A file is a FeatureCollection (or one Feature); each feature names its quartier by `properties.code`
and carries a Polygon or MultiPolygon in WGS 84 longitude/latitude. The structure is checked here
with German messages; whether the shape is a proper area (no self-crossing ring, holes inside) is
Shapely's judgement (GEOS). What is stored is the normalised geometry only: the type and the
coordinates rounded to 7 decimals (about a centimetre), without heights or other members, so the
same outline imported twice is recognised as unchanged.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import Point, shape

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers.import_rules import ImportRow, RowAction
from konfliktmanagement.lib.exceptions import FieldError
from konfliktmanagement.lib.i18n import gettext as _

MAX_BYTES = 5_000_000  # a GeoJSON file: outlines are larger than a CSV list
MAX_POSITIONS = 20_000  # per quartier: a detailed city outline has a few thousand
DECIMALS = 7
AREA_TYPES = ("Polygon", "MultiPolygon")

Geometry = dict[str, Any]


class GeoJsonRefused(Exception):
    """The text is no GeoJSON the import can read at all; the message says why, in German."""


@dataclass(slots=True)
class Feature:
    number: int  # 1-based position in the file, as the preview names it
    code: str
    geometry: Any  # as found in the file, checked by `check_geometry`


@dataclass(slots=True)
class GeometryCheck:
    geometry: Geometry | None = None  # normalised, when valid
    errors: list[str] = field(default_factory=list)
    summary: str = ""


def read_features(text: str) -> list[Feature]:
    """The features of a GeoJSON text; refuses what is no JSON, no Feature(Collection) or has no features."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoJsonRefused(
            _("Kein gültiges JSON (Zeile %(line)s, Spalte %(column)s). Bitte die Datei als GeoJSON exportieren.")
            % {"line": exc.lineno, "column": exc.colno}
        ) from exc
    except RecursionError as exc:
        raise GeoJsonRefused(_("Die Datei ist zu tief verschachtelt.")) from exc
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "Feature":
        raw_features: Any = [document]
    elif kind == "FeatureCollection":
        raw_features = document.get("features")
    else:
        raise GeoJsonRefused(
            _('Erwartet wird eine GeoJSON-FeatureCollection ("type": "FeatureCollection"), ein Feature je Quartier.')
        )
    if not isinstance(raw_features, list) or not raw_features:
        raise GeoJsonRefused(_("Die FeatureCollection enthält keine Features."))
    features = []
    for number, raw in enumerate(raw_features, start=1):
        properties = raw.get("properties") if isinstance(raw, dict) else None
        code = properties.get("code") if isinstance(properties, dict) else None
        geometry = raw.get("geometry") if isinstance(raw, dict) else None
        features.append(Feature(number=number, code=str(code).strip() if code is not None else "", geometry=geometry))
    return features


def check_geometry(raw: Any) -> GeometryCheck:
    """A Polygon or MultiPolygon with closed rings of valid positions that forms a proper area."""
    check = GeometryCheck()
    if not isinstance(raw, dict) or "type" not in raw:
        check.errors.append(_("Das Feature hat keine Geometrie."))
        return check
    kind = raw["type"]
    if kind not in AREA_TYPES:
        check.errors.append(
            _("Nur Flächen sind möglich (Polygon oder MultiPolygon), nicht %(type)s.") % {"type": str(kind)[:40]}
        )
        return check
    coordinates = raw.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        check.errors.append(_("Die Koordinaten fehlen oder sind keine Liste."))
        return check
    polygons = [coordinates] if kind == "Polygon" else coordinates
    normalised = [_polygon(polygon, check.errors) for polygon in polygons]
    check.errors[:] = dict.fromkeys(check.errors)  # one message per kind of mistake, not per part
    positions = sum(len(ring) for polygon in normalised for ring in polygon)
    if positions > MAX_POSITIONS:
        check.errors.append(
            _("Zu viele Punkte (%(n)s); höchstens %(max)s je Quartier.") % {"n": positions, "max": MAX_POSITIONS}
        )
    if check.errors:
        return check
    geometry: Geometry = {"type": kind, "coordinates": normalised[0] if kind == "Polygon" else normalised}
    reason = shapely.is_valid_reason(shape(geometry))
    if reason != "Valid Geometry":
        check.errors.append(_invalid_area(reason))
        return check
    check.geometry = geometry
    parts = len(normalised)
    check.summary = (
        _("Polygon, %(n)s Punkte") % {"n": positions}
        if kind == "Polygon"
        else _("MultiPolygon aus %(parts)s Flächen, %(n)s Punkte") % {"parts": parts, "n": positions}
    )
    return check


@dataclass(slots=True)
class BoundaryState:
    quartiers: dict[str, m.Quartier]  # by code, their boundaries loaded
    places: dict[str, list[tuple[str, float, float]]]  # quartier code → places with coordinates


def plan_boundary(feature: Feature, state: BoundaryState, seen: dict[str, int], notices: list[str]) -> ImportRow:
    """The preview row of one feature: new, changed or unchanged outline of a known quartier, or its errors."""
    check = check_geometry(feature.geometry)
    quartier = state.quartiers.get(feature.code)
    row = ImportRow(
        line=feature.number,
        values={"code": feature.code, "name": quartier.name if quartier else "", "geometry": check.summary},
    )
    if not feature.code:
        row.errors.append(FieldError("code", _("Pflichtfeld fehlt: properties.code (der Code des Quartiers).")))
    elif quartier is None:
        row.errors.append(
            FieldError("code", _("Unbekanntes Quartier – bitte zuerst die Quartiere anlegen oder importieren."))
        )
    elif (earlier := seen.setdefault(feature.code, feature.number)) != feature.number:
        row.errors.append(FieldError("code", _("Doppelt in der Datei (auch in Feature %(line)s).") % {"line": earlier}))
    row.errors.extend(FieldError("geometry", message) for message in check.errors)
    if row.errors or quartier is None or check.geometry is None:
        return row
    row.boundary = check.geometry
    if stray := outside(check.geometry, state.places.get(feature.code, [])):
        notices.append(
            _("Quartier %(code)s: Diese Orte liegen außerhalb der neuen Grenze: %(names)s.")
            % {"code": feature.code, "names": ", ".join(stray)}
        )
    if quartier.boundary is None:
        row.action = RowAction.NEW
    elif quartier.boundary == check.geometry:
        row.action = RowAction.UNCHANGED
    else:
        row.action = RowAction.CHANGED
        row.changes.append(_("Grenze"))
    return row


def outside(geometry: Geometry, places: list[tuple[str, float, float]]) -> list[str]:
    """Names of the places (name, latitude, longitude) that do not lie within the outline."""
    area = shape(geometry)
    return [name for name, latitude, longitude in places if not area.covers(Point(longitude, latitude))]


def _polygon(polygon: Any, errors: list[str]) -> list[list[list[float]]]:
    if not isinstance(polygon, list) or not polygon:
        errors.append(_("Eine Fläche braucht mindestens einen Ring aus Koordinaten."))
        return []
    rings = []
    for ring in polygon:
        if not isinstance(ring, list) or len(ring) < 4:
            errors.append(_("Ein Ring braucht mindestens vier Positionen (der letzte Punkt wiederholt den ersten)."))
            return []
        positions = [_position(position, errors) for position in ring]
        if errors:
            return []
        if positions[0] != positions[-1]:
            errors.append(_("Ein Ring ist nicht geschlossen: Der letzte Punkt muss den ersten wiederholen."))
            return []
        rings.append(positions)
    return rings


def _position(position: Any, errors: list[str]) -> list[float]:
    numbers = (
        position
        if isinstance(position, list)
        and len(position) in (2, 3)
        and all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in position)
        else None
    )
    if numbers is None:
        errors.append(_("Eine Position ist kein Paar aus Länge und Breite (Beispiel: [6.5663, 51.3271])."))
        return []
    longitude, latitude = float(numbers[0]), float(numbers[1])
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        errors.append(
            _(
                "Koordinaten außerhalb von Länge ±180° und Breite ±90° (%(lon)s, %(lat)s). GeoJSON verlangt "
                "Längen- und Breitengrade (WGS 84) – die Datei scheint ein anderes Bezugssystem (z. B. UTM) zu nutzen."
            )
            % {"lon": f"{longitude:.6g}", "lat": f"{latitude:.6g}"}
        )
        return []
    return [round(longitude, DECIMALS), round(latitude, DECIMALS)]


_WHERE = re.compile(r"\[(\S+) (\S+)\]")


def _invalid_area(reason: str) -> str:
    if reason.startswith(("Self-intersection", "Ring Self-intersection")):
        message = _("Die Grenze kreuzt sich selbst oder zwei Flächen überlappen.")
    elif reason.startswith("Hole lies outside shell"):
        message = _("Ein Loch liegt außerhalb seiner Fläche.")
    elif reason.startswith("Too few points"):
        message = _("Ein Ring hat zu wenige verschiedene Punkte.")
    else:
        message = _("Die Fläche ist geometrisch ungültig.")
    if where := _WHERE.search(reason):
        message += " " + _("Stelle: Länge %(lon)s, Breite %(lat)s.") % {"lon": where[1], "lat": where[2]}
    return message
