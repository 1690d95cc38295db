from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers import boundaries
from konfliktmanagement.domain.quartiers.seeds import SEED_DISTRICTS

# The seed quartiers' simple outlines, as an import file would bring them (and a sample for one).
SEED_BOUNDARY_FILE = Path(__file__).with_name("seed_boundaries.geojson")


@cache
def seed_boundaries() -> dict[str, dict[str, Any]]:
    """Quartier code → its normalised outline, from `seed_boundaries.geojson`."""
    features = boundaries.read_features(SEED_BOUNDARY_FILE.read_text(encoding="utf-8"))
    checked = {feature.code: boundaries.check_geometry(feature.geometry) for feature in features}
    return {code: check.geometry for code, check in checked.items() if check.geometry is not None}


async def ensure_seed_quartiers(session: AsyncSession) -> int:
    """Create the seed districts and quartiers that are missing; returns how many quartiers were added.

    New seed quartiers get their seed outline; quartiers that exist already keep what they have."""
    districts = {d.code: d for d in await session.scalars(select(m.Stadtbezirk))}
    known = set(await session.scalars(select(m.Quartier.code)))
    outlines = seed_boundaries()
    added = 0
    for code, name, quartiers in SEED_DISTRICTS:
        district = districts.get(code)
        if district is None:
            district = m.Stadtbezirk(code=code, name=name)
            session.add(district)
            await session.flush()
        for q_code, q_name in quartiers:
            if q_code not in known:
                session.add(
                    m.Quartier(
                        code=q_code,
                        name=q_name,
                        stadtbezirk_id=district.id,
                        boundary=copy.deepcopy(outlines.get(q_code)),
                    )
                )
                added += 1
    await session.flush()
    return added
