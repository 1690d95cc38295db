"""What the master-data pages show (read models; the rules live in `MasterDataService`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers.master_data import MasterDataService

Choices = list[tuple[str, str]]


@dataclass(slots=True)
class QuartierEntry:
    quartier: m.Quartier
    places: list[m.Place] = field(default_factory=list)


@dataclass(slots=True)
class DistrictEntry:
    district: m.Stadtbezirk
    quartiers: list[QuartierEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OverviewPage:
    districts: list[DistrictEntry]

    @property
    def district_choices(self) -> Choices:
        return [(str(e.district.id), f"{e.district.code} – {e.district.name}") for e in self.districts]

    @property
    def quartier_choices(self) -> Choices:
        quartiers = sorted((q.quartier for e in self.districts for q in e.quartiers), key=lambda q: q.code)
        return [(str(q.id), f"{q.code} – {q.name}") for q in quartiers]

    @property
    def place_count(self) -> int:
        return sum(len(q.places) for e in self.districts for q in e.quartiers)


@dataclass(frozen=True, slots=True)
class EditPage:
    record: m.Stadtbezirk | m.Quartier | m.Place
    choices: Choices = field(default_factory=list)
    case_count: int = 0

    @property
    def values(self) -> dict[str, str]:
        """The stored values as the form shows them."""
        names = ("code", "name", "stadtbezirk_id", "quartier_id", "latitude", "longitude")
        stored = {name: getattr(self.record, name) for name in names if hasattr(self.record, name)}
        return {name: _shown(value) for name, value in stored.items()}


class MasterDataQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session
        self.master_data = MasterDataService(session=db_session)

    async def overview(self) -> OverviewPage:
        """Every Stadtbezirk with its quartiers and their places, ordered by code and name."""
        session = self.session
        districts = {
            d.id: DistrictEntry(d) for d in await session.scalars(select(m.Stadtbezirk).order_by(m.Stadtbezirk.code))
        }
        quartiers: dict[UUID, QuartierEntry] = {}
        for quartier in await session.scalars(select(m.Quartier).order_by(m.Quartier.code)):
            quartiers[quartier.id] = entry = QuartierEntry(quartier)
            districts[quartier.stadtbezirk_id].quartiers.append(entry)
        for place in await session.scalars(select(m.Place).order_by(m.Place.name)):
            quartiers[place.quartier_id].places.append(place)
        return OverviewPage(list(districts.values()))

    async def stadtbezirk(self, district_id: UUID) -> EditPage:
        return EditPage(await self.master_data.get_stadtbezirk(district_id))

    async def quartier(self, quartier_id: UUID) -> EditPage:
        quartier = await self.master_data.get_quartier(quartier_id)
        return EditPage(quartier, choices=(await self.overview()).district_choices)

    async def place(self, place_id: UUID) -> EditPage:
        place = await self.master_data.get_place(place_id)
        choices = (await self.overview()).quartier_choices
        return EditPage(place, choices=choices, case_count=await self.master_data.case_count(place_id))


def _shown(value: object) -> str:
    """A stored value as a form field shows it; coordinates with the German decimal comma."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)
