"""Admin pages: invite users, set their roles, deactivate them; resend or revoke an invitation, reset a password."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.db.models import Role
from konfliktmanagement.domain.accounts.deps import Links, Mail, SignedIn, Users, link_dependencies, user_dependencies
from konfliktmanagement.domain.accounts.guards import requires_admin
from konfliktmanagement.domain.accounts.links import AccountLinkService
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.i18n import gettext as _


class AdminUserPageController(Controller):
    path = "/admin/users"
    guards = [requires_admin]  # noqa: RUF012
    dependencies = {**user_dependencies, **link_dependencies}  # noqa: RUF012

    @get("/", name="admin_users")
    async def index(self, users: Users) -> Template:
        return Template(template_name="admin/users.html", context={"users": await users.list_users()})

    @get("/new", name="admin_user_new")
    async def new(self) -> Template:
        return await _new_user({}).show()

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], links: Links, mail: Mail, data: Form) -> Answer:
        form = _new_user(data)
        return await form.submit(
            request,
            data,
            lambda: links.invite(
                mail, email=forms.text(data, "email"), name=forms.text(data, "name"), roles=forms.values(data, "roles")
            ),
        )

    @get("/{user_id:uuid}", name="admin_user")
    async def edit(self, users: Users, links: Links, user_id: FromPath[UUID]) -> Template:
        return await _user(users, links, user_id).show()

    @post("/{user_id:uuid}")
    async def update(
        self, request: SignedIn, users: Users, links: Links, user_id: FromPath[UUID], data: Form
    ) -> Answer:
        form = _user(users, links, user_id)
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

    @post("/{user_id:uuid}/invitation")
    async def resend_invitation(
        self,
        request: Request[Any, Any, Any],
        users: Users,
        links: Links,
        mail: Mail,
        user_id: FromPath[UUID],
        data: Form,
    ) -> Answer:
        form = _user(users, links, user_id, _("Die Einladung ist erneut verschickt; ältere Links gelten nicht mehr."))
        return await form.submit(request, data, lambda: links.resend_invitation(mail, user_id))

    @post("/{user_id:uuid}/invitation/revoke")
    async def revoke_invitation(
        self, request: Request[Any, Any, Any], users: Users, links: Links, user_id: FromPath[UUID], data: Form
    ) -> Answer:
        form = _user(users, links, user_id, _("Die Einladung ist widerrufen; ihr Link gilt nicht mehr."))
        return await form.submit(request, data, lambda: links.revoke_invitation(user_id))

    @post("/{user_id:uuid}/password")
    async def reset_password(
        self, request: Request[Any, Any, Any], users: Users, links: Links, user_id: FromPath[UUID], data: Form
    ) -> Answer:
        message = _("Das vorläufige Passwort ist gesetzt; bei der nächsten Anmeldung muss ein neues gewählt werden.")
        version, password = forms.integer(data, "version"), forms.text(data, "password")
        return await _user(users, links, user_id, message).submit(
            request, data, lambda: users.reset_password(user_id, version=version, password=password, actor=request.user)
        )


def _new_user(data: dict[str, Any]) -> PageForm[m.User]:
    """The invitation form; `data` is the input sent (empty when the page is first shown)."""

    async def render(state: FormState) -> Template:
        context = {"form": state.submitted, "selected": forms.values(data, "roles"), "errors": state.errors}
        context["roles"] = list(Role)
        return Template(template_name="admin/user_new.html", context=context, status_code=state.status_code)

    return PageForm(
        render,
        message=_("Benutzer:in angelegt; die Einladung ist per E-Mail unterwegs."),
        redirect=lambda user: f"/admin/users/{user.id}",
    )


def _user(users: UserService, links: AccountLinkService, user_id: UUID, message: str | None = None) -> PageForm[m.User]:
    async def render(state: FormState) -> Template:
        # Stale: what is stored now is shown instead of overwriting someone else's change.
        user = await users.get_user(user_id)
        context = {
            "subject": user,
            "errors": state.errors,
            "roles": list(Role),
            "stale": state.stale,
            "invitation_until": await links.open_invitation(user_id) if user.password is None else None,
        }
        return Template(template_name="admin/user_edit.html", context=context, status_code=state.status_code)

    return PageForm(render, message=message or _("Änderungen gespeichert."), redirect=f"/admin/users/{user_id}")
