from __future__ import annotations

import logging
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from litestar import Litestar

from konfliktmanagement.lib.settings import Settings
from konfliktmanagement.server.app import create_app
from tests import databases

_postgres_skip_reason: list[str] = []


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the whole run, once per backend."""
    data_dir = tmp_path_factory.mktemp("db")
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'test.sqlite3'}"
        databases.migrate(databases.settings_for(url, data_dir))
        yield url
        return
    problem = databases.postgres_problem()
    if problem is not None:
        notice = databases.SKIP_NOTICE.format(url=databases.postgres_admin_url())
        if databases.running_in_ci():
            pytest.fail(f"CI=true requires PostgreSQL: {notice} ({problem})")
        _postgres_skip_reason.append(notice)
        pytest.skip(notice)
    url = databases.create_postgres_database()
    try:
        databases.migrate(databases.settings_for(url, data_dir))
        yield url
    finally:
        databases.drop_postgres_database(url)


@pytest.fixture
def backend(database_url: str) -> str:
    return "postgresql" if "postgresql" in database_url else "sqlite"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module (or parametrize) to change settings for that test's app."""
    return {}


@pytest.fixture
def settings(database_url: str, tmp_path: Path, settings_overrides: dict[str, object]) -> Settings:
    return databases.settings_for(database_url, tmp_path, **settings_overrides)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Litestar]:
    application = create_app(settings)
    async with LifespanManager(application):  # type: ignore[arg-type]
        try:
            yield application
        finally:
            await databases.empty_all_tables(application.state["alchemy_config"].get_engine())


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as http:  # type: ignore[arg-type]
        yield http


@pytest.fixture
async def make_client(app: Litestar) -> AsyncIterator[object]:
    """More independent browsers (own cookie jars) against the same app."""
    opened: list[AsyncClient] = []

    def factory() -> AsyncClient:
        http = AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver")  # type: ignore[arg-type]
        opened.append(http)
        return http

    yield factory
    for http in opened:
        await http.aclose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _postgres_skip_reason:
        line = "!" * 100
        terminalreporter.write_line(line, red=True, bold=True)
        terminalreporter.write_line(_postgres_skip_reason[0], red=True, bold=True)
        terminalreporter.write_line(line, red=True, bold=True)


def pytest_configure(config: pytest.Config) -> None:
    # The test client's own request log would show full URLs; it is not the app's log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    warnings.filterwarnings("error", category=DeprecationWarning, module="litestar")
