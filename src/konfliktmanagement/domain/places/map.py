"""Read model of the map of places: quartier outlines and places with their readable cases, drawn as SVG.

Two statements: the quartiers with their outlines, and every place with the number of cases at it
that the user may read (one GROUP BY over `readable_cases(user)`, the place list's count). Every place
is shown — places are master data — but its count covers only readable cases: a mediator sees the
cases they work on and 0 wherever only others' cases are. No case detail reaches the map, only counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import may_coordinate
from konfliktmanagement.domain.places import projection
from konfliktmanagement.domain.places.queries import readable_case_counts


@dataclass(frozen=True, slots=True)
class MapQuartier:
    id: UUID
    code: str
    name: str
    path: str | None  # SVG path data of its outline; None: no outline imported
    label: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class MapPlace:
    id: UUID
    name: str
    quartier: MapQuartier
    total: int  # readable cases at the place
    open_cases: int
    marker: tuple[float, float, float] | None  # x, y, radius; None: no coordinates recorded


@dataclass(frozen=True, slots=True)
class PlaceMap:
    width: float
    height: float
    quartiers: list[MapQuartier]  # those with an outline are drawn
    places: list[MapPlace]  # the table's order: quartier code, place name
    sees_all: bool  # False: a mediator, whose counts cover only their own cases

    @property
    def markers(self) -> list[MapPlace]:
        """The places drawn, busiest first: the large markers lie below the small ones, and the
        keyboard reaches the hotspots first."""
        return sorted((p for p in self.places if p.marker), key=lambda p: (-p.total, p.quartier.code, p.name))

    @property
    def drawn(self) -> bool:
        return self.height > 0


class PlaceMapQuery:
    """The map page's read model; only the case team reaches it (the route's `requires_case_team`)."""

    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def map(self, user: Principal) -> PlaceMap:
        joined, total, open_cases = readable_case_counts(user)
        quartier_rows = (
            await self.session.execute(
                select(m.Quartier.id, m.Quartier.code, m.Quartier.name, m.Quartier.boundary).order_by(m.Quartier.code)
            )
        ).all()
        place_rows = (
            await self.session.execute(
                select(
                    m.Place.id,
                    m.Place.name,
                    m.Place.quartier_id,
                    m.Place.longitude,
                    m.Place.latitude,
                    total,
                    open_cases,
                )
                .outerjoin(m.Case, joined)
                .group_by(m.Place.id)
            )
        ).all()
        outlines: dict[UUID, dict[str, Any]] = {row.id: row.boundary for row in quartier_rows if row.boundary}
        located = [(row.longitude, row.latitude) for row in place_rows if _located(row)]
        view = projection.viewport(chain(located, *(projection.positions(g) for g in outlines.values())))
        quartiers = {
            row.id: MapQuartier(
                id=row.id,
                code=row.code,
                name=row.name,
                path=view.path(outlines[row.id]) if view and row.id in outlines else None,
                label=view.label(outlines[row.id]) if view and row.id in outlines else None,
            )
            for row in quartier_rows
        }
        most = max((row[5] for row in place_rows), default=0)
        places = [
            MapPlace(
                id=row.id,
                name=row.name,
                quartier=quartiers[row.quartier_id],
                total=row[5],
                open_cases=row[6],
                marker=(*view.point(row.longitude, row.latitude), projection.radius(row[5], most))
                if view and _located(row)
                else None,
            )
            for row in place_rows
        ]
        places.sort(key=lambda p: (p.quartier.code, p.name))
        return PlaceMap(
            width=view.width if view else 0,
            height=view.height if view else 0,
            quartiers=list(quartiers.values()),
            places=places,
            sees_all=may_coordinate(user),
        )


def _located(row: Any) -> bool:
    return row.longitude is not None and row.latitude is not None
