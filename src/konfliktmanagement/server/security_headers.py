"""The security headers of every response, set in one place around the whole app.

- Content-Security-Policy: scripts, styles, images, fonts and requests only from this origin, no inline
  script or style (templates carry none; htmx's own indicator styles are switched off in base.html),
  no plugins, forms post only here, and no page may be framed (clickjacking).
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`.
- HSTS when cookies are secure (`cookie_secure`, on in production): the service is served over HTTPS.
- `Cache-Control: no-store` unless the route declared its own caching (static files do); for a
  signed-in user always, since every page and API answer may carry personal data.

Wrapped around `app.asgi_handler` like the request log, so it also covers what no route answers
(404 and 405 of the router, errors raised before a handler).
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
ALWAYS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    # For browsers that predate `frame-ancestors`.
    "x-frame-options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"
_CACHE_CONTROL = b"cache-control"
_NO_STORE = (_CACHE_CONTROL, b"no-store")


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


class SecurityHeadersMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, *, hsts: bool) -> None:
        # Encoded once, and the response's headers walked once: this runs on every response.
        self.headers = _encoded({**ALWAYS, **({"strict-transport-security": HSTS} if hsts else {})})
        self.names = frozenset(name for name, _ in self.headers)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [header for header in message.get("headers", ()) if header[0].lower() not in self.names]
                if scope.get("user") is not None or not any(name.lower() == _CACHE_CONTROL for name, _ in kept):
                    kept = [header for header in kept if header[0].lower() != _CACHE_CONTROL]
                    kept.append(_NO_STORE)
                message["headers"] = [*kept, *self.headers]
            await send(message)

        await next_app(scope, receive, send_with_headers)
