"""Named public places of the demo city (DESIGN.md §2, `Place`), read from `demo_places.toml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m

PLACE_FILE = Path(__file__).with_name("demo_places.toml")


@dataclass(frozen=True, slots=True)
class DemoPlace:
    quartier: str  # its code
    name: str
    latitude: float | None = None
    longitude: float | None = None


def demo_places() -> tuple[DemoPlace, ...]:
    """The demo city's named places as data (`demo_places.toml`), two or three per seed quartier."""
    with PLACE_FILE.open("rb") as file:
        return tuple(DemoPlace(**raw) for raw in tomllib.load(file)["place"])


async def ensure_demo_places(session: AsyncSession) -> dict[str, m.Place]:
    """Create the missing demo places; returns every demo place by name."""
    quartiers = {q.code: q for q in await session.scalars(select(m.Quartier))}
    existing = {(p.quartier_id, p.name): p for p in await session.scalars(select(m.Place))}
    places: dict[str, m.Place] = {}
    for demo in demo_places():
        quartier = quartiers[demo.quartier]
        place = existing.get((quartier.id, demo.name))
        if place is None:
            place = m.Place(quartier_id=quartier.id, name=demo.name, latitude=demo.latitude, longitude=demo.longitude)
            session.add(place)
        places[demo.name] = place
    await session.flush()
    return places
