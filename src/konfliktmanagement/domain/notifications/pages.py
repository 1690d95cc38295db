"""Pages: "Benachrichtigungen" (`/notifications`, read and unread) and the e-mail choices
(`/account/notifications`, which kinds come in the daily digest)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.labels import choices
from konfliktmanagement.domain.notifications import schemas
from konfliktmanagement.domain.notifications.access import UNREAD_STATE
from konfliktmanagement.domain.notifications.deps import Notifications, notification_dependencies
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _


class NotificationPageController(Controller):
    dependencies = notification_dependencies

    @get("/notifications", name="notifications")
    async def index(self, request: SignedIn, notifications: Notifications) -> Template:
        return await _inbox(notifications, request.user).show()

    @post(["/notifications/read", "/notifications/{notification_id:uuid}/read"])
    async def read(
        self, request: SignedIn, notifications: Notifications, data: Form, notification_id: FromPath[UUID | None] = None
    ) -> Answer:
        """One notification, or (without an id) all of them."""
        form = _inbox(notifications, request.user)
        return await form.submit(request, data, lambda: notifications.mark_read(request.user, notification_id))

    @get("/account/notifications", name="notification_settings")
    async def mail_choice(self, request: SignedIn, notifications: Notifications) -> Template:
        return await _mail_choice(notifications, request.user).show()

    @post("/account/notifications")
    async def choose(self, request: SignedIn, notifications: Notifications, data: Form) -> Answer:
        form = _mail_choice(notifications, request.user)
        return await form.submit(
            request, data, lambda: notifications.choose_mail_kinds(request.user, parse(schemas.MailChoice, data))
        )


def _inbox(notifications: Notifications, user: Principal) -> PageForm[Any]:
    async def render(state: FormState) -> Template:
        return state.template("notifications/list.html", {"inbox": await notifications.inbox(user)})

    return PageForm(render, message=_("Als gelesen markiert."), redirect="/notifications")


def _mail_choice(notifications: Notifications, user: Principal) -> PageForm[Any]:
    async def render(state: FormState) -> Template:
        chosen = [kind.value for kind in await notifications.mail_kinds(user)]
        context = {"kinds": choices(m.NotificationKind), "chosen": chosen}
        return state.template("notifications/settings.html", context)

    return PageForm(render, message=_("Einstellungen gespeichert."), redirect="/account/notifications")


def unread_notifications(request: Any) -> int | None:
    """The header's unread count (read by the sign-in query); None where the header shows no link: for
    people without notifications (admins, round-table members) and on pages without a session."""
    user: Principal | None = request.scope.get("user")
    if user is None or not user.has_role(m.Role.MEDIATOR, m.Role.COORDINATOR):
        return None
    count = request.scope["state"].get(UNREAD_STATE)
    return int(count) if count is not None else None


PAGE_CONTROLLERS: list[type[Controller]] = [NotificationPageController]
