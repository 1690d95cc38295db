"""A person's notifications: the list (what they may see now), marking read, the e-mail choices."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import Row, delete, func, select, update

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.notifications import schemas
from konfliktmanagement.domain.notifications.access import visible
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import NotFound
from konfliktmanagement.lib.services import Service

N = m.Notification
LIST_LIMIT = 100
_COLUMNS = (N.id, N.kind, N.case_id, N.due_on, N.link, N.created_at, N.read_at, m.Case.reference)


def notification_out(row: Row[tuple[object, ...]] | Sequence[object]) -> schemas.NotificationOut:
    id_, kind, case_id, due_on, link, created_at, read_at, reference = row
    kind = m.NotificationKind(str(kind))
    return schemas.NotificationOut(
        id=id_,  # type: ignore[arg-type]
        kind=kind,
        kind_label=label(kind),
        case_id=case_id,  # type: ignore[arg-type]
        reference=reference,  # type: ignore[arg-type]
        due_on=due_on,  # type: ignore[arg-type]
        overdue=due_on is not None and due_on < clock.today(),  # type: ignore[operator]
        link=link,  # type: ignore[arg-type]
        created_at=created_at,  # type: ignore[arg-type]
        read_at=read_at,  # type: ignore[arg-type]
    )


class NotificationRepository(SQLAlchemyAsyncRepository[m.Notification]):
    model_type = m.Notification


class NotificationService(Service[m.Notification, NotificationRepository]):
    repository_type = NotificationRepository

    async def inbox(self, user: Principal) -> schemas.NotificationList:
        mine = (N.user_id == user.id, visible())
        rows = await self.session.execute(
            select(*_COLUMNS)
            .outerjoin(m.Case, m.Case.id == N.case_id)
            .where(*mine)
            .order_by(N.created_at.desc(), N.id.desc())
            .limit(LIST_LIMIT)
        )
        unread = await self.session.scalar(select(func.count()).select_from(N).where(*mine, N.read_at.is_(None)))
        return schemas.NotificationList(items=[notification_out(row) for row in rows], unread=unread or 0)

    async def mark_read(self, user: Principal, notification_id: UUID | None = None) -> schemas.NotificationList:
        """One notification (404 unless it is the user's and visible to them now), or all of them; the list
        as it is then."""
        where = [N.user_id == user.id, visible(), N.read_at.is_(None)]
        if notification_id is not None:
            found = await self.session.scalar(select(N.id).where(N.id == notification_id, *where[:2]))
            if found is None:
                raise NotFound
            where.append(N.id == notification_id)
        await self.session.execute(
            update(N).where(*where).values(read_at=clock.now()).execution_options(synchronize_session=False)
        )
        return await self.inbox(user)

    async def mail_kinds(self, user: Principal) -> list[m.NotificationKind]:
        """The kinds this person gets by e-mail: all but the ones they opted out of."""
        opted_out = set(
            await self.session.scalars(select(m.NotificationOptOut.kind).where(m.NotificationOptOut.user_id == user.id))
        )
        return [kind for kind in m.NotificationKind if kind.value not in opted_out]

    async def choose_mail_kinds(self, user: Principal, data: schemas.MailChoice) -> list[m.NotificationKind]:
        wanted = set(data.mail_kinds)
        await self.session.execute(delete(m.NotificationOptOut).where(m.NotificationOptOut.user_id == user.id))
        self.session.add_all(
            m.NotificationOptOut(user_id=user.id, kind=kind.value) for kind in m.NotificationKind if kind not in wanted
        )
        await self.session.flush()
        return [kind for kind in m.NotificationKind if kind in wanted]
