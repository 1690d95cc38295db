"""The OpenAPI document as the API really behaves, completed in one place from the route table.

Litestar documents what a handler returns and a 400 for parameters, declared as `application/json`.
Every error, though, leaves through `server.errors.handle_exception` as an RFC 9457 problem
(`application/problem+json`), and which statuses an operation can answer follows from the layers it
passes, not from each controller:

- 401, 403: everything under `/api/` sits behind the sign-in (session cookie or API token), the CSRF
  check for cookie writes, role guards and the services' refusals;
- 404: an operation with path parameters names something that may not exist (or not be visible);
- 400: parameters or a body that do not parse (`server.request_body`: JSON too deep, body missing);
- 409, 422: writes (stale version, refused transition; field messages);
- 413, 415: bodies (too large; not the media type the handler reads);
- 503: every operation (the database is busy or gone).

The document is completed when it is first served (`TruthfulJsonRenderPlugin`), so building an app
stays cheap.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar, Request
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.routes import HTTPRoute

from konfliktmanagement.server.request_body import body_media_type

PROBLEM = "application/problem+json"
BEARER_SCHEME = "apiToken"
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; refusals may add members (e.g. `current_version`, `guard`).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}
DESCRIPTIONS = {
    400: "Parameters or body do not parse",
    401: "Not signed in (session cookie or `Authorization: Bearer` API token)",
    403: "Not allowed (role, CSRF token, or refused for this record)",
    404: "Not found, or not visible to this user",
    409: "Changed in the meantime (stale version) or refused in this state",
    413: "Body too large",
    415: "Body is not of the media type this operation reads",
    422: "Field values refused; `errors` names each field",
    503: "Temporarily unavailable (database); retry after `Retry-After` seconds",
}
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def error_statuses(method: str, path: str, handler: HTTPRouteHandler) -> list[int]:
    """The error statuses an operation can answer, from where it sits and what it reads."""
    has_body = body_media_type(handler) is not None
    statuses = {503}
    if path.startswith("/api/"):
        statuses |= {401, 403}
    if "{" in path:
        statuses.add(404)
    if has_body or "{" in path or handler.parsed_fn_signature.parameters:
        statuses.add(400)
    if method in _WRITES:
        statuses |= {409, 422}
    if has_body:
        statuses |= {413, 415}
    return sorted(statuses)


def _operations(app: Litestar) -> dict[tuple[str, str], HTTPRouteHandler]:
    """(method, OpenAPI path) → handler, for the routes the document shows."""
    found: dict[tuple[str, str], HTTPRouteHandler] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method, (handler, _) in route.route_handler_map.items():
                found[method, _PARAMETER.sub(r"{\1}", route.path)] = handler
    return found


def complete(app: Litestar, document: dict[str, Any]) -> None:
    """Add the bearer scheme, the problem schema and every error response. Idempotent."""
    components = document.setdefault("components", {})
    schemes = components.setdefault("securitySchemes", {})
    schemes[BEARER_SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "description": "API token (Konto → API-Tokens), sent as `Authorization: Bearer <token>`.",
    }
    document["security"] = [{name: []} for name in sorted(schemes)]
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    handlers = _operations(app)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            handler = handlers.get((method.upper(), path))
            if handler is None or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            # A handler that answers in several media types (downloads) names them in `opt`.
            if content := handler.opt.get("response_content"):
                for status, response in responses.items():
                    if status.startswith("2"):
                        response["content"] = {media: {"schema": schema} for media, schema in content.items()}
            for status in error_statuses(method.upper(), path, handler):
                responses[str(status)] = {"description": DESCRIPTIONS[status], "content": {PROBLEM: problem}}
            if not path.startswith("/api/"):
                operation["security"] = []


class TruthfulJsonRenderPlugin(JsonRenderPlugin):
    """Serves the document completed by `complete` (Litestar builds and caches the dictionary once)."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        complete(request.app, openapi_schema)
        return super().render(request, openapi_schema)
