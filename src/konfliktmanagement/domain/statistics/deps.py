from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.domain.statistics.publishing import StatisticsService
from konfliktmanagement.domain.statistics.queries import StatisticsQuery

# Reading what is published needs only the query; publishing and withdrawing need the service.
publication_dependencies = {"statistics_pages": Provide(StatisticsQuery, sync_to_thread=False)}
statistics_dependencies = {
    **publication_dependencies,
    "statistics": Provide(create_service_provider(StatisticsService)),
}

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Statistics: TypeAlias = NamedDependency[StatisticsService]
StatisticsPages: TypeAlias = NamedDependency[StatisticsQuery]
