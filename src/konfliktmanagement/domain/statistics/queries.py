"""Read models of published statistics, for the pages and the API (`StatisticsQuery`, by DI).

Everything read here comes from stored publications, never from live counts. A table page lays a
publication out for HTML: the last dimension across, the others down. Totals ("Insgesamt") come
last on every axis; they are their own perturbed cells, so the page repeats the note that they need
not add up.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass
from itertools import groupby
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics import charts
from konfliktmanagement.domain.statistics.grid import STATE_BELOW_FIVE, STATE_SUPPRESSED
from konfliktmanagement.domain.statistics.publishing import LIVE
from konfliktmanagement.lib.exceptions import NotFound
from konfliktmanagement.lib.i18n import gettext as _

# Tables that get a bar chart: their first dimension is a place (quartier or Stadtbezirk) or a quarter.
CHART_DIMENSIONS = frozenset({"quartier", "stadtbezirk", "quartal"})


@dataclass(frozen=True, slots=True)
class Cell:
    display: str
    state: str

    @property
    def withheld(self) -> bool:
        return self.state in {STATE_BELOW_FIVE, STATE_SUPPRESSED}


@dataclass(frozen=True, slots=True)
class Row:
    headers: tuple[str, ...]  # one label per row dimension
    total: bool  # a margin or total row (any row dimension is "Insgesamt")
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class TableView:
    row_labels: tuple[str, ...]  # the row dimensions' names
    column_label: str | None  # the column dimension's name (None: a one-dimensional table)
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    has_below_five: bool
    has_suppressed: bool


def _ordered_values(publication: m.StatisticsPublication, code: str) -> list[tuple[str, str]]:
    """(value, label) in the stored order, the total last."""
    seen: dict[str, str] = {}
    for cell in publication.cells:
        value = cell.dimension_values[code]
        if value != c.TOTAL:
            seen.setdefault(value, cell.dimension_labels[code])
    return [*seen.items(), (c.TOTAL, "Insgesamt")]


def table_view(publication: m.StatisticsPublication) -> TableView:
    dimensions = publication.dimensions
    codes = [d["code"] for d in dimensions]
    by_key = {tuple(cell.dimension_values[code] for code in codes): cell for cell in publication.cells}
    column_values: list[str | None]
    columns: tuple[str, ...]
    if len(codes) == 1:
        row_codes, column_values = codes, [None]
        column_label, columns = None, ("Fälle",)
    else:
        row_codes = codes[:-1]
        column_values = [value for value, _ in _ordered_values(publication, codes[-1])]
        column_label = dimensions[-1]["label"]
        columns = tuple(label for _, label in _ordered_values(publication, codes[-1]))
    axes = [_ordered_values(publication, code) for code in row_codes]
    rows = []
    for combination in itertools.product(*axes):
        values = tuple(value for value, _ in combination)
        cells = []
        for column in column_values:
            stored = by_key.get(values if column is None else (*values, column))
            cells.append(Cell(stored.display, stored.state) if stored else Cell("–", "fehlt"))
        rows.append(
            Row(
                headers=tuple(label for _, label in combination),
                total=c.TOTAL in values,
                cells=tuple(cells),
            )
        )
    states = {cell.state for cell in publication.cells}
    return TableView(
        row_labels=tuple(d["label"] for d in dimensions[: len(row_codes)]),
        column_label=column_label,
        columns=columns,
        rows=tuple(rows),
        has_below_five=STATE_BELOW_FIVE in states,
        has_suppressed=STATE_SUPPRESSED in states,
    )


def chart_cells(publication: m.StatisticsPublication, *, grouped: bool) -> list[m.PublishedCell]:
    """The first dimension's margins (all other dimensions at "Insgesamt"); `grouped`: the first against
    the last dimension (those between at "Insgesamt")."""
    codes = [d["code"] for d in publication.dimensions]
    if not codes or codes[0] not in CHART_DIMENSIONS:
        return []
    across = codes[-1] if grouped else None
    return [
        cell
        for cell in publication.cells
        if cell.dimension_values[codes[0]] != c.TOTAL
        and all(cell.dimension_values[code] == c.TOTAL for code in codes[1:] if code != across)
        and (across is None or cell.dimension_values[across] != c.TOTAL)
    ]


def chart(publication: m.StatisticsPublication) -> charts.BarChart | None:
    """Grouped bars for a table of two or more dimensions — unless the rules withheld every one of them
    (small parents): then, as for one dimension, a bar per value of the first dimension."""
    first, last = publication.dimensions[0], publication.dimensions[-1]
    cells = chart_cells(publication, grouped=len(publication.dimensions) > 1)
    if all(cell.value is None for cell in cells):
        cells = chart_cells(publication, grouped=False)
    if not cells:
        return None
    if len(publication.dimensions) == 1 or cells[0].dimension_values[last["code"]] == c.TOTAL:
        title = _("%(title)s %(period)s – Summen je %(dimension)s") % {
            "title": publication.title,
            "period": publication.period,
            "dimension": first["label"],
        }
        values = "; ".join(f"{cell.dimension_labels[first['code']]}: {cell.display}" for cell in cells)
        description = _(
            "Balkendiagramm der veröffentlichten Werte je %(dimension)s (ohne Balken bei „<5“ und „.“). "
            "Dieselben Werte stehen in der Tabelle auf dieser Seite. Werte: %(values)s."
        ) % {"dimension": first["label"], "values": values}
        return charts.bar_chart(title, description, cells, first["code"])
    by_group: dict[str, list[tuple[str, m.PublishedCell]]] = {}
    for cell in cells:
        labels = cell.dimension_labels
        by_group.setdefault(labels[first["code"]], []).append((labels[last["code"]], cell))
    groups = list(by_group.items())
    values = "; ".join(f"{heading} – {label}: {cell.display}" for heading, members in groups for label, cell in members)
    title = _("%(title)s %(period)s – je %(dimension)s nach %(across)s") % {
        "title": publication.title,
        "period": publication.period,
        "dimension": first["label"],
        "across": last["label"],
    }
    description = _(
        "Gruppiertes Balkendiagramm: je %(dimension)s ein Balken für jeden Wert von %(across)s "
        "(ohne Balken bei „<5“ und „.“). Dieselben Werte stehen in der Tabelle auf dieser Seite. Werte: %(values)s."
    ) % {"dimension": first["label"], "across": last["label"], "values": values}
    legend = list(dict.fromkeys(label for members in by_group.values() for label, _cell in members))
    return charts.grouped_bar_chart(title, description, groups, legend)


Period = tuple[str, list[m.StatisticsPublication]]


@dataclass(frozen=True, slots=True)
class TablePage:
    publication: m.StatisticsPublication  # without its cells: the page shows them through `table`
    table: TableView
    chart: charts.BarChart | None


class _Layouts:
    """Laid-out tables by publication id, per process. A publication's cells never change after it
    is stored (a new publication of a period is a new row; a withdrawn one is no longer found by the
    LIVE query that precedes every lookup), so a layout never goes stale; only memory is bounded."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[UUID, tuple[TableView, charts.BarChart | None]] = OrderedDict()

    def get(self, key: UUID) -> tuple[TableView, charts.BarChart | None] | None:
        if (found := self.entries.get(key)) is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: UUID, value: tuple[TableView, charts.BarChart | None]) -> None:
        self.entries[key] = value
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


