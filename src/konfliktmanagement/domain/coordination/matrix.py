"""The status × quartier matrix of the dashboard, laid out from `case_count` before rendering.

Each table arrives at the template as its columns (status and label), its rows (the quartier and one
cell per column — the count, its link and its screen-reader hint — with the row's sum) and its column
sums: the template writes what it gets and calls nothing per cell (a jinja call per cell was most of
the matrix's cost). The quartiers (for the
rows' names and the page's filter) are reference data, cached per process (`domain/reference_data.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.workflow import ENDED, FINAL, OPEN, STATUS_LABELS
from konfliktmanagement.domain.reference_data import cached

S = m.CaseStatus


@dataclass(frozen=True, slots=True)
class QuartierEntry:
    id: UUID
    code: str
    name: str
    stadtbezirk: str


async def quartiers(session: AsyncSession) -> tuple[QuartierEntry, ...]:
    """Every quartier by code, with its Stadtbezirk's name: the filter's choices and the matrix's rows."""

    async def load() -> tuple[QuartierEntry, ...]:
        rows = await session.execute(
            select(m.Quartier.id, m.Quartier.code, m.Quartier.name, m.Stadtbezirk.name)
            .join(m.Stadtbezirk, m.Stadtbezirk.id == m.Quartier.stadtbezirk_id)
            .order_by(m.Quartier.code)
        )
        return tuple(QuartierEntry(*row) for row in rows)

    return await cached(session, "dashboard_quartiers", load)


@dataclass(frozen=True, slots=True)
class Column:
    status: S
    label: str


@dataclass(frozen=True, slots=True)
class Cell:
    n: int
    href: str  # the case list with this cell's filters; empty when the row has no quartier to filter by
    hint: str  # "<status>, <quartier>": what the number counts, for screen readers


@dataclass(frozen=True, slots=True)
class MatrixRow:
    quartier_id: UUID | None  # None: cases without a quartier (not linkable by quartier)
    name: str | None  # None: the template names it "ohne Quartier"
    cells: list[Cell]  # one per column
    total: int


@dataclass(frozen=True, slots=True)
class CountTable:
    columns: list[Column]
    rows: list[MatrixRow]  # only quartiers with cases in this table
    totals: list[int]  # per column
    total: int
    status_query: str  # "status=a&status=b": the case list's filter for all of the table's statuses


@dataclass(frozen=True, slots=True)
class StatusMatrix:
    """Two tables of one matrix: cases being worked on (incl. on hold) and cases that have ended."""

    open: CountTable
    ended: CountTable
    grand_total: int
    without_quartier: bool  # some row is the cases without a quartier
    empty: bool  # no case at all


_ZERO = Cell(0, "", "")


def _table(statuses: list[S], ordered: list[tuple[UUID | None, str | None, dict[S, int]]]) -> CountTable:
    columns = [Column(s, STATUS_LABELS[s]) for s in statuses]
    rows = []
    for quartier_id, name, counts in ordered:
        numbers = [counts.get(s, 0) for s in statuses]
        total = sum(numbers)
        if not total:
            continue
        if quartier_id is None:
            cells = [Cell(n, "", "") for n in numbers]
        else:
            cells = [
                Cell(n, f"/cases?status={c.status.value}&quartier_id={quartier_id}", f"{c.label}, {name}")
                if n
                else _ZERO
                for n, c in zip(numbers, columns, strict=True)
            ]
        rows.append(MatrixRow(quartier_id, name, cells, total))
    totals = [sum(row.cells[i].n for row in rows) for i in range(len(statuses))]
    return CountTable(
        columns=columns,
        rows=rows,
        totals=totals,
        total=sum(totals),
        status_query="&".join(f"status={s.value}" for s in statuses),
    )


def status_matrix(cells: dict[tuple[UUID, str], int], all_quartiers: tuple[QuartierEntry, ...]) -> StatusMatrix:
    counts: dict[UUID | None, dict[S, int]] = {}
    for (quartier_key, status), n in cells.items():
        quartier_id = None if quartier_key == m.NO_QUARTIER else quartier_key
        counts.setdefault(quartier_id, {})[S(status)] = n
    # Rows by the quartier's code, the cases without a quartier last; quartiers without cases have none.
    ordered: list[tuple[UUID | None, str | None, dict[S, int]]] = [
        (q.id, q.name, counts[q.id]) for q in all_quartiers if q.id in counts
    ]
    if None in counts:
        ordered.append((None, None, counts[None]))
    # Archived cases are a statistical skeleton; their column appears only when there are any.
    ended = [s for s in S if s in ENDED and (s not in FINAL or any(s in c for c in counts.values()))]
    open_ = [s for s in S if s in OPEN]
    open_table, ended_table = _table(open_, ordered), _table(ended, ordered)
    return StatusMatrix(
        open=open_table,
        ended=ended_table,
        grand_total=sum(sum(c.values()) for c in counts.values()),
        without_quartier=None in counts,
        empty=not counts,
    )
