"""The case list's query: filters, full-text search, the sort orders a column header offers.

One place for what `/cases`, `/api/v1/cases` and the CSV export share, so the download is the list
the coordinator sees. Sort keys are a whitelist (`CaseSort`); every order ends with the newest case
first and the id, so equal keys keep a stable order across pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, case, false, func, select
from sqlalchemy.sql import Subquery

from konfliktmanagement.db import models as m
from konfliktmanagement.db.dates import earliest_date
from konfliktmanagement.db.search_index import matches
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import readable_cases
from konfliktmanagement.lib.clock import today

REFERENCE = re.compile(r"KM-\d{4}-\d{1,6}", re.IGNORECASE)
Order = Literal["asc", "desc"]


class CaseSort(StrEnum):
    """The columns a case list can be sorted by (the column headers' links)."""

    REFERENCE = "reference"
    TITLE = "title"
    STATUS = "status"
    QUARTIER = "quartier"
    PLACE = "place"
    CONFLICT_TYPE = "conflict_type"
    MEDIATORS = "mediators"
    DATES = "dates"


@dataclass(frozen=True, slots=True)
class CaseFilters:
    statuses: tuple[m.CaseStatus, ...] = ()
    quartier_id: UUID | None = None
    place_id: UUID | None = None
    mediator_id: UUID | None = None
    conflict_type_id: UUID | None = None
    due: str | None = None  # "wiedervorlage" | "follow_up": due today or earlier
    reference: str | None = None
    q: str | None = None  # full-text search; an exact reference finds that case alone
    sort: CaseSort | None = None  # None: best match first when searching, else the newest
    order: Order = "asc"
    page: int = 1
    page_size: int = 25

    @property
    def exact_reference(self) -> str | None:
        """The reference the search names exactly (case-insensitive), normalised."""
        q = (self.q or "").strip()
        return q.upper() if REFERENCE.fullmatch(q) else None


_STATUS_ORDER = case({status.value: rank for rank, status in enumerate(m.CaseStatus)}, value=m.Case.status)


def sort_column(sort: CaseSort) -> ColumnElement[Any]:
    """The expression a sort key orders by (correlated lookups of the names, one per listed case).

    Correlated to the case only: the listed rows (`case_rows`) join the same tables for the names."""
    if sort is CaseSort.QUARTIER:
        return _lookup(select(m.Quartier.name).where(m.Quartier.id == m.Case.quartier_id))
    if sort is CaseSort.PLACE:
        return _lookup(select(m.Place.name).where(m.Place.id == m.Case.place_id))
    if sort is CaseSort.CONFLICT_TYPE:
        return _lookup(select(m.ConflictType.label).where(m.ConflictType.id == m.Case.conflict_type_id))
    if sort is CaseSort.MEDIATORS:
        return (
            select(func.min(m.User.name))
            .join(m.CaseMediator, m.CaseMediator.user_id == m.User.id)
            .where(m.CaseMediator.case_id == m.Case.id)
            .scalar_subquery()
        )
    if sort is CaseSort.DATES:
        return earliest_date(m.Case.resubmission_date, m.Case.follow_up_date)
    if sort is CaseSort.STATUS:
        return _STATUS_ORDER
    return (m.Case.title if sort is CaseSort.TITLE else m.Case.reference).expression


def _lookup(name: Select[Any]) -> ColumnElement[Any]:
    return name.correlate(m.Case).scalar_subquery()


def sort_order(filters: CaseFilters, found: Subquery | None) -> list[ColumnElement[Any]]:
    """ORDER BY: the chosen column (empty values last), else the best match; then newest, then id."""
    keys: list[ColumnElement[Any]] = []
    if filters.sort is not None:
        column = sort_column(filters.sort)
        keys.append((column.desc() if filters.order == "desc" else column.asc()).nulls_last())
    elif found is not None:
        keys.append(found.c.score.desc())
    return [*keys, m.Case.created_at.desc(), m.Case.id.desc()]


def conditions(user: Principal, filters: CaseFilters) -> list[ColumnElement[bool]]:
    """The WHERE clause of the list: readable cases (always), the filters, an exact reference.

    Every value is a named bound parameter (`parameters` gives them), so a statement built for one
    request serves every request of the same shape (`shape`)."""
    where: list[ColumnElement[bool]] = [readable_cases(user, user_id=_bound("viewer_id", m.User.id))]
    if filters.statuses:
        where.append(m.Case.status.in_(bindparam("statuses", expanding=True)))
    if filters.quartier_id:
        where.append(m.Case.quartier_id == _bound("quartier_id", m.Case.quartier_id))
    if filters.place_id:
        where.append(m.Case.place_id == _bound("place_id", m.Case.place_id))
    if filters.conflict_type_id:
        where.append(m.Case.conflict_type_id == _bound("conflict_type_id", m.Case.conflict_type_id))
    if filters.mediator_id:
        team = select(m.CaseMediator.case_id).where(m.CaseMediator.user_id == _bound("mediator_id", m.User.id))
        where.append(m.Case.id.in_(team))
    if filters.due == "wiedervorlage":
        where.append(m.Case.resubmission_date <= _bound("today", m.Case.resubmission_date))
    elif filters.due == "follow_up":
        where.append(m.Case.follow_up_date <= _bound("today", m.Case.follow_up_date))
    if filters.reference:
        where.append(m.Case.reference.ilike(_bound("reference_like", m.Case.reference)))
    if filters.exact_reference:
        where.append(m.Case.reference == _bound("exact_reference", m.Case.reference))
    return where


def parameters(user: Principal, filters: CaseFilters) -> dict[str, Any]:
    """The values of `conditions`' bound parameters (those a statement does not use are ignored)."""
    return {
        "viewer_id": user.id,
        "statuses": [s.value for s in filters.statuses],
        "quartier_id": filters.quartier_id,
        "place_id": filters.place_id,
        "conflict_type_id": filters.conflict_type_id,
        "mediator_id": filters.mediator_id,
        "today": today(),
        "reference_like": f"%{(filters.reference or '').strip()}%",
        "exact_reference": filters.exact_reference,
    }


def shape(user: Principal, filters: CaseFilters, dialect: str) -> tuple[object, ...] | None:
    """What a list statement's SQL depends on besides the bound values; None while searching (the
    search's words are part of its statement)."""
    if (filters.q or "").strip() and not filters.exact_reference:
        return None
    present = (filters.quartier_id, filters.place_id, filters.conflict_type_id, filters.mediator_id, filters.reference)
    return (
        user.roles,
        dialect,
        bool(filters.statuses),
        *(bool(value) for value in present),
        filters.due,
        filters.exact_reference is not None,
        filters.sort,
        filters.order,
    )


def _bound(name: str, column: Any) -> BindParameter[Any]:
    return bindparam(name, type_=column.type)


def search(dialect: str, filters: CaseFilters) -> tuple[Subquery | None, bool]:
    """The full-text matches to join (None: no search), and whether the search can match nothing."""
    if not (filters.q or "").strip() or filters.exact_reference:
        return None, False
    found = matches(dialect, filters.q or "")
    return found, found is None


def listed(
    user: Principal, filters: CaseFilters, dialect: str, *columns: Any, base: Select[Any] | None = None
) -> Select[Any]:
    """SELECT `columns` (default: the case; or the `base` statement, joins included) of the matching
    cases, in the list's order, unpaged."""
    found, nothing = search(dialect, filters)
    statement = (select(*(columns or (m.Case,))) if base is None else base).where(*conditions(user, filters))
    if found is not None:
        statement = statement.join(found, found.c.case_id == m.Case.id)
    if nothing:
        statement = statement.where(false())
    return statement.order_by(*sort_order(filters, found))
