"""One SQL statement per table: every cell and margin with n = count and its cell key in SQL.

PostgreSQL gets `GROUP BY GROUPING SETS (…)`; SQLite, which has no grouping sets, the same sets as
a UNION ALL of GROUP BYs — still one statement. Dimension values are coalesced to codes in a CTE,
so a NULL in the result always means "margin" (`TOTAL`). The record keys are summed inside the
database; only their sum modulo 2^32 reaches Python, and only to be perturbed at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    literal_column,
    null,
    select,
    tuple_,
)
from sqlalchemy import union_all as sql_union_all
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.ckm import KEY_SPACE

RawCounts = dict[tuple[str, ...], tuple[int, int]]  # dimension values → (n, ck_int)

CLOSED = (
    m.CaseStatus.ABGESCHLOSSEN.value,
    m.CaseStatus.EINGESTELLT.value,
    m.CaseStatus.WEITERGELEITET.value,
    m.CaseStatus.NICHT_ANGENOMMEN.value,
    m.CaseStatus.ARCHIVIERT.value,
)
LEFT_WITHOUT_OUTCOME = (
    m.CaseStatus.EINGESTELLT.value,
    m.CaseStatus.WEITERGELEITET.value,
    m.CaseStatus.NICHT_ANGENOMMEN.value,
)


def _conflict_group() -> ColumnElement[str]:
    code = m.ConflictType.code
    whens = [(code.in_(codes), group) for group, _, codes in c.CONFLICT_TYPE_GROUPS]
    return case((code.is_(None), c.UNKNOWN), *whens, else_=c.OTHER_GROUP)


def _result() -> ColumnElement[str]:
    return case(
        (m.Case.outcome.is_not(None), m.Case.outcome),
        (m.Case.status.in_(LEFT_WITHOUT_OUTCOME), m.Case.status),
        (m.Case.status.in_(CLOSED), c.UNKNOWN),
        else_="laufend",
    )


def _month(dialect: str) -> ColumnElement[Any]:
    # Months in UTC on both databases, so both give the same quarter.
    if dialect == "postgresql":
        return func.extract("month", func.timezone("UTC", m.Case.created_at))
    return cast(func.strftime("%m", m.Case.created_at), Integer)


def _quarter(dialect: str) -> ColumnElement[str]:
    month = _month(dialect)
    return case((month <= 3, "q1"), (month <= 6, "q2"), (month <= 9, "q3"), else_="q4")


def _duration(dialect: str) -> ColumnElement[str]:
    if dialect == "postgresql":
        days = func.extract("epoch", m.Case.closed_at - m.Case.created_at) / 86400
    else:
        days = func.julianday(m.Case.closed_at) - func.julianday(m.Case.created_at)
    return case(
        (m.Case.status.not_in(CLOSED), "laufend"),
        (m.Case.closed_at.is_(None), c.UNKNOWN),
        (days <= 30, "bis_30"),
        (days <= 90, "31_90"),
        (days <= 180, "91_180"),
        else_="ueber_180",
    )


def _sessions() -> ColumnElement[str]:
    held = (
        select(func.count())
        .where(
            m.MediationSession.case_id == m.Case.id,
            m.MediationSession.status == m.SessionStatus.DURCHGEFUEHRT.value,
        )
        .scalar_subquery()
    )
    return case((held == 0, "0"), (held == 1, "1"), (held <= 3, "2_3"), else_="4_plus")


def _follow_up() -> ColumnElement[str]:
    latest = (
        select(m.Agreement.follow_up_result)
        .where(m.Agreement.case_id == m.Case.id)
        .order_by(m.Agreement.created_at.desc(), m.Agreement.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, "offen")


def _expression(dimension: str, dialect: str) -> ColumnElement[Any]:
    expressions = {
        "quartier": lambda: func.coalesce(m.Quartier.code, c.UNKNOWN),
        "stadtbezirk": lambda: func.coalesce(m.Stadtbezirk.code, c.UNKNOWN),
        "konfliktart": lambda: func.coalesce(m.ConflictType.code, c.UNKNOWN),
        "konfliktgruppe": _conflict_group,
        "ergebnis": _result,
        "quartal": lambda: _quarter(dialect),
        "dauer": lambda: _duration(dialect),
        "sitzungen": _sessions,
        "nachbetreuung": _follow_up,
    }
    return expressions[dimension]()


def _records(spec: c.TableSpec, year: int, dialect: str) -> CTE:
    """One row per case of the year: its record key and its coded dimension values."""
    columns = [_expression(d.code, dialect).label(d.code) for d in spec.dimensions]
    query = (
        select(m.Case.record_key.label("record_key"), *columns)
        .select_from(m.Case)
        .outerjoin(m.Quartier, m.Quartier.id == m.Case.quartier_id)
        .outerjoin(m.Stadtbezirk, m.Stadtbezirk.id == m.Quartier.stadtbezirk_id)
        .outerjoin(m.ConflictType, m.ConflictType.id == m.Case.conflict_type_id)
        .where(m.Case.year == year)
    )
    if spec.with_agreement:
        query = query.where(exists().where(and_(m.Agreement.case_id == m.Case.id)))
    return query.cte("records")


def statement(spec: c.TableSpec, year: int, dialect: str) -> Select[Any]:
    records = _records(spec, year, dialect)
    codes = [d.code for d in spec.dimensions]
    n = func.count().label("n")
    # The modulus is a literal: bound parameters in a grouped select list trip PostgreSQL.
    ck_int = (func.coalesce(func.sum(records.c.record_key), 0) % literal_column(str(KEY_SPACE))).label("ck_int")
    if dialect == "postgresql":
        sets = [tuple_(*(records.c[d] for d in grouping)) for grouping in spec.grouping_sets]
        return select(*(records.c[d] for d in codes), n, ck_int).group_by(func.grouping_sets(*sets))
    arms = [
        select(*(records.c[d] if d in grouping else null().label(d) for d in codes), n, ck_int).group_by(
            *(records.c[d] for d in grouping)
        )
        for grouping in spec.grouping_sets
    ]
    return sql_union_all(*arms)  # type: ignore[return-value]


async def count_cells(session: AsyncSession, spec: c.TableSpec, year: int) -> RawCounts:
    """n and ck_int of every non-empty cell and margin (empty ones are absent: the grid adds them)."""
    dialect = session.get_bind().dialect.name
    result = await session.execute(statement(spec, year, dialect))
    counts: RawCounts = {}
    for row in result:
        values: Sequence[Any] = row[: len(spec.dimensions)]
        key = tuple(c.TOTAL if v is None else str(v) for v in values)
        counts[key] = (int(row.n), int(row.ck_int))
    return counts
