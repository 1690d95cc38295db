"""Loading one case for a user: readable or 404 (with the denial audited), answered as a `CaseAccess`.

This is the only place that loads a case for an action on it. A request loads its case once (by the
`case_access` dependency for routes under `/cases/{case_id}`, or by `load_case_of` for routes named
by a record of the case) and passes the access object down.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.audit.trail import queue_denial
from konfliktmanagement.domain.cases.access import CaseAccess, Write, readable_cases
from konfliktmanagement.lib.exceptions import FieldError, NotAllowed, NotFound

# What a case page and the API show about a case: the many-to-one rows in the same statement,
# the mediators in one more (templates cannot lazy-load).
CASE_DETAIL_LOAD: tuple[ExecutableOption, ...] = (
    joinedload(m.Case.conflict_type),
    joinedload(m.Case.quartier),
    joinedload(m.Case.place),
    selectinload(m.Case.mediator_links).joinedload(m.CaseMediator.user),
)
# One case: its mediators (two, as a rule) joined into the same statement — a row per mediator costs
# less than a second round trip on every request that loads a case.
_ONE_CASE_LOAD: tuple[ExecutableOption, ...] = (
    joinedload(m.Case.conflict_type),
    joinedload(m.Case.quartier),
    joinedload(m.Case.place),
    joinedload(m.Case.mediator_links).joinedload(m.CaseMediator.user),
)


_ONE_CASE_STATEMENTS: dict[tuple[frozenset[m.Role], bool], Select[tuple[m.Case]]] = {}


def _one_case(user: Principal, *, for_write: bool) -> Select[tuple[m.Case]]:
    """One case if readable, its id and the reader's id as bound parameters: the rule depends only on
    the reader's roles."""
    readable = readable_cases(user, user_id=bindparam("viewer_id", type_=m.User.id.type))
    statement = (
        select(m.Case).where(m.Case.id == bindparam("case_id", type_=m.Case.id.type), readable).options(*_ONE_CASE_LOAD)
    )
    return statement.with_for_update(of=m.Case) if for_write else statement


async def load_case(
    session: AsyncSession,
    user: Principal,
    case_id: UUID,
    *,
    attempted: str,
    for_write: bool | Write = False,
    options: Sequence[ExecutableOption] = (),
) -> CaseAccess:
    """The case (with `CASE_DETAIL_LOAD` and any further `options`) if this user may read it;
    otherwise 404, and the attempt is audited.

    With `for_write`, the case row is locked (PostgreSQL) so that changes and audit events of one
    case happen one after another, and `CaseAccess.ensure_writable` refuses what the case's status
    does not allow: `True` (= `Write.RECORDS`) a closed or archived case, `Write.LIFECYCLE` an archived one.
    """
    if options:
        statement = _one_case(user, for_write=bool(for_write)).options(*options)
    else:  # the hot path: built once per kind of user, so SQLAlchemy derives its cache key once
        key = (user.roles, bool(for_write))
        if key not in _ONE_CASE_STATEMENTS:
            _ONE_CASE_STATEMENTS[key] = _one_case(user, for_write=bool(for_write))
        statement = _ONE_CASE_STATEMENTS[key]
    found = await session.scalars(statement, {"case_id": case_id, "viewer_id": user.id})
    case = found.unique().first()
    if case is None:
        raise await refuse(session, user, case_id, attempted=attempted)
    access = CaseAccess.of(case, user)
    if for_write:
        access.ensure_writable(Write.RECORDS if for_write is True else Write(for_write))
    return access


async def refuse(session: AsyncSession, user: Principal, case_id: UUID, *, attempted: str) -> NotFound:
    """The 404 for a case this user may not read (or that does not exist); a case that exists gets the
    attempt audited. Every read of one case refuses through here."""
    if await session.scalar(select(m.Case.id).where(m.Case.id == case_id)) is not None:
        queue_denial(session, case_id=case_id, actor_id=user.id, attempted=attempted)
    return NotFound()


async def case_id_of(session: AsyncSession, model: type[Any], object_id: UUID) -> UUID:
    """The case a case-owned record belongs to (404 if there is no such record).

    Callers load the case through `load_case` next, so access is decided there, not here.
    """
    case_id: UUID | None = await session.scalar(select(model.case_id).where(model.id == object_id))
    if case_id is None:
        raise NotFound
    return case_id


async def load_case_of(
    session: AsyncSession,
    user: Principal,
    model: type[Any],
    object_id: UUID,
    *,
    attempted: str,
    for_write: bool | Write = False,
    options: Sequence[ExecutableOption] = (),
) -> CaseAccess:
    """The case of a case-owned record (a note, a session, …) as `load_case` answers it."""
    case_id = await case_id_of(session, model, object_id)
    return await load_case(session, user, case_id, attempted=attempted, for_write=for_write, options=options)


def deny(
    session: AsyncSession,
    access: CaseAccess,
    attempted: str,
    message: str | None = None,
    errors: list[FieldError] | None = None,
) -> NotAllowed:
    """Audit a refused action on a case the user may see, and return the 403 to raise (with `errors`,
    a form shows what to add next to its fields)."""
    queue_denial(session, case_id=access.case.id, actor_id=access.user.id, attempted=attempted)
    return NotAllowed(message, errors=errors)
