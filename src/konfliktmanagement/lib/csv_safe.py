"""CSV that a spreadsheet opens as data, never as formulas (CSV injection, OWASP's rule).

A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` (tab and carriage return can
hide such a start), so a place named `=HYPERLINK(...)` in a statistics download would run when the
file is opened. Such a text cell is prefixed with a single quote, which the spreadsheet shows as
text. Numbers stay numbers: a value that is a number (`-3`, `+2`, `-1,5`, or an int/float) is not
text, so a negative count in a table is still summed by the spreadsheet. Every CSV the service
writes goes through `writer()`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


def neutralise(value: object) -> object:
    """The value as a cell: text that a spreadsheet would evaluate gets a leading `'`; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose rows are neutralised cell by cell."""

    def __init__(self, writer: _Writer) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise(value) for value in row])


def writer(out: Any, **fmtparams: Any) -> SafeWriter:
    return SafeWriter(csv.writer(out, **fmtparams))
