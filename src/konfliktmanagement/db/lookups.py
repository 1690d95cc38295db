"""`key IN (subquery)` that PostgreSQL answers by primary-key lookups, whatever it estimates.

For `case_file.id IN (SELECT id … LIMIT n)` PostgreSQL may misjudge how many ids the subquery
yields (a window function's filter, say) and hash-join them against a scan of the whole table. As
`id = ANY(ARRAY(subquery))` the subquery runs first, once, and its ids are probed through the key's
index. SQLite plans `IN (subquery)` that way on its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, CompoundSelect, Select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal


class InLookedUp(ColumnElement[bool]):
    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a predicate: SQLite must not get "… = 1" appended
    # Both parts belong to the statement's cache key: two lookups with different subqueries must not
    # share a compiled form.
    _traverse_internals = [  # noqa: RUF012 - SQLAlchemy's class-level declaration, as it spells it
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], ids: Select[Any] | CompoundSelect[Any]) -> None:
        self.column = column
        # Never correlated: the ids come from their own FROM, even when it is the outer query's table.
        self.ids = (ids.correlate(None) if isinstance(ids, Select) else ids).scalar_subquery()


def in_looked_up(column: Any, ids: Select[Any] | CompoundSelect[Any]) -> InLookedUp:
    """`column IN (ids)`, answered by lookups of `column` on PostgreSQL (see above)."""
    return InLookedUp(column, ids)


@compiles(InLookedUp, "postgresql")
def _in_looked_up_postgresql(element: InLookedUp, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY{compiler.process(element.ids, **kw)})"


@compiles(InLookedUp)
def _in_looked_up_default(element: InLookedUp, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} IN {compiler.process(element.ids, **kw)}"
