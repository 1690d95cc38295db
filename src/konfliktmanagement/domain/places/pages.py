"""Places and their case history: `/places`, `/places/map`, `/places/{place_id}` (mediators and coordinators)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.cases.guards import requires_case_team
from konfliktmanagement.domain.coordination.filters import optional_uuid
from konfliktmanagement.domain.places.deps import place_dependencies
from konfliktmanagement.domain.places.map import PlaceMapQuery
from konfliktmanagement.domain.places.queries import HISTORY_LIMIT, PlaceHistoryQuery


class PlacePageController(Controller):
    path = "/places"
    # Round-table members and admins see no case data, so no place history either.
    guards = [requires_case_team]  # noqa: RUF012
    dependencies = place_dependencies

    @get("/", name="places")
    async def index(
        self,
        request: SignedIn,
        places: NamedDependency[PlaceHistoryQuery],
        quartier_id: FromQuery[str | None] = None,
        alle: FromQuery[str | None] = None,
    ) -> Template:
        listing = await places.index(request.user, optional_uuid(quartier_id), all_places=alle == "1")
        return Template(template_name="places/index.html", context={"listing": listing})

    @get("/map", name="place_map")
    async def map(self, request: SignedIn, place_map: NamedDependency[PlaceMapQuery]) -> Template:
        return Template(template_name="places/map.html", context={"map": await place_map.map(request.user)})

    @get("/{place_id:uuid}", name="place")
    async def show(
        self, request: SignedIn, places: NamedDependency[PlaceHistoryQuery], place_id: FromPath[UUID]
    ) -> Template:
        history = await places.history(request.user, place_id)
        return Template(template_name="places/detail.html", context={"history": history, "limit": HISTORY_LIMIT})


PAGE_CONTROLLERS: list[type[Controller]] = [PlacePageController]
