"""The time in the office's zone: dates people see and enter (deadlines, Wiedervorlage) are Berlin dates.

Everything that stamps or compares with the current time asks `now()` or `today()`. Only the demo
loader replays history (`replay`): inside its block they answer the moment being replayed, so cases
created, moved and closed in the demo's past get the timestamps, references and audit events the app
itself would have written then (`domain/system/demo.py`). The moment lives in a context variable: other
requests and tasks keep the real time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

_REPLAYED: ContextVar[datetime | None] = ContextVar("km_replayed_moment", default=None)


def now() -> datetime:
    return _REPLAYED.get() or datetime.now(UTC)


def today() -> date:
    return now().astimezone(BERLIN).date()


@contextmanager
def replay() -> Iterator[Callable[[datetime], None]]:
    """A block in which `now()` answers what the yielded `move_to(moment)` last set (the real time until
    then); afterwards the real time again. `moment` must be timezone-aware."""

    def move_to(moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a replayed moment needs a timezone")
        _REPLAYED.set(moment.astimezone(UTC))

    token = _REPLAYED.set(None)
    try:
        yield move_to
    finally:
        _REPLAYED.reset(token)
