"""Downloads of a stored publication: JSON and CSV, built only from what was published."""

from __future__ import annotations

import io
from typing import Any

from konfliktmanagement.db import models as m
from konfliktmanagement.lib import csv_safe


def publication_summary(publication: m.StatisticsPublication) -> dict[str, Any]:
    base = f"/api/v1/statistics/{publication.period}/{publication.table_code}"
    return {
        "table_code": publication.table_code,
        "period": publication.period,
        "title": publication.title,
        "note": publication.note,
        "provisional": publication.provisional,
        "published_at": publication.created_at.isoformat(),
        "snapshot_at": publication.snapshot_at.isoformat(),
        "ptable_sha256": publication.ptable_sha256,
        "downloads": {"json": f"{base}.json", "csv": f"{base}.csv"},
    }


def as_json(publication: m.StatisticsPublication) -> dict[str, Any]:
    return {
        **publication_summary(publication),
        "dimensions": publication.dimensions,
        "cells": [
            {
                "dimensions": cell.dimension_values,
                "labels": cell.dimension_labels,
                "value": cell.value,
                "display": cell.display,
                "state": cell.state,
            }
            for cell in publication.cells
        ],
    }


def as_csv(publication: m.StatisticsPublication) -> str:
    """Semicolon-separated (as German spreadsheets expect), with the note in `#` comment lines.

    The comment lines are the catalogue's own texts; every cell goes through `csv_safe` (names of
    quartiers and places are typed by people)."""
    out = io.StringIO()
    for line in (
        publication.title,
        f"Zeitraum: {publication.period}",
        f"Hinweis: {publication.note}",
        f"p-Tabelle (SHA-256): {publication.ptable_sha256}",
    ):
        out.write(f"# {line}\n")
    writer = csv_safe.writer(out, delimiter=";", lineterminator="\n")
    codes = [d["code"] for d in publication.dimensions]
    header = [part for d in publication.dimensions for part in (f"{d['code']}_code", d["label"])]
    writer.writerow([*header, "Wert"])
    for cell in publication.cells:
        row = [part for code in codes for part in (cell.dimension_values[code], cell.dimension_labels[code])]
        writer.writerow([*row, cell.display])
    return out.getvalue()
