"""The main pages of every role, and one office with a rich case so that each page has something to show."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser

from tests.e2e.data import Office, RichCase, publish_statistics, seed_office, seed_rich_case
from tests.e2e.server import LiveServer
from tests.e2e.ui import sign_in


@dataclass(frozen=True)
class Scene:
    office: Office
    case: RichCase
    sessions: dict[str, Any]  # role → Playwright storage state of a signed-in browser
    period: str  # the year whose statistics are published


@dataclass(frozen=True)
class MainPage:
    name: str  # also the screenshot's file name
    role: str | None  # who looks at it (an Office attribute); None: signed out
    path: Callable[[Scene], str]
    status: int = 200
    screenshot: bool = True  # the pages the issue names; the further forms are checked, not photographed


MAIN_PAGES = (
    MainPage("login", None, lambda s: "/login"),
    MainPage("my-cases", "mediator", lambda s: "/cases/mine"),
    MainPage("case-list", "coordinator", lambda s: "/cases"),
    MainPage("case", "mediator", lambda s: f"/cases/{s.case.id}"),
    MainPage("case-edit", "mediator", lambda s: f"/cases/{s.case.id}/edit"),
    MainPage("case-print", "mediator", lambda s: f"/cases/{s.case.id}/print", screenshot=False),
    MainPage("case-new", "mediator", lambda s: "/cases/new"),
    MainPage("transition", "mediator", lambda s: f"/cases/{s.case.id}/transitions/abgeschlossen"),
    MainPage("session-form", "mediator", lambda s: f"/cases/{s.case.id}/sessions/new"),
    MainPage("party", "mediator", lambda s: f"/parties/{s.case.party_id}"),
    MainPage("note-form", "mediator", lambda s: f"/cases/{s.case.id}/notes/new"),
    MainPage("agreement", "mediator", lambda s: f"/agreements/{s.case.agreement_id}"),
    MainPage("dashboard", "coordinator", lambda s: "/dashboard"),
    MainPage("place", "coordinator", lambda s: f"/places/{s.office.place_id}"),
    MainPage("round-tables", "round_table", lambda s: "/round-tables"),
    MainPage("admin-users", "admin", lambda s: "/admin/users"),
    MainPage("admin-master-data", "admin", lambda s: "/admin/master-data"),
    MainPage("admin-import", "admin", lambda s: "/admin/import"),
    MainPage("tokens", "mediator", lambda s: "/account/tokens"),
    MainPage("not-found", "mediator", lambda s: f"/cases/{uuid.uuid4()}", status=404),
    MainPage("statistics", "coordinator", lambda s: "/statistics"),
    MainPage(
        "statistics-table", "round_table", lambda s: f"/statistics/{s.period}/faelle_quartier_konfliktgruppe"
    ),  # two dimensions: a wide table in a scroll region and grouped bars
    MainPage("round-tables-manage", "coordinator", lambda s: "/round-tables/manage"),
    # Further forms people fill in every day.
    MainPage("participation", "mediator", lambda s: f"/participations/{s.case.participation_id}", screenshot=False),
    MainPage("participation-new", "mediator", lambda s: f"/cases/{s.case.id}/participations/new", screenshot=False),
    MainPage("session-edit", "mediator", lambda s: f"/sessions/{s.case.session_id}", screenshot=False),
    MainPage("note-edit", "mediator", lambda s: f"/notes/{s.case.note_id}", screenshot=False),
    MainPage("agreement-item", "mediator", lambda s: f"/agreement-items/{s.case.item_id}", screenshot=False),
    MainPage("admin-request", "mediator", lambda s: f"/administration-requests/{s.case.request_id}", screenshot=False),
    MainPage("case-mediators", "coordinator", lambda s: f"/cases/{s.case.id}/mediators", screenshot=False),
    MainPage("places", "coordinator", lambda s: "/places", screenshot=False),
    MainPage("place-map", "mediator", lambda s: "/places/map", screenshot=False),
    MainPage("admin-user-new", "admin", lambda s: "/admin/users/new", screenshot=False),
    MainPage("round-table-new", "coordinator", lambda s: "/round-tables/new", screenshot=False),
    # Privacy (issue 12).
    MainPage("privacy-admin", "admin", lambda s: "/admin/privacy", screenshot=False),
    MainPage("privacy-record", "admin", lambda s: "/admin/privacy/record", screenshot=False),
    MainPage("legal-hold", "coordinator", lambda s: f"/cases/{s.case.id}/legal-hold", screenshot=False),
    MainPage("party-erasure", "coordinator", lambda s: f"/parties/{s.case.party_id}/erasure", screenshot=False),
)


def build_scene(browser: Browser, live_server: LiveServer) -> Scene:
    """One office and one rich case for all pages (they are only read), and one sign-in per role."""
    office = live_server.run(seed_office(live_server.app))
    case = live_server.run(seed_rich_case(live_server.app, office))
    period = live_server.run(publish_statistics(live_server.app))
    sessions = {}
    for role in sorted({page.role for page in MAIN_PAGES if page.role}):
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        sign_in(context.new_page(), getattr(office, role))
        sessions[role] = context.storage_state()
        context.close()
    return Scene(office=office, case=case, sessions=sessions, period=period)
