from __future__ import annotations

from litestar.di import Provide

from konfliktmanagement.domain.places.map import PlaceMapQuery
from konfliktmanagement.domain.places.queries import PlaceHistoryQuery

place_dependencies = {
    "places": Provide(PlaceHistoryQuery, sync_to_thread=False),
    "place_map": Provide(PlaceMapQuery, sync_to_thread=False),
}
