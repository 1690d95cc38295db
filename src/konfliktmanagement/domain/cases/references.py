"""Case reference numbers `KM-<year>-<nnnn>`: unique, issued under a row lock, gaps allowed."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m


def format_reference(year: int, sequence: int) -> str:
    return f"KM-{year}-{sequence:04d}"


async def next_reference(session: AsyncSession, year: int) -> tuple[int, str]:
    """The next sequence number of `year`. The counter row stays locked until the transaction ends,
    so concurrent creations queue instead of colliding; a rolled-back creation may leave a gap."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(m.CaseReferenceCounter).values(year=year, last_value=0).on_conflict_do_nothing(index_elements=["year"])
    )
    sequence = await session.scalar(
        update(m.CaseReferenceCounter)
        .where(m.CaseReferenceCounter.year == year)
        .values(last_value=m.CaseReferenceCounter.last_value + 1)
        .returning(m.CaseReferenceCounter.last_value)
    )
    assert sequence is not None
    return sequence, format_reference(year, sequence)
