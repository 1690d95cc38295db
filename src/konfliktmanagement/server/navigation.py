"""Main navigation and start page per role; templates render it, the roles decide it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from konfliktmanagement.db.models import Role
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.lib.i18n import gettext as _


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    roles: frozenset[Role]


@cache  # the catalog is loaded once per process (lib/i18n.py), so are the labels
def _items() -> tuple[NavItem, ...]:
    case_team = frozenset({Role.MEDIATOR, Role.COORDINATOR})
    return (
        NavItem(_("Koordination"), "/dashboard", frozenset({Role.COORDINATOR})),
        NavItem(_("Meine Fälle"), "/cases/mine", frozenset({Role.MEDIATOR})),
        NavItem(_("Fälle"), "/cases", case_team),
        NavItem(_("Kalender"), "/calendar", case_team),
        NavItem(_("Orte"), "/places", case_team),
        NavItem(_("Karte"), "/places/map", case_team),
        NavItem(_("Runde Tische verwalten"), "/round-tables/manage", frozenset({Role.COORDINATOR})),
        NavItem(_("Runde Tische"), "/round-tables", frozenset({Role.ROUND_TABLE_MEMBER})),
        NavItem(_("Benutzer:innen"), "/admin/users", frozenset({Role.ADMIN})),
        NavItem(_("Stammdaten"), "/admin/master-data", frozenset({Role.ADMIN})),
        NavItem(_("Datenschutz"), "/admin/privacy", frozenset({Role.ADMIN})),
        NavItem(_("Statistik"), "/statistics", frozenset(Role)),
    )


@cache
def _account_items() -> tuple[NavItem, ...]:
    # Tokens connect other systems (the city's reporting, the admins' user provisioning): offered to
    # the coordination and the admins only; mediators on site and round-table members work in the pages.
    return (
        NavItem(_("E-Mail-Benachrichtigungen"), "/account/notifications", frozenset({Role.MEDIATOR, Role.COORDINATOR})),
        NavItem(_("Einstellungen"), "/account/settings", frozenset(Role)),
        NavItem(_("API-Tokens"), "/account/tokens", frozenset({Role.COORDINATOR, Role.ADMIN})),
    )


@cache  # a handful of role combinations per process
def _for_roles(items: tuple[NavItem, ...], roles: frozenset[Role]) -> tuple[NavItem, ...]:
    return tuple(item for item in items if not item.roles.isdisjoint(roles))


def navigation(user: Principal | None) -> list[NavItem]:
    roles = user.roles if user is not None else frozenset()
    return list(_for_roles(_items(), roles))


def account_navigation(user: Principal | None) -> list[NavItem]:
    """The links next to the account (beside "Abmelden"), by role like the main navigation."""
    roles = user.roles if user is not None else frozenset()
    return list(_for_roles(_account_items(), roles))


def start_page(user: Principal | None) -> str:
    """Where `/` leads: the first page of the user's main job (the navigation's order)."""
    items = navigation(user)
    return items[0].href if items else "/account/tokens"
