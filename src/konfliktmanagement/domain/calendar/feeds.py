"""Personal calendar feeds: a secret URL created on the agenda page, shown once, stored as a SHA-256 like
API tokens (`accounts/tokens.py`), revocable. One per person: a new one replaces the old. Every fetch reads
the agenda anew with its person's current access, so a mediator unassigned from a case loses its events."""

from __future__ import annotations

import secrets
from datetime import timedelta

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.accounts.tokens import token_digest
from konfliktmanagement.domain.calendar.agenda import agenda_items
from konfliktmanagement.domain.calendar.ical import calendar_bytes
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import NotFound
from konfliktmanagement.lib.services import Service

FEED_SUFFIX = ".ics"
FEED_PATH = "/calendar/feed/"
# What a feed carries: the last four weeks and the next half year.
FEED_PAST = timedelta(weeks=4)
FEED_AHEAD = timedelta(weeks=26)


class CalendarFeedRepository(SQLAlchemyAsyncRepository[m.CalendarFeed]):
    model_type = m.CalendarFeed


class CalendarFeedService(Service[m.CalendarFeed, CalendarFeedRepository]):
    repository_type = CalendarFeedRepository

    async def subscribe(self, user: Principal, base_url: str) -> str:
        """A new feed for `user` (revoking the one before); its URL, shown this once."""
        await self.revoke(user)
        token = secrets.token_urlsafe(32)
        await self.repository.add(m.CalendarFeed(user_id=user.id, token_hash=token_digest(token), hint=token[-4:]))
        return f"{base_url}{FEED_PATH}{token}{FEED_SUFFIX}"

    async def revoke(self, user: Principal) -> None:
        await self.session.execute(
            update(m.CalendarFeed)
            .where(m.CalendarFeed.user_id == user.id, m.CalendarFeed.revoked_at.is_(None))
            .values(revoked_at=clock.now())
            .execution_options(synchronize_session=False)
        )

    async def feed(self, token: str, base_url: str) -> bytes:
        """The calendar of the feed's person as their access is now; 404 for an unknown or revoked feed."""
        token = token.removesuffix(FEED_SUFFIX)
        found = await self.session.scalars(
            select(m.User)
            .join(m.CalendarFeed, m.CalendarFeed.user_id == m.User.id)
            .outerjoin(m.User.role_rows)
            .options(contains_eager(m.User.role_rows))
            .where(
                m.CalendarFeed.token_hash == token_digest(token),
                m.CalendarFeed.revoked_at.is_(None),
                m.User.is_active.is_(True),
            )
        )
        user = found.unique().first()  # one row per role
        if user is None:
            raise NotFound
        today = clock.today()
        items = await agenda_items(self.session, Principal.of(user), today - FEED_PAST, today + FEED_AHEAD)
        return calendar_bytes(items, base_url)
