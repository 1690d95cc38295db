"""Pages are never part of the OpenAPI document: it describes `/api/v1` and nothing else."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

pytestmark = pytest.mark.anyio


async def test_only_the_api_is_in_the_openapi_document(app: Litestar) -> None:
    documented = set(app.openapi_schema.paths or {})
    assert documented, "the OpenAPI document looks empty"
    assert all(path.startswith("/api/v1/") for path in documented), sorted(documented)


async def test_every_page_route_is_left_out_of_the_schema(app: Litestar) -> None:
    pages = [
        (route.path, handler)
        for route in app.routes
        if isinstance(route, HTTPRoute) and not route.path.startswith("/api/")
        for handler in route.route_handlers
        if isinstance(handler, HTTPRouteHandler)
    ]
    assert len(pages) >= 40, "the page inventory looks empty; did route discovery break?"
    included = [path for path, handler in pages if handler.resolve_include_in_schema()]
    assert not included, included
