"""The JSON routes every case-owned record has, written once: list, create, read, update.

Sessions, notes, agreements, administration requests and participations each offer the same four
routes — list a case's records, create one under the case, read one by its id, update one by its id
(with its version) — and each is a single step: call the area's service, turn the result into the
output Struct. So the step lives here and an area's controller declares only what is its own:

    class NoteApiController(record_api.CaseRecordController, records=note_record, out=schemas.note_out, tags=[...]):
        list_notes = record_api.list_records("/cases/{case_id:uuid}/notes", "note:list")
        create_note = record_api.create_record("/cases/{case_id:uuid}/notes", "note:create", NoteService.write)
        get_note = record_api.read_record("/notes/{note_id:uuid}", "note:read")
        update_note = record_api.update_record("/notes/{note_id:uuid}", "note:update", NoteService.revise)

— the path, what the route attempts (for the audit of a refusal) and, for a write, the service method
(whose last parameter is the route's input Struct). As with a `def`, the attribute's name is the
handler's name and so its operation id (`server/app.py::operation_id`). A route is an ordinary
Litestar handler: it declares the parameters a hand-written one would (`access` or `found`, the
area's service under its dependency name, `data`), so injection, validation and the OpenAPI document
see no difference. Routes an area has besides these four are written as usual in the same class.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import GenericAlias
from typing import Any, get_type_hints

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import JSONBody

from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import CaseRecords, case_access

Step = Callable[[Mapping[str, Any]], Awaitable[Any]]
Out = Callable[[Any], Any]
Method = Callable[..., Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class RecordRoute:
    """One of the four routes, as declared in the class body; built into a handler with the class."""

    build: Callable[[_Routes, str], HTTPRouteHandler]


def list_records(path: str, attempted: str, *, out: Out | None = None) -> RecordRoute:
    """`GET` a case's records (404 to anyone who may not read the case); `out` if the list shows less."""
    return RecordRoute(lambda routes, name: routes.list_for_case(name, path, attempted, out or routes.out))


def create_record(path: str, attempted: str, method: Method) -> RecordRoute:
    """`POST` a new record under a case (201); the case is locked for the write."""
    dependencies = case_access(attempted, for_write=True)
    return RecordRoute(lambda routes, name: post(path, dependencies=dependencies)(routes.write(name, "access", method)))


def read_record(path: str, attempted: str) -> RecordRoute:
    """`GET` one record by its id (404, audited, to anyone who may not read it)."""
    return RecordRoute(lambda routes, name: routes.read(name, path, attempted))


def update_record(path: str, attempted: str, method: Method) -> RecordRoute:
    """`PATCH` one record by its id with its version (409 on an old one); the case is locked for the write."""

    def build(routes: _Routes, name: str) -> HTTPRouteHandler:
        dependencies = routes.records(attempted, for_write=True)
        return patch(path, dependencies=dependencies)(routes.write(name, "found", method))

    return RecordRoute(build)


class CaseRecordController(Controller):
    """The API controller of one kind of case-owned record, under `/api/v1` unless it says otherwise.

    The class arguments name the area's records (`CaseRecords` in its deps.py: the service and
    `found`), the converter to the output Struct and the OpenAPI tags; each `RecordRoute` attribute
    becomes the handler of that name. Routes of its own a subclass writes as usual: the service is
    the controller's dependency, `access` or `found` each route declares.
    """

    path = "/api/v1"

    def __init_subclass__(cls, *, records: CaseRecords, out: Out, tags: list[str], **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.dependencies = {records.name: records.provider}
        cls.tags = tags
        routes = _Routes(records, out)
        for name, declared in list(vars(cls).items()):
            if isinstance(declared, RecordRoute):
                setattr(cls, name, declared.build(routes, name))


@dataclass(frozen=True, slots=True)
class _Routes:
    """Builds the handlers of one controller: its records and its output converter."""

    records: CaseRecords
    out: Out

    def list_for_case(self, name: str, path: str, attempted: str, out: Out) -> HTTPRouteHandler:
        service = self.records.name

        async def step(given: Mapping[str, Any]) -> list[Any]:
            return [out(record) for record in await given[service].list_for_case(given["access"])]

        params = {service: _injected(Any), "access": _injected(CaseAccess)}
        handler = _handler(name, step, params, GenericAlias(list, (_returns(out),)))
        return get(path, dependencies=case_access(attempted))(handler)

    def read(self, name: str, path: str, attempted: str) -> HTTPRouteHandler:
        out = self.out

        async def step(given: Mapping[str, Any]) -> Any:
            return out(given["found"].record)

        handler = _handler(name, step, {"found": _injected(Any)}, _returns(out))
        return get(path, dependencies=self.records(attempted))(handler)

    def write(self, name: str, target: str, method: Method) -> Callable[..., Any]:
        """A handler passing `target` (the case's `access`, or the `found` record) and the body to `method`."""
        service, out = self.records.name, self.out

        async def step(given: Mapping[str, Any]) -> Any:
            return out(await method(given[service], given[target], given["data"]))

        params = {service: _injected(Any), target: _injected(Any), "data": _body(method)}
        return _handler(name, step, params, _returns(out))


def _returns(out: Out) -> Any:
    """The output Struct a route answers with, as its converter declares it (for the OpenAPI document)."""
    return get_type_hints(out)["return"]


def _injected(kind: object) -> Any:
    """A parameter's type that asks for the dependency of the parameter's name (what `NamedDependency` says)."""
    named: Any = NamedDependency
    return named[kind]


def _body(method: Method) -> Any:
    """The JSON body of a route: the input Struct its service method takes last."""
    last = list(inspect.signature(method).parameters)[-1]
    body: Any = JSONBody
    return body[get_type_hints(method)[last]]


def _handler(name: str, step: Step, params: dict[str, Any], returns: Any) -> Callable[..., Awaitable[Any]]:
    """A controller method named `name` whose signature declares `params`: Litestar injects by name."""

    async def handler(self: object, **given: Any) -> Any:
        return await step(given)

    handler.__name__ = handler.__qualname__ = name
    handler.__annotations__ = {**params, "return": returns}
    handler.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=hint) for key, hint in params.items()],
        return_annotation=returns,
    )
    return handler
