"""`in_looked_up`: `= ANY(ARRAY(…))` on PostgreSQL, `IN (…)` elsewhere, and a cache key that tells
subqueries apart (a shared compiled form would run one list's ids for another)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.dialects import postgresql, sqlite

from konfliktmanagement.db import models as m
from konfliktmanagement.db.lookups import in_looked_up


def _first(status: str, limit: int = 5) -> Select[tuple[str]]:
    return select(m.Case.reference).where(
        in_looked_up(m.Case.id, select(m.Case.id).where(m.Case.status == status).order_by(m.Case.id).limit(limit))
    )


def test_postgresql_probes_the_key_and_sqlite_gets_a_plain_in() -> None:
    statement = _first("ruhend")
    pg = " ".join(str(statement.compile(dialect=postgresql.dialect())).split())
    lite = " ".join(str(statement.compile(dialect=sqlite.dialect())).split())
    assert "WHERE case_file.id = ANY(ARRAY(SELECT case_file.id FROM case_file WHERE" in pg
    assert "WHERE case_file.id IN (SELECT case_file.id FROM case_file WHERE" in lite
    assert not lite.endswith("= 1")


def test_cache_key_follows_the_subquery_not_its_values() -> None:
    key = _first("ruhend")._generate_cache_key().key
    assert _first("eingegangen", 50)._generate_cache_key().key == key
    other = select(m.Case.reference).where(in_looked_up(m.Case.id, select(m.Case.id).where(m.Case.year == 1)))
    assert other._generate_cache_key().key != key
