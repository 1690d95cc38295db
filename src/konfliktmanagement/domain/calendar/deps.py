from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.domain.calendar.feeds import CalendarFeedService
from konfliktmanagement.domain.calendar.queries import AgendaQuery

calendar_dependencies = {
    "agenda": Provide(AgendaQuery, sync_to_thread=False),
    "feeds": Provide(create_service_provider(CalendarFeedService)),
}

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Agenda: TypeAlias = NamedDependency[AgendaQuery]
Feeds: TypeAlias = NamedDependency[CalendarFeedService]
