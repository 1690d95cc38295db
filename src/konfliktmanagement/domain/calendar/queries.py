"""The agenda page: this week and the next four, a list per week; the coordination picks a mediator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.calendar.agenda import AgendaItem, agenda_items
from konfliktmanagement.domain.cases.access import may_coordinate
from konfliktmanagement.domain.cases.form_options import Choice, mediator_choices
from konfliktmanagement.lib import clock

WEEKS = 5


@dataclass(frozen=True, slots=True)
class Week:
    monday: date
    items: list[AgendaItem]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week


@dataclass(frozen=True, slots=True)
class AgendaPage:
    weeks: list[Week]
    today: date
    office: bool  # the coordination's view (the whole office, or one mediator's)
    mediator_id: UUID | None = None
    mediators: list[Choice] = field(default_factory=list)
    feed_hint: str | None = None  # the active feed's last characters
    new_feed_url: str | None = None  # shown once, right after it was created


class AgendaQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def page(
        self, user: Principal, mediator_id: UUID | None = None, new_feed_url: str | None = None
    ) -> AgendaPage:
        today = clock.today()
        first = today - timedelta(days=today.weekday())
        office = may_coordinate(user)
        items = await agenda_items(
            self.session, user, first, first + timedelta(weeks=WEEKS), mediator_id if office else None
        )
        weeks = [Week(first + timedelta(weeks=n), []) for n in range(WEEKS)]
        for item in items:
            weeks[(item.day - first).days // 7].items.append(item)
        hint = await self.session.scalar(
            select(m.CalendarFeed.hint).where(m.CalendarFeed.user_id == user.id, m.CalendarFeed.revoked_at.is_(None))
        )
        return AgendaPage(
            weeks=weeks,
            today=today,
            office=office,
            mediator_id=mediator_id if office else None,
            mediators=await mediator_choices(self.session) if office else [],
            feed_hint=hint,
            new_feed_url=new_feed_url,
        )
