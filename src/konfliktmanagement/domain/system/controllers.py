from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.lib.exceptions import DomainError
from konfliktmanagement.server.navigation import start_page


class DatabaseUnavailable(DomainError):
    status_code = 503
    title = "Datenbank nicht erreichbar"


class HealthApiController(Controller):
    """Probes for load balancers; public, outside the session middleware."""

    include_in_schema = False

    @get("/health", cache_control=None)
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready")
    async def ready(self, db_engine: NamedDependency[AsyncEngine]) -> dict[str, str]:
        try:
            async with db_engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            raise DatabaseUnavailable from exc
        return {"status": "ready"}


class HomePageController(Controller):
    include_in_schema = False

    @get("/", name="home")
    async def home(self, request: Request[Principal, Any, Any]) -> Redirect:
        return Redirect(path=start_page(request.user), status_code=303)
