from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar import Request
from litestar.di import NamedDependency, Provide

from konfliktmanagement.domain.accounts.links import AccountLinkService, LinkMail
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.domain.accounts.tokens import ApiTokenService
from konfliktmanagement.lib.settings import Settings
from konfliktmanagement.lib.templating import text_renderer


def provide_link_mail(request: Request[Any, Any, Any]) -> LinkMail:
    """The account links' e-mails, written with the app's templates."""
    settings: Settings = request.app.state["settings"]
    return LinkMail(
        render=text_renderer(request.app),
        base_url=settings.effective_base_url,
        invitation_valid=timedelta(hours=settings.invitation_valid_hours),
        reset_valid=timedelta(minutes=settings.password_reset_valid_minutes),
    )


user_dependencies = {"users": Provide(create_service_provider(UserService))}
token_dependencies = {"tokens": Provide(create_service_provider(ApiTokenService))}
link_dependencies = {
    "links": Provide(create_service_provider(AccountLinkService)),
    "mail": Provide(provide_link_mail, sync_to_thread=False),
}

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
SignedIn: TypeAlias = Request[Principal, Any, Any]
Users: TypeAlias = NamedDependency[UserService]
Tokens: TypeAlias = NamedDependency[ApiTokenService]
Links: TypeAlias = NamedDependency[AccountLinkService]
Mail: TypeAlias = NamedDependency[LinkMail]
