"""Who may do what with statistics.

Reading published tables: any signed-in user, and anonymous visitors too with
KM_PUBLIC_STATISTICS=true (`anonymous_read_paths`, applied by `domain/accounts/auth.py`) — publications hold
only perturbed, rule-checked values. Publishing a period and withdrawing a publication: coordinators
only; never public.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.lib.settings import Settings

PUBLISHER_ROLES = (m.Role.COORDINATOR,)
# The read-only statistics routes. They stay behind authentication (not excluded), so a signed-in
# user is still recognised there. Anchored regexes: an unanchored pattern would match anywhere.
PUBLIC_READ_PATHS = (
    r"^/statistics/?$",
    r"^/statistics/\d{4}/\w+$",
    r"^/api/v1/statistics/?$",
    r"^/api/v1/statistics/\d{4}/[\w.]+$",
)


def anonymous_read_paths(settings: Settings) -> tuple[str, ...]:
    """Paths anonymous visitors may read: the statistics routes with KM_PUBLIC_STATISTICS=true, else none."""
    return PUBLIC_READ_PATHS if settings.public_statistics else ()


def may_publish(user: Principal | None) -> bool:
    return user is not None and user.has_role(*PUBLISHER_ROLES)


async def requires_publisher(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Route guard of the publish and withdraw actions (who publishes may take a publication back)."""
    if not may_publish(connection.scope.get("user")):
        raise PermissionDeniedException
