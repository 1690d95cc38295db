from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.places.services import PlaceHistoryService

place_dependencies = {"places": Provide(create_service_provider(PlaceHistoryService))}
