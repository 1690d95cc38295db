"""The case API's two hottest reads — one case, a page of the list — from Core rows into its structs.

Both answer at once and change nothing, so ORM entities add nothing to them: no identity map to keep,
no relationship to load later, no change to flush. Measured at 10^5 cases, the ORM's row processing
(instances, joined-load paths, attribute events) was about a third of their CPU. Here the case's
columns, the names of its conflict type, quartier and place, and its mediators are selected as plain
columns and handed to msgspec as dicts. They run on the driver beneath the session's connection
(`db/driver_reads.py`): a Session would still post-process the rows of a select of ORM attributes with its
loading machinery, and SQLAlchemy's execution costs as much CPU again as the round trip. Access is the same
`readable_cases` rule as everywhere; a case that is not readable is refused by `loading.refuse`,
audited, as for every other route.

Writes and pages keep loading entities (`loading.load_case`): they change them or render them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.driver_reads import DriverSelect
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases import schemas
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.domain.cases.loading import refuse

_REFERENCES = frozenset({"conflict_type", "quartier", "place", "mediators"})  # built from joined rows


def _fields(struct: type[schemas.CaseSummary]) -> tuple[str, ...]:
    """The struct's fields that are columns of `case_file`, in the struct's order."""
    return tuple(name for name in struct.__struct_fields__ if name not in _REFERENCES)


_SUMMARY = _fields(schemas.CaseSummary)
_DETAIL = _fields(schemas.CaseDetail)
_ID = _SUMMARY.index("id")
_NAMES = (
    m.ConflictType.id,
    m.ConflictType.code,
    m.ConflictType.label,
    m.Quartier.id,
    m.Quartier.code,
    m.Quartier.name,
    m.Place.id,
    m.Place.name,
)


def _select(fields: tuple[str, ...], *more: Any) -> Select[Any]:
    """The case's `fields`, the names it refers to (outer joins: each is optional), and `more`."""
    return (
        select(*(getattr(m.Case, name) for name in fields), *_NAMES, *more)
        .outerjoin_from(m.Case, m.ConflictType, m.ConflictType.id == m.Case.conflict_type_id)
        .outerjoin_from(m.Case, m.Quartier, m.Quartier.id == m.Case.quartier_id)
        .outerjoin_from(m.Case, m.Place, m.Place.id == m.Case.place_id)
    )


def _values(row: Sequence[Any], fields: tuple[str, ...]) -> dict[str, Any]:
    values = dict(zip(fields, row, strict=False))
    type_id, type_code, type_name, quartier_id, quartier_code, quartier_name, place_id, place_name = row[
        len(fields) : len(fields) + len(_NAMES)
    ]
    values["conflict_type"] = None if type_id is None else {"id": type_id, "code": type_code, "name": type_name}
    values["quartier"] = (
        None if quartier_id is None else {"id": quartier_id, "code": quartier_code, "name": quartier_name}
    )
    values["place"] = None if place_id is None else {"id": place_id, "name": place_name}
    return values


def _mediators(pairs: list[tuple[UUID, str]]) -> list[dict[str, Any]]:
    return [{"id": user_id, "name": name} for user_id, name in sorted(pairs, key=lambda pair: pair[1])]


_DETAIL_STATEMENTS: dict[frozenset[m.Role], DriverSelect] = {}


def _detail_statement(user: Principal) -> DriverSelect:
    """One case with a row per mediator, if readable; built once per set of roles (the rule depends on
    nothing else), with the case's and the reader's ids as bound parameters."""
    if user.roles not in _DETAIL_STATEMENTS:
        readable = readable_cases(user, user_id=bindparam("viewer_id", type_=m.User.id.type))
        _DETAIL_STATEMENTS[user.roles] = DriverSelect(
            _select(_DETAIL, m.User.id, m.User.name)
            .outerjoin_from(m.Case, m.CaseMediator, m.CaseMediator.case_id == m.Case.id)
            .outerjoin(m.User, m.User.id == m.CaseMediator.user_id)
            .where(m.Case.id == bindparam("case_id", type_=m.Case.id.type), readable)
        )
    return _DETAIL_STATEMENTS[user.roles]


async def case_detail(session: AsyncSession, user: Principal, case_id: UUID) -> schemas.CaseDetail:
    """`GET /api/v1/cases/{id}`: the case if this user may read it, otherwise 404 (audited)."""
    statement = _detail_statement(user)
    rows = await statement.all(await session.connection(), {"case_id": case_id, "viewer_id": user.id})
    if not rows:
        raise await refuse(session, user, case_id, attempted="read")
    values = _values(rows[0], _DETAIL)
    values["mediators"] = _mediators([(row[-2], row[-1]) for row in rows if row[-2] is not None])
    return msgspec.convert(values, schemas.CaseDetail)


# What a listed case shows, for `case_list.listed` to filter and order (its mediators: `summaries`).
SUMMARY = _select(_SUMMARY)


async def summaries(session: AsyncSession, rows: Sequence[Sequence[Any]]) -> list[schemas.CaseSummary]:
    """The listed cases (rows of `summary_columns`) with their mediators, read in one more statement."""
    if not rows:
        return []
    ids = [row[_ID] for row in rows]
    team: dict[UUID, list[tuple[UUID, str]]] = {case_id: [] for case_id in ids}
    for case_id, user_id, name in await (await session.connection()).execute(_TEAMS, {"ids": ids}):
        team[case_id].append((user_id, name))
    out = []
    for row in rows:
        values = _values(row, _SUMMARY)
        values["mediators"] = _mediators(team[row[_ID]])
        out.append(values)
    return msgspec.convert(out, list[schemas.CaseSummary])


_TEAMS = (
    select(m.CaseMediator.case_id, m.User.id, m.User.name)
    .join(m.User, m.User.id == m.CaseMediator.user_id)
    .where(m.CaseMediator.case_id.in_(bindparam("ids", expanding=True)))
)
