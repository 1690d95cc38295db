"""OWASP's rule for CSV cells: text that starts a formula is quoted; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from konfliktmanagement.lib import csv_safe


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+cmd", "'+cmd"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1+1", "'-1+1"),
        ("-3", "-3"),
        ("+2", "+2"),
        ("-1,5", "-1,5"),
        (-7, -7),
        ("Nordstadt", "Nordstadt"),
        ("a=b", "a=b"),
        ("–", "–"),
        ("", ""),
        (None, None),
    ],
)
def test_neutralise(value: object, cell: object) -> None:
    assert csv_safe.neutralise(value) == cell


def test_writer_neutralises_every_cell_of_a_row() -> None:
    out = io.StringIO()
    csv_safe.writer(out, delimiter=";", lineterminator="\n").writerow(["=1", -2, "-2", "ok"])
    assert next(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == ["'=1", "-2", "-2", "ok"]
