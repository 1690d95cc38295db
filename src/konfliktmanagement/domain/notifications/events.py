"""Writing notifications: each is unique per person and key, so writing one twice (a job run twice, two
instances at once) changes nothing. Only models here: `domain/cases` records assignments through it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from konfliktmanagement.db import models as m
from konfliktmanagement.lib import clock

Kind = m.NotificationKind


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that concerns the people in `user_ids`."""

    kind: Kind
    key: str  # unique per person, e.g. "wiedervorlage:<case id>:<date>"
    link: str
    user_ids: Iterable[UUID]
    case_id: UUID | None = None
    subject_id: UUID | None = None
    due_on: date | None = None


async def record(session: AsyncSession, events: Iterable[Event]) -> None:
    now = clock.now()
    rows: list[dict[str, Any]] = [
        {
            "id": uuid7(),
            "user_id": user_id,
            "kind": event.kind.value,
            "key": event.key,
            "link": event.link,
            "case_id": event.case_id,
            "subject_id": event.subject_id,
            "due_on": event.due_on,
            "created_at": now,
            "updated_at": now,
        }
        for event in events
        for user_id in dict.fromkeys(event.user_ids)
    ]
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(m.Notification).on_conflict_do_nothing(index_elements=["user_id", "key"])
    await session.execute(statement, rows)


async def assigned(session: AsyncSession, case_id: UUID, user_ids: Iterable[UUID], actor_id: UUID) -> None:
    """Mediators newly assigned to a case (not the coordinator who assigned themselves)."""
    people = [user_id for user_id in user_ids if user_id != actor_id]
    key = f"assigned:{case_id}:{clock.now().isoformat()}"
    await record(session, [Event(Kind.ASSIGNED, key, f"/cases/{case_id}", people, case_id=case_id)])
