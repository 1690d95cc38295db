"""The JSON routes every case-owned record has, written once: list, create, read, update.

Sessions, notes, agreements, administration requests and participations each offer the same four
routes — list a case's records, create one under the case, read one by its id, update one by its id
(with its version) — and each is a single step: call the area's service, turn the result into the
output Struct. So the step lives here and an area's controller names only what is its own: the path,
what the route attempts (for the audit of a refusal), the service and its method, the input and output.

A route is still an ordinary Litestar handler: the factory gives it the parameters a hand-written one
would declare (`access`/`found`, the service under its dependency name, `data`), so dependency
injection, validation and the OpenAPI document see no difference. Its name is the operation id
(`server/app.py::operation_id`), so it is given as the first argument and the controller attribute
carries the same name.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from types import GenericAlias
from typing import Any, Generic, TypeVar, get_type_hints

from litestar import get, patch, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import JSONBody

from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import RecordDependency, case_access

Step = Callable[[Mapping[str, Any]], Awaitable[Any]]


ServiceT = TypeVar("ServiceT")
RecordT = TypeVar("RecordT")
OutT = TypeVar("OutT")


class CaseRecordApi(Generic[ServiceT, RecordT]):
    """The routes of one kind of case-owned record; built once per area, one call per route.

    `service` is the area service's dependency name (`"notes"`), `record` its record dependency
    (`note_record`) and `out` turns a record into the output Struct (a route may name another, as
    the list of sessions does). A route's input Struct is what its service method takes.
    """

    def __init__(
        self, service_type: type[ServiceT], service: str, record: RecordDependency, out: Callable[[RecordT], Any]
    ) -> None:
        self.service_type = service_type
        self.service = service
        self.record = record
        self.out = out

    def list_for_case(
        self,
        name: str,
        path: str,
        attempted: str,
        method: Callable[[ServiceT, CaseAccess], Awaitable[list[RecordT]]],
        out: Callable[[RecordT], Any] | None = None,
    ) -> HTTPRouteHandler:
        """`GET` a case's records (404 to anyone who may not read the case)."""
        convert = out or self.out

        async def step(given: Mapping[str, Any]) -> list[Any]:
            return [convert(record) for record in await method(given[self.service], given["access"])]

        params = {self.service: _injected(Any), "access": _injected(CaseAccess)}
        handler = _handler(name, step, params, GenericAlias(list, (_returns(convert),)))
        return get(path, dependencies=case_access(attempted))(handler)

    def create_for_case(
        self, name: str, path: str, attempted: str, method: Callable[[ServiceT, CaseAccess, Any], Awaitable[RecordT]]
    ) -> HTTPRouteHandler:
        """`POST` a new record under a case (201); the case is locked for the write."""
        return post(path, dependencies=case_access(attempted, for_write=True))(self._write(name, "access", method))

    def read(self, name: str, path: str, attempted: str) -> HTTPRouteHandler:
        """`GET` one record by its id (404, audited, to anyone who may not read it)."""

        async def step(given: Mapping[str, Any]) -> Any:
            return self.out(given["found"].record)

        handler = _handler(name, step, {"found": _injected(Any)}, _returns(self.out))
        return get(path, dependencies=self.record(attempted))(handler)

    def update(
        self, name: str, path: str, attempted: str, method: Callable[[ServiceT, Any, Any], Awaitable[RecordT]]
    ) -> HTTPRouteHandler:
        """`PATCH` one record by its id with its version (409 on an old one); the case is locked for the write."""
        return patch(path, dependencies=self.record(attempted, for_write=True))(self._write(name, "found", method))

    def _write(self, name: str, target: str, method: Callable[..., Awaitable[RecordT]]) -> Callable[..., Any]:
        """A handler passing `target` (the case's `access`, or the `found` record) and the body to `method`."""

        async def step(given: Mapping[str, Any]) -> Any:
            return self.out(await method(given[self.service], given[target], given["data"]))

        params = {self.service: _injected(Any), target: _injected(Any), "data": _body(method)}
        return _handler(name, step, params, _returns(self.out))


def _returns(out: Callable[..., Any]) -> Any:
    """The output Struct a route answers with, as its converter declares it (for the OpenAPI document)."""
    return get_type_hints(out)["return"]


def _injected(kind: object) -> Any:
    """A parameter's type that asks for the dependency of the parameter's name (what `NamedDependency` says)."""
    named: Any = NamedDependency
    return named[kind]


def _body(method: Callable[..., Any]) -> Any:
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
