"""Named public places of the demo city, two or three per seed quartier (DESIGN.md §2, `Place`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m

# quartier code → ((place name, latitude, longitude), ...); coordinates only where the office
# bothered to record them, as in a real master-data list.
DEMO_PLACES: dict[str, tuple[tuple[str, float | None, float | None], ...]] = {
    "Q01": (
        ("Platz an St. Josef", 51.3271, 6.5663),
        ("Unterführung am Bahnhof", 51.3253, 6.5672),
        ("Spielplatz Josefshof", None, None),
    ),
    "Q02": (
        ("Schinkenplatz", 51.3247, 6.5758),
        ("Grünanlage Kölner Straße", None, None),
    ),
    "Q03": (
        ("Bolzplatz Lehmheide", 51.3468, 6.5781),
        ("Vorplatz Einkaufszentrum Lehmheide", None, None),
    ),
    "Q04": (
        ("Spielplatz Bleichpfad", 51.3431, 6.5562),
        ("Wendehammer Bleichpfad", None, None),
    ),
    "Q05": (
        ("Kiosk-Ecke Hardenberger Straße", 51.3352, 6.5897),
        ("Haltestelle Hardenberg", None, None),
    ),
    "Q06": (
        ("Park am Gatherhof", 51.3204, 6.5921),
        ("Grillwiese Gatherhof", None, None),
    ),
    "Q07": (
        ("Stahldorfer Markt", 51.3098, 6.5849),
        ("Vorplatz Jugendtreff Stahldorf", None, None),
    ),
    "Q08": (
        ("Skateranlage Süd", 51.3142, 6.5633),
        ("Parkdeck Südbahnhof", None, None),
        ("Kleingartenweg Süd", None, None),
    ),
}


async def ensure_demo_places(session: AsyncSession) -> dict[str, m.Place]:
    """Create the missing demo places; returns every demo place by name."""
    quartiers = {q.code: q for q in await session.scalars(select(m.Quartier))}
    existing = {(p.quartier_id, p.name): p for p in await session.scalars(select(m.Place))}
    places: dict[str, m.Place] = {}
    for code, entries in DEMO_PLACES.items():
        quartier = quartiers[code]
        for name, latitude, longitude in entries:
            place = existing.get((quartier.id, name))
            if place is None:
                place = m.Place(quartier_id=quartier.id, name=name, latitude=latitude, longitude=longitude)
                session.add(place)
            places[name] = place
    await session.flush()
    return places
