"""Two people edit the same case at once; a round-table member tries a case URL."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.data import Office, seed_rich_case
from tests.e2e.server import LiveServer
from tests.e2e.ui import field, flash, sign_in, visit


def test_a_stale_edit_is_refused_and_shows_the_current_values(
    live_server: LiveServer, office: Office, open_page: Callable[..., Page]
) -> None:
    case = live_server.run(seed_rich_case(live_server.app, office))
    mila, malte = open_page(), open_page()
    sign_in(mila, office.mediator)
    sign_in(malte, office.partner)
    visit(mila, f"/cases/{case.id}/edit")
    visit(malte, f"/cases/{case.id}/edit")

    field(mila, "Titel").fill("Lärm am Bolzplatz nach 22 Uhr")
    mila.get_by_role("button", name="Speichern").click()
    expect(mila).to_have_url(f"{live_server.url}/cases/{case.id}")
    flash(mila, "Änderungen am Fall gespeichert.")
    expect(mila.get_by_role("heading", level=1)).to_contain_text("Lärm am Bolzplatz nach 22 Uhr")

    field(malte, "Titel").fill("Müll am Bolzplatz")
    malte.get_by_role("button", name="Speichern").click()
    notice = malte.get_by_role("alert")
    expect(notice).to_contain_text("Inzwischen geändert")
    # The form now holds what is stored (Mila's title), not Malte's overwritten attempt.
    expect(field(malte, "Titel")).to_have_value("Lärm am Bolzplatz nach 22 Uhr")

    visit(malte, f"/cases/{case.id}")
    expect(malte.get_by_role("heading", level=1)).to_contain_text("Lärm am Bolzplatz nach 22 Uhr")


def test_a_round_table_member_gets_the_not_found_page_for_a_case(
    live_server: LiveServer, office: Office, open_page: Callable[..., Page]
) -> None:
    case = live_server.run(seed_rich_case(live_server.app, office))
    rita = open_page()
    sign_in(rita, office.round_table)

    visit(rita, f"/cases/{case.id}", status=404)

    expect(rita.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    expect(rita.get_by_role("main")).to_contain_text("Fehlercode 404")
    expect(rita.get_by_text(case.reference)).to_have_count(0)
    expect(rita.get_by_text("Lärm und Müll am Bolzplatz")).to_have_count(0)
