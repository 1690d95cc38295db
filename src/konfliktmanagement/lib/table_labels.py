"""Column labels on every table cell, so a table read as cards on a phone keeps them (`data-label`).

On narrow screens the stylesheet lays each row out as a card and prints a cell's `data-label` in
front of it (`td[data-label]::before`): "Nächster Termin: 12.03." instead of a lone "12.03.". The
labels come from the table's own header row, added once here for every page (base.html filters its
content), so no template has to repeat its column names and a new table cannot forget them. Cells
that carry a `data-label` already keep theirs; cells under an empty header get none.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_THEAD = re.compile(r"<thead\b.*?</thead>", re.S | re.I)
_HEADER_CELL = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S | re.I)
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.S | re.I)
_CELL_OPEN = re.compile(r"<(td|th)\b([^>]*)>", re.I)
_COLSPAN = re.compile(r"""colspan\s*=\s*["']?(\d+)""", re.I)
_TAGS = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"""<(\w+)[^>]*class="[^"]*visually-hidden[^"]*"[^>]*>.*?</\1>""", re.S | re.I)


def _span(attributes: str) -> int:
    if "colspan" not in attributes.lower():  # nearly every cell: no regex search
        return 1
    match = _COLSPAN.search(attributes)
    return max(1, int(match.group(1))) if match else 1


def _text(cell_html: str) -> str:
    """The header's words as a sighted reader sees them (visually hidden helper texts left out)."""
    visible = _TAGS.sub(" ", _HIDDEN.sub(" ", cell_html))
    return " ".join(html.unescape(visible).split())


def _labels(table: str) -> list[str]:
    head = _THEAD.search(table)
    if head is None:
        return []
    rows = _ROW.findall(head.group(0))
    last_row = rows[-1][1] if rows else head.group(0)  # the row nearest the data names the columns
    labels: list[str] = []
    for attributes, content in _HEADER_CELL.findall(last_row):
        labels.extend([_text(content)] * _span(attributes))
    return labels


def _label_row(row: str, marks: list[str]) -> str:
    """`row` with `marks[column]` (` data-label="…"`, escaped once per table) added to each cell's tag."""
    column = 0

    def cell(match: re.Match[str]) -> str:
        nonlocal column
        tag, attributes = match.groups()
        mark = marks[column] if column < len(marks) else ""
        column += _span(attributes)
        if mark and "data-label" not in attributes:
            return f"<{tag}{attributes}{mark}>"
        return match.group(0)

    return _CELL_OPEN.sub(cell, row)


def _label_table(match: re.Match[str]) -> str:
    table = match.group(0)
    head = _THEAD.search(table)
    labels = _labels(table)
    if head is None or not any(labels):
        return table
    # Every row after the header (tbody, tfoot, or rows without either).
    marks = [f' data-label="{escape(label)}"' if label else "" for label in labels]
    rest = _ROW.sub(lambda r: r.group(1) + _label_row(r.group(2), marks) + r.group(3), table[head.end() :])
    return table[: head.end()] + rest


def label_table_cells(content: str) -> Markup:
    """`content` (rendered, safe HTML) with each body cell labelled by its column's header text."""
    return Markup(_TABLE.sub(_label_table, str(content)))  # noqa: S704 - rendered template output, only attributes added (escaped)
