"""CSRF protection for cookie-authenticated requests.

A request that carries an `Authorization` header is authenticated by that header alone (see
`BearerOrSessionAuthMiddleware`); browsers never add such a header cross-site, so there is
nothing to forge and no CSRF cookie to compare against.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Receive, Scope, Send

CSRF_HEADER = "x-csrftoken"
CSRF_COOKIE = "km_csrf"


class TokenAwareCSRFMiddleware(CSRFMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and any(name == b"authorization" for name, _ in scope["headers"]):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
