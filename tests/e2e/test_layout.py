"""Tablet and phone: no main page scrolls sideways as a whole (wide tables scroll inside their own box)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.e2e.main_pages import MAIN_PAGES, MainPage, Scene
from tests.e2e.ui import visit

WIDTHS = {"tablet": 768, "phone": 375}
# What makes the page wider than the window: elements outside a scrolling table box, and absolutely
# positioned ones inside it (a `.table-wrap` that is not positioned does not clip them).
OVERFLOW = """() => {
  const limit = document.documentElement.clientWidth;
  const escapes = (e) => !e.parentElement.closest(".table-wrap") || getComputedStyle(e).position === "absolute";
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > limit + 1 && escapes(e))
    .slice(0, 5)
    .map((e) => (e.tagName + "." + String(e.className).trim().split(/\\s+/).join(".")).toLowerCase());
  return {page: document.documentElement.scrollWidth, limit, wide};
}"""


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=[page.name for page in MAIN_PAGES])
def test_main_page_fits_tablet_and_phone_width(
    main_page: MainPage, scene: Scene, open_page: Callable[..., Page]
) -> None:
    signed_in = scene.sessions.get(main_page.role) if main_page.role else None
    page = open_page(width=WIDTHS["tablet"], storage_state=signed_in)
    visit(page, main_page.path(scene), status=main_page.status)
    too_wide = []
    for device, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        measured = page.evaluate(OVERFLOW)
        if measured["page"] > measured["limit"]:
            too_wide.append(f"{device} ({width} px): {measured['page']} px wide; sticking out: {measured['wide']}")
    assert not too_wide, f"{main_page.name} ({page.url}) scrolls sideways:\n" + "\n".join(too_wide)
