"""Downloads of a stored publication: JSON, CSV and XLSX, built only from what was published.

CSV and XLSX carry the same rows (`data_rows`): one per cell, its dimension codes and labels, then
the value — a number where one is published, the sign ("<5", ".") where it is withheld. The CSV is
data only, its header the first line (spreadsheets show comment lines as data); what describes the
table (period, method, notes, p-table hash, vorläufig: `metadata`) is in the JSON, on the table page
and on the XLSX's second sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.grid import STATE_PUBLISHED
from konfliktmanagement.lib import csv_safe
from konfliktmanagement.lib.i18n import gettext as _

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUFFIXES = ("json", "csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def publication_summary(publication: m.StatisticsPublication) -> dict[str, Any]:
    base = f"/api/v1/statistics/{publication.period}/{publication.table_code}"
    return {**metadata(publication), "downloads": {suffix: f"{base}.{suffix}" for suffix in SUFFIXES}}


def metadata(publication: m.StatisticsPublication) -> dict[str, Any]:
    """What describes a published table, for the JSON and the XLSX's second sheet."""
    return {
        "table_code": publication.table_code,
        "period": publication.period,
        "title": publication.title,
        "provisional": publication.provisional,
        "method": c.METHOD,
        "note": publication.note,
        "ptable_sha256": publication.ptable_sha256,
        "snapshot_at": publication.snapshot_at.isoformat(),
        "published_at": publication.created_at.isoformat(),
    }


def _metadata_labels() -> dict[str, str]:
    return {
        "title": _("Tabelle"),
        "table_code": _("Kennung der Tabelle"),
        "period": _("Zeitraum"),
        "provisional": _("Vorläufig"),
        "method": _("Methode"),
        "note": _("Hinweis"),
        "ptable_sha256": _("Überlagerungstabelle (SHA-256)"),
        "snapshot_at": _("Stand der Daten (UTC)"),
        "published_at": _("Veröffentlicht am (UTC)"),
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


def data_rows(publication: m.StatisticsPublication) -> Iterator[list[str | int]]:
    """The header, then one row per cell: code and label of each dimension, then the value."""
    codes = [d["code"] for d in publication.dimensions]
    yield [*(part for d in publication.dimensions for part in (f"{d['code']}_code", d["label"])), "Wert"]
    for cell in publication.cells:
        value: str | int = cell.value if cell.state == STATE_PUBLISHED and cell.value is not None else cell.display
        yield [*(part for code in codes for part in (cell.dimension_values[code], cell.dimension_labels[code])), value]


def as_csv(publication: m.StatisticsPublication) -> str:
    """Semicolon-separated (as German spreadsheets expect), the header first. Every cell goes through
    `csv_safe` (names of quartiers and places are typed by people)."""
    out = io.StringIO()
    writer = csv_safe.writer(out, delimiter=";", lineterminator="\n")
    for row in data_rows(publication):
        writer.writerow(row)
    return out.getvalue()


def as_xlsx(publication: m.StatisticsPublication) -> bytes:
    """The data on the first sheet (numbers as numbers), the metadata on the second.

    Text is stored as text, never as a formula: openpyxl would take a name starting with `=` for one,
    so such a cell is typed as a string and marked like a typed `'` (`quotePrefix`)."""
    from openpyxl import Workbook  # imported on the first download, not when the app starts

    book = Workbook()
    data = book.active
    assert data is not None
    data.title = _("Daten")
    for row in data_rows(publication):
        _append(data, row)
    data.freeze_panes = "A2"
    facts = book.create_sheet(_("Metadaten"))
    labels = _metadata_labels()
    for key, value in metadata(publication).items():
        shown = (_("ja") if value else _("nein")) if isinstance(value, bool) else value
        _append(facts, [labels[key], shown])
    facts.column_dimensions["A"].width = 32
    facts.column_dimensions["B"].width = 100
    book.properties.creator = "Konfliktmanagement"
    book.properties.title = f"{publication.title} {publication.period}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet: Worksheet, values: list[Any]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if csv_safe.neutralise(cell.value) != cell.value:
                cell.quotePrefix = True
