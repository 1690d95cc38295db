from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.quartiers.importing import ImportService
from konfliktmanagement.domain.quartiers.master_data import MasterDataService
from konfliktmanagement.domain.quartiers.queries import MasterDataQuery

master_data_dependencies = {
    "master_data": Provide(create_service_provider(MasterDataService)),
    "pages": Provide(MasterDataQuery, sync_to_thread=False),
}
import_dependencies = {"imports": Provide(create_service_provider(ImportService))}
