"""A database outage answers 503 with Retry-After (problem body for the API, German page for people),
never 500 or 409; broken connections are discarded; the next request recovers; no 2xx write is lost."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient, Response
from litestar import Litestar
from sqlalchemy import event, select

from konfliktmanagement.db import engine as engine_module
from konfliktmanagement.db import models as m
from konfliktmanagement.db.outage import connection_broken
from konfliktmanagement.server.app import create_app
from tests import databases
from tests.helpers import create_user, csrf_header, sign_in

pytestmark = pytest.mark.anyio


def assert_outage_answer(response: Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:300])
    assert int(response.headers["retry-after"]) > 0
    if response.request.url.path.startswith("/api/"):
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["request_id"] == response.headers["x-request-id"]
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert "Vorübergehend nicht verfügbar" in response.text
        assert response.headers["x-request-id"] in response.text


async def _terminate_app_connections(database_url: str, *, wait: bool = False) -> None:
    """Terminate every other connection to the database. `wait`: until each backend has exited — else
    a request made next may still run on a connection about to die, and the pool keep a dead one."""
    admin = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid, $1) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()",
            5000 if wait else 0,
        )
    finally:
        await admin.close()


class Traffic:
    """Writes (API and form) and reads (API and page) of one signed-in user; remembers what was answered."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.written: list[str] = []  # labels of tokens whose creation was answered 2xx
        self.outages = 0
        self._count = 0

    async def round(self) -> list[Response]:
        self._count += 1
        label = f"t{self._count}"
        write = await self.client.post("/api/v1/tokens", json={"label": label}, headers=csrf_header(self.client))
        if write.is_success:
            self.written.append(label)
        answers = [write, await self.client.get("/api/v1/tokens"), await self.client.get("/account/tokens")]
        for answer in answers:
            if answer.status_code == 503:
                assert_outage_answer(answer)
                self.outages += 1
            else:
                assert answer.is_success, (answer.request.url, answer.status_code, answer.text[:300])
        return answers


def _watch_reuse(app: Litestar) -> list[str]:
    """Record every checkout of a DBAPI connection that already failed as broken (must stay empty)."""
    sync_engine = app.state["alchemy_config"].get_engine().sync_engine
    broken: list[Any] = []
    reused: list[str] = []

    @event.listens_for(sync_engine, "handle_error")
    def _on_error(context: Any) -> None:
        if context.connection is not None and connection_broken(context.original_exception):
            broken.append(context.connection.connection.dbapi_connection)

    @event.listens_for(sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, *_: Any) -> None:
        if any(dbapi_connection is gone for gone in broken):
            reused.append(repr(dbapi_connection))

    return reused


@pytest.fixture(autouse=True)
async def _fresh_pool_afterwards(app: Litestar) -> AsyncIterator[None]:
    """The shared app outlives this module (tests/conftest.py: `shared_app`): its pool must not hand the next
    module a connection these tests terminated (the first request after an outage answers 503)."""
    yield
    await app.state["alchemy_config"].get_engine().dispose()


async def test_terminated_connections_answer_503_recover_and_lose_no_write(
    app: Litestar, client: AsyncClient, database_url: str, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's; SQLite's outage is the locked or missing file below")
    reused = _watch_reuse(app)
    await create_user(app, "outage@example.org")
    await sign_in(client, "outage@example.org")
    traffic = Traffic(client)

    # Between requests: every connection of the app is gone before the next request.
    for _ in range(3):
        await _terminate_app_connections(database_url)
        answers = await traffic.round()
        if any(answer.status_code == 503 for answer in answers):
            assert all(answer.is_success for answer in await traffic.round()), "the next request recovers"

    # During requests: connections are terminated while statements, commits and session writes run.
    stop = asyncio.Event()

    async def terminate_repeatedly() -> None:
        while not stop.is_set():
            await _terminate_app_connections(database_url)
            await asyncio.sleep(0.01)

    terminator = asyncio.create_task(terminate_repeatedly())
    try:
        for _ in range(10):
            await traffic.round()
    finally:
        stop.set()
        await terminator
    assert traffic.outages > 0, "the outage was not noticed; the test proves nothing"
    assert all(answer.is_success for answer in await traffic.round()), "the next request recovers"
    assert all(answer.is_success for answer in await traffic.round())
    assert reused == [], "a connection that failed as broken was handed out again"

    async with app.state["alchemy_config"].get_session() as session:
        stored = set(await session.scalars(select(m.ApiToken.label)))
    assert set(traffic.written) <= stored, "a write answered 2xx was lost"


@pytest.fixture
async def sqlite_copy(database_url: str, backend: str, tmp_path: Path) -> AsyncIterator[tuple[Litestar, Path]]:
    """An app on its own copy of the migrated SQLite file, with a short busy timeout: the test may lock
    or remove that file without disturbing the others."""
    if backend != "sqlite":
        pytest.skip("SQLite's lock and file errors; PostgreSQL's outage is the terminated connections above")
    folder = tmp_path / "db"
    folder.mkdir()
    with (
        sqlite3.connect(database_url.removeprefix("sqlite+aiosqlite:///")) as source,
        sqlite3.connect(folder / "copy.sqlite3") as copy,
    ):
        source.backup(copy)
    settings = databases.settings_for(f"sqlite+aiosqlite:///{folder / 'copy.sqlite3'}", tmp_path)
    application = create_app(settings)
    async with LifespanManager(application):  # type: ignore[arg-type]
        yield application, folder


async def test_sqlite_locked_beyond_busy_timeout_or_missing_file_is_503_then_recovers(
    sqlite_copy: tuple[Litestar, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, folder = sqlite_copy
    engine = app.state["alchemy_config"].get_engine()
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 100)  # read when a connection is made
    await engine.dispose()
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:  # type: ignore[arg-type]
        await create_user(app, "locked@example.org")
        await sign_in(client, "locked@example.org")
        traffic = Traffic(client)

        holder = sqlite3.connect(folder / "copy.sqlite3", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            write, *reads = await traffic.round()
            assert write.status_code == 503
            # WAL mode: reading requests take no write lock and are served while another one writes.
            assert all(answer.is_success for answer in reads), [answer.status_code for answer in reads]
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert all(answer.is_success for answer in await traffic.round()), "the next request recovers"

        # The database file is gone: open connections would still read the unlinked file, so the pool is
        # emptied, as after a restart; new connections cannot open it.
        await engine.dispose()
        moved = folder.rename(folder.with_name("moved"))
        try:
            assert all(answer.status_code == 503 for answer in await traffic.round())
        finally:
            moved.rename(folder)
        assert all(answer.is_success for answer in await traffic.round()), "the next request recovers"

    async with app.state["alchemy_config"].get_session() as session:
        stored = set(await session.scalars(select(m.ApiToken.label)))
    assert set(traffic.written) <= stored
