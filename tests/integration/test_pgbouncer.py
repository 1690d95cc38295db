"""Two app instances behind Debian's PgBouncer in transaction pooling mode, on the test PostgreSQL.

What scale-out needs from the service: a session signed in on one instance works on the other (the
store is the database), a transition raced on both lands exactly once (the version check), an outbox
message delivered by both is sent once (row claims), all with asyncpg's statement cache off
(`KM_DATABASE_STATEMENT_CACHE_SIZE=0`, README → Configuration). PgBouncer is installed by `make test`
when missing (as root, like chromium); without it this module skips loudly, with CI=true it fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import anyio
import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.outbox.delivery import deliver_due
from konfliktmanagement.domain.outbox.services import enqueue
from konfliktmanagement.lib.mail import SmtpConfig
from konfliktmanagement.server.app import create_app
from tests import databases
from tests.helpers import create_user, csrf_header, seed_master_data, sign_in
from tests.integration import outbox_server
from tests.integration.outbox_server import HOST, SmtpServer, free_port

pytestmark = pytest.mark.anyio

smtp_server = outbox_server.smtp_server

PGBOUNCER = os.environ.get("KM_TEST_PGBOUNCER", "/usr/sbin/pgbouncer")
MISSING = f"{PGBOUNCER} is missing (Debian: apt-get install pgbouncer; `make test` does it as root)."
SKIP_NOTICE = f"PGBOUNCER TESTS SKIPPED: {MISSING}"

CONFIG = """\
[databases]
* = host={host} port={port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen_port}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
logfile = {folder}/pgbouncer.log
"""


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"pgbouncer exited: {log.read_text() if log.exists() else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail("pgbouncer did not listen within 10 s")


@pytest.fixture(scope="module")
def bouncer_url(
    database_url: str, backend_name: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The test database's URL through a PgBouncer (transaction pooling) started for this module."""
    if backend_name != "postgresql":
        pytest.skip("PgBouncer pools PostgreSQL connections")
    if not os.access(PGBOUNCER, os.X_OK):
        if databases.running_in_ci():
            pytest.fail(f"CI=true requires the PgBouncer tests, but: {MISSING}")
        databases.add_notice(request.config, SKIP_NOTICE, "yellow")  # printed by tests/conftest.py
        pytest.skip(SKIP_NOTICE)
    target = urlsplit(database_url)
    # pgbouncer refuses to run as root: it then runs as `postgres`, which must reach these files (pytest's
    # own temporary folders are private to their owner).
    folder = Path(tempfile.mkdtemp(prefix="km-pgbouncer-"))
    folder.chmod(0o755)
    port = free_port()
    (folder / "users.txt").write_text(f'"{target.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        CONFIG.format(host=target.hostname, port=target.port or 5432, listen_port=port, folder=folder)
    )
    for name in ("users.txt", "pgbouncer.ini"):
        (folder / name).chmod(0o644)
    command = [PGBOUNCER, "-q", str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "postgres"]
        shutil.chown(folder, user="postgres")
    process = subprocess.Popen(command)  # noqa: S603
    try:
        _wait_for_port(port, process, folder / "pgbouncer.log")
        yield urlunsplit(target._replace(netloc=f"{target.username}@127.0.0.1:{port}"))
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def backend_name(database_url: str) -> str:
    return "postgresql" if "postgresql" in database_url else "sqlite"


@dataclass
class Pair:
    first: Litestar
    second: Litestar


@pytest.fixture(scope="module")
async def pair(bouncer_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Pair]:
    """Two app instances (own engines, pools, caches) through PgBouncer, as two hosts would run them."""
    apps = [
        create_app(
            databases.settings_for(
                bouncer_url,
                tmp_path_factory.mktemp("instance"),
                outbox_interval_seconds=0,
                database_statement_cache_size=0,
            )
        )
        for _ in range(2)
    ]
    async with LifespanManager(apps[0]), LifespanManager(apps[1]):  # type: ignore[arg-type]
        try:
            yield Pair(*apps)
        finally:
            await databases.empty_all_tables(apps[0].state["alchemy_config"].get_engine())


def _client(app: Litestar) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver")  # type: ignore[arg-type]


async def test_session_signed_in_on_one_instance_works_on_the_other(pair: Pair) -> None:
    await create_user(pair.first, "b@example.org", [m.Role.MEDIATOR], name="Bea Bouncer")
    async with _client(pair.first) as first, _client(pair.second) as second:
        await sign_in(first, "b@example.org")
        second.cookies.update(first.cookies)
        page = await second.get("/account/tokens")
        assert page.status_code == 200
        assert "Bea Bouncer" in page.text
        created = await second.post("/api/v1/tokens", json={"label": "zweite"}, headers=csrf_header(second))
        assert created.status_code == 201, created.text


async def test_a_transition_raced_on_both_instances_lands_once(pair: Pair) -> None:
    quartier_id, conflict_type_id = await seed_master_data(pair.first)
    await create_user(pair.first, "k@example.org", [m.Role.COORDINATOR])
    mediator = await create_user(pair.first, "mm@example.org", [m.Role.MEDIATOR])
    async with _client(pair.first) as first, _client(pair.second) as second:
        await sign_in(first, "k@example.org")
        second.cookies.update(first.cookies)
        created = await first.post(
            "/api/v1/cases",
            json={"title": "Lärm am Hafen", "quartier_id": quartier_id, "conflict_type_id": conflict_type_id},
            headers=csrf_header(first),
        )
        assert created.status_code == 201, created.text
        case = created.json()
        assigned = await second.put(
            f"/api/v1/cases/{case['id']}/mediators",
            json={"version": case["version"], "mediator_ids": [str(mediator.id)]},
            headers=csrf_header(second),
        )
        assert assigned.status_code == 200, assigned.text
        case = assigned.json()
        url = f"/api/v1/cases/{case['id']}/transitions"
        body = {"to": "in_klaerung", "version": case["version"]}
        answers = await asyncio.gather(
            first.post(url, json=body, headers=csrf_header(first)),
            second.post(url, json=body, headers=csrf_header(second)),
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text[:200] for a in answers]
        async with pair.second.state["alchemy_config"].get_session() as session:
            events = list(
                await session.scalars(
                    select(m.CaseEvent.to_status).where(
                        m.CaseEvent.case_id == case["id"], m.CaseEvent.to_status.is_not(None)
                    )
                )
            )
        assert events.count("in_klaerung") == 1


async def test_an_outbox_message_is_sent_once_by_two_instances(pair: Pair, smtp_server: SmtpServer) -> None:
    smtp_server.start()
    smtp_server.inbox.delay = 0.05
    async with pair.first.state["alchemy_config"].get_session() as session:
        await enqueue(
            session, to=["runder.tisch@example.org"], subject="Bericht", text="Guten Tag", dedupe_key="bouncer:1"
        )
        await session.commit()
    smtp = SmtpConfig(host=HOST, port=smtp_server.port, sender="km@example.org", timeout=5)
    reports = []

    async def deliver(app: Litestar) -> None:
        reports.append(await deliver_due(app.state["alchemy_config"].get_session, smtp))

    async with anyio.create_task_group() as group:
        for app in (pair.first, pair.second, pair.first, pair.second):
            group.start_soon(deliver, app)
    assert sum(report.sent for report in reports) == 1
    assert len(smtp_server.inbox.messages) == 1
