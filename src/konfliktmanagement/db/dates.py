"""Date arithmetic in SQL that both databases answer alike, so lists can be ordered and paged in SQL.

`berlin_date(ts)` is the calendar day in Berlin of a UTC timestamp (what `lib/clock.BERLIN` gives in
Python); `earliest_date(a, b, …)` is the smallest of dates, ignoring NULLs (NULL only when all are).
PostgreSQL has both built in (`AT TIME ZONE`, `LEAST`). SQLite knows no time zones: its form applies
the EU summer-time rule (since 1996: last Sunday of March to last Sunday of October, 01:00 UTC), which
is the rule Europe/Berlin follows; the stored timestamps are UTC text ('YYYY-MM-DD HH:MM:SS…').
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class berlin_date(FunctionElement[Any]):
    type = Date()
    name = "berlin_date"
    inherit_cache = True


class earliest_date(FunctionElement[Any]):
    type = Date()
    name = "earliest_date"
    inherit_cache = True


@compiles(berlin_date, "postgresql")
def _berlin_date_postgresql(element: berlin_date, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Europe/Berlin' AS DATE)"


@compiles(berlin_date, "sqlite")
def _berlin_date_sqlite(element: berlin_date, compiler: SQLCompiler, **kw: Any) -> str:
    ts = compiler.process(element.clauses, **kw)
    year = f"strftime('%Y', {ts})"
    # The last Sunday of a month whose 31st is given: the Sunday on or after the 25th.
    starts = f"date({year} || '-03-31', '-6 days', 'weekday 0') || ' 01:00:00'"
    ends = f"date({year} || '-10-31', '-6 days', 'weekday 0') || ' 01:00:00'"
    offset = f"CASE WHEN {ts} >= {starts} AND {ts} < {ends} THEN '+2 hours' ELSE '+1 hours' END"
    return f"date({ts}, {offset})"


@compiles(earliest_date, "postgresql")
def _earliest_postgresql(element: earliest_date, compiler: SQLCompiler, **kw: Any) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"  # LEAST ignores NULLs


@compiles(earliest_date, "sqlite")
def _earliest_sqlite(element: earliest_date, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's min(a, b, …) is NULL when any argument is: take the min over COALESCEs that each start
    # with one argument and fall back to the others — every term is a non-NULL argument if there is one.
    args = [compiler.process(clause, **kw) for clause in element.clauses]
    terms = [f"COALESCE({', '.join([arg, *args[:i], *args[i + 1 :]])})" for i, arg in enumerate(args)]
    return f"min({', '.join(terms)})" if len(terms) > 1 else terms[0]
