from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.structs import Input


class NotificationOut(msgspec.Struct, kw_only=True):
    """One notification: a kind, a case reference, a date and a link — never a title, a name or a text."""

    id: UUID
    kind: m.NotificationKind
    kind_label: str
    case_id: UUID | None
    reference: str | None
    due_on: date | None
    overdue: bool
    link: str
    created_at: datetime
    read_at: datetime | None


class NotificationList(msgspec.Struct, kw_only=True):
    items: list[NotificationOut]  # the newest 100
    unread: int


class MailChoice(Input):
    """The kinds a person wants in their daily e-mail (the others are opted out)."""

    mail_kinds: list[m.NotificationKind] = msgspec.field(default_factory=list)
