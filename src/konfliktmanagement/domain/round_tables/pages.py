"""HTML pages of this area (server-rendered, German). Filled in by issue 4."""

from __future__ import annotations

from litestar import Controller

PAGE_CONTROLLERS: list[type[Controller]] = []
