"""Input shapes for the master data: Stadtbezirke, quartiers and places (DESIGN.md §2)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.lib.structs import Input

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
AreaName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
PlaceName = Annotated[str, msgspec.Meta(min_length=1, max_length=160)]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]


class StadtbezirkInput(Input):
    code: Code
    name: AreaName


class QuartierInput(Input):
    code: Code
    name: AreaName
    stadtbezirk_id: UUID


class PlaceInput(Input):
    name: PlaceName
    quartier_id: UUID
    latitude: Latitude | None = None
    longitude: Longitude | None = None
