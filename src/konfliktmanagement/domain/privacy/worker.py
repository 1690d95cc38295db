"""The daily retention run in the app: a minute after start, then every `KM_RETENTION_INTERVAL_HOURS`
(default 24; 0 = off, then run `konfliktmanagement retention run` from cron). Several instances may
all run it: the job locks the closed cases it works on, and erasing what is already erased changes
nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import structlog
from litestar import Litestar

from konfliktmanagement.domain.privacy.retention import run_retention
from konfliktmanagement.lib.clock import today

logger = structlog.get_logger("konfliktmanagement.privacy")

FIRST_RUN_SECONDS = 60


@asynccontextmanager
async def daily_retention(app: Litestar) -> AsyncIterator[None]:
    hours = app.state["settings"].retention_interval_hours
    if hours <= 0:
        yield
        return
    stop = anyio.Event()
    task = asyncio.create_task(_run(app, hours * 3600, stop), name="retention")
    try:
        yield
    finally:
        stop.set()
        await task


async def _run(app: Litestar, interval: float, stop: anyio.Event) -> None:
    config = app.state["alchemy_config"]
    wait = min(FIRST_RUN_SECONDS, interval)  # an instance restarted daily must still run
    while not stop.is_set():
        with anyio.move_on_after(wait):
            await stop.wait()
        if stop.is_set():
            return
        try:
            async with config.get_session() as session:
                await run_retention(session, today(), dry_run=False)
                await session.commit()
        except Exception as exc:  # the loop must survive a database outage; tomorrow is another run
            logger.warning("retention_worker_error", error=type(exc).__name__)
        wait = interval