LAYOUTS = _Layouts(size=256)  # the largest table has 660 cells: a few MB at most


class StatisticsQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def publications(self) -> list[m.StatisticsPublication]:
        """Newest period first; within a period in the catalogue's order."""
        query = (
            select(m.StatisticsPublication)
            .where(LIVE)
            .order_by(m.StatisticsPublication.period.desc(), m.StatisticsPublication.table_code)
        )
        publications = list(await self.session.scalars(query))
        order = {spec.code: index for index, spec in enumerate(c.CATALOGUE)}
        return sorted(publications, key=lambda p: (-int(p.period), order.get(p.table_code, len(order))))

    async def periods(self) -> list[Period]:
        publications = await self.publications()
        return [(period, list(group)) for period, group in groupby(publications, key=lambda p: p.period)]

    async def table_page(self, period: str, table_code: str) -> TablePage:
        """One live table for its page: the publication row, and the layout computed once per process
        from its stored cells (the largest table has 660; laying them out cost more than the query)."""
        publication = await self.session.scalar(
            select(m.StatisticsPublication).where(
                m.StatisticsPublication.period == period, m.StatisticsPublication.table_code == table_code, LIVE
            )
        )
        if publication is None:
            raise NotFound("Diese Tabelle ist für diesen Zeitraum nicht veröffentlicht.")
        laid_out = LAYOUTS.get(publication.id)
        if laid_out is None:
            cells = await self.session.scalars(
                select(m.PublishedCell)
                .where(m.PublishedCell.publication_id == publication.id)
                .order_by(m.PublishedCell.position)
            )
            set_committed_value(publication, "cells", list(cells))
            laid_out = (table_view(publication), chart(publication))
            LAYOUTS.put(publication.id, laid_out)
        return TablePage(publication=publication, table=laid_out[0], chart=laid_out[1])

    async def publication(self, period: str, table_code: str) -> m.StatisticsPublication:
        publication = await self.session.scalar(
            select(m.StatisticsPublication)
            .where(m.StatisticsPublication.period == period, m.StatisticsPublication.table_code == table_code, LIVE)
            .options(selectinload(m.StatisticsPublication.cells))
        )
        if publication is None:
            raise NotFound("Diese Tabelle ist für diesen Zeitraum nicht veröffentlicht.")
        return publication
