"""The time in the office's zone: dates people see and enter (deadlines, Wiedervorlage) are Berlin dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(BERLIN).date()
