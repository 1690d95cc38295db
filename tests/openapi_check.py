"""Every `/api/` answer the test suite receives is checked against the app's OpenAPI document.

An httpx response hook on the test clients (tests/conftest.py): the status must be documented for the
operation, with the media type sent and a body that matches the schema. Requests to routes the
document does not name (unknown paths, methods not allowed) are not the document's to judge.
"""

from __future__ import annotations

import json
from typing import Any

from httpx import Request, RequestNotRead, Response
from litestar import Litestar
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from werkzeug.datastructures import Headers, ImmutableMultiDict

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics.exports import XLSX
from konfliktmanagement.server.openapi import complete

BINARY_DOWNLOADS = [*(media_type.value for media_type in m.AttachmentType), XLSX]
# Parsed documents by their text: every module's app (both lanes) serves the same one, so a test process
# parses each distinct one once. The check of the document itself against the OpenAPI specification
# (openapi-core's default, 2-3 s of CPU per document and worker) is made once per run, by
# test_openapi_document.py; here it is switched off (`spec_validator_cls=None`).
_PARSED: dict[str, OpenAPI] = {}


class _RequestView:
    def __init__(self, request: Request) -> None:
        self.host_url = f"{request.url.scheme}://{request.url.netloc.decode()}"
        self.path = request.url.path
        self.full_url_pattern = self.host_url + self.path
        self.method = request.method.lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )
        self.content_type = request.headers.get("content-type", "").lower()
        try:
            self.body = request.content or None
        except RequestNotRead:  # a multipart upload is streamed; checking the response does not need it
            self.body = None


class _ResponseView:
    def __init__(self, response: Response) -> None:
        self.status_code = response.status_code
        self.headers = Headers(list(response.headers.items()))
        self.content_type = response.headers.get("content-type", "").lower()
        self.data = response.content or None


class OpenAPIResponseCheck:
    def __init__(self, app: Litestar) -> None:
        self._app = app
        self._openapi: OpenAPI | None = None

    def _document(self) -> OpenAPI:
        if self._openapi is None:
            document: dict[str, Any] = self._app.openapi_schema.to_schema()
            complete(self._app, document)
            # openapi-core reads only `application/json` by itself; the CSV downloads are text.
            config = Config(
                spec_validator_cls=None,
                extra_media_type_deserializers={
                    "application/problem+json": json.loads,
                    "text/csv": lambda body, charset="utf-8", **_: body.decode(charset),
                    # Downloads are binary strings (`format: binary`): latin-1 maps every byte to a character.
                    **dict.fromkeys(BINARY_DOWNLOADS, lambda body, **_: body.decode("latin-1")),
                },
            )
            key = json.dumps(document, sort_keys=True)
            if key not in _PARSED:
                _PARSED[key] = OpenAPI.from_dict(document, config=config)
            self._openapi = _PARSED[key]
        return self._openapi

    async def __call__(self, response: Response) -> None:
        path = response.request.url.path
        if not path.startswith("/api/") or path.startswith("/api/v1/schema"):
            return
        await response.aread()
        try:
            self._document().validate_response(_RequestView(response.request), _ResponseView(response))
        except (PathNotFound, OperationNotFound):
            return


def openapi_check(app: Litestar) -> OpenAPIResponseCheck:
    """One check (and one parsed document) per app, kept with the app."""
    check: OpenAPIResponseCheck = app.state.setdefault("test_openapi_check", OpenAPIResponseCheck(app))
    return check
