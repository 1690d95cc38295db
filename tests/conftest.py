from __future__ import annotations

import os

# Cheap argon2 (still argon2id) for the whole test process and the subprocesses it starts; it must be set
# before konfliktmanagement is imported, since the column type is built at import time. See lib/hashing.py.
os.environ.setdefault("KM_PASSWORD_HASH_PROFILE", "fast")

import logging
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from litestar import Litestar

from konfliktmanagement.db.encryption import set_encryption_key
from konfliktmanagement.lib.logging import configure_logging
from konfliktmanagement.lib.settings import Settings
from konfliktmanagement.server.app import create_app
from tests import databases
from tests.openapi_check import openapi_check


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


class Lanes:
    """The migrated databases of this process (one per xdist worker), each made when its lane is first used
    and kept to the end: switching lanes (as `--dist loadscope` does at every module) costs nothing."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp_path_factory = tmp_path_factory
        self._urls: dict[str, str] = {}
        self._postgres_problem: list[str | None] = []

    def postgres_problem(self) -> str | None:
        if not self._postgres_problem:
            self._postgres_problem.append(databases.postgres_problem())
        return self._postgres_problem[0]

    def url(self, lane: str) -> str:
        if lane not in self._urls:
            data_dir = self._tmp_path_factory.mktemp(f"db-{lane}")
            if lane == "sqlite":
                url = f"sqlite+aiosqlite:///{data_dir / 'test.sqlite3'}"
            else:
                url = databases.create_postgres_database()
            self._urls[lane] = url  # dropped by close() even when the migration fails
            databases.migrate(databases.settings_for(url, data_dir))
        return self._urls[lane]

    def close(self) -> None:
        if "postgresql" in self._urls:
            databases.drop_postgres_database(self._urls["postgresql"])


@pytest.fixture(scope="session")
def lanes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lanes]:
    made = Lanes(tmp_path_factory)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, lanes: Lanes) -> str:
    """A migrated database per backend, made once per run (per xdist worker)."""
    if request.param == "postgresql":
        problem = lanes.postgres_problem()
        if problem is not None:
            notice = databases.SKIP_NOTICE.format(url=databases.postgres_admin_url())
            if databases.running_in_ci():
                pytest.fail(f"CI=true requires PostgreSQL: {notice} ({problem})")
            databases.add_notice(request.config, notice, "red")
            pytest.skip(notice)
    return lanes.url(request.param)


@pytest.fixture
def backend(database_url: str) -> str:
    return "postgresql" if "postgresql" in database_url else "sqlite"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module (or parametrize) to change settings for that test's app.

    Tests with overrides get an app of their own; all others share one app per lane (`shared_app`)."""
    return {}


@pytest.fixture
def settings(database_url: str, tmp_path: Path, settings_overrides: dict[str, object]) -> Settings:
    return databases.settings_for(database_url, tmp_path, **settings_overrides)


# The shared app never runs the outbox's background delivery nor the retention run: a per-test app never
# lived long enough for its first round (one interval, 60 s), and a run-long app must not deliver (or
# erase) in the middle of a test.
SHARED_APP_SETTINGS: dict[str, object] = {
    "outbox_interval_seconds": 0,
    "retention_interval_hours": 0,
    "notification_interval_minutes": 0,
}


