"""One SQL statement per table: every cell and margin with n = count and its cell key in SQL.

PostgreSQL gets `GROUP BY GROUPING SETS (…)`; SQLite, which has no grouping sets, the same sets as
a UNION ALL of GROUP BYs — still one statement. Dimension values are coalesced to codes in a CTE,
so a NULL in the result always means "margin" (`TOTAL`). The record keys are summed inside the
database; only their sum modulo 2^32 reaches Python, and only to be perturbed at once.

Tables of agreement items or administration requests count those records, which carry no record
key of their own: the k-th of a case's items (or requests, in a fixed order) gets the key
`(record_key + k · ITEM_KEY_STEP) mod 2^32` of its case — as secret as the case's key, the same
for the same record in every query, and different for each record of a case, so that two items of
one case do not simply double its key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from sqlalchemy.orm import aliased

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.ckm import KEY_SPACE

RawCounts = dict[tuple[str, ...], tuple[int, int]]  # dimension values → (n, ck_int)

# Statuses as stored values; the sets themselves live in the workflow.
ENDED = tuple(sorted(status.value for status in workflow.ENDED))
# Ended without an outcome of its own: every closing status except "abgeschlossen".
LEFT_WITHOUT_OUTCOME = tuple(sorted(status.value for status in workflow.CLOSED - {workflow.S.ABGESCHLOSSEN}))


ITEM_KEY_STEP = 2654435769  # odd (2^32 / golden ratio): spreads the k-th record's key over the key space


def _status_group() -> ColumnElement[str]:
    whens = [(m.Case.status.in_(statuses), group) for group, _, statuses in c.STATUS_GROUPS]
    return case(*whens, else_=c.UNKNOWN)


def _place() -> ColumnElement[str]:
    """The code of the case's place, "<quartier code>/<place name>" (the place's own quartier)."""
    place_quartier = aliased(m.Quartier)
    code = (
        select(place_quartier.code.concat(c.PLACE_SEPARATOR).concat(m.Place.name))
        .select_from(m.Place)
        .join(place_quartier, place_quartier.id == m.Place.quartier_id)
        .where(m.Place.id == m.Case.place_id)
        .correlate(m.Case)
        .scalar_subquery()
    )
    return func.coalesce(code, c.UNKNOWN)


def _conflict_group() -> ColumnElement[str]:
    code = m.ConflictType.code
    whens = [(code.in_(codes), group) for group, _, codes in c.CONFLICT_TYPE_GROUPS]
    return case((code.is_(None), c.UNKNOWN), *whens, else_=c.OTHER_GROUP)


def _result() -> ColumnElement[str]:
    return case(
        (m.Case.outcome.is_not(None), m.Case.outcome),
        (m.Case.status.in_(LEFT_WITHOUT_OUTCOME), m.Case.status),
        (m.Case.status.in_(ENDED), c.UNKNOWN),
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
        (m.Case.status.not_in(ENDED), "laufend"),
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
    expressions: dict[str, Callable[[], ColumnElement[Any]]] = {
        "quartier": lambda: func.coalesce(m.Quartier.code, c.UNKNOWN),
        "stadtbezirk": lambda: func.coalesce(m.Stadtbezirk.code, c.UNKNOWN),
        "konfliktart": lambda: func.coalesce(m.ConflictType.code, c.UNKNOWN),
        "konfliktgruppe": _conflict_group,
        "ergebnis": _result,
        "quartal": lambda: _quarter(dialect),
        "dauer": lambda: _duration(dialect),
        "sitzungen": _sessions,
        "nachbetreuung": _follow_up,
        "statusgruppe": _status_group,
        "ort": _place,
        "punktstatus": lambda: func.coalesce(m.AgreementItem.status, c.UNKNOWN),
        "anliegenstatus": lambda: func.coalesce(m.AdministrationRequest.status, c.UNKNOWN),
    }
    return expressions[dimension]()


def _derived_key(order_by: Sequence[Any]) -> ColumnElement[int]:
    """The k-th record of a case: (record_key + k · ITEM_KEY_STEP) mod 2^32, all in SQL."""
    k = func.row_number().over(partition_by=m.Case.id, order_by=order_by)
    return (m.Case.record_key + k * literal_column(str(ITEM_KEY_STEP))) % literal_column(str(KEY_SPACE))


def _records(spec: c.TableSpec, year: int, dialect: str) -> CTE:
    """One row per record of the year (case, agreement item or administration request): its record key
    and its coded dimension values."""
    columns = [_expression(d.code, dialect).label(d.code) for d in spec.dimensions]
    if spec.unit == c.UNIT_AGREEMENT_ITEM:
        key = _derived_key(
            (m.Agreement.created_at, m.Agreement.id, m.AgreementItem.position, m.AgreementItem.id)
        ).label("record_key")
        source = (
            select(key, *columns)
            .select_from(m.AgreementItem)
            .join(m.Agreement, m.Agreement.id == m.AgreementItem.agreement_id)
            .join(m.Case, m.Case.id == m.Agreement.case_id)
        )
    elif spec.unit == c.UNIT_ADMINISTRATION_REQUEST:
        key = _derived_key((m.AdministrationRequest.created_at, m.AdministrationRequest.id)).label("record_key")
        source = (
            select(key, *columns)
            .select_from(m.AdministrationRequest)
            .join(m.Case, m.Case.id == m.AdministrationRequest.case_id)
        )
    else:
        source = select(m.Case.record_key.label("record_key"), *columns).select_from(m.Case)
    query = (
        source.outerjoin(m.Quartier, m.Quartier.id == m.Case.quartier_id)
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
