"""Main navigation per role; templates render it, the roles decide it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from konfliktmanagement.db.models import Role
from konfliktmanagement.lib.i18n import gettext as _


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    roles: frozenset[Role]


def _items() -> tuple[NavItem, ...]:
    everyone = frozenset(Role)
    return (
        NavItem(_("Übersicht"), "/", everyone),
        NavItem(_("Benutzer:innen"), "/admin/users", frozenset({Role.ADMIN})),
        NavItem(_("API-Tokens"), "/account/tokens", everyone),
    )


def navigation(user: Any) -> list[NavItem]:
    roles = getattr(user, "roles", frozenset())
    return [item for item in _items() if not item.roles.isdisjoint(roles)]
