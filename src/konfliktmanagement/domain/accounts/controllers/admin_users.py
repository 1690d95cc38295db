"""Admin pages: create users, set their roles, deactivate them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.db.models import Role
from konfliktmanagement.domain.accounts.deps import Users, user_dependencies
from konfliktmanagement.domain.accounts.guards import requires_admin
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.i18n import gettext as _


class AdminUserPageController(Controller):
    path = "/admin/users"
    guards = [requires_admin]  # noqa: RUF012
    dependencies = user_dependencies

    @get("/", name="admin_users")
    async def index(self, users: Users) -> Template:
        return Template(template_name="admin/users.html", context={"users": await users.list_users()})

    @get("/new", name="admin_user_new")
    async def new(self) -> Template:
        return await _new_user({}).show()

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], users: Users, data: Form) -> Answer:
        form = _new_user(data)
        return await form.submit(
            request,
            data,
            lambda: users.create_user(
                email=forms.text(data, "email"),
                name=forms.text(data, "name"),
                roles=forms.values(data, "roles"),
                password=forms.text(data, "password"),
            ),
        )

    @get("/{user_id:uuid}", name="admin_user")
    async def edit(self, users: Users, user_id: FromPath[UUID]) -> Template:
        return await _user(users, user_id).show()

    @post("/{user_id:uuid}")
    async def update(
        self, request: Request[Any, Any, Any], users: Users, user_id: FromPath[UUID], data: Form
    ) -> Answer:
        form = _user(users, user_id)
        return await form.submit(
            request,
            data,
            lambda: users.update_user(
                user_id,
                version=forms.integer(data, "version"),
                name=forms.text(data, "name"),
                roles=forms.values(data, "roles"),
                is_active=forms.checked(data, "is_active"),
                actor=request.user,
            ),
        )


def _new_user(data: dict[str, Any]) -> PageForm[m.User]:
    """The new-user form; `data` is the input sent (empty when the page is first shown)."""

    async def render(state: FormState) -> Template:
        # The password is never shown again, not even next to its error.
        form = {key: value for key, value in state.submitted.items() if key != "password"}
        context = {"form": form, "selected": forms.values(data, "roles"), "errors": state.errors, "roles": list(Role)}
        return Template(template_name="admin/user_new.html", context=context, status_code=state.status_code)

    return PageForm(render, message=_("Benutzer:in angelegt."), redirect=lambda user: f"/admin/users/{user.id}")


def _user(users: UserService, user_id: UUID) -> PageForm[m.User]:
    async def render(state: FormState) -> Template:
        # Stale: what is stored now is shown instead of overwriting someone else's change.
        user = await users.get_user(user_id)
        context = {"subject": user, "errors": state.errors, "roles": list(Role), "stale": state.stale}
        return Template(template_name="admin/user_edit.html", context=context, status_code=state.status_code)

    return PageForm(render, message=_("Änderungen gespeichert."), redirect=f"/admin/users/{user_id}")
