"""Quartier outlines from GeoJSON and their projection onto the map: the pure parts, without a database."""

from __future__ import annotations

import json
import re
from itertools import combinations
from typing import Any

import pytest
from shapely.geometry import shape

from konfliktmanagement.domain.places import projection
from konfliktmanagement.domain.quartiers import boundaries
from konfliktmanagement.domain.quartiers.seeds import SEED_DISTRICTS
from konfliktmanagement.domain.quartiers.services import seed_boundaries
from konfliktmanagement.domain.system.demo_places import demo_places

SQUARE = [[6.55, 51.32], [6.56, 51.32], [6.56, 51.33], [6.55, 51.33], [6.55, 51.32]]


def _polygon(*rings: list[Any]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def test_a_valid_outline_is_normalised() -> None:
    raw = _polygon([[6.551234567891, 51.32, 40.0], *SQUARE[1:4], [6.551234567891, 51.32, 40.0]])
    check = boundaries.check_geometry({**raw, "bbox": [0, 0, 1, 1]})
    assert check.errors == []
    assert check.geometry == {
        "type": "Polygon",
        "coordinates": [[[6.5512346, 51.32], *SQUARE[1:4], [6.5512346, 51.32]]],
    }
    assert check.summary == "Polygon, 5 Punkte"
    multi = boundaries.check_geometry(
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[x + 0.02, y] for x, y in SQUARE]]]}
    )
    assert multi.errors == []
    assert multi.summary == "MultiPolygon aus 2 Flächen, 10 Punkte"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "keine Geometrie"),
        ({"type": "Point", "coordinates": [6.55, 51.32]}, "nicht Point"),
        (_polygon(SQUARE[:-1]), "nicht geschlossen"),
        (_polygon(SQUARE[:2] + SQUARE[:1]), "mindestens vier Positionen"),
        (_polygon([[6.55, 51.32], [6.56, 51.33], [6.56, 51.32], [6.55, 51.33], [6.55, 51.32]]), "kreuzt sich selbst"),
        (_polygon(SQUARE, [[7.0, 52.0], [7.01, 52.0], [7.01, 52.01], [7.0, 52.0]]), "Loch liegt außerhalb"),
        (
            _polygon([[350000, 5690000], [351000, 5690000], [351000, 5691000], [350000, 5690000]]),
            "anderes Bezugssystem",
        ),
        (_polygon([["6.55", 51.32], *SQUARE[1:]]), "kein Paar aus Länge und Breite"),
        (_polygon([[True, 51.32], *SQUARE[1:]]), "kein Paar aus Länge und Breite"),
        ({"type": "Polygon", "coordinates": "Innenstadt"}, "keine Liste"),
    ],
)
def test_a_broken_outline_is_refused_with_a_reason(raw: Any, message: str) -> None:
    check = boundaries.check_geometry(raw)
    assert check.geometry is None
    assert any(message in error for error in check.errors), check.errors


def test_a_self_crossing_outline_names_the_spot() -> None:
    bowtie = _polygon([[6.55, 51.32], [6.56, 51.33], [6.56, 51.32], [6.55, 51.33], [6.55, 51.32]])
    (error,) = boundaries.check_geometry(bowtie).errors
    assert "Stelle: Länge 6.555, Breite 51.325." in error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"type": "FeatureCollection", "features": [', "Kein gültiges JSON (Zeile 1, Spalte 44)"),
        ('[{"code": "Q01"}]', "FeatureCollection"),
        ('{"type": "Polygon", "coordinates": []}', "FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "keine Features"),
    ],
)
def test_a_file_that_is_no_feature_collection_is_refused(text: str, message: str) -> None:
    with pytest.raises(boundaries.GeoJsonRefused, match=re.escape(message)):
        boundaries.read_features(text)


def test_features_carry_their_quartier_code() -> None:
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"code": " Q01 "}, "geometry": _polygon(SQUARE)},
                {"type": "Feature", "properties": None, "geometry": None},
                "kein Feature",
            ],
        }
    )
    features = boundaries.read_features(text)
    assert [(f.number, f.code) for f in features] == [(1, "Q01"), (2, ""), (3, "")]


def test_the_seed_outlines_fit_the_demo_city() -> None:
    """Every seed quartier has an outline; they do not overlap; each demo place lies in its own quartier."""
    outlines = seed_boundaries()
    assert set(outlines) == {code for _district, _name, quartiers in SEED_DISTRICTS for code, _q in quartiers}
    for (a, first), (b, second) in combinations(outlines.items(), 2):
        assert shape(first).intersection(shape(second)).area < 1e-12, (a, b)
    located = [p for p in demo_places() if p.latitude is not None and p.longitude is not None]
    assert len(located) == 9
    for place in located:
        for code, outline in outlines.items():
            inside = not boundaries.outside(outline, [(place.name, place.latitude, place.longitude)])  # type: ignore[list-item]
            assert inside == (code == place.quartier), (place.name, code)


def test_the_projection_keeps_proportions_and_puts_north_up() -> None:
    # A square kilometre-ish box at 51.3° N: a degree of longitude is cos(51.3°) ≈ 0.625 of one of latitude.
    view = projection.viewport([(6.55, 51.32), (6.57, 51.33)])
    assert view is not None
    assert view.width == projection.WIDTH
    drawn_width = view.width - 2 * projection.MARGIN
    drawn_height = view.height - 2 * projection.MARGIN
    assert drawn_height / drawn_width == pytest.approx(0.01 / (0.02 * 0.6252), rel=0.01)
    assert view.point(6.55, 51.33) == (projection.MARGIN, projection.MARGIN)  # north-west corner
    assert view.point(6.57, 51.32) == (
        pytest.approx(view.width - projection.MARGIN, abs=0.1),
        pytest.approx(view.height - projection.MARGIN, abs=0.1),
    )
    assert view.path(_polygon(SQUARE)).startswith(f"M{projection.MARGIN:g} ")
    assert view.path(_polygon(SQUARE)).endswith(" Z")
    single = projection.viewport([(6.56, 51.32)])
    assert single is not None
    assert single.height > 2 * projection.MARGIN
    assert projection.viewport([]) is None


def test_markers_grow_with_the_count() -> None:
    sizes = [projection.radius(count, 9) for count in (0, 1, 4, 9)]
    assert sizes == sorted(sizes)
    assert sizes[0] == projection.RADIUS_MIN
    assert sizes[-1] == projection.RADIUS_MAX
    assert projection.radius(0, 0) == projection.RADIUS_MIN
