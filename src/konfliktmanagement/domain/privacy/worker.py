"""The daily retention run in the app: a minute after start, then every `KM_RETENTION_INTERVAL_HOURS`
(default 24; 0 = off, then run `konfliktmanagement retention run` from cron). Several instances may
all run it: the job locks the closed cases it works on, and erasing what is already erased changes
nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from litestar import Litestar

from konfliktmanagement.domain.privacy.retention import run_retention
from konfliktmanagement.lib.clock import today
from konfliktmanagement.lib.periodic import periodic

FIRST_RUN_SECONDS = 60  # an instance restarted daily must still run


@asynccontextmanager
async def daily_retention(app: Litestar) -> AsyncIterator[None]:
    config = app.state["alchemy_config"]

    async def retention(_stopping: Callable[[], bool]) -> None:
        async with config.get_session() as session:
            await run_retention(session, today(), dry_run=False)
            await session.commit()

    hours = app.state["settings"].retention_interval_hours
    async with periodic("retention", retention, interval=hours * 3600, first_wait=FIRST_RUN_SECONDS):
        yield
