from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers.seeds import SEED_DISTRICTS


async def ensure_seed_quartiers(session: AsyncSession) -> int:
    """Create the seed districts and quartiers that are missing; returns how many quartiers were added."""
    districts = {d.code: d for d in await session.scalars(select(m.Stadtbezirk))}
    known = set(await session.scalars(select(m.Quartier.code)))
    added = 0
    for code, name, quartiers in SEED_DISTRICTS:
        district = districts.get(code)
        if district is None:
            district = m.Stadtbezirk(code=code, name=name)
            session.add(district)
            await session.flush()
        for q_code, q_name in quartiers:
            if q_code not in known:
                session.add(m.Quartier(code=q_code, name=q_name, stadtbezirk_id=district.id))
                added += 1
    await session.flush()
    return added
