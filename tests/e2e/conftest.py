"""Browser tests: the real app on a free port of 127.0.0.1, driven by Debian's headless Chromium via Playwright.

No browser is ever downloaded: Playwright starts the Chromium at `KM_E2E_CHROMIUM` (default
/usr/bin/chromium; `make test` installs it with apt-get when it can). Without it these tests are
skipped with a loud notice — except with CI=true, where they fail.

The app runs once per database lane (SQLite and PostgreSQL, like the rest of the suite): the pages'
transactions, locking and stale-version checks are exactly what differs between the two.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests import databases
from tests.e2e.data import Office, seed_office
from tests.e2e.main_pages import Scene, build_scene
from tests.e2e.server import LiveServer

CHROMIUM_ENV = "KM_E2E_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Flags that work in containers without a display, GPU or user namespaces, and keep Chromium off the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = "Chromium not found at {path}."
HOW_TO_INSTALL = (
    "Install it (`apt-get install chromium`, which `make test` does when run as root) "
    "or set KM_E2E_CHROMIUM to a Chromium binary."
)
SKIP_NOTICE = f"{MISSING} THE BROWSER TESTS (tests/e2e) ARE SKIPPED. {HOW_TO_INSTALL}"
DEFAULT_TIMEOUT_MS = 10_000  # per action and per expectation; generous for slow CI runners
E2E_DIR = Path(__file__).parent

_call_failed = pytest.StashKey[bool]()


expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


def chromium_path() -> str:
    return os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_call_failed] = True
    return report


@pytest.fixture(scope="package")
def browser(database_url: str, request: pytest.FixtureRequest) -> Iterator[Browser]:
    """Chromium, started per database lane: while Playwright's sync API is alive, its event loop counts as
    running in this thread, and the next lane's set-up (`asyncio.run`) must not see it."""
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        if databases.running_in_ci():
            pytest.fail(f"CI=true requires the browser tests, but: {MISSING.format(path=path)} {HOW_TO_INSTALL}")
        notice = SKIP_NOTICE.format(path=path)
        databases.add_notice(request.config, notice, "yellow")  # printed by tests/conftest.py
        pytest.skip(notice)
    # Package scope: Playwright's event loop is gone before the anyio tests of the other packages run.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = databases.settings_for(database_url, tmp_path_factory.mktemp("e2e"))
    server = LiveServer(settings).start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def _scenes(live_server: LiveServer) -> Iterator[dict[str, Scene]]:
    """The read-only scene of this lane's server, once built (see `scene`); one per lane like the server.

    The server shares the lane's database with the other tests of this worker: a scene still there when
    the package ends is emptied then."""
    scenes: dict[str, Scene] = {}
    yield scenes
    if scenes:
        live_server.empty_database()


@pytest.fixture
def office(live_server: LiveServer, _scenes: dict[str, Scene]) -> Iterator[Office]:
    """Fresh people and master data for one test; the database is emptied afterwards."""
    if _scenes:  # a test that writes starts from an empty database, not from the shared scene
        live_server.empty_database()
        _scenes.clear()
    try:
        yield live_server.run(seed_office(live_server.app))
    finally:
        live_server.empty_database()


@pytest.fixture
def open_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """A page in a new browser context (own cookies) — one per person at the keyboard.

    Every uncaught JavaScript error, every 5xx answer and every missing static file (CSS, htmx) fails
    a test that passed otherwise, whichever page (or htmx request) it happened on.
    """
    contexts = []
    problems: list[str] = []

    def factory(*, width: int = 1280, height: int = 900, storage_state: Any = None) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": width, "height": height},
            storage_state=storage_state,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on(
            "response",
            lambda response: (
                problems.append(f"{response.status} for {response.request.method} {response.url}")
                if response.status >= 500 or (response.status >= 400 and "/static/" in response.url)
                else None
            ),
        )
        return page

    yield factory
    for context in contexts:
        context.close()
    if not request.node.stash.get(_call_failed, False):
        assert not problems, "\n".join(problems)


@pytest.fixture
def scene(browser: Browser, live_server: LiveServer, _scenes: dict[str, Scene]) -> Scene:
    """The main pages' data, built once and shared by every test that only looks at pages, across the
    modules that run on this worker (building it signs in every role: seconds each time). A test that
    writes (`office`) empties the database and so drops it."""
    if "main" not in _scenes:
        _scenes["main"] = build_scene(browser, live_server)
    return _scenes["main"]
