"""Server-rendered horizontal bar charts (inline SVG, no JavaScript) of published values.

Only geometry is computed here; `templates/statistics/_chart.html` draws it, so every label is
escaped by Jinja. Withheld values ("<5", ".") get no bar, only their published sign: a bar for
"<5" would reveal more than the table does.

A table of one dimension gets one bar per value. A table of two (or more) gets grouped bars: a
group per value of its first dimension, headed by its name, and in it one bar per value of its last
dimension, each labelled with that value's name (the colour repeats it, never carries it alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from konfliktmanagement.db import models as m

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 48
BAR_HEIGHT = 20
GROUPED_BAR_HEIGHT = 16
ROW_GAP = 8
GROUPED_ROW_GAP = 4
HEADING_HEIGHT = 26
TOP = 8
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 16
SERIES_COLOURS = 6  # `chart-series-0` … `-5` in app.css, then again from the first


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    display: str
    y: int  # top of the bar
    width: int  # 0 for a zero or withheld value
    height: int
    text_y: int  # baseline of the label and value text
    withheld: bool
    series: int  # the colour: the position of the bar's label in the legend


@dataclass(frozen=True, slots=True)
class Heading:
    label: str
    text_y: int


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    description: str
    bars: tuple[Bar, ...]
    headings: tuple[Heading, ...]
    legend: tuple[tuple[str, int], ...]  # each series' name and colour; empty for a one-dimensional chart
    width: int
    height: int
    label_width: int
    bar_x: int


# A group: its heading (None: no heading) and its bars as (label, cell).
Group = tuple[str | None, Sequence[tuple[str, m.PublishedCell]]]


def bar_chart(title: str, description: str, cells: Sequence[m.PublishedCell], dimension: str) -> BarChart | None:
    """One bar per cell, labelled with the cell's value of `dimension`."""
    return _chart(title, description, [(None, [(cell.dimension_labels[dimension], cell) for cell in cells])], ())


def grouped_bar_chart(title: str, description: str, groups: Sequence[Group], legend: Sequence[str]) -> BarChart | None:
    return _chart(title, description, groups, tuple((name, i % SERIES_COLOURS) for i, name in enumerate(legend)))


def _chart(
    title: str, description: str, groups: Sequence[Group], legend: tuple[tuple[str, int], ...]
) -> BarChart | None:
    cells = [cell for _, members in groups for _, cell in members]
    if not cells:
        return None
    largest = max((cell.value or 0 for cell in cells), default=0)
    colours = dict(legend)
    height, gap = (GROUPED_BAR_HEIGHT, GROUPED_ROW_GAP) if legend else (BAR_HEIGHT, ROW_GAP)
    bars, headings, y = [], [], TOP
    for heading, members in groups:
        if heading is not None:
            headings.append(Heading(label=heading, text_y=y + HEADING_HEIGHT - 8))
            y += HEADING_HEIGHT
        for label, cell in members:
            value = cell.value or 0
            width = round(BAR_AREA * value / largest) if largest else 0
            bars.append(
                Bar(
                    label=label,
                    display=cell.display,
                    y=y,
                    width=max(width, 1) if value else 0,
                    height=height,
                    text_y=y + height - 4,
                    withheld=cell.value is None,
                    series=colours.get(label, 0),
                )
            )
            y += height + gap
    return BarChart(
        title=title,
        description=description,
        bars=tuple(bars),
        headings=tuple(headings),
        legend=legend,
        width=WIDTH,
        height=y + TOP,
        label_width=LABEL_WIDTH,
        bar_x=LABEL_WIDTH + 8,
    )
