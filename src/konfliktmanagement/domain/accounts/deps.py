from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.domain.accounts.tokens import ApiTokenService

user_dependencies = {"users": Provide(create_service_provider(UserService))}
token_dependencies = {"tokens": Provide(create_service_provider(ApiTokenService))}
