"""The full-text index of cases: what is searchable, how it is kept current, how a query matches it.

A case's searchable text (`case_search.body`) is its reference, title, description, place, quartier
and its parties' aliases and pseudonyms — never names or contact data (they are encrypted and stay
out of here). It is written as plain words (letters and digits), so both databases split it alike
(PostgreSQL's parser would read `KM-2026-0043` as `km`, `-2026`, `-0043`).

- **PostgreSQL** matches `to_tsvector('german', body)` (GIN index, migration 0019) against
  `to_tsquery('german', …)`: the german snowball stemmer on both sides, ranked by `ts_rank`.
- **SQLite** has FTS5 but no German stemmer: `case_search.terms` holds the same words stemmed in
  Python by the same snowball algorithm (`snowballstemmer`), indexed by the FTS5 table
  `case_search_fts` (external content, kept by triggers on `case_search`), ranked by `bm25`.

Every query word is a **prefix** of a stem: "Lärm" finds "Lärmbelästigung" (stem `larmbelast`
starts with `larm`), "Belästigungen" finds "Belästigung" (both `belast`). Compounds are not split:
"Lärmbelästigung" does not find a case that says only "Lärm", and "Lärm" does not find
"Kinderlärm". All words must match (AND); common function words are left out of the query.

Kept current in the writing transaction: after each flush (`after_flush`, registered on every ORM
session) the cases whose searchable data changed — a case's texts, place or quartier, a
participation's alias, a place's or quartier's name — are indexed again; bulk updates that bypass
the unit of work call `reindex` themselves (the erasure of case texts does).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import cache
from typing import Any
from uuid import UUID

import snowballstemmer
from sqlalchemy import ColumnElement, Connection, column, delete, event, func, insert, literal_column, select
from sqlalchemy import table as sql_table
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.sql import Subquery

from konfliktmanagement.db import models as m

_WORD = re.compile(r"[^\W_]+")
# Function words a query leaves out (PostgreSQL's german configuration drops them from documents and
# queries; SQLite would otherwise demand a word starting with "am").
STOP_WORDS = frozenset(
    "am an auf aus bei beim das dem den der des die ein eine einem einen einer eines es für im in ins "
    "ist mit nach oder um und vom von vor zu zum zur".split()
)
_FTS = sql_table("case_search_fts", column("rowid"), column("terms"), column("case_search_fts"))
_CASE_FIELDS = frozenset({"reference", "title", "description", "place_id", "quartier_id"})


@cache
def _stemmer() -> Any:
    return snowballstemmer.stemmer("german")


def words(text: str) -> list[str]:
    """The words (runs of letters and digits) of a text, lower-cased."""
    return _WORD.findall(text.lower())


def stems(items: Iterable[str]) -> list[str]:
    stemmer = _stemmer()
    return [stemmer.stemWord(word) for word in items]


def query_words(query: str) -> list[str]:
    """The words a search asks for: without function words, each once, at most ten."""
    return list(dict.fromkeys(w for w in words(query) if w not in STOP_WORDS))[:10]


def matches(dialect: str, query: str) -> Subquery | None:
    """(case_id, score) of the cases whose text has every query word as a prefix of a stem; a higher
    score ranks first. None when the query has no word to look for."""
    asked = query_words(query)
    if not asked:
        return None
    if dialect == "postgresql":
        # The index is on `to_tsvector('german'::regconfig, body)`: the configuration must be that
        # literal (a bound parameter would not match the index). The words are letters and digits only.
        config: ColumnElement[Any] = literal_column("'german'::regconfig")
        document = func.to_tsvector(config, m.CaseSearch.body)
        tsquery = func.to_tsquery(config, " & ".join(f"{word}:*" for word in asked))
        return (
            select(m.CaseSearch.case_id.label("case_id"), func.ts_rank(document, tsquery).label("score"))
            .where(document.op("@@")(tsquery))
            .subquery("matches")
        )
    fts_query = " AND ".join(f'"{stem}"*' for stem in stems(asked))
    return (
        select(m.CaseSearch.case_id.label("case_id"), (-func.bm25(literal_column("case_search_fts"))).label("score"))
        .select_from(_FTS)
        .join(m.CaseSearch, literal_column("case_search.rowid") == _FTS.c.rowid)
        .where(literal_column("case_search_fts").op("MATCH")(fts_query))
        .subquery("matches")
    )


def document(parts: Iterable[str | None]) -> str:
    return " ".join(word for part in parts if part for word in _WORD.findall(part))


def refresh(connection: Connection, case_ids: Collection[UUID]) -> None:
    """Write the searchable text of these cases anew (three statements, whatever their number)."""
    if not case_ids:
        return
    ids = list(case_ids)
    rows = connection.execute(
        select(m.Case.id, m.Case.reference, m.Case.title, m.Case.description, m.Place.name, m.Quartier.name)
        .outerjoin(m.Place, m.Place.id == m.Case.place_id)
        .outerjoin(m.Quartier, m.Quartier.id == m.Case.quartier_id)
        .where(m.Case.id.in_(ids))
    ).all()
    parties: dict[UUID, list[str]] = {}
    for case_id, alias, pseudonym in connection.execute(
        select(m.Participation.case_id, m.Participation.alias, m.Party.pseudonym)
        .join(m.Party, m.Party.id == m.Participation.party_id)
        .where(m.Participation.case_id.in_(ids))
        .order_by(m.Participation.created_at)
    ):
        parties.setdefault(case_id, []).extend((alias, pseudonym))
    connection.execute(delete(m.CaseSearch).where(m.CaseSearch.case_id.in_(ids)))
    values = []
    for case_id, *texts in rows:
        body = document([*texts, *parties.get(case_id, [])])
        values.append({"case_id": case_id, "body": body, "terms": " ".join(stems(words(body)))})
    if values:
        connection.execute(insert(m.CaseSearch), values)


async def reindex(session: AsyncSession, case_ids: Collection[UUID]) -> None:
    """`refresh` in the session's transaction, for writes that bypass the unit of work (bulk updates:
    the erasure of case texts). On SQLite the FTS5 index is then merged into one segment: a deleted
    row's terms stay in the older segments until a merge, and erased means erased."""

    def run(sync: Session) -> None:
        connection = sync.connection()
        refresh(connection, case_ids)
        if connection.dialect.name == "sqlite":
            connection.execute(insert(_FTS).values(case_search_fts="optimize"))

    await session.run_sync(run)


