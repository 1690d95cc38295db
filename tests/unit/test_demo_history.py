"""The demo's timeline (`demo_history.schedule`): reproducible, in order, in the past, and closed cases
closed within months rather than at the end of their age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from konfliktmanagement.domain.system.demo_history import schedule
from konfliktmanagement.lib.clock import BERLIN

PRESENT = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(("age", "steps", "closes"), [(705, 6, True), (300, 5, False), (3, 2, False), (2, 0, False)])
def test_a_schedule_is_reproducible_ordered_and_in_the_past(age: int, steps: int, closes: bool) -> None:
    moments = schedule("Lärm am Platz", age, steps, PRESENT, closes=closes)
    assert moments == schedule("Lärm am Platz", age, steps, PRESENT, closes=closes)
    assert len(moments) == steps + 1
    assert all(a < b for a, b in pairwise(moments))
    assert moments[-1] < PRESENT
    assert PRESENT - moments[0] <= timedelta(days=age + 1)
    assert moments[0].date() <= (PRESENT - timedelta(days=age - 1)).date()
    assert 8 <= moments[0].astimezone(BERLIN).hour < 17  # came in during office hours


def test_a_closed_case_closes_within_months_an_open_one_runs_until_lately() -> None:
    closed = schedule("Müll an der Kiosk-Ecke", 600, 4, PRESENT, closes=True)
    running = schedule("Müll an der Kiosk-Ecke", 600, 4, PRESENT, closes=False)
    assert timedelta(days=40) < closed[-1] - closed[0] < timedelta(days=170)
    assert PRESENT - running[-1] < timedelta(days=150)
    titles = [f"Fall {n}" for n in range(20)]
    assert len({schedule(t, 400, 3, PRESENT, closes=True)[-1].date() for t in titles}) > 10  # not one shared day
