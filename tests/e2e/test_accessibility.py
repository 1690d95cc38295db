"""axe-core on every main page, in the real browser: no serious or critical violation (WCAG 2.1 AA / BITV 2.0).

The same visit writes the screenshots (`<page>-1280.png`, `<page>-768.png`, and `case-new-errors-*`
for a form with errors; into tests/artifacts/screenshots/, or docs/screenshots/ with `make screenshots`)
so a reviewer can look at the pages without starting the app. They are written in the SQLite lane
only: the pages look the same on PostgreSQL, and one set per run keeps the files stable.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.main_pages import MAIN_PAGES, MainPage, Scene
from tests.e2e.ui import axe_violations, describe, field, screenshots, visit


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=[page.name for page in MAIN_PAGES])
def test_main_page_has_no_serious_accessibility_violations(
    main_page: MainPage, scene: Scene, open_page: Callable[..., Page], backend: str
) -> None:
    page = open_page(storage_state=scene.sessions.get(main_page.role) if main_page.role else None)
    visit(page, main_page.path(scene), status=main_page.status)
    if backend == "sqlite" and main_page.screenshot:
        screenshots(page, main_page.name)

    blocking, other = axe_violations(page)
    if other:
        print(f"axe (moderate/minor) on {main_page.name}:\n{describe(other)}")
    assert not blocking, f"axe-core on {main_page.name} ({page.url}):\n{describe(blocking)}"


def test_a_form_with_errors_stays_accessible(scene: Scene, open_page: Callable[..., Page], backend: str) -> None:
    """Errors are announced, linked from the summary and named next to the field; axe still finds nothing."""
    page = open_page(storage_state=scene.sessions["mediator"])
    visit(page, "/cases/new")
    response_statuses: list[int] = []
    page.on("response", lambda response: response_statuses.append(response.status))
    page.get_by_role("button", name="Fall anlegen").click()

    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    title = field(page, "Titel")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description(re.compile(r"\S"))
    assert 422 in response_statuses
    if backend == "sqlite":
        screenshots(page, "case-new-errors")

    blocking, _other = axe_violations(page)
    assert not blocking, f"axe-core on the new-case form with errors:\n{describe(blocking)}"


def test_the_case_page_quick_forms_stay_accessible(scene: Scene, open_page: Callable[..., Page]) -> None:
    """A quick form sent back in place (htmx, 422) shows its errors in its section and takes the focus;
    with every quick form open, axe still finds nothing. Nothing is saved: the scene stays as it is."""
    page = open_page(storage_state=scene.sessions["mediator"])
    visit(page, f"/cases/{scene.case.id}")
    notes = page.get_by_role("region", name="Notizen", exact=True)
    notes.locator("summary", has_text="Notiz hinzufügen").click()
    with page.expect_response(re.compile(r"/notes/new$")) as answer:
        notes.get_by_role("button", name="Notiz speichern").click()
    assert answer.value.status == 422
    summary = notes.get_by_role("alert")
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    expect(summary).to_be_focused()
    expect(field(notes, "Notiz")).to_have_attribute("aria-invalid", "true")
    page.evaluate("() => document.querySelectorAll('details.quick').forEach((d) => { d.open = true; })")

    blocking, _other = axe_violations(page)
    assert not blocking, f"axe-core on the case page with its quick forms open:\n{describe(blocking)}"
