"""Who may use the coordination's pages: the dashboard is the coordination's alone (DESIGN.md §4).

The rule itself is `cases.access.may_coordinate`; this module turns it into the route guard, so a
mediator, a round-table member or an admin gets 403 before anything is read.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import may_coordinate


async def requires_coordination(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    user: Principal | None = connection.user
    if user is None or not may_coordinate(user):
        raise PermissionDeniedException
