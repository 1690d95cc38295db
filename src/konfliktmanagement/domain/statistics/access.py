"""Who may do what with statistics.

Reading published tables: any signed-in user, and anonymous visitors too with
KM_PUBLIC_STATISTICS=true (the paths are opened in `domain/accounts/auth.py`) — publications hold
only perturbed, rule-checked values. Publishing a period: coordinators only; it is never public.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from konfliktmanagement.db import models as m

PUBLISHER_ROLES = (m.Role.COORDINATOR,)


def may_publish(user: m.User | None) -> bool:
    return user is not None and user.has_role(*PUBLISHER_ROLES)


def requires_publisher(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Route guard of the publish action."""
    if not may_publish(connection.scope.get("user")):
        raise PermissionDeniedException
