"""One place that turns every error into a page for people or an RFC 9457 problem body for the API."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

import structlog
from advanced_alchemy.exceptions import IntegrityError, NotFoundError, RepositoryError
from litestar import Request, Response
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.middleware import ASGIMiddleware
from litestar.response import Redirect, Template
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.orm.exc import StaleDataError

from konfliktmanagement.db.outage import database_unavailable
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import DatabaseUnavailable, DomainError, PasswordChangeRequired
from konfliktmanagement.lib.i18n import N_, gettext
from konfliktmanagement.server.request_log import request_id_of

logger = structlog.get_logger("konfliktmanagement.errors")

_TITLES = {
    400: N_("Ungültige Anfrage"),
    401: N_("Anmeldung erforderlich"),
    403: N_("Keine Berechtigung"),
    404: N_("Seite nicht gefunden"),
    405: N_("Methode nicht erlaubt"),
    409: N_("Konflikt"),
    413: N_("Anfrage zu groß"),
    415: N_("Nicht unterstütztes Format"),
    422: N_("Eingaben unvollständig oder ungültig"),
    429: N_("Zu viele Anfragen"),
    500: N_("Interner Fehler"),
    503: N_("Vorübergehend nicht verfügbar"),
}
_DETAILS = {
    401: N_("Bitte melden Sie sich an."),
    403: N_("Sie haben keine Berechtigung für diese Aktion."),
    404: N_("Die angeforderte Seite gibt es nicht oder Sie dürfen sie nicht sehen."),
    409: N_("Der Datensatz wurde inzwischen geändert."),
    429: N_("Zu viele Versuche. Bitte warten Sie einen Moment."),
    500: N_("Ein unerwarteter Fehler ist aufgetreten. Bitte nennen Sie der Koordination die Anfrage-ID."),
    503: N_("Die Datenbank ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal."),
}


# How long a client should wait before repeating a request the database could not serve: a lost
# connection is replaced on the next request, a restarted PostgreSQL answers within seconds.
RETRY_AFTER_SECONDS = 2


def is_api_request(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


# msgspec names the offending field inside its message ("… - at `$.title`", "missing required
# field `title`", "unknown field `extra`"); Litestar reports the whole body as key "data".
_FIELD_IN_MESSAGE = re.compile(r"at `\$\.([^`]+)`|field `([^`]+)`")


def _field_name(item: dict[str, Any]) -> str:
    key = item.get("key")
    if key and key != "data":
        return str(key)
    if match := _FIELD_IN_MESSAGE.search(str(item.get("message", ""))):
        return match.group(1) or match.group(2)
    return str(key or item.get("source") or "body")


def _classify(exc: Exception) -> tuple[int, str | None, dict[str, Any], list[dict[str, str]], dict[str, str]]:
    """status, detail, extra members, field errors, headers."""
    # First: a lost connection surfaces wrapped in anything, advanced-alchemy's IntegrityError included.
    if isinstance(exc, DatabaseUnavailable) or database_unavailable(exc):
        return 503, None, {}, [], {"retry-after": str(RETRY_AFTER_SECONDS)}
    if isinstance(exc, DomainError):
        errors = [{"field": e.field, "message": e.message} for e in exc.errors]
        return exc.status_code, exc.detail, exc.extra, errors, {}
    if isinstance(exc, ValidationException):
        errors = [
            {"field": _field_name(item), "message": str(item.get("message", ""))}
            for item in (exc.extra if isinstance(exc.extra, list) else [])
            if isinstance(item, dict)
        ]
        return 400, "Die Anfrage enthält ungültige Felder.", {}, errors, {}
    if isinstance(exc, HTTPException):
        headers = dict(exc.headers or {})
        return exc.status_code, None, {}, [], headers
    if isinstance(exc, NotFoundError):
        return 404, None, {}, [], {}
    if isinstance(exc, StaleDataError | IntegrityError):
        return 409, None, {}, [], {}
    if isinstance(exc, RepositoryError) and exc.__cause__ is not None:
        return _classify(exc.__cause__)  # type: ignore[arg-type]
    return 500, None, {}, [], {}


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status, detail, extra, errors, headers = _classify(exc)
    request_id = request_id_of(request.scope)
    if status >= 500:
        logger.error("unhandled_error", exc_info=exc, status=status)
    title = gettext(_TITLES.get(status, N_("Fehler")))
    detail = detail or gettext(_DETAILS.get(status, title))

    if is_api_request(request):
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.url.path,
            "request_id": request_id,
            **extra,
        }
        if errors:
            body["errors"] = errors
        if status == 401:
            headers.setdefault("www-authenticate", 'Bearer realm="konfliktmanagement"')
        return Response(content=body, status_code=status, media_type="application/problem+json", headers=headers)

    if isinstance(exc, PasswordChangeRequired):
        return Redirect(path=exc.PAGE, status_code=303)
    if isinstance(exc, NotAuthorizedException):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request") == "true":
            # An htmx request (a quick action) would swap the sign-in page into its section: htmx opens
            # it as a page instead, and afterwards the person is back on the page they typed on.
            current = urlsplit(request.headers.get("hx-current-url", ""))
            back = forms.safe_next(current.path + (f"?{current.query}" if current.query else ""), target)
            login = f"/login?next={quote(back, safe='')}"
            return Response(content=b"", status_code=401, headers={"hx-redirect": login})
        return Redirect(path=f"/login?next={quote(target, safe='')}", status_code=303)
    context = {"status": status, "title": title, "detail": detail, "request_id": request_id, "errors": errors}
    return Template(
        template_name="error.html",
        context={**context, "viewer": _viewer(request)},
        status_code=status,
        headers=headers,
    )


def _viewer(request: Request[Any, Any, Any]) -> Principal | None:
    """The signed-in person for the page header, or None; never a database round trip.

    A `Principal` holds plain values: the error page can show it even after a failed flush or a lost
    connection (an ORM user would be expired then, and the layout would fail on it).
    """
    user = request.scope.get("user")
    return user if isinstance(user, Principal) else None


class LateDatabaseErrorMiddleware(ASGIMiddleware):
    """Answer 503 when the database fails while the response is being started.

    The session middleware writes the session row when the response starts, after Litestar's
    exception handlers inside it have marked the response as started; a failure there would end as
    the server's bare 500. Nothing has reached the client yet, so the usual error response is sent.
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = False

        async def send_and_note(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await next_app(scope, receive, send_and_note)
        except Exception as exc:
            if started or not database_unavailable(exc):
                raise
            request: Request[Any, Any, Any] = scope["litestar_app"].request_class(scope, receive, send)
            await handle_exception(request, exc).to_asgi_response(app=None, request=request)(scope, receive, send)
