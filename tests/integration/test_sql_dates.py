"""The SQL date helpers give what Python gives, on both databases (they order Meine Fälle)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from litestar import Litestar
from sqlalchemy import Date, cast, literal, select

from konfliktmanagement.db import models as m
from konfliktmanagement.db.dates import berlin_date, earliest_date
from konfliktmanagement.lib.clock import BERLIN
from tests.helpers import CaseTeam

pytestmark = pytest.mark.anyio

# Around both summer-time changes of 2026 (29 March, 25 October, 01:00 UTC) and 2027, and late evenings.
MOMENTS = [
    datetime(2026, 3, 28, 22, 59, tzinfo=UTC),
    datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 3, 29, 21, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 22, 0, tzinfo=UTC),
    datetime(2026, 7, 1, 21, 59, 59, tzinfo=UTC),
    datetime(2026, 7, 1, 22, 0, tzinfo=UTC),
    datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 59, tzinfo=UTC),
    datetime(2026, 10, 25, 22, 59, tzinfo=UTC),
    datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 22, 59, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
    datetime(2027, 3, 27, 23, 30, tzinfo=UTC),
    datetime(2027, 3, 28, 22, 30, tzinfo=UTC),
]


async def test_berlin_date_of_stored_timestamps(app: Litestar, team: CaseTeam) -> None:
    async with app.state["alchemy_config"].get_session() as session:
        for moment in MOMENTS:
            session.add(
                m.MediationSession(
                    case_id=UUID(team.case_id),
                    kind=m.SessionKind.GEMEINSAME_SITZUNG.value,
                    status=m.SessionStatus.GEPLANT.value,
                    scheduled_at=moment,
                )
            )
        await session.commit()
        rows = (
            await session.execute(
                select(m.MediationSession.scheduled_at, berlin_date(m.MediationSession.scheduled_at)).where(
                    m.MediationSession.scheduled_at.is_not(None)
                )
            )
        ).all()
    assert len(rows) == len(MOMENTS)
    for moment, day in rows:
        assert day == moment.astimezone(BERLIN).date(), moment


@pytest.mark.parametrize(
    "days",
    [(None, None, None), (3, None, None), (None, 2, None), (None, None, 1), (5, 2, 9), (None, 7, 4), (1, None, 1)],
)
async def test_earliest_date_ignores_nulls(app: Litestar, backend: str, days: tuple[int | None, ...]) -> None:
    base = date(2026, 1, 1)
    values = [None if d is None else base + timedelta(days=d) for d in days]
    # Bound as the columns are stored: SQLite keeps dates as ISO text (a CAST would make numbers).
    args = [literal(v, Date()) if backend == "sqlite" else cast(literal(v, Date()), Date) for v in values]
    async with app.state["alchemy_config"].get_session() as session:
        found = await session.scalar(select(earliest_date(*args)))
    known = [v for v in values if v is not None]
    assert found == (min(known) if known else None)
