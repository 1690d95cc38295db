"""The request path at scale (issue 10): what a signed-in request costs beyond its own work.

- the session store is written only when the session changed or its expiry is due for renewal;
- sessions still end on time (idle expiry in the store) and at sign-out;
- a connection dropped while idle is replaced before the request's first statement (no 503);
- the choosers' reference data is cached per app instance and a change made through another
  instance on the same database is seen at once;
- SQLite: reading requests take no write lock, so readers and a writer work side by side;
- PostgreSQL: reading requests send no BEGIN and COMMIT (two round trips saved), writing ones do.

Statement counts of the hot routes: test_statement_budgets.py.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from litestar import Litestar
from sqlalchemy import select, update

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts import auth
from konfliktmanagement.server.app import create_app
from tests import databases
from tests.helpers import CaseTeam, api, count_statements, create_user, csrf_header, seed_master_data, sign_in
from tests.integration.test_database_outage import _terminate_app_connections

pytestmark = pytest.mark.anyio

ENTRY = m.StoreEntry


def _session_writes(statements: list[str]) -> list[str]:
    return [s for s in statements if "store_entry" in s and not s.lstrip().upper().startswith("SELECT")]


async def _set_expiry(app: Litestar, session_id: str, expires_at: datetime) -> None:
    async with app.state["alchemy_config"].get_session() as session:
        await session.execute(update(ENTRY).where(ENTRY.key == session_id).values(expires_at=expires_at))
        await session.commit()


async def _expiry(app: Litestar, session_id: str) -> datetime:
    async with app.state["alchemy_config"].get_session() as session:
        expires_at = await session.scalar(select(ENTRY.expires_at).where(ENTRY.key == session_id))
    assert expires_at is not None
    return expires_at


async def test_session_is_written_only_when_changed_or_due(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "s@example.org")
    await sign_in(client, "s@example.org")
    session_id = client.cookies["km_session"]
    engine = app.state["alchemy_config"].get_engine()
    idle = timedelta(minutes=app.state["settings"].session_idle_minutes)

    for _ in range(3):
        with count_statements(engine) as statements:
            assert (await client.get("/account/tokens")).status_code == 200
        assert _session_writes(statements) == [], statements

    # Renewed a while ago, but within the renewal interval: still no write.
    recent = datetime.now(UTC) + idle - timedelta(seconds=auth.SESSION_RENEW_SECONDS - 30)
    await _set_expiry(app, session_id, recent)
    with count_statements(engine) as statements:
        assert (await client.get("/account/tokens")).status_code == 200
    assert _session_writes(statements) == []

    # Older than the renewal interval: this request pushes the expiry to a full idle lifetime again.
    due = datetime.now(UTC) + idle - timedelta(seconds=auth.SESSION_RENEW_SECONDS + 30)
    await _set_expiry(app, session_id, due)
    with count_statements(engine) as statements:
        assert (await client.get("/account/tokens")).status_code == 200
    assert len(_session_writes(statements)) == 1
    assert await _expiry(app, session_id) > datetime.now(UTC) + idle - timedelta(seconds=10)


async def test_idle_session_ends_and_sign_out_ends_the_session(
    app: Litestar, make_client: Callable[[], AsyncClient]
) -> None:
    await create_user(app, "e@example.org")
    idle, active = make_client(), make_client()
    await sign_in(idle, "e@example.org")
    await sign_in(active, "e@example.org")

    await _set_expiry(app, idle.cookies["km_session"], datetime.now(UTC) - timedelta(seconds=1))
    expired = await idle.get("/account/tokens")
    assert expired.status_code == 303
    assert expired.headers["location"].startswith("/login")

    session_id = active.cookies["km_session"]
    assert (await active.get("/account/tokens")).status_code == 200
    signed_out = await active.post("/logout", headers=csrf_header(active))
    assert signed_out.status_code in (200, 303)
    async with app.state["alchemy_config"].get_session() as session:
        assert await session.scalar(select(ENTRY.id).where(ENTRY.key == session_id)) is None
    replay = make_client()
    replay.cookies.set("km_session", session_id)
    assert (await replay.get("/account/tokens")).status_code == 303


async def test_connection_dropped_while_idle_is_replaced_before_the_first_statement(
    app: Litestar, make_client: Callable[[], AsyncClient], database_url: str, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    await create_user(app, "r@example.org")
    browser = make_client()
    await sign_in(browser, "r@example.org")
    token = (await browser.post("/api/v1/tokens", json={"label": "t"}, headers=csrf_header(browser))).json()["token"]
    api = make_client()
    api.headers["authorization"] = f"Bearer {token}"
    try:
        for client in (browser, api, browser, api):
            await _terminate_app_connections(database_url, wait=True)  # every pooled connection dies while idle
            response = await client.get("/api/v1/tokens")
            assert response.status_code == 200, response.text
    finally:
        # A request that finds its first connection dead makes the pool replace every older one; but
        # when its first checkout is such an older one, it is replaced silently and no error marks the
        # connections opened since the last replacement, which this loop killed as well. The shared app
        # outlives the module: leave it a fresh pool, as a restarted server would have.
        await app.state["alchemy_config"].get_engine().dispose()


@pytest.fixture
async def second_instance(database_url: str, tmp_path: Path) -> AsyncIterator[Litestar]:
    """Another app instance (own engine, pool and caches) on the same database."""
    application = create_app(databases.settings_for(database_url, tmp_path, outbox_interval_seconds=0))
    async with LifespanManager(application):  # type: ignore[arg-type]
        yield application


async def test_reference_data_changed_on_one_instance_is_seen_by_another(
    app: Litestar, second_instance: Litestar
) -> None:
    await seed_master_data(app)
    await create_user(app, "m@example.org", [m.Role.MEDIATOR], name="Erste Mediatorin")
    async with AsyncClient(transport=ASGITransport(app=second_instance), base_url="http://testserver") as other:  # type: ignore[arg-type]
        await sign_in(other, "m@example.org")
        before = await other.get("/cases/new")
        assert before.status_code == 200
        assert "Neuquartier am Hafen" not in before.text

        # Changed through the first instance: a quartier, and a mediator for the choosers.
        async with app.state["alchemy_config"].get_session() as session:
            bezirk = await session.scalar(select(m.Stadtbezirk).limit(1))
            assert bezirk is not None
            session.add(m.Quartier(code="QX9", name="Neuquartier am Hafen", stadtbezirk_id=bezirk.id))
            await session.commit()
        after = await other.get("/cases/new")
        assert "Neuquartier am Hafen" in after.text

        # Unchanged data is served from the second instance's cache: no statement reads quartiers.
        with count_statements(second_instance.state["alchemy_config"].get_engine()) as statements:
            assert (await other.get("/cases/new")).status_code == 200
        assert not [s for s in statements if "FROM quartier" in s], statements


async def test_sqlite_readers_are_not_blocked_by_a_writer(app: Litestar, team: CaseTeam, backend: str) -> None:
    """Several people reading while one writes: no 409, no error (and, on SQLite, reads begin DEFERRED)."""
    engine = app.state["alchemy_config"].get_engine()
    if backend == "sqlite":
        with count_statements(engine) as statements:
            await team.coordinator.get(f"/api/v1/cases/{team.case_id}")
        assert statements[0] == "BEGIN", statements[:2]

    detail = f"/api/v1/cases/{team.case_id}"
    readers = [team.coordinator, team.mediator] * 4
    for round_number in range(4):
        case = (await team.coordinator.get(detail)).json()
        write = team.mediator.patch(
            detail,
            json={"title": f"Lärm am Platz {round_number}", "version": case["version"]},
            headers=csrf_header(team.mediator),
        )
        answers = await asyncio.gather(write, *(reader.get(path) for reader in readers for path in (detail,)))
        assert [a.status_code for a in answers] == [200] * len(answers), [a.text[:200] for a in answers if a.is_error]


async def test_postgres_reads_send_no_begin_or_commit(
    team: CaseTeam, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no autocommit reads: its reading transactions begin DEFERRED (test above)")
    sent: list[str] = []
    original = asyncpg.connection.Connection.execute

    async def execute(self: asyncpg.connection.Connection, query: str, *args: object, **kwargs: object) -> str:
        sent.append(query.split()[0].rstrip(";").upper())  # what goes to the server outside prepared statements
        return await original(self, query, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(asyncpg.connection.Connection, "execute", execute)
    for client, url in ((team.mediator, f"/api/v1/cases/{team.case_id}"), (team.coordinator, f"/cases/{team.case_id}")):
        response = await client.get(url)
        assert response.status_code == 200, response.text
    assert "BEGIN" not in sent
    assert "COMMIT" not in sent

    created = await api(
        team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "case_team", "body": "x"}
    )
    assert created.status_code == 201, created.text
    assert sent.count("BEGIN") == 1
    assert sent.count("COMMIT") == 1


async def test_objects_alive_at_start_are_left_out_of_full_collections(database_url: str, tmp_path: Path) -> None:
    """The collector's full passes skip what was alive when the app started (server/collector.py) while it
    runs, and walk it again once it has stopped."""
    application = create_app(databases.settings_for(database_url, tmp_path, outbox_interval_seconds=0))
    gc.unfreeze()  # whatever an app of another test left frozen
    async with LifespanManager(application):  # type: ignore[arg-type]
        # The app's modules, classes and routes alone are well over 100,000 objects.
        assert gc.get_freeze_count() > 100_000
    assert gc.get_freeze_count() == 0