class SharedApps:
    """The shared app of each lane in this process (one per xdist worker), made when its lane is first used
    and kept to the end of the run, like the lane's database: building an app costs ~1 s of CPU, and its
    OpenAPI document for the response check (tests/openapi_check.py) as much again — minutes, when each
    module and lane built its own. Nothing of a test stays in it: every table is emptied after each test
    (the reference-data cache follows the bumped counter, see `databases.empty_all_tables`), the sign-in
    throttles and sessions live in the store table."""

    def __init__(self, stack: AsyncExitStack, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._stack = stack
        self._tmp_path_factory = tmp_path_factory
        self._apps: dict[str, Litestar] = {}

    async def of(self, database_url: str) -> Litestar:
        if database_url not in self._apps:
            data_dir = self._tmp_path_factory.mktemp("app")
            application = create_app(databases.settings_for(database_url, data_dir, **SHARED_APP_SETTINGS))
            await self._stack.enter_async_context(LifespanManager(application))  # type: ignore[arg-type]
            self._apps[database_url] = application
        return self._apps[database_url]


@pytest.fixture(scope="session")
async def _shared_apps(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SharedApps]:
    async with AsyncExitStack() as stack:
        yield SharedApps(stack, tmp_path_factory)


@pytest.fixture(scope="module")
async def shared_app(database_url: str, _shared_apps: SharedApps) -> Litestar:
    """The lane's app for the tests of a module that keep the default settings.

    `create_app` also sets process-wide state from its settings (the logging, the encryption key); an app
    with settings of its own (`settings_overrides`, the CLI, the browser tests' server) changes it. Each
    module starts from the shared app's, as when it built its own app."""
    application = await _shared_apps.of(database_url)
    settings: Settings = application.state["settings"]
    configure_logging(settings)
    set_encryption_key(settings.effective_encryption_key)
    return application


@pytest.fixture
async def _shared_app_for_test(shared_app: Litestar) -> AsyncIterator[Litestar]:
    try:
        yield shared_app
    finally:
        await databases.empty_all_tables(shared_app.state["alchemy_config"].get_engine())


@pytest.fixture
async def _own_app(settings: Settings) -> AsyncIterator[Litestar]:
    application = create_app(settings)
    async with LifespanManager(application):  # type: ignore[arg-type]
        try:
            yield application
        finally:
            await databases.empty_all_tables(application.state["alchemy_config"].get_engine())


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, settings_overrides: dict[str, object]) -> Litestar:
    """The app for one test; every table (but the migrated code lists) is emptied after the test.

    A plain function on purpose: it picks one of two async fixtures, and an async fixture could not
    ask for another one while the test runner's loop is busy with it. `database_url` is named here so
    that every test using the app runs in both lanes."""
    application: Litestar = request.getfixturevalue("_own_app" if settings_overrides else "_shared_app_for_test")
    return application


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(
        transport=ASGITransport(app=app),  # type: ignore[arg-type]
        base_url="http://testserver",
        event_hooks={"response": [openapi_check(app)]},
    ) as http:
        yield http


@pytest.fixture
async def make_client(app: Litestar) -> AsyncIterator[object]:
    """More independent browsers (own cookie jars) against the same app."""
    opened: list[AsyncClient] = []

    def factory() -> AsyncClient:
        http = AsyncClient(
            transport=ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://testserver",
            event_hooks={"response": [openapi_check(app)]},
        )
        opened.append(http)
        return http

    yield factory
    for http in opened:
        await http.aclose()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadscope` (Makefile), except that the browser tests are one work unit, not one per module.

    Their server, Chromium and shared scene are made per lane and worker (tests/e2e/conftest.py); spread
    module by module over the workers, each module made them anew for each lane (~10 s of CPU each time).
    As one unit, a worker runs them lane by lane (the lanes are the outer order of the collection) and
    makes them twice."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "tests/e2e" if nodeid.startswith("tests/e2e/") else super()._split_scope(nodeid)

    return BrowserTestsTogether(config, log)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for notice, colour in terminalreporter.config.stash.get(databases.NOTICES, {}).items():
        line = "!" * 100
        for text in (line, notice, line):
            terminalreporter.write_line(text, bold=True, **{colour: True})


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the notices to the controller
        workeroutput["km_notices"] = dict(session.config.stash.get(databases.NOTICES, {}))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """On the xdist controller: collect the workers' notices for the summary."""
    for notice, colour in getattr(node, "workeroutput", {}).get("km_notices", {}).items():
        databases.add_notice(node.config, notice, colour)


def pytest_configure(config: pytest.Config) -> None:
    # The test client's own request log would show full URLs; it is not the app's log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    warnings.filterwarnings("error", category=DeprecationWarning, module="litestar")
