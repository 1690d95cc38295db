"""Every main page of each role (tests/e2e/main_pages.py) in the real browser, three checks on each:

- accessibility: axe-core finds no serious or critical violation (WCAG 2.1 AA / BITV 2.0);
- the strict Content-Security-Policy blocks nothing the page needs, and the vendored htmx runs under it;
- desktop, tablet and phone (issue 13): at 1280, 1024, 820, 390 and 320 px the page never scrolls
  sideways, no element of `main` reaches past the window (wide tables become labelled cards), on-site
  actions are at least 44 × 44 px, and the header is one "Menü" on small screens.

Each page is loaded ONCE per lane (`page_visit`): that one load records what all three checks need
(the window is resized through the widths afterwards, no reload per width), and each check stays a test
of its own. Loading a page, signing in by stored session and running axe is what costs here; three
loads of the same page told nothing the one does not.

The same load writes the screenshots (`<page>-1280.png`, `<page>-768.png`, and `case-new-errors-*`
for a form with errors; into tests/artifacts/screenshots/, or docs/screenshots/ with
`make screenshots`). Screenshots, the layout and axe-core are taken in the SQLite lane only: what they
judge is the markup and its styles, the same on PostgreSQL (the same rows render the same templates).
The PostgreSQL lane loads every page once as well (it must answer, without a JavaScript error or a 5xx)
and checks the policy on it; axe there took half of this module's time and could not find anything new.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.main_pages import MAIN_PAGES, MainPage, Scene
from tests.e2e.ui import axe_violations, describe, field, screenshots, visit

# Chromium reports every blocked script, style or request as a console error naming the policy.
CSP_VIOLATION = "Content Security Policy"
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
# htmx configured for the policy (no inline styles, no eval, no script tags from answers) and for privacy
# (no page snapshots in localStorage): the <meta name="htmx-config"> of base.html.
HTMX_UNDER_POLICY = (
    "() => typeof window.htmx === 'object' && htmx.config.includeIndicatorStyles === false"
    " && htmx.config.allowEval === false && htmx.config.allowScriptTags === false"
    " && htmx.config.historyCacheSize === 0"
)
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True, scope="session")
PAGES = pytest.mark.parametrize("main_page", MAIN_PAGES, ids=[page.name for page in MAIN_PAGES])


@dataclass(frozen=True)
class PageVisit:
    """What one load of a main page showed, for the checks below."""

    url: str
    policy: str  # the Content-Security-Policy header
    policy_violations: list[str]  # console messages naming the policy
    htmx_runs: bool
    style_elements: int  # <style> elements in the document (htmx must inject none)
    axe_blocking: list[dict]  # axe-core and the layout: in the SQLite lane only (see the module's docstring)
    axe_other: list[dict]
    layout_problems: list[str]


def _layout_problems(page: Page) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        measured = page.evaluate(MEASURE)
        if measured["page"] > measured["limit"] or measured["wide"]:
            problems.append(f"{width} px: page {measured['page']} px wide; past the window: {measured['wide']}")
        if width == SMALL and (small := page.evaluate(TAP_TARGETS)):
            problems.append(f"{width} px: tap targets under 44 × 44 px: {small}")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return problems


def _load(main_page: MainPage, scene: Scene, open_page: Callable[..., Page], backend: str) -> PageVisit:
    page = open_page(width=WIDTHS[0], storage_state=scene.sessions.get(main_page.role) if main_page.role else None)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text) if CSP_VIOLATION in message.text else None)
    response = visit(page, main_page.path(scene), status=main_page.status)
    # The policy's evidence is read before axe-core is injected (by the driver, past the policy).
    htmx_runs = bool(page.evaluate(HTMX_UNDER_POLICY))
    style_elements = int(page.evaluate("() => document.querySelectorAll('style').length"))
    violations = list(messages)
    layout: list[str] = []
    blocking: list[dict] = []
    other: list[dict] = []
    if backend == "sqlite":
        if main_page.screenshot:
            screenshots(page, main_page.name)
        layout = _layout_problems(page)
        blocking, other = axe_violations(page)
    return PageVisit(
        url=page.url,
        policy=response.headers["content-security-policy"],
        policy_violations=violations,
        htmx_runs=htmx_runs,
        style_elements=style_elements,
        axe_blocking=blocking,
        axe_other=other,
        layout_problems=layout,
    )


@pytest.fixture(scope="module")
def _visits() -> dict[tuple[str, str, str], PageVisit]:
    return {}


@pytest.fixture
def page_visit(
    _visits: dict[tuple[str, str, str], PageVisit],
    scene: Scene,
    open_page: Callable[..., Page],
    backend: str,
) -> Callable[[MainPage], PageVisit]:
    """The one load of a main page in this lane (made by the first check that asks for it). A JavaScript
    error or a 5xx during the load fails that test (`open_page`). The key names the scene: a test that
    writes rebuilds it, and a new scene is loaded anew."""

    def of(main_page: MainPage) -> PageVisit:
        key = (backend, main_page.name, str(scene.case.id))
        if key not in _visits:
            _visits[key] = _load(main_page, scene, open_page, backend)
        return _visits[key]

    return of


@SQLITE_ONLY
@PAGES
def test_main_page_has_no_serious_accessibility_violations(
    main_page: MainPage, page_visit: Callable[[MainPage], PageVisit]
) -> None:
    seen = page_visit(main_page)
    if seen.axe_other:
        print(f"axe (moderate/minor) on {main_page.name}:\n{describe(seen.axe_other)}")
    assert not seen.axe_blocking, f"axe-core on {main_page.name} ({seen.url}):\n{describe(seen.axe_blocking)}"


@PAGES
def test_main_page_runs_under_the_policy(main_page: MainPage, page_visit: Callable[[MainPage], PageVisit]) -> None:
    seen = page_visit(main_page)
    assert "frame-ancestors 'none'" in seen.policy
    assert seen.htmx_runs
    assert seen.style_elements == 0  # htmx injected none
    assert not seen.policy_violations, f"{main_page.name}: " + "\n".join(seen.policy_violations)


@SQLITE_ONLY
@PAGES
def test_main_page_holds_at_every_width(main_page: MainPage, page_visit: Callable[[MainPage], PageVisit]) -> None:
    seen = page_visit(main_page)
    assert not seen.layout_problems, f"{main_page.name} ({seen.url}):\n" + "\n".join(seen.layout_problems)


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
    if backend == "sqlite":  # the markup's own checks, in one lane (see the module's docstring)
        screenshots(page, "case-new-errors")
        blocking, _other = axe_violations(page)
        assert not blocking, f"axe-core on the new-case form with errors:\n{describe(blocking)}"


def test_the_case_page_quick_forms_stay_accessible(scene: Scene, open_page: Callable[..., Page], backend: str) -> None:
    """A quick form sent back in place (htmx, 422) shows its errors in its section and takes the focus;
    with every quick form open (each fetched when opened), axe still finds nothing (SQLite lane: see the
    module's docstring). Nothing is saved: the scene stays as it is."""
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
    # Each opened quick action fetches its form in place of the link it holds without JavaScript.
    expect(page.locator("details.quick [hx-get]")).to_have_count(0)

    if backend == "sqlite":
        blocking, _other = axe_violations(page)
        assert not blocking, f"axe-core on the case page with its quick forms open:\n{describe(blocking)}"


@SQLITE_ONLY
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
