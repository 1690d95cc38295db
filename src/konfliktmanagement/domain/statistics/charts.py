"""Server-rendered horizontal bar charts (inline SVG, no JavaScript) of published values.

Only geometry is computed here; `templates/statistics/_chart.html` draws it, so every label is
escaped by Jinja. Withheld values ("<5", ".") get no bar, only their published sign: a bar for
"<5" would reveal more than the table does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from konfliktmanagement.db import models as m

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 48
BAR_HEIGHT = 20
ROW_GAP = 8
TOP = 8
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 16


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    display: str
    y: int  # top of the bar
    width: int  # 0 for a zero or withheld value
    text_y: int  # baseline of the label and value text
    withheld: bool


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    description: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    bar_x: int


def bar_chart(title: str, description: str, cells: Sequence[m.PublishedCell], dimension: str) -> BarChart | None:
    if not cells:
        return None
    largest = max((cell.value or 0 for cell in cells), default=0)
    bars = []
    for index, cell in enumerate(cells):
        y = TOP + index * (BAR_HEIGHT + ROW_GAP)
        value = cell.value or 0
        width = round(BAR_AREA * value / largest) if largest else 0
        bars.append(
            Bar(
                label=cell.dimension_labels[dimension],
                display=cell.display,
                y=y,
                width=max(width, 1) if value else 0,
                text_y=y + BAR_HEIGHT - 5,
                withheld=cell.value is None,
            )
        )
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + ROW_GAP)
    return BarChart(
        title=title,
        description=description,
        bars=tuple(bars),
        width=WIDTH,
        height=height,
        label_width=LABEL_WIDTH,
        bar_x=LABEL_WIDTH + 8,
    )
