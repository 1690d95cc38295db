"""Case-owned records (a note, a session, an agreement, an item, …): found with their case, added, revised.

A route named by a record (`/notes/{note_id}`) gets it as a `CaseRecord`: the record and its case's
access object, loaded once (`cases/deps.py::case_record`). Adding a record is `add_record`, revising
one is `revise_record`, so the audit trail of every area is written the same way.

Every partial update of a versioned record of a case runs the same steps once the area has loaded
the record under the case's lock (its `find`): refuse an edit of an old version, take the fields
the client sent, let the area check them (422/409), apply what differs, flush, and audit the names
of the changed fields. An area says only what is its own: the checks, how values are applied (when
more than setting columns), and the event.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar
from uuid import UUID

import msgspec
from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.base import ExecutableOption

from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.audit.trail import append_event, queue_denial
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import load_case_of
from konfliktmanagement.lib.clock import now
from konfliktmanagement.lib.exceptions import Conflict, FieldError, NotFound
from konfliktmanagement.lib.patching import apply_changes, ensure_version, provided
from konfliktmanagement.lib.services import Service

RecordT = TypeVar("RecordT", bound=UUIDv7AuditBase)
RepositoryT = TypeVar("RepositoryT", bound=SQLAlchemyAsyncRepository[Any])
Changes = dict[str, Any]


class CaseRecord(NamedTuple, Generic[RecordT]):
    """A record as the user may use it: the record, and its case's access object (as `load_case` answers it).

    A tuple, so a read model takes it apart as `access, note = await notes.find(...)`.
    """

    access: CaseAccess
    record: RecordT


class CaseRecordService(Service[RecordT, RepositoryT]):
    """The service of one kind of record of a case: it finds a record through its case (`find`)."""

    # What the area's answers show of a record besides its columns (templates cannot lazy-load).
    record_load: ClassVar[tuple[ExecutableOption, ...]] = ()
    # The order `list_for_case` gives a case's records (areas that list differently override it).
    list_order: ClassVar[tuple[Any, ...]] = ()

    def visible(self, access: CaseAccess) -> ColumnElement[bool]:
        """The WHERE clause for the records this access may see of a readable case: all of them."""
        return true()

    async def list_for_case(self, access: CaseAccess) -> list[RecordT]:
        """The case's records this access may see, in `list_order`."""
        model: Any = self.repository.model_type
        query = select(model).where(model.case_id == access.case_id, self.visible(access)).order_by(*self.list_order)
        return list(await self.session.scalars(query))

    async def find(
        self, user: Principal, record_id: UUID, *, attempted: str, for_write: bool = False
    ) -> CaseRecord[RecordT]:
        """The record and its case if the user may read the case; otherwise 404, with the attempt audited.

        The case first: for a write its row is locked, so the record read after it is the latest one
        (a version check compares against what the previous writer committed).
        """
        model = self.repository.model_type
        access = await load_case_of(self.session, user, model, record_id, attempted=attempted, for_write=for_write)
        return CaseRecord(access, await self.reload(record_id))

    async def reload(self, record_id: UUID) -> RecordT:
        """The record with `record_load`, as stored now (populate_existing: changes of this session show)."""
        model = self.repository.model_type
        record: RecordT | None = await self.session.scalar(
            select(model)
            .where(model.id == record_id)
            .options(*self.record_load)
            .execution_options(populate_existing=True)
        )
        if record is None:
            raise NotFound
        return record


class TieredRecordService(CaseRecordService[RecordT, RepositoryT]):
    """Records with a confidentiality tier (notes, attachments): one whose tier the user may not read does
    not exist for that user — 404 as for an unreadable case, the attempt audited."""

    def visible(self, access: CaseAccess) -> ColumnElement[bool]:
        """The WHERE clause for the records of the tiers this access may read."""
        raise NotImplementedError

    async def find(
        self, user: Principal, record_id: UUID, *, attempted: str, for_write: bool = False
    ) -> CaseRecord[RecordT]:
        """`CaseRecordService.find` with the tier rule: the record and its case if the user may read both."""
        session = self.session
        model = self.repository.model_type
        access = await load_case_of(session, user, model, record_id, attempted=attempted, for_write=for_write)
        # The tier is part of the query, so a hidden record's text (or file) is never even loaded.
        record: RecordT | None = await session.scalar(
            select(model)
            .where(model.id == record_id, self.visible(access))
            .options(*self.record_load)
            .execution_options(populate_existing=True)
        )
        if record is None:
            queue_denial(session, case_id=access.case_id, actor_id=user.id, attempted=attempted)
            raise NotFound
        return CaseRecord(access, record)


async def add_record(
    session: AsyncSession, access: CaseAccess, record: RecordT, *, event: str, details: Callable[[RecordT], Changes]
) -> RecordT:
    """Add a new record of the case, flush (it gets its id) and append `event` with `details(record)`."""
    session.add(record)
    await session.flush()
    await append_event(session, case_id=access.case_id, actor_id=access.user.id, action=event, details=details(record))
    return record


async def revise_record(
    session: AsyncSession,
    access: CaseAccess,
    record: RecordT,
    data: msgspec.Struct,
    *,
    validate: Callable[[Changes], Awaitable[Changes]],
    event: str,
    details: Callable[[list[str]], Mapping[str, Any]],
    apply: Callable[[RecordT, Changes], list[str]] = apply_changes,
) -> list[str]:
    """Apply `data` (a PATCH Struct with `version`) to `record`; returns the changed fields, sorted.

    - `validate(changes)` gets the fields the client sent (without `version`) and answers them as
      they are to be applied, or raises (`ValidationFailed`, `Conflict`); nothing is changed before.
    - `apply(record, changes)` sets them and names what changed (default: plain columns).
    - Only if something changed: `updated_at` is touched (which also bumps the version when only
      related rows changed), the session is flushed and `event` is appended to the case's audit
      trail with `details(changed)` plus `"fields": changed` — field names only, never values.
    """
    ensure_version(record, msgspec.structs.asdict(data)["version"])
    changes = await validate(provided(data))
    changed = sorted(apply(record, changes))
    if changed:
        record.updated_at = now()
        await session.flush()
        await append_event(
            session,
            case_id=access.case_id,
            actor_id=access.user.id,
            action=event,
            details={**details(changed), "fields": changed},
        )
    return changed


def refused_status(message: str, **extra: Any) -> Conflict:
    """409 for a status a record cannot take from the one it has (someone else may have moved it first).

    Named after the field `status` twice: for API clients (`field`) and as a field error, so a page
    shows the refusal next to its status choice.
    """
    return Conflict(message, extra={"field": "status", **extra}, errors=[FieldError("status", message)])
