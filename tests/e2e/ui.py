"""What a person does in the browser, in words of the page: labels, roles, button names."""

from __future__ import annotations

import os
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, Response, expect

from tests.e2e.data import PASSWORD, Person

# `make test` writes the screenshots into the ignored tests/artifacts/ (a run leaves the clone clean);
# `make screenshots` points KM_E2E_SCREENSHOT_DIR at docs/screenshots/ to refresh the tracked ones.
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / os.environ.get(
    "KM_E2E_SCREENSHOT_DIR", "tests/artifacts/screenshots"
)
SCREENSHOT_WIDTHS = (1280, 768)
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()


def sign_in(page: Page, person: Person) -> None:
    """Through the real login form, like a person: the start page of the role opens afterwards."""
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(person.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    # Signed in when the form has gone: the start page of the role is the pages' business, not the sign-in's.
    expect(page).not_to_have_url(re.compile(r"/login(\?|$)"))


def visit(page: Page, path: str, *, status: int = 200) -> Response:
    response = page.goto(path)
    assert response is not None, f"no answer for {path}"
    assert response.status == status, f"GET {path} answered {response.status}, expected {status}" + (
        " — is this page built yet?" if response.status == 404 else ""
    )
    expect(page.locator("html")).to_have_attribute("lang", "de")
    return response


def flash(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("status")).to_contain_text(text)


def axe_violations(page: Page) -> tuple[list[dict], list[dict]]:
    """(serious or critical, the rest) of axe-core's violations with its default rule set."""
    found = _axe.run(page).response["violations"]
    blocking = [v for v in found if v.get("impact") in BLOCKING_IMPACTS]
    return blocking, [v for v in found if v.get("impact") not in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def screenshots(page: Page, name: str) -> list[Path]:
    """Full-page PNGs at every width, for reviewers who do not start the app; the viewport is restored."""
    return viewport_screenshots(
        page, name, {str(width): {"width": width, "height": 900} for width in SCREENSHOT_WIDTHS}
    )


def viewport_screenshots(page: Page, name: str, viewports: dict[str, dict[str, int]]) -> list[Path]:
    """Full-page PNGs at named window sizes (`<name>-<size>.png`, e.g. tablet and phone); the size is restored."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    written = []
    for size, viewport in viewports.items():
        page.set_viewport_size(viewport)
        path = SCREENSHOT_DIR / f"{name}-{size}.png"
        page.screenshot(path=path, full_page=True, animations="disabled", caret="hide")
        written.append(path)
    if original:
        page.set_viewport_size(original)
    return written


def field(page: Page | Locator, label: str) -> Locator:
    """The form field labelled exactly `label` (required fields add a hidden "(Pflichtfeld)" to the name)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*(\(Pflichtfeld\))?\s*$"))


def choose(select: Locator, text: str) -> None:
    """Pick the option whose visible text starts with `text` (options may add details, e.g. a case count)."""
    # `all_inner_texts` does not wait: right after a click the next page may not be there yet.
    select.wait_for()
    options = select.locator("option").all_inner_texts()
    matching = [option.strip() for option in options if option.strip().startswith(text)]
    assert matching, f"no option starting with {text!r} in {options}"
    select.select_option(label=matching[0])


def labelled(visible: str, hidden: str) -> re.Pattern[str]:
    """The name of a link or button whose visible text gets a visually hidden context, e.g. "Bearbeiten: Partei A".

    Chromium may put a space before the hidden part ("Bearbeiten : Partei A"), hence the pattern."""
    return re.compile(rf"^{re.escape(visible)}\s*:\s*{re.escape(hidden)}$")
