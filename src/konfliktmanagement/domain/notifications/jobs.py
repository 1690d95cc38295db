"""The notification job: write what fell due, then the day's digests (from `KM_DIGEST_HOUR`, Berlin).

The app runs it every `KM_NOTIFICATION_INTERVAL_MINUTES` (default 60; 0 = off, then run
`konfliktmanagement notifications run` from cron). Several instances may run it at once: notifications
are unique per person and key, digests per person and day (the outbox's key).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.domain.notifications.digest import send_digests
from konfliktmanagement.domain.notifications.generation import generate
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.periodic import periodic
from konfliktmanagement.lib.settings import Settings


async def run_notifications(session: AsyncSession, day: date, settings: Settings, *, digests: bool = True) -> int:
    """Write the day's due notifications and (with `digests`) enqueue the digests; flushes, never commits."""
    await generate(session, day)
    return await send_digests(session, day, settings.effective_base_url) if digests else 0


@asynccontextmanager
async def notification_job(app: Litestar) -> AsyncIterator[None]:
    config = app.state["alchemy_config"]
    settings: Settings = app.state["settings"]

    async def job(_stopping: Callable[[], bool]) -> None:
        now = datetime.now(BERLIN)
        async with config.get_session() as session:
            await run_notifications(session, now.date(), settings, digests=now.hour >= settings.digest_hour)
            await session.commit()

    interval = settings.notification_interval_minutes * 60
    async with periodic("notifications", job, interval=interval, first_wait=60):
        yield
