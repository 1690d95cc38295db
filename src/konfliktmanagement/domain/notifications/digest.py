"""The daily e-mail digest: per person one message a day through the outbox, never sent directly.

It lists the person's unread notifications that no digest covered yet and that they may still see, of
the kinds they did not opt out of — by kind, case reference, date and link only: never a title, a party's
name or a note's text. The outbox key `digest:<user id>:<day>` makes it one message per person and day
however often the job runs: a person who already has the day's digest is passed over, and the
notifications a digest covered (or passed over: read, opted out) are marked with its day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.notifications.access import visible
from konfliktmanagement.domain.notifications.schemas import NotificationOut
from konfliktmanagement.domain.notifications.services import notification_out
from konfliktmanagement.domain.outbox.services import enqueue
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.templating import local_date

N = m.Notification


def digest_key(user_id: UUID, day: date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


async def send_digests(session: AsyncSession, day: date, base_url: str) -> int:
    """Enqueue the day's digests; answers how many were enqueued now."""
    rows = await session.execute(
        select(N.id, N.kind, N.case_id, N.due_on, N.link, N.created_at, N.read_at, m.Case.reference, N.user_id)
        .join(m.User, m.User.id == N.user_id)
        .outerjoin(m.Case, m.Case.id == N.case_id)
        .where(N.digested_on.is_(None), m.User.is_active.is_(True), visible())
        .order_by(N.user_id, N.created_at, N.id)
    )
    pending: dict[UUID, list[NotificationOut]] = defaultdict(list)
    for row in rows:
        pending[row[-1]].append(notification_out(row[:-1]))
    if not pending:
        return 0
    people = list(pending)
    addresses = dict(
        (await session.execute(select(m.User.id, m.User.email).where(m.User.id.in_(people)))).tuples().all()
    )
    opted_out = set(
        (
            await session.execute(
                select(m.NotificationOptOut.user_id, m.NotificationOptOut.kind).where(
                    m.NotificationOptOut.user_id.in_(people)
                )
            )
        )
        .tuples()
        .all()
    )
    done = set(
        await session.scalars(
            select(m.OutboxMessage.dedupe_key).where(
                m.OutboxMessage.dedupe_key.in_([digest_key(user_id, day) for user_id in people])
            )
        )
    )
    sent = 0
    for user_id, items in pending.items():
        key = digest_key(user_id, day)
        if key in done:
            continue  # today's digest is out; what came since waits for tomorrow's
        mailed = [item for item in items if item.read_at is None and (user_id, item.kind.value) not in opted_out]
        if mailed:
            await enqueue(
                session,
                to=[addresses[user_id]],
                subject=_("Konfliktmanagement: %(count)d Benachrichtigungen vom %(day)s")
                % {"count": len(mailed), "day": local_date(day)},
                text=digest_text(mailed, day, base_url),
                dedupe_key=key,
            )
            sent += 1
        await session.execute(
            update(N)
            .where(N.id.in_([item.id for item in items]))
            .values(digested_on=day)
            .execution_options(synchronize_session=False)
        )
    return sent


def digest_text(items: list[NotificationOut], day: date, base_url: str) -> str:
    lines = [_("Guten Tag,"), "", _("Ihre Benachrichtigungen vom %(day)s:") % {"day": local_date(day)}, ""]
    for item in items:
        parts = [label(item.kind)]
        if item.reference:
            parts.append(item.reference)
        if item.due_on is not None:
            when = _("am %(day)s") if item.kind is m.NotificationKind.SESSION_TOMORROW else _("fällig am %(day)s")
            due = when % {"day": local_date(item.due_on)}
            parts.append(due + (" " + _("(überfällig)") if item.due_on < day else ""))
        lines += ["- " + " – ".join(parts), f"  {base_url}{item.link}"]
    lines += [
        "",
        _("Alle Benachrichtigungen: %(url)s") % {"url": f"{base_url}/notifications"},
        _("Welche Benachrichtigungen per E-Mail kommen, stellen Sie hier ein: %(url)s")
        % {"url": f"{base_url}/account/notifications"},
    ]
    return "\n".join(lines) + "\n"
