"""Route-level role guards. Object-level rules live in the services that load the objects.

Every guard is a coroutine function: Litestar runs a plain function guard in a worker thread, a thread
hop on every request it guards (tests/integration/test_route_inventory.py holds all guards to this).
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.types import Guard

from konfliktmanagement.db.models import Role
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.lib.exceptions import PasswordChangeRequired

# A handler with this in its `opt` stays reachable while its user must change the password.
DURING_PASSWORD_CHANGE = {"during_password_change": True}


def requires_role(*roles: Role) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.user
        if user is None or not user.has_role(*roles):
            raise PermissionDeniedException

    guard.__name__ = f"requires_{'_or_'.join(role.value for role in roles)}"
    return guard


requires_admin = requires_role(Role.ADMIN)


async def password_changed(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Every route but those marked `DURING_PASSWORD_CHANGE` waits for the new password after an admin's reset."""
    user: Principal | None = connection.scope.get("user")
    if user is not None and user.must_change_password and not handler.opt.get("during_password_change"):
        raise PasswordChangeRequired
