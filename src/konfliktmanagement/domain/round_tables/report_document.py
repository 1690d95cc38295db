"""What the report document says beyond its tables, computed from its snapshot's published values only.

A summary in words, the changes since the previous report, bar charts (geometry; the SVG is drawn by
`templates/round_tables/_report_chart.html`, so every label is escaped) and the PDF's file name. The
withheld marks "<5" and "." are never turned into numbers: they get words, no bar, and no difference.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from konfliktmanagement.lib.i18n import gettext as _

CASES = "faelle_quartier"
PLACES = "faelle_ort"
CHARTED = ("faelle_quartier", "faelle_quartier_konfliktgruppe")
CHART_WIDTH = 480
CHART_LABEL = 190
CHART_BAR = 16
CHART_GAP = 6

Snapshot = Mapping[str, Any]


def published_number(display: str) -> int | None:
    """The published value of a cell, or None for a withheld one ("<5", ".")."""
    return int(display) if display.isdigit() else None


def _cases_phrase(place: str, display: str) -> str:
    number = published_number(display)
    if number is None and display.startswith("<"):
        return _("in %(place)s weniger als 5 Fälle") % {"place": place}
    if number is None:
        return _("für %(place)s keine veröffentlichte Zahl") % {"place": place}
    if number == 1:
        return _("in %(place)s 1 Fall") % {"place": place}
    return _("in %(place)s %(n)s Fälle") % {"place": place, "n": number}


def summary(snapshot: Snapshot) -> list[str]:
    """A few sentences in words, from the published values and the counts of what the report lists."""
    tables = {t["code"]: t for t in snapshot.get("tables", [])}
    sentences = []
    cases = tables.get(CASES)
    if cases and cases["rows"]:
        phrases = [_cases_phrase(row["labels"][0], row["display"]) for row in cases["rows"]]
        sentences.append(
            _("Laut veröffentlichter Statistik %(year)s wurden %(phrases)s bearbeitet.")
            % {"year": snapshot["period"], "phrases": _join(phrases)}
        )
    places = tables.get(PLACES)
    if places is not None:
        count = len(places["rows"])
        sentences.append(
            _("Kein Ort hatte wiederkehrende Konflikte.")
            if count == 0
            else _("%(n)s Ort(e) hatten wiederkehrende Konflikte (mindestens 3 veröffentlichte Fälle).") % {"n": count}
        )
    notes = len(snapshot.get("notes", []))
    sentences.append(
        _("Aus der Fallarbeit wurden %(n)s Hinweis(e) zur Weitergabe freigegeben.") % {"n": notes}
        if notes
        else _("Aus der Fallarbeit wurden keine Hinweise zur Weitergabe freigegeben.")
    )
    return sentences


def _join(phrases: Sequence[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " " + _("und") + " " + phrases[-1]


def changes(current: Snapshot, previous: Snapshot | None) -> dict[str, Any] | None:
    """Published values that differ from the previous report's, table by table (None: no previous report).

    A difference is computed only between two published numbers; a withheld mark on either side is
    shown as it was published, without a difference.
    """
    if previous is None:
        return None
    before_tables = {t["code"]: t for t in previous.get("tables", [])}
    result = []
    for table in current.get("tables", []):
        before = {tuple(row["labels"]): row["display"] for row in before_tables.get(table["code"], {}).get("rows", [])}
        rows = []
        for row in table["rows"]:
            old = before.get(tuple(row["labels"]), "–")
            if old == row["display"]:
                continue
            now_value, old_value = published_number(row["display"]), published_number(old)
            delta = None if now_value is None or old_value is None else f"{now_value - old_value:+d}"
            rows.append({"labels": row["labels"], "before": old, "now": row["display"], "delta": delta})
        if rows:
            result.append({"title": table["title"], "columns": table["columns"], "rows": rows})
    return {"period": previous.get("period"), "covers": previous.get("covers"), "tables": result}


@dataclass(frozen=True, slots=True)
class ChartBar:
    label: str
    display: str
    y: int
    width: int  # 0 for a zero or withheld value: "<5" and "." get no bar


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    bars: tuple[ChartBar, ...]
    width: int
    height: int
    label_width: int


def charts(snapshot: Snapshot) -> list[Chart]:
    """Bar charts of the one-dimensional and the per-quartier tables, from the published values."""
    result = []
    for table in snapshot.get("tables", []):
        if table["code"] not in CHARTED or not table["rows"]:
            continue
        values = [published_number(row["display"]) or 0 for row in table["rows"]]
        largest = max(values) or 1
        area = CHART_WIDTH - CHART_LABEL - 40
        bars = tuple(
            ChartBar(
                label=" / ".join(row["labels"]),
                display=row["display"],
                y=index * (CHART_BAR + CHART_GAP),
                width=round(area * value / largest),
            )
            for index, (row, value) in enumerate(zip(table["rows"], values, strict=True))
        )
        height = len(bars) * (CHART_BAR + CHART_GAP)
        result.append(Chart(table["title"], bars, CHART_WIDTH, height, CHART_LABEL))
    return result


def slug(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: "Runder Tisch St. Josef" → "runder-tisch-st-josef"."""
    text = text.replace("ß", "ss")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def file_name(round_table: str, period: str, covers: tuple[date, date] | None) -> str:
    """E.g. `bericht-runder-tisch-st-josef-2026-03-01-bis-2026-06-30.pdf` (a yearly report: `…-2026.pdf`)."""
    what = f"{covers[0].isoformat()}-bis-{covers[1].isoformat()}" if covers else slug(period)
    return f"bericht-{slug(round_table)}-{what}.pdf"
