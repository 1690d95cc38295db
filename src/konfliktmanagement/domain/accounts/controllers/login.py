from __future__ import annotations

from typing import Any

import structlog
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from konfliktmanagement.domain.accounts.auth import end_session, renew_session, start_session
from konfliktmanagement.domain.accounts.deps import Users, user_dependencies
from konfliktmanagement.domain.accounts.guards import DURING_PASSWORD_CHANGE
from konfliktmanagement.domain.accounts.throttling import TooManyAttempts, sign_in_throttle
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.i18n import ngettext

logger = structlog.get_logger("konfliktmanagement.accounts")


class SignInPageController(Controller):
    dependencies = user_dependencies

    @get("/login", name="login")
    async def show(self, next: FromQuery[str | None] = None) -> Template:
        return Template(template_name="login.html", context={"next": forms.safe_next(next), "error": None, "email": ""})

    @post("/login")
    async def sign_in(
        self, request: Request[Any, Any, Any], users: Users, data: URLEncodedBody[dict[str, Any]]
    ) -> Template | Redirect:
        email, password = forms.text(data, "email"), forms.text(data, "password")
        target = forms.safe_next(forms.text(data, "next"))
        try:
            user = await sign_in_throttle(request, email).authenticate(users, email, password)
        except TooManyAttempts as refused:
            return _throttled(target, email, refused.retry_after)
        if user is None:
            # One answer for an unknown address and a wrong password: no account enumeration.
            logger.info("sign_in_failed")
            return Template(
                template_name="login.html",
                context={"next": target, "error": _("E-Mail-Adresse oder Passwort ist falsch."), "email": email},
                status_code=400,
            )
        await start_session(request, user)
        logger.info("sign_in", user_id=str(user.id))
        return Redirect(path=target, status_code=303)

    @post("/session/renew", name="session_renew", status_code=200, opt=DURING_PASSWORD_CHANGE)
    async def stay_signed_in(self, request: Request[Any, Any, Any]) -> dict[str, int]:
        """The session warning's "Angemeldet bleiben" (static/js/app.js): a whole idle lifetime more."""
        return {"seconds_left": renew_session(request, request.app.state["settings"])}

    @post("/logout", name="logout", opt=DURING_PASSWORD_CHANGE)
    async def sign_out(self, request: Request[Any, Any, Any]) -> Redirect:
        end_session(request)
        return Redirect(path="/login", status_code=303)


def _throttled(target: str, email: str, retry_after: int) -> Template:
    # The same answer for every account, known or not; the wait is rounded up to what people read.
    if retry_after < 60:
        wait = ngettext("in %(n)s Sekunde", "in %(n)s Sekunden", retry_after) % {"n": retry_after}
    else:
        minutes = -(-retry_after // 60)
        wait = ngettext("in %(n)s Minute", "in %(n)s Minuten", minutes) % {"n": minutes}
    error = _("Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es %(wait)s erneut.") % {"wait": wait}
    return Template(
        template_name="login.html",
        context={"next": target, "error": error, "email": email},
        status_code=429,
        headers={"retry-after": str(retry_after)},
    )
