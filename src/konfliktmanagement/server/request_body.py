"""What a request body must be before it is parsed: the media type its handler reads, JSON of bounded depth.

Litestar parses a handler's `data` as the handler declares it (JSON by default, `URLEncodedBody`,
`MultipartBody`), whatever the client sent as `Content-Type`: a `text/plain` body was read as JSON.
`BodyMediaTypeMiddleware` compares the two before anything reads the body (415), and refuses a
missing body where the handler needs one with a message people understand (400; msgspec's own
said `'data'`). msgspec decodes nesting by recursion, so JSON nested a thousand levels deep ended in
`RecursionError` (500): the app's request class measures the depth before the parser runs (400).
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

from litestar import Request
from litestar.datastructures import Headers
from litestar.enums import RequestEncodingType, ScopeType
from litestar.handlers import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from konfliktmanagement.lib.exceptions import DomainError, FieldError
from konfliktmanagement.lib.i18n import N_, gettext

# Our request bodies are flat records with a list or two; 32 leaves room and stays far below
# the interpreter's recursion limit.
MAX_JSON_DEPTH = 32

# The Content-Types each kind of handler body reads. Litestar's multipart extractor reads either form
# encoding; its URL-encoded one parses any body as URL-encoded, so it is given exactly that.
_ACCEPTED: dict[str, frozenset[str]] = {
    RequestEncodingType.URL_ENCODED: frozenset({RequestEncodingType.URL_ENCODED}),
    RequestEncodingType.MULTI_PART: frozenset({RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART}),
}
_ONLY_JSON = N_("Diese Adresse nimmt nur JSON an (Content-Type: application/json).")
_ONLY_FORMS = N_("Diese Adresse nimmt nur Formulardaten an.")
# A JSON string (escapes included): brackets inside strings do not nest anything.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class UnsupportedMediaType(DomainError):
    status_code = 415
    title = "Nicht unterstütztes Format"


class JSONTooDeep(DomainError):
    status_code = 400


class BodyMissing(DomainError):
    status_code = 400


def json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in `body`, without parsing it (malformed JSON is the parser's to refuse)."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def body_media_type(handler: BaseRouteHandler) -> str | None:
    """The encoding the handler reads its `data` in; None when it reads no body."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    media_type: str = getattr(data.kwarg_definition, "media_type", RequestEncodingType.JSON)
    return media_type


def body_required(handler: BaseRouteHandler) -> bool:
    data = handler.parsed_fn_signature.parameters.get("data")
    return data is not None and not data.is_optional and not data.has_default


def accepts(handler_media_type: str, content_type: str) -> bool:
    if handler_media_type in _ACCEPTED:
        return content_type in _ACCEPTED[handler_media_type]
    if handler_media_type == RequestEncodingType.JSON:
        return content_type == "application/json" or (
            content_type.startswith("application/") and content_type.endswith("+json")
        )
    return content_type == handler_media_type


def _declares_body(headers: Headers) -> bool:
    return "transfer-encoding" in headers or headers.get("content-length", "0") not in {"", "0"}


class BodyMediaTypeMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        expected = body_media_type(scope["route_handler"])
        if expected is not None:
            headers = Headers.from_scope(scope)
            content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            declares_body = _declares_body(headers)
            if (content_type or declares_body) and not accepts(expected, content_type):
                raise UnsupportedMediaType(gettext(_ONLY_FORMS if expected in _ACCEPTED else _ONLY_JSON))
            if not declares_body and expected not in _ACCEPTED and body_required(scope["route_handler"]):
                message = gettext("Die Anfrage braucht einen JSON-Inhalt mit den zu ändernden Feldern.")
                raise BodyMissing(message, errors=[FieldError("body", message)])
        await next_app(scope, receive, send)


class DepthCheckedRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        if json_depth(await self.body()) > MAX_JSON_DEPTH:
            raise JSONTooDeep(
                gettext("Die JSON-Daten sind tiefer als %(depth)d Ebenen verschachtelt.") % {"depth": MAX_JSON_DEPTH}
            )
        return await super().json()
