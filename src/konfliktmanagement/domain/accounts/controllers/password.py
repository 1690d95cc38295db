"""Pages without sign-in that set a password: "Passwort vergessen" and the one-time link from an e-mail
(invitation or reset). Rules in `domain/accounts/links.py`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Template

from konfliktmanagement.domain.accounts.deps import Links, Mail, link_dependencies
from konfliktmanagement.domain.accounts.links import SET_PASSWORD_PATH, AccountLinkService
from konfliktmanagement.domain.accounts.throttling import reset_request_throttle
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.i18n import gettext as _

FORGOT_PATH = "/login/forgot"


class PasswordLinkPageController(Controller):
    dependencies = link_dependencies

    @get(FORGOT_PATH, name="password_forgot")
    async def forgot(self) -> Template:
        return await _forgot().show()

    @post(FORGOT_PATH)
    async def request_link(self, request: Request[Any, Any, Any], links: Links, mail: Mail, data: Form) -> Answer:
        email = forms.text(data, "email")
        throttle = reset_request_throttle(request, email)
        return await _forgot().submit(request, data, lambda: links.request_reset(mail, throttle, email))

    @get(SET_PASSWORD_PATH, name="password_set")
    async def set_password_form(self, links: Links, token: FromQuery[str] = "") -> Template:
        return await _set_password(links, token).show()

    @post(SET_PASSWORD_PATH)
    async def set_password(self, request: Request[Any, Any, Any], links: Links, data: Form) -> Answer:
        token = forms.text(data, "token")
        form = _set_password(links, token)
        password, repeat = forms.text(data, "password"), forms.text(data, "password_repeat")
        return await form.submit(request, data, lambda: links.redeem(token, password, repeat))


def _forgot() -> PageForm[None]:
    async def render(state: FormState) -> Template:
        return state.template("login_forgot.html", {})

    # The same message whether an account has the address or not.
    message = _(
        "Falls ein Zugang mit dieser E-Mail-Adresse besteht, ist ein Link zum Festlegen eines neuen Passworts "
        "unterwegs. Bitte sehen Sie in Ihr Postfach."
    )
    return PageForm(render, message=message, redirect="/login")


def _set_password(links: AccountLinkService, token: str) -> PageForm[Any]:
    async def render(state: FormState) -> Template:
        link = await links.state(token)
        problem = link.problem or state.errors.get("token")
        context = {"token": token, "purpose": link.purpose, "problem": problem, "forgot": FORGOT_PATH}
        # Passwords are never shown again.
        form = {key: value for key, value in state.submitted.items() if not key.startswith("password")}
        status = 410 if problem else state.status_code
        return Template(
            "login_set_password.html",
            context={**state.context(), **context, "form": form},
            status_code=status,
            headers={"cache-control": "no-store"},
        )

    return PageForm(
        render, message=_("Ihr Passwort ist gespeichert. Bitte melden Sie sich jetzt an."), redirect="/login"
    )
