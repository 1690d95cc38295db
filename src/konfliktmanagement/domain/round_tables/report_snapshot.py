"""What a round-table report shows (DESIGN.md §6): its snapshot, from stored publications and approved notes.

A draft copies into its snapshot only what is already public or approved: the published (perturbed)
statistics cells of the round table's quartiers (and, for outcomes, of their Stadtbezirke) and the
bare text of `shareable` notes a coordinator approved, of cases in those quartiers received in the
period. The statistics shown are listed in `REPORT_TABLES`: cases per quartier, conflict-type group
and status group (new / in progress / resting / closed), outcomes and follow-up per Stadtbezirk,
places with recurring conflicts (published n' >= 3) and agreement items and administration requests
per status. No case reference, party, author or record key is ever read into it. Regenerating is allowed
while the report is `entwurf`; `geprüft` freezes it; `versendet` puts one outbox message per member
(text, HTML and the PDF rendered from the same template) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics.catalogue import PLACE_SEPARATOR, RECURRING_MINIMUM, TOTAL, UNKNOWN
from konfliktmanagement.domain.statistics.publishing import LIVE, check_period
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _

Render = Callable[[str, Mapping[str, Any]], str]
PDF_MIME = "application/pdf"


@dataclass(frozen=True, slots=True)
class ReportTable:
    """Which published table goes into a report and how it is narrowed to the round table."""

    code: str
    by: str  # "quartier" or "stadtbezirk": only cells of the round table's own areas
    fixed: tuple[tuple[str, str], ...] = ()  # further dimensions held at one value (and not shown)
    title: str | None = None  # instead of the publication's title, when `fixed` narrows it
    # The dimension whose codes start with the area's code ("Q01/Spielplatz"), instead of `by` itself.
    within: str | None = None
    minimum: int | None = None  # only cells whose published value n' is at least this
    unit: str = "Fälle"  # the heading of the value column
    empty: str | None = None  # shown when no cell qualifies (else the table is left out)


REPORT_TABLES: tuple[ReportTable, ...] = (
    ReportTable("faelle_quartier", "quartier"),
    ReportTable("faelle_quartier_konfliktgruppe", "quartier"),
    # Outcomes are published per Stadtbezirk only; the report shows those of its quartiers' districts.
    ReportTable(
        "ergebnis_stadtbezirk_konfliktart",
        "stadtbezirk",
        (("konfliktart", TOTAL),),
        title="Fälle je Stadtbezirk nach Ergebnis (alle Konfliktarten)",
    ),
    ReportTable("nachbetreuung_stadtbezirk", "stadtbezirk"),
    # New, in progress, resting and closed cases of the quartiers (status at the publication).
    ReportTable("faelle_quartier_status", "quartier"),
    # Places with recurring conflicts: the quartiers' places with a published n' >= 3 (no n' is 1 or 2).
    ReportTable(
        "faelle_ort",
        "quartier",
        within="ort",
        minimum=RECURRING_MINIMUM,
        title="Orte mit wiederkehrenden Konflikten (mindestens 3 veröffentlichte Fälle)",
        empty="In den Quartieren dieses Runden Tisches gibt es keinen Ort mit wiederkehrenden Konflikten.",
    ),
    ReportTable("vereinbarungspunkte_quartier", "quartier", unit="Vereinbarungspunkte"),
    ReportTable("verwaltungsanliegen_quartier", "quartier", unit="Anliegen"),
)


def _area(spec: ReportTable, values: Mapping[str, str]) -> str | None:
    if spec.within is None:
        return values.get(spec.by)
    value = values.get(spec.within)
    if value is None or value in {TOTAL, UNKNOWN}:
        return None
    return value.split(PLACE_SEPARATOR, 1)[0]


def _narrowed(spec: ReportTable, publication: m.StatisticsPublication, areas: set[str]) -> dict[str, Any] | None:
    fixed = dict(spec.fixed)
    columns = [d for d in publication.dimensions if d["code"] not in fixed]
    rows = []
    for cell in publication.cells:
        values = cell.dimension_values
        if _area(spec, values) not in areas or any(values.get(k) != v for k, v in fixed.items()):
            continue
        if spec.minimum is not None and (cell.value is None or cell.value < spec.minimum):
            continue
        rows.append({"labels": [cell.dimension_labels[d["code"]] for d in columns], "display": cell.display})
    if not rows and spec.empty is None:
        return None
    return {
        "code": publication.table_code,
        "title": spec.title or publication.title,
        "note": publication.note,
        "columns": [d["label"] for d in columns],
        "unit": spec.unit,
        "empty": spec.empty,
        "rows": rows,
    }


async def build_snapshot(
    session: AsyncSession, table: m.RoundTable, period: str, covers: tuple[date, date] | None = None
) -> dict[str, Any]:
    """The report's content from stored publications and approved notes only.

    A yearly report takes the notes of cases received in `period`; a meeting's report (`covers`) the
    notes approved in the days it covers, whatever year their case has.
    """
    year = check_period(period)
    publications = {
        p.table_code: p
        for p in await session.scalars(
            select(m.StatisticsPublication)
            .where(m.StatisticsPublication.period == period, LIVE)
            .options(selectinload(m.StatisticsPublication.cells))
        )
    }
    if not publications:
        message = _("Für %(period)s ist noch keine Statistik veröffentlicht.") % {"period": period}
        raise ValidationFailed([FieldError("period", message)], detail=message)
    areas = {
        "quartier": {q.code for q in table.quartiers},
        "stadtbezirk": {q.stadtbezirk.code for q in table.quartiers if q.stadtbezirk is not None},
    }
    tables = []
    for spec in REPORT_TABLES:
        publication = publications.get(spec.code)
        if publication is not None and (narrowed := _narrowed(spec, publication, areas[spec.by])) is not None:
            tables.append(narrowed)
    # Only the text: never the case, its reference, its parties or the note's author.
    notes = await session.scalars(
        select(m.Note.body)
        .join(m.Case, m.Case.id == m.Note.case_id)
        .where(
            m.Note.tier == m.NoteTier.SHAREABLE.value,
            m.Note.approved_at.is_not(None),
            m.Case.year == year if covers is None else m.Note.approved_at.between(*_day_bounds(covers)),
            m.Case.quartier_id.in_([q.id for q in table.quartiers]),
        )
        .order_by(m.Note.approved_at, m.Note.id)
    )
    first = next(iter(publications.values()))
    return {
        "period": period,
        "round_table": table.name,
        "quartiers": [q.name for q in table.quartiers],
        "published_at": first.snapshot_at.isoformat(),
        # A year not yet over when its statistics were published: the report says so.
        "provisional": first.provisional,
        "ptable_sha256": first.ptable_sha256,
        "tables": tables,
        "notes": list(notes),
    }


def _day_bounds(covers: tuple[date, date]) -> tuple[datetime, datetime]:
    """From the first day's start to the last day's end, in the office's time zone."""
    start = datetime.combine(covers[0], time.min, clock.BERLIN)
    return start, datetime.combine(covers[1] + timedelta(days=1), time.min, clock.BERLIN)
