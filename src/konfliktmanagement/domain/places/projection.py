"""From longitude/latitude to the map's SVG coordinates, without any tile server.

Equirectangular: x grows with longitude scaled by cos(middle latitude), y falls with latitude, so a
city-sized area keeps its true proportions (the error at city scale is far below a pixel). The
viewport fits everything drawn (outlines and markers) into a fixed width with a margin; the height
follows from the area's proportions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape

WIDTH = 640.0
MARGIN = 24.0
MIN_SPAN = 0.01  # degrees: one place alone still gets a sensible neighbourhood around it
RADIUS_MIN = 7.0  # a marker of a place without readable cases
RADIUS_MAX = 20.0  # the place with the most


@dataclass(frozen=True, slots=True)
class Viewport:
    west: float
    north: float
    scale: float  # SVG units per degree of latitude
    squeeze: float  # cos(middle latitude)
    width: float
    height: float

    def point(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = MARGIN + (longitude - self.west) * self.squeeze * self.scale
        y = MARGIN + (self.north - latitude) * self.scale
        return round(x, 1), round(y, 1)

    def path(self, geometry: dict[str, Any]) -> str:
        """The SVG path data of a Polygon or MultiPolygon: each ring a closed subpath."""
        parts = []
        for ring in _rings(geometry):
            points = [self.point(longitude, latitude) for longitude, latitude, *_ in ring[:-1]]
            parts.append("M" + " L".join(f"{x:g} {y:g}" for x, y in points) + " Z")
        return " ".join(parts)

    def label(self, geometry: dict[str, Any]) -> tuple[float, float]:
        """Where the quartier's name goes: a point surely inside its outline."""
        inside = shape(geometry).representative_point()
        return self.point(inside.x, inside.y)


def viewport(positions: Iterable[tuple[float, float]]) -> Viewport | None:
    """The viewport around these (longitude, latitude) positions; None when there is nothing to draw."""
    longitudes, latitudes = [], []
    for longitude, latitude in positions:
        longitudes.append(longitude)
        latitudes.append(latitude)
    if not longitudes:
        return None
    west, east = _widened(min(longitudes), max(longitudes))
    south, north = _widened(min(latitudes), max(latitudes))
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * squeeze)
    height = round((north - south) * scale + 2 * MARGIN, 1)
    return Viewport(west=west, north=north, scale=scale, squeeze=squeeze, width=WIDTH, height=height)


def positions(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    for ring in _rings(geometry):
        for longitude, latitude, *_ in ring:
            yield longitude, latitude


def radius(count: int, most: int) -> float:
    """Marker size by the number of cases: its area grows with the count, up to the busiest place's."""
    if count <= 0 or most <= 0:
        return RADIUS_MIN
    return round(RADIUS_MIN + (RADIUS_MAX - RADIUS_MIN) * math.sqrt(count / most), 1)


def _rings(geometry: dict[str, Any]) -> Iterator[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        yield from polygon


def _widened(low: float, high: float) -> tuple[float, float]:
    if high - low >= MIN_SPAN:
        return low, high
    middle = (low + high) / 2
    return middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
