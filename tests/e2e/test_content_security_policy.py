"""The strict Content-Security-Policy blocks nothing our pages need: no violation on any main page,
and htmx (vendored, loaded from /static) is running under it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.e2e.main_pages import MAIN_PAGES, MainPage, Scene
from tests.e2e.ui import visit

# Chromium reports every blocked script, style or request as a console error naming the policy.
VIOLATION = "Content Security Policy"


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=[page.name for page in MAIN_PAGES])
def test_main_page_runs_under_the_policy(main_page: MainPage, scene: Scene, open_page: Callable[..., Page]) -> None:
    page = open_page(storage_state=scene.sessions.get(main_page.role) if main_page.role else None)
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if VIOLATION in message.text else None)
    response = visit(page, main_page.path(scene), status=main_page.status)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    # htmx configured for the policy (no inline styles, no eval, no script tags from answers) and for
    # privacy (no page snapshots in localStorage): the <meta name="htmx-config"> of base.html.
    assert page.evaluate(
        "() => typeof window.htmx === 'object' && htmx.config.includeIndicatorStyles === false"
        " && htmx.config.allowEval === false && htmx.config.allowScriptTags === false"
        " && htmx.config.historyCacheSize === 0"
    )
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0  # htmx injected none
    assert not violations, f"{main_page.name}: " + "\n".join(violations)
