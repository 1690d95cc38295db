from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.round_tables.meetings import MeetingService
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery
from konfliktmanagement.domain.round_tables.reports import RoundTableReportService
from konfliktmanagement.domain.round_tables.services import RoundTableService

round_table_dependencies = {
    "round_tables": Provide(create_service_provider(RoundTableService)),
    "reports": Provide(create_service_provider(RoundTableReportService)),
    "meetings": Provide(create_service_provider(MeetingService)),
    "round_table_pages": Provide(RoundTableQuery, sync_to_thread=False),
}
