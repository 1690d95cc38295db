from __future__ import annotations

from typing import Any, TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar import Request
from litestar.di import NamedDependency, Provide

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.domain.accounts.tokens import ApiTokenService

user_dependencies = {"users": Provide(create_service_provider(UserService))}
token_dependencies = {"tokens": Provide(create_service_provider(ApiTokenService))}

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
SignedIn: TypeAlias = Request[m.User, Any, Any]
Users: TypeAlias = NamedDependency[UserService]
Tokens: TypeAlias = NamedDependency[ApiTokenService]
