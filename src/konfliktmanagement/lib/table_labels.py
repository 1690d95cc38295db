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

# The tags that matter, in one scan of the page: a pass per table, row and cell (as regular expressions
# over their contents) cost 0.5–0.8 ms on the list pages of 300 cells; this scan about half of that.
_TAG = re.compile(r"<(/?)(table|thead|tr|th|td)\b([^>]*)>", re.I)
_CELLS = frozenset(("td", "th"))
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


def _marks(header_cells: list[tuple[str, str]]) -> list[str] | None:
    """` data-label="…"` per column (escaped once per table) from the header row's cells; None when no
    header has visible words."""
    labels: list[str] = []
    for attributes, content in header_cells:
        labels.extend([_text(content)] * _span(attributes))
    if not any(labels):
        return None
    return [f' data-label="{escape(label)}"' if label else "" for label in labels]


def label_table_cells(content: str) -> Markup:
    """`content` (rendered, safe HTML) with each body cell labelled by its column's header text.

    A table's labels come from the last row of its `thead` (the row nearest the data names the columns);
    every cell of a row after it — `tbody`, `tfoot` or neither — is labelled by its column, counting
    colspans. A table without a `thead` stays as it is.
    """
    text = str(content)
    out: list[str] = []
    copied = 0  # text[:copied] is in `out`
    in_table = in_head = in_row = False
    head_row: list[tuple[str, str]] = []  # (attributes, content) of the header cells of the current head row
    open_header: tuple[str, int] | None = None  # a header cell's attributes and where its content starts
    marks: list[str] | None = None  # set once the table's thead has ended, if it names columns
    column = 0
    for tag in _TAG.finditer(text):
        closing, name, attributes = tag.groups()
        name = name.lower()
        if in_row and not closing and name in _CELLS:  # the common case first: a body cell's opening tag
            mark = marks[column] if marks is not None and column < len(marks) else ""
            column += _span(attributes)
            if mark and "data-label" not in attributes:
                out.append(text[copied : tag.end() - 1])
                out.append(mark)
                copied = tag.end() - 1
        elif name == "table":
            in_table, in_head, in_row, marks = not closing, False, False, None
        elif not in_table:
            continue
        elif name == "thead":
            if not closing and marks is None:
                in_head, head_row = True, []
            elif closing and in_head:
                in_head, marks = False, _marks(head_row)
        elif in_head:
            if name == "tr" and not closing:
                head_row, open_header = [], None
            elif name == "th":
                if not closing:
                    open_header = (attributes, tag.end())
                elif open_header is not None:
                    head_row.append((open_header[0], text[open_header[1] : tag.start()]))
                    open_header = None
        elif name == "tr" and marks is not None:  # only rows after a naming thead are labelled
            in_row, column = not closing, 0
    out.append(text[copied:])
    return Markup("".join(out))  # noqa: S704 - rendered template output, only attributes added (escaped)
