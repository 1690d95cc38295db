"""The app's background delivery: every `KM_OUTBOX_INTERVAL_SECONDS` (0 = off), deliver what is due.

Several app instances may all run it; claiming in `delivery.py` keeps them from sending a message twice.
Shutdown waits for the message being sent instead of cancelling it mid-transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from litestar import Litestar

from konfliktmanagement.domain.outbox.delivery import deliver_due
from konfliktmanagement.lib.mail import SMTP_TIMEOUT_SECONDS, SmtpConfig
from konfliktmanagement.lib.periodic import periodic

BATCH = 10


@asynccontextmanager
async def outbox_delivery(app: Litestar) -> AsyncIterator[None]:
    config = app.state["alchemy_config"]
    smtp = SmtpConfig.from_settings(app.state["settings"])

    async def deliver(stopping: Callable[[], bool]) -> None:
        # Batch after batch while a full one came back, ending between two when the app stops.
        while not stopping():
            report = await deliver_due(config.get_session, smtp, limit=BATCH)
            if len(report.ids) < BATCH:
                return

    # One message may be in the middle of its SMTP transaction at shutdown: let it finish and be recorded.
    interval = app.state["settings"].outbox_interval_seconds
    async with periodic("outbox-delivery", deliver, interval=interval, stop_timeout=3 * SMTP_TIMEOUT_SECONDS):
        yield
