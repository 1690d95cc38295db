"""Jobs the app runs in the background while it serves (outbox delivery, the retention run), in one shape.

Off when the interval is 0 (then run the job's command from cron). A first wait, the job, then the
interval, until the app stops. An exception is logged by its kind only (never its message, which may
hold data) and the loop goes on: a database outage must not end it. Shutdown lets a running job
finish, up to `stop_timeout`, instead of cancelling it in the middle of a transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio
import structlog

logger = structlog.get_logger("konfliktmanagement.background")

# The job is told whether the app is stopping, so a job that works in batches can end between two.
Job = Callable[[Callable[[], bool]], Awaitable[None]]


@asynccontextmanager
async def periodic(
    name: str, job: Job, *, interval: float, first_wait: float | None = None, stop_timeout: float | None = None
) -> AsyncIterator[None]:
    if interval <= 0:
        yield
        return
    stop = anyio.Event()
    wait = interval if first_wait is None else min(first_wait, interval)
    task = asyncio.create_task(_loop(name, job, interval, wait, stop), name=name)
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=stop_timeout)
        except TimeoutError:
            logger.warning("background_job_stop_timeout", job=name)


async def _loop(name: str, job: Job, interval: float, wait: float, stop: anyio.Event) -> None:
    while True:
        with anyio.move_on_after(wait):
            await stop.wait()
        if stop.is_set():
            return
        try:
            await job(stop.is_set)
        except Exception as exc:  # the loop must survive a database outage; the next round retries
            logger.warning("background_job_error", job=name, error=type(exc).__name__)
        wait = interval
