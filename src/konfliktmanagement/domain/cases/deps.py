"""Dependencies of the routes on cases: the case service, and the request's one `CaseAccess`.

Routes under `/cases/{case_id}` get `access` (`case_access`); routes named by a record of a case
(`/notes/{note_id}`) get `found`, the record with its case's access (`case_record`). Either way the
case is loaded once, before the handler runs, and the handler passes it to one service method.

No `from __future__ import annotations` here: `case_record` names the route's path parameter in
an annotation built when the route is declared, which Litestar must see as a value, not a string.
"""

from collections.abc import Awaitable
from typing import Annotated, Any, Protocol, TypeAlias, TypeVar
from uuid import UUID

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, PathParameter
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import CaseAccess, Write
from konfliktmanagement.domain.cases.loading import load_case
from konfliktmanagement.domain.cases.queries import CaseQuery
from konfliktmanagement.domain.cases.records import CaseRecordService
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.cases.transitions import WorkflowService
from konfliktmanagement.lib.services import Service

case_dependencies = {"cases": Provide(create_service_provider(CaseService))}
workflow_dependencies = {"workflow": Provide(create_service_provider(WorkflowService))}

ServiceT = TypeVar("ServiceT", bound=Service[Any, Any])
ServiceT_contra = TypeVar("ServiceT_contra", bound=Service[Any, Any], contravariant=True)
FoundT = TypeVar("FoundT")
FoundT_co = TypeVar("FoundT_co", covariant=True)


def case_access(attempted: str, *, for_write: bool | Write = False) -> dict[str, Provide]:
    """`access` for a route under `/cases/{case_id}`: the case loaded once, readable or 404 (audited).

    Declared per route, so the route says what it attempts (for the audit of a refusal) and whether it
    writes (the case row is then locked until the request's transaction ends; `True` writes the case's
    records, refused while it is closed; `Write.LIFECYCLE` changes its status).
    """

    async def provide(
        request: Request[Principal, Any, Any], db_session: NamedDependency[AsyncSession], case_id: FromPath[UUID]
    ) -> CaseAccess:
        return await load_case(db_session, request.user, case_id, attempted=attempted, for_write=for_write)

    return {"access": Provide(provide)}


class Find(Protocol[ServiceT_contra, FoundT_co]):
    """A service's `find`: a record of a case by its id, with the case's access (404, audited, if unreadable)."""

    def __call__(
        self, service: ServiceT_contra, user: Principal, record_id: UUID, /, *, attempted: str, for_write: bool = ...
    ) -> Awaitable[FoundT_co]: ...


class RecordDependency(Protocol):
    """`found` for one route: what it attempts (for the audit of a refusal) and whether it writes."""

    def __call__(self, attempted: str, *, for_write: bool = False) -> dict[str, Provide]: ...


def case_record(service: type[ServiceT], find: Find[ServiceT, FoundT], path_key: str) -> RecordDependency:
    """The `found` dependency of the routes named by one kind of record, parallel to `case_access`.

    An area declares it once (`note_record = case_record(NoteService, NoteService.find, "note_id")`)
    and each route says what it attempts: `dependencies=note_record("note:update", for_write=True)`.
    `find` loads the case first (locked when writing), then the record, as the area's read models do.
    """

    def dependency(attempted: str, *, for_write: bool = False) -> dict[str, Provide]:
        async def provide(
            request: Request[Principal, Any, Any],
            db_session: NamedDependency[AsyncSession],
            record_id: Annotated[UUID, PathParameter(name=path_key)],
        ) -> Any:
            return await find(
                service(session=db_session), request.user, record_id, attempted=attempted, for_write=for_write
            )

        return {"found": Provide(provide)}

    return dependency


class CaseRecords:
    """An area's kind of case-owned record as dependencies: its service, and `found` by calling it.

    Declared once in the area's deps.py (`note_record = CaseRecords(NoteService, "notes", "note_id")`):
    `name` is the service's dependency name and `path_key` the path parameter naming one record. A
    route says what it attempts, as with `case_access`: `dependencies=note_record("note:update", for_write=True)`.
    """

    def __init__(self, service: type[CaseRecordService[Any, Any]], name: str, path_key: str) -> None:
        self.name = name
        self.provider = Provide(create_service_provider(service))
        self._found = case_record(service, service.find, path_key)

    def __call__(self, attempted: str, *, for_write: bool = False) -> dict[str, Provide]:
        return self._found(attempted, for_write=for_write)

    def dependencies(self, **queries: type[Any]) -> dict[str, Provide]:
        """The area's dependencies: its service, and its read models under their names."""
        return {
            self.name: self.provider,
            **{name: Provide(query, sync_to_thread=False) for name, query in queries.items()},
        }


# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Access: TypeAlias = NamedDependency[CaseAccess]
Cases: TypeAlias = NamedDependency[CaseService]
Workflow: TypeAlias = NamedDependency[WorkflowService]
CaseQueries: TypeAlias = NamedDependency[CaseQuery]
