"""Route-level role guards. Object-level rules live in the services that load the objects."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.types import Guard

from konfliktmanagement.db.models import Role


def requires_role(*roles: Role) -> Guard:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.user
        if user is None or not user.has_role(*roles):
            raise PermissionDeniedException

    guard.__name__ = f"requires_{'_or_'.join(role.value for role in roles)}"
    return guard


requires_admin = requires_role(Role.ADMIN)
