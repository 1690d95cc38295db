"""Desktop, tablet and phone (issue 13): every main page of each role holds at 1280, 1024, 820, 390 and
320 px — the page never scrolls sideways, no element of `main` reaches past the window (wide tables
become labelled cards instead of scrolling), on-site actions are at least 44 × 44 px, and the header
is one "Menü" on small screens.

Each page is loaded once and the window is then resized through the widths (no reload per width).
SQLite lane only: the markup is the same on PostgreSQL (the same rows render the same templates), so
a second lane would measure the same pixels twice.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.main_pages import MAIN_PAGES, MainPage, Scene
from tests.e2e.ui import visit

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True, scope="session")

WIDTHS = (1280, 1024, 820, 390, 320)
SMALL = 390  # where the on-site tap targets are measured
MEASURE = """() => {
  const limit = window.innerWidth;
  const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const name = (e) => (e.tagName + "." + String(e.className).trim().split(/\\s+/).join(".")).toLowerCase()
    + " «" + (e.textContent || "").trim().slice(0, 30) + "»";
  const wide = [...document.querySelectorAll("main *")]
    .filter((e) => visible(e) && e.getBoundingClientRect().right > limit + 0.5)
    .slice(0, 5).map(name);
  return {page: document.documentElement.scrollWidth, limit, wide};
}"""
# Actions used on site: buttons, links in tables and action lists, the radio/checkbox labels.
TAP_TARGETS = """() => {
  const targets = document.querySelectorAll(
    "main button, main .button, main td a, main th a, main .actions a, main .action-list a, " +
    "main label:has(> input[type=radio]), main label:has(> input[type=checkbox]), .nav-menu > summary");
  return [...targets].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && (r.width < 43.5 || r.height < 43.5);
  }).slice(0, 5).map((e) => e.tagName.toLowerCase() + " «" + (e.textContent || "").trim().slice(0, 30) + "» "
    + Math.round(e.getBoundingClientRect().width) + "×" + Math.round(e.getBoundingClientRect().height));
}"""


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=[page.name for page in MAIN_PAGES])
def test_main_page_holds_at_every_width(main_page: MainPage, scene: Scene, open_page: Callable[..., Page]) -> None:
    signed_in = scene.sessions.get(main_page.role) if main_page.role else None
    page = open_page(width=WIDTHS[0], storage_state=signed_in)
    visit(page, main_page.path(scene), status=main_page.status)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        measured = page.evaluate(MEASURE)
        if measured["page"] > measured["limit"] or measured["wide"]:
            problems.append(f"{width} px: page {measured['page']} px wide; past the window: {measured['wide']}")
        if width == SMALL and (small := page.evaluate(TAP_TARGETS)):
            problems.append(f"{width} px: tap targets under 44 × 44 px: {small}")
    assert not problems, f"{main_page.name} ({page.url}):\n" + "\n".join(problems)


def test_small_screens_have_one_menu_and_cards_keep_their_labels(scene: Scene, open_page: Callable[..., Page]) -> None:
    page = open_page(width=390, storage_state=scene.sessions["mediator"])
    visit(page, "/cases/mine")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    expect(navigation).to_have_count(0)  # closed: the links are not shown (nor read out)
    page.locator(".nav-menu > summary").click()
    expect(navigation.get_by_role("link", name="Fälle", exact=True)).to_be_visible()
    # A card shows its column's label next to the value (::before from data-label).
    cell = page.locator("main td[data-label]").first
    label = cell.get_attribute("data-label")
    assert label
    shown = page.evaluate("(e) => getComputedStyle(e, '::before').content", cell.element_handle())
    assert label in shown
    # The API tokens are no link of a mediator's header.
    expect(page.get_by_role("link", name="API-Tokens")).to_have_count(0)
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator(".nav-menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_have_count(1)
