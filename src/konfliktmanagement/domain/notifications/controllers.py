"""API of this area: the signed-in user's notifications, and marking them read."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath

from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.notifications import schemas
from konfliktmanagement.domain.notifications.deps import Notifications, notification_dependencies


class NotificationApiController(Controller):
    path = "/api/v1/notifications"
    dependencies = notification_dependencies
    tags = ["Benachrichtigungen"]  # noqa: RUF012

    @get("/")
    async def list_notifications(self, request: SignedIn, notifications: Notifications) -> schemas.NotificationList:
        return await notifications.inbox(request.user)

    @post("/read", status_code=200)
    async def read_all_notifications(self, request: SignedIn, notifications: Notifications) -> schemas.NotificationList:
        return await notifications.mark_read(request.user)

    @post("/{notification_id:uuid}/read", status_code=200)
    async def read_notification(
        self, request: SignedIn, notifications: Notifications, notification_id: FromPath[UUID]
    ) -> schemas.NotificationList:
        return await notifications.mark_read(request.user, notification_id)


API_CONTROLLERS: list[type[Controller]] = [NotificationApiController]