def _changed(instance: object, names: Iterable[str]) -> bool:
    attributes = instance_state(instance).attrs
    return any(attributes[name].history.has_changes() for name in names)


def _touched_cases(session: Session) -> set[UUID]:
    """The cases whose searchable data this flush changed (ids), or whose index must follow a name."""
    cases: set[UUID] = set()
    places: set[UUID] = set()
    quartiers: set[UUID] = set()
    for instance in session.new:
        if isinstance(instance, m.Case):
            cases.add(instance.id)
        elif isinstance(instance, m.Participation):
            cases.add(instance.case_id)
    for instance in session.dirty:
        if isinstance(instance, m.Case) and _changed(instance, _CASE_FIELDS):
            cases.add(instance.id)
        elif isinstance(instance, m.Participation) and _changed(instance, ("alias", "case_id")):
            cases.add(instance.case_id)
        elif isinstance(instance, m.Place) and _changed(instance, ("name",)):
            places.add(instance.id)
        elif isinstance(instance, m.Quartier) and _changed(instance, ("name",)):
            quartiers.add(instance.id)
    for instance in session.deleted:
        if isinstance(instance, m.Participation):
            cases.add(instance.case_id)
    if places or quartiers:
        cases.update(
            session.connection().scalars(
                select(m.Case.id).where(m.Case.place_id.in_(places) | m.Case.quartier_id.in_(quartiers))
            )
        )
    deleted_cases = {instance.id for instance in session.deleted if isinstance(instance, m.Case)}
    return cases - deleted_cases


@event.listens_for(Session, "after_flush")
def _keep_index(session: Session, _flush: UOWTransaction) -> None:
    if cases := _touched_cases(session):
        refresh(session.connection(), cases)
