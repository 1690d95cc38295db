"""The signed-in person's own account: name, password, and links to notifications and the calendar feed.

`/account/password` is also where everyone goes after an admin reset their password: it stays reachable
(`DURING_PASSWORD_CHANGE`) while every other route refuses (guards.password_changed)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.response import Template

from konfliktmanagement.domain.accounts.auth import SESSION_COOKIE
from konfliktmanagement.domain.accounts.deps import SignedIn, Users, user_dependencies
from konfliktmanagement.domain.accounts.guards import DURING_PASSWORD_CHANGE
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.i18n import gettext as _

SETTINGS_PATH = "/account/settings"
PASSWORD_PATH = "/account/password"


class AccountSettingsPageController(Controller):
    dependencies = user_dependencies

    @get(SETTINGS_PATH, name="account_settings")
    async def show(self, request: SignedIn) -> Template:
        return await _name_form(request).show()

    @post(SETTINGS_PATH)
    async def rename(self, request: SignedIn, users: Users, data: Form) -> Answer:
        version, name = forms.integer(data, "version"), forms.text(data, "name")
        return await _name_form(request).submit(
            request, data, lambda: users.rename(request.user, version=version, name=name)
        )

    @get(PASSWORD_PATH, name="account_password", opt=DURING_PASSWORD_CHANGE)
    async def password_form(self, request: SignedIn) -> Template:
        return await _password_form(request).show()

    @post(PASSWORD_PATH, opt=DURING_PASSWORD_CHANGE)
    async def change_password(self, request: SignedIn, users: Users, data: Form) -> Answer:
        return await _password_form(request).submit(
            request,
            data,
            lambda: users.change_password(
                request.user,
                current=forms.text(data, "current_password"),
                password=forms.text(data, "password"),
                repeat=forms.text(data, "password_repeat"),
                keep_session=request.cookies.get(SESSION_COOKIE),
            ),
        )


def _name_form(request: SignedIn) -> PageForm[object]:
    async def render(state: FormState) -> Template:
        stored = {"name": request.user.name, "version": request.user.version}
        return state.template("account/settings.html", {"user": request.user}, stored)

    return PageForm(render, message=_("Name gespeichert."), redirect=SETTINGS_PATH)


def _password_form(request: SignedIn) -> PageForm[object]:
    forced = request.user.must_change_password

    async def render(state: FormState) -> Template:
        # Passwords are never shown again.
        return state.template("account/password.html", {"forced": forced, "form": {}})

    return PageForm(render, message=_("Ihr neues Passwort ist gespeichert."), redirect="/" if forced else SETTINGS_PATH)
