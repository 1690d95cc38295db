from __future__ import annotations

from typing import Any

import structlog
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from konfliktmanagement.domain.accounts.auth import end_session, start_session
from konfliktmanagement.domain.accounts.deps import user_dependencies
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.i18n import gettext as _

logger = structlog.get_logger("konfliktmanagement.accounts")


class SignInPageController(Controller):
    dependencies = user_dependencies

    @get("/login", name="login")
    async def show(self, next: FromQuery[str | None] = None) -> Template:
        return Template(template_name="login.html", context={"next": forms.safe_next(next), "error": None, "email": ""})

    @post("/login")
    async def sign_in(
        self, request: Request[Any, Any, Any], users: NamedDependency[UserService], data: URLEncodedBody[dict[str, Any]]
    ) -> Template | Redirect:
        email, password = forms.text(data, "email"), forms.text(data, "password")
        target = forms.safe_next(forms.text(data, "next"))
        user = await users.authenticate(email, password) if email and password else None
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

    @post("/logout", name="logout")
    async def sign_out(self, request: Request[Any, Any, Any]) -> Redirect:
        end_session(request)
        return Redirect(path="/login", status_code=303)
