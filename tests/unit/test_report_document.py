"""The report document's words, changes, charts and file name come from published values only."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.outbox.services import reason_class
from konfliktmanagement.domain.round_tables.report_document import changes, charts, file_name, slug, summary
from konfliktmanagement.domain.round_tables.reports import document_parts, title_period


def table(code: str, rows: list[tuple[list[str], str]], columns: tuple[str, ...] = ("Quartier",)) -> dict[str, object]:
    return {
        "code": code,
        "title": code,
        "columns": list(columns),
        "rows": [{"labels": labels, "display": display} for labels, display in rows],
    }


SNAPSHOT = {
    "period": "2026",
    "tables": [
        table("faelle_quartier", [(["St. Josef"], "13"), (["Kirchplatz"], "<5"), (["Hafen"], ".")]),
        table("faelle_ort", [(["St. Josef / Markt"], "8")]),
    ],
    "notes": ["Ein Hinweis"],
}


def test_summary_in_words_never_turns_a_withheld_mark_into_a_number() -> None:
    assert summary(SNAPSHOT) == [
        "Laut veröffentlichter Statistik 2026 wurden in St. Josef 13 Fälle, in Kirchplatz weniger als 5 Fälle "
        "und für Hafen keine veröffentlichte Zahl bearbeitet.",
        "1 Ort(e) hatten wiederkehrende Konflikte (mindestens 3 veröffentlichte Fälle).",
        "Aus der Fallarbeit wurden 1 Hinweis(e) zur Weitergabe freigegeben.",
    ]


def test_changes_against_the_previous_report_differ_only_between_published_numbers() -> None:
    previous = {
        "period": "2026",
        "covers": ["2026-01-01", "2026-02-28"],
        "tables": [table("faelle_quartier", [(["St. Josef"], "9"), (["Kirchplatz"], "6"), (["Hafen"], ".")])],
    }
    result = changes(SNAPSHOT, previous)
    assert result is not None
    assert result["covers"] == ["2026-01-01", "2026-02-28"]
    [cases, places] = result["tables"]
    assert cases["rows"] == [
        {"labels": ["St. Josef"], "before": "9", "now": "13", "delta": "+4"},
        {"labels": ["Kirchplatz"], "before": "6", "now": "<5", "delta": None},  # no difference from "<5"
    ]
    assert places["rows"] == [{"labels": ["St. Josef / Markt"], "before": "–", "now": "8", "delta": None}]
    assert changes(SNAPSHOT, None) is None


def test_chart_bars_only_for_published_numbers() -> None:
    [chart] = charts(SNAPSHOT)
    widths = {bar.label: bar.width for bar in chart.bars}
    assert widths["St. Josef"] > 0
    assert widths["Kirchplatz"] == 0
    assert widths["Hafen"] == 0


def test_file_name_names_the_round_table_and_the_period_in_ascii() -> None:
    assert slug("Runder Tisch St. Josef") == "runder-tisch-st-josef"
    assert slug("Große Straße – Süd") == "grosse-strasse-sud"
    covers = (date(2026, 3, 1), date(2026, 6, 30))
    assert (
        file_name("Runder Tisch St. Josef", "2026", covers)
        == "bericht-runder-tisch-st-josef-2026-03-01-bis-2026-06-30.pdf"
    )
    assert file_name("Runder Tisch Süd", "2026", None) == "bericht-runder-tisch-sud-2026.pdf"


def test_a_report_reviewed_by_its_drafter_says_so() -> None:
    person = uuid4()
    report = m.RoundTableReport(
        period="2026",
        state=m.ReportState.VERSENDET.value,
        snapshot=SNAPSHOT,
        created_by_id=person,
        reviewed_by_id=person,
        covers_from=date(2026, 3, 1),
        covers_to=date(2026, 6, 30),
    )
    parts = document_parts(report)
    assert parts["single_review"] is True
    assert parts["draft"] is False
    assert title_period(report) == "01.03.2026 – 30.06.2026"
    report.reviewed_by_id = uuid4()
    assert document_parts(report)["single_review"] is False


def test_delivery_failures_have_a_reason_class_in_words() -> None:
    assert reason_class("SMTPRecipientsRefused 550") == "Empfänger abgelehnt"
    assert reason_class("ConnectionRefusedError") == "Server nicht erreichbar"
    assert reason_class("TimeoutError") == "Server nicht erreichbar"
    assert reason_class("SMTPServerDisconnected") == "Server nicht erreichbar"
    assert reason_class("Interrupted") == "Versand unterbrochen – unklar, ob die Nachricht ankam"
    assert reason_class("SMTPDataError 554") == "Nachricht vom Mailserver abgelehnt"
    assert reason_class("KeyError") == "Fehler beim Versand"
    assert reason_class(None) is None
