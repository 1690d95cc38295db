from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.domain.notifications.services import NotificationService

notification_dependencies = {"notifications": Provide(create_service_provider(NotificationService))}

# The type of the handlers' parameter for this dependency (the parameter's name is the dependency's).
Notifications: TypeAlias = NamedDependency[NotificationService]
