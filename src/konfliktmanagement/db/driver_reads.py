"""The API's hottest reads, run on the database driver: a Core select compiled once per dialect.

SQLAlchemy's execution of an already compiled and cached statement (execution context, events, cursor
result) costs about as much CPU as the driver's whole round trip: measured in-process at 10^5 cases
(bench/cpu.py), 0.6–0.8 ms of a case detail's statement. `DriverSelect` keeps what matters of
SQLAlchemy — the SQL it compiles for the dialect, each type's bind and result processing (encrypted
columns, UUIDs and dates on SQLite) — and hands the statement to the driver connection beneath the
request's session: the same connection, in the same transaction (or autocommit) as every other statement
of the request. Rows come back as tuples of the values `connection.execute` would give; listeners of
`before_cursor_execute` (the statement budgets' counter) are told of each statement, cursor and context None.
A driver error reaches the caller as the driver raised it (`db/outage.py` reads those as 503); one that
shows the connection broken is left to SQLAlchemy, which handles it as for any statement.

A statement is compiled for the driver on its second run: one built for a single request (a search)
runs through `connection.execute` and SQLAlchemy's own compiled cache, as do statements with an
expanding parameter (`IN` over a list, which SQLAlchemy renders per list length). Either way the
result is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from konfliktmanagement.db.outage import connection_broken

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the bound parameters in the order of their placeholders
    defaults: dict[str, Any]  # values the statement carries itself (a limit, a literal compared against)
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]


class DriverSelect:
    """A select run on the driver (see the module's docstring); made once and kept, like a statement."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled | None] = {}  # None: not for the driver (expanding)
        self._runs = 0

    async def all(self, connection: AsyncConnection, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        dialect = connection.dialect
        if dialect.name not in self._compiled and self._runs:
            self._compiled[dialect.name] = self._compile(dialect)
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            self._runs += 1
            return (await connection.execute(self.statement, parameters)).all()
        given = {**compiled.defaults, **parameters}
        values = [
            given[name] if process is None else process(given[name])
            for process, name in zip(compiled.binds, compiled.names, strict=True)
        ]
        announce = connection.sync_connection.dispatch.before_cursor_execute if connection.sync_connection else None
        if announce:
            # Statement counts (tests, bench) listen here: they see this statement like any other.
            announce(connection.sync_connection, None, compiled.sql, values, None, False)
        driver: Any = (await connection.get_raw_connection()).driver_connection
        try:
            if dialect.name == "postgresql":
                rows = await driver.fetch(compiled.sql, *values)
            else:
                async with driver.execute(compiled.sql, values) as cursor:
                    rows = await cursor.fetchall()
        except Exception as exc:
            if not connection_broken(exc):
                raise
            # On the same, broken connection through SQLAlchemy: its error handling then does what it does
            # for its own statements — discards this connection and every older one in the pool
            # (db/engine.py, `_discard_broken_connection`) and raises its usual error.
            return (await connection.execute(self.statement, parameters)).all()
        results = compiled.results
        return [
            tuple(v if process is None else process(v) for process, v in zip(results, row, strict=True)) for row in rows
        ]

    def _compile(self, dialect: Dialect) -> _Compiled | None:
        compiled = self.statement.compile(dialect=dialect)
        if any(bind.expanding for bind in compiled.binds.values()):
            return None
        names = tuple(compiled.positiontup or ())
        return _Compiled(
            sql=str(compiled),
            names=names,
            defaults={name: compiled.binds[name].value for name in names if compiled.binds[name].value is not None},
            binds=tuple(compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names),
            results=tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in self.statement.selected_columns
            ),
        )
