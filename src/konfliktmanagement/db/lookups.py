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
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.sql.visitors import InternalTraversal


class in_looked_up(ColumnElement[bool]):  # noqa: N801 - an SQL expression, named like SQLAlchemy's
    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a predicate: SQLite must not get "… = 1" appended
    # Both parts belong to the statement's cache key: two lookups with different subqueries must not
    # share a compiled form.
    _traverse_internals = [("key", InternalTraversal.dp_clauseelement), ("keys", InternalTraversal.dp_clauseelement)]

    def __init__(self, key: ColumnElement[Any] | ColumnClause[Any], keys: Select[Any] | CompoundSelect) -> None:
        self.key = key
        # Never correlated: the ids come from their own FROM, even when it is the outer query's table.
        self.keys = (keys.correlate(None) if isinstance(keys, Select) else keys).scalar_subquery()


@compiles(in_looked_up, "postgresql")
def _in_looked_up_postgresql(element: in_looked_up, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.key, **kw)} = ANY(ARRAY{compiler.process(element.keys, **kw)})"


@compiles(in_looked_up)
def _in_looked_up_default(element: in_looked_up, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.key, **kw)} IN {compiler.process(element.keys, **kw)}"
