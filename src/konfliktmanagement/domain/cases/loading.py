"""Loading one case for a user: readable or 404 (with the denial audited), and the user's case role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.base import ExecutableOption

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import queue_denial
from konfliktmanagement.domain.cases.access import CaseRole, case_role, readable_cases
from konfliktmanagement.lib.exceptions import Conflict, NotAllowed, NotFound
from konfliktmanagement.lib.i18n import gettext as _

# What a case page and the API show about a case, loaded eagerly (templates cannot lazy-load).
CASE_DETAIL_LOAD = (
    selectinload(m.Case.conflict_type),
    selectinload(m.Case.quartier),
    selectinload(m.Case.place),
    selectinload(m.Case.mediator_links).selectinload(m.CaseMediator.user),
)


@dataclass(frozen=True, slots=True)
class CaseAccess:
    case: m.Case
    role: CaseRole


async def load_case(
    session: AsyncSession,
    user: m.User,
    case_id: UUID,
    *,
    attempted: str,
    for_write: bool = False,
    options: Sequence[ExecutableOption] = (),
) -> CaseAccess:
    """The case if this user may read it; otherwise 404, and the attempt is audited.

    With `for_write`, the case row is locked (PostgreSQL) so that changes and audit events of one
    case happen one after another, and archived cases are refused.
    """
    statement = (
        select(m.Case)
        .where(m.Case.id == case_id, readable_cases(user))
        .options(selectinload(m.Case.mediator_links), *options)
    )
    if for_write:
        statement = statement.with_for_update(of=m.Case)
    case = await session.scalar(statement)
    if case is None:
        if await session.scalar(select(m.Case.id).where(m.Case.id == case_id)) is not None:
            queue_denial(session, case_id=case_id, actor_id=user.id, attempted=attempted)
        raise NotFound
    access = CaseAccess(case, case_role(user, case.mediator_ids))
    if for_write and case.status == m.CaseStatus.ARCHIVIERT:
        raise Conflict(_("Archivierte Fälle können nicht mehr geändert werden."))
    return access


async def case_id_of(session: AsyncSession, model: type[Any], object_id: UUID) -> UUID:
    """The case a case-owned record belongs to (404 if there is no such record).

    Callers load the case through `load_case` next, so access is decided there, not here.
    """
    case_id = await session.scalar(select(model.case_id).where(model.id == object_id))
    if case_id is None:
        raise NotFound
    return case_id


def deny(
    session: AsyncSession, access: CaseAccess, user: m.User, attempted: str, message: str | None = None
) -> NotAllowed:
    """Audit a refused action on a case the user may see, and return the 403 to raise."""
    queue_denial(session, case_id=access.case.id, actor_id=user.id, attempted=attempted)
    return NotAllowed(message)
