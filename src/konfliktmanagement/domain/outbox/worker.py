"""The app's background delivery: every `KM_OUTBOX_INTERVAL_SECONDS` (0 = off), deliver what is due.

Several app instances may all run it; claiming in `delivery.py` keeps them from sending a message twice.
Shutdown waits for the message being sent instead of cancelling it mid-transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import structlog
from litestar import Litestar

from konfliktmanagement.domain.outbox.delivery import deliver_due
from konfliktmanagement.lib.mail import SMTP_TIMEOUT_SECONDS, SmtpConfig

logger = structlog.get_logger("konfliktmanagement.outbox")

BATCH = 10


@asynccontextmanager
async def outbox_delivery(app: Litestar) -> AsyncIterator[None]:
    interval = app.state["settings"].outbox_interval_seconds
    if interval <= 0:
        yield
        return
    stop = anyio.Event()
    task = asyncio.create_task(_run(app, interval, stop), name="outbox-delivery")
    try:
        yield
    finally:
        stop.set()
        try:
            # One message may be in the middle of its SMTP transaction: let it finish and be recorded.
            await asyncio.wait_for(task, timeout=3 * SMTP_TIMEOUT_SECONDS)
        except TimeoutError:
            logger.warning("outbox_worker_stop_timeout")


async def _run(app: Litestar, interval: int, stop: anyio.Event) -> None:
    config = app.state["alchemy_config"]
    smtp = SmtpConfig.from_settings(app.state["settings"])
    while not stop.is_set():
        with anyio.move_on_after(interval):
            await stop.wait()
        while not stop.is_set():
            try:
                report = await deliver_due(config.get_session, smtp, limit=BATCH)
            except Exception as exc:  # the loop must survive a database outage
                logger.warning("outbox_worker_error", error=type(exc).__name__)
                break
            if len(report.ids) < BATCH:
                break
