"""When the demo's cases happened: each case is replayed at its own moments over the last two years.

A scenario's `age` says how many days ago the case came in; its steps follow at roughly even
intervals until a little before today, shifted by a few days and set to office hours by a random
generator seeded with the scenario's title — the same demo on every load of the same day, relative to
that day. While a case is replayed, `lib.clock.replay` makes the app's own services see the moment
of each step, so references, `created_at`, `closed_at` and the hash-chained audit events carry it;
`backdated` stamps the rows that only get a timestamp from a column default (advanced-alchemy's
`created_at`/`updated_at`, assignment and escalation times) with it too.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from konfliktmanagement.lib import clock
from konfliktmanagement.lib.clock import BERLIN

SEED = "konfliktmanagement-demo-1"
OFFICE_HOURS = (8 * 60, 17 * 60)  # minutes after midnight, Berlin
STEP_GAP = timedelta(minutes=7)  # at least this much between two steps of one case
# Columns filled by a default with the real time when a row is inserted: set to the replayed moment.
STAMPED_ON_INSERT = ("created_at", "updated_at", "assigned_at", "recorded_at")


def schedule(title: str, age: int, steps: int, present: datetime, *, closes: bool) -> list[datetime]:
    """The moments of a case: it comes in `age` days before `present`, then `steps` steps follow — up
    to a little before today while it is open, within a few weeks or months when it `closes`.

    Strictly increasing, all before `present`; deterministic for the same title, age, steps and day."""
    rng = random.Random(f"{SEED}:{title}")  # noqa: S311 - reproducible demo dates, no secret
    today = present.astimezone(BERLIN).date()
    start = today - timedelta(days=age)
    span = age * steps / (steps + 1)
    if closes:  # a closed case took about three weeks a step, give or take
        span = min(span, steps * rng.uniform(12, 30) + rng.uniform(0, 40))
    gap = span / steps if steps else 0.0
    moments: list[datetime] = []
    for index in range(steps + 1):
        shift = rng.uniform(-gap / 4, gap / 4) if index else 0.0
        day = start + timedelta(days=round(gap * index + shift))
        minute = rng.randrange(*OFFICE_HOURS)
        moment = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=BERLIN)
        latest = present - STEP_GAP * (steps + 1 - index)
        earliest = moments[-1] + STEP_GAP if moments else moment
        moments.append(max(min(moment, latest), earliest))
    return moments


def _stamp(session: Session, *_: Any) -> None:
    moment = clock.now()
    for row in session.new:
        for column in STAMPED_ON_INSERT:
            if hasattr(row, column) and getattr(row, column) is None:
                setattr(row, column, moment)
    for row in session.dirty:  # also a row whose version is bumped for a changed collection only
        if hasattr(row, "updated_at"):
            row.updated_at = moment
            # Marked even when equal to the stored value, or advanced-alchemy stamps the real time.
            flag_modified(row, "updated_at")


@contextmanager
def backdated(session: AsyncSession) -> Iterator[None]:
    """While open, rows flushed in `session` are stamped with `clock.now()` (the replayed moment)."""
    event.listen(session.sync_session, "before_flush", _stamp)
    try:
        yield
    finally:
        event.remove(session.sync_session, "before_flush", _stamp)
