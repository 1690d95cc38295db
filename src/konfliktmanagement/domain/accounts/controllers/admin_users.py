"""Admin pages: create users, set their roles, deactivate them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db.models import Role
from konfliktmanagement.domain.accounts.deps import user_dependencies
from konfliktmanagement.domain.accounts.guards import requires_admin
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import StaleVersion, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _


def _errors(exc: ValidationFailed) -> dict[str, str]:
    return {error.field: error.message for error in exc.errors}


class AdminUserController(Controller):
    path = "/admin/users"
    guards = [requires_admin]  # noqa: RUF012
    dependencies = user_dependencies
    include_in_schema = False

    @get("/", name="admin_users")
    async def index(self, users: NamedDependency[UserService]) -> Template:
        return Template(template_name="admin/users.html", context={"users": await users.list_users()})

    @get("/new", name="admin_user_new")
    async def new(self) -> Template:
        return Template(template_name="admin/user_new.html", context={"form": {}, "errors": {}, "roles": list(Role)})

    @post("/new")
    async def create(
        self, request: Request[Any, Any, Any], users: NamedDependency[UserService], data: URLEncodedBody[dict[str, Any]]
    ) -> Template | Redirect:
        try:
            user = await users.create_user(
                email=forms.text(data, "email"),
                name=forms.text(data, "name"),
                roles=forms.values(data, "roles"),
                password=forms.text(data, "password"),
            )
        except ValidationFailed as exc:
            form = {key: value for key, value in data.items() if key != "password"}
            return Template(
                template_name="admin/user_new.html",
                context={
                    "form": form,
                    "selected": forms.values(data, "roles"),
                    "errors": _errors(exc),
                    "roles": list(Role),
                },
                status_code=422,
            )
        flash(request, _("Benutzer:in angelegt."), category="success")
        return Redirect(path=f"/admin/users/{user.id}", status_code=303)

    @get("/{user_id:uuid}", name="admin_user")
    async def edit(self, users: NamedDependency[UserService], user_id: FromPath[UUID]) -> Template:
        user = await users.get_user(user_id)
        return Template(template_name="admin/user_edit.html", context=self._edit_context(user, errors={}))

    @post("/{user_id:uuid}")
    async def update(
        self,
        request: Request[Any, Any, Any],
        users: NamedDependency[UserService],
        user_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            await users.update_user(
                user_id,
                version=forms.integer(data, "version"),
                name=forms.text(data, "name"),
                roles=forms.values(data, "roles"),
                is_active=forms.checked(data, "is_active"),
                actor=request.user,
            )
        except ValidationFailed as exc:
            user = await users.get_user(user_id)
            return Template(
                template_name="admin/user_edit.html",
                context=self._edit_context(user, errors=_errors(exc)),
                status_code=422,
            )
        except StaleVersion:
            # Show what is stored now instead of overwriting someone else's change.
            user = await users.get_user(user_id)
            context = self._edit_context(user, errors={}) | {"stale": True}
            return Template(template_name="admin/user_edit.html", context=context, status_code=409)
        flash(request, _("Änderungen gespeichert."), category="success")
        return Redirect(path=f"/admin/users/{user_id}", status_code=303)

    @staticmethod
    def _edit_context(user: Any, errors: dict[str, str]) -> dict[str, Any]:
        return {"subject": user, "errors": errors, "roles": list(Role), "stale": False}
