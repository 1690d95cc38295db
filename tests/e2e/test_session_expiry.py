"""Never lose typed text (issue 13): the warning before the session ends, with "Angemeldet bleiben";
and a quick action sent after the session ended leads to sign-in and back to the form, the text in it.

Both on the shared scene: nothing is saved (the renewal only pushes the session's expiry, and the
note is sent without a session). The page's session figure is rewritten on its way to the browser, so
the test need not wait for a real expiry.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, Route, expect

from tests.e2e.data import PASSWORD
from tests.e2e.main_pages import Scene
from tests.e2e.ui import field, visit

SESSION_META = re.compile(r'<meta name="km-session" content="\d+ (\d+)">')


def ending_in(page: Page, seconds: int) -> None:
    """The case page says its session lasts only `seconds` more (the absolute limit left as it is)."""

    def rewrite(route: Route) -> None:
        response = route.fetch()
        body = SESSION_META.sub(rf'<meta name="km-session" content="{seconds} \1">', response.text())
        route.fulfill(response=response, body=body)

    page.route(re.compile(r"/cases/[0-9a-f-]+$"), rewrite)


def test_the_warning_before_the_session_ends_renews_it(scene: Scene, open_page: Callable[..., Page]) -> None:
    page = open_page(width=390, height=844, storage_state=scene.sessions["mediator"])
    ending_in(page, 240)  # under the five minutes of warning
    visit(page, f"/cases/{scene.case.id}")
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible()
    expect(warning).to_have_attribute("role", "alert")
    expect(warning).to_contain_text(re.compile(r"Ihre Sitzung endet um \d\d:\d\d Uhr"))
    with page.expect_response("**/session/renew") as renewal:
        warning.get_by_role("button", name="Angemeldet bleiben").click()
    assert renewal.value.status == 200
    expect(warning).to_be_hidden()


def test_text_typed_into_an_ended_session_is_back_after_signing_in(
    scene: Scene, open_page: Callable[..., Page]
) -> None:
    page = open_page(storage_state=scene.sessions["mediator"])
    ending_in(page, 1)
    visit(page, f"/cases/{scene.case.id}")
    warning = page.locator("#session-warning")
    expect(warning).to_contain_text("Ihre Sitzung ist abgelaufen.")
    expect(warning.get_by_role("link", name="Erneut anmelden")).to_be_visible()
    page.unroute(re.compile(r"/cases/[0-9a-f-]+$"))

    notes = page.get_by_role("region", name="Notizen", exact=True)
    notes.locator("summary", has_text="Notiz hinzufügen").click()
    notes.get_by_role("radio", name="Fallteam").check()
    field(notes, "Notiz").fill("Partei B ruft morgen zurück.")
    page.context.clear_cookies()  # the session has really ended
    notes.get_by_role("button", name="Notiz speichern").click()

    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("E-Mail-Adresse").fill(scene.office.mediator.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(rf"/cases/{scene.case.id}$"))
    expect(page.get_by_role("status").filter(has_text="Ihre Eingaben von vor der Anmeldung")).to_be_visible()
    expect(field(notes, "Notiz")).to_have_value("Partei B ruft morgen zurück.")
    expect(notes.get_by_role("radio", name="Fallteam")).to_be_checked()
