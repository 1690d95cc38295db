"""Test databases: a migrated SQLite file and, where reachable, a fresh PostgreSQL database per run and
xdist worker (created and migrated once, dropped at the end)."""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from advanced_alchemy.alembic.commands import AlembicCommands
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from konfliktmanagement.lib.settings import Environment, Settings
from konfliktmanagement.server.app import alchemy_config

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SKIP_NOTICE = (
    "PostgreSQL is not reachable at {url} — THE POSTGRESQL LANE IS SKIPPED. "
    "Start PostgreSQL or set KM_TEST_POSTGRES_URL to test the production database."
)


def postgres_admin_url() -> str:
    return os.environ.get("KM_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _postgres_reachable(url: str) -> str | None:
    try:
        connection = await asyncpg.connect(url, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        return type(exc).__name__
    await connection.close()
    return None


def postgres_problem() -> str | None:
    return asyncio.run(_postgres_reachable(postgres_admin_url()))


def worker_id() -> str:
    """`gw0`, `gw1`, … under pytest-xdist; `main` without it."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def create_postgres_database() -> str:
    # The worker id tells whose database it is; the random part keeps parallel runs apart.
    name = f"km_test_{worker_id()}_{secrets.token_hex(4)}"

    async def create() -> None:
        connection = await asyncpg.connect(postgres_admin_url())
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
            # A test database need not survive a crash of the server: without waiting for the WAL flush
            # at every commit the lane runs faster; what the tests see of transactions is unchanged.
            await connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
        finally:
            await connection.close()

    asyncio.run(create())
    return _with_database(postgres_admin_url(), name)


def drop_postgres_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")

    async def drop() -> None:
        connection = await asyncpg.connect(postgres_admin_url())
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())


def settings_for(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": Environment.TEST,
        "database_url": database_url,
        "data_dir": data_dir,
        "secret_key": "test-secret-key-" + "x" * 32,
        "encryption_key": "test-encryption-key-" + "y" * 32,
        "log_level": "INFO",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def migrate(settings: Settings) -> None:
    """The schema always comes from the real migrations, never from `metadata.create_all`."""
    AlembicCommands(sqlalchemy_config=alchemy_config(settings)).upgrade(revision="head")


# The reference-data counter row is part of the schema (seeded by its migration); it is bumped
# instead, so that cached choosers of a reused app are not served from before the emptying.
KEPT_TABLES = frozenset({"conflict_type", "reference_data_version"})


async def empty_all_tables(engine: AsyncEngine) -> None:
    from advanced_alchemy.base import orm_registry

    # The conflict-type code list is seeded by the migrations, like in production: keep it.
    tables = [t.name for t in reversed(orm_registry.metadata.sorted_tables) if t.name not in KEPT_TABLES]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # One simple-protocol round trip of DELETEs (children first): ~3 ms, where TRUNCATE of the same
            # tables took 0.1-0.3 s per test (it makes new files for every table) — minutes per run.
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            await driver.execute("; ".join(f"DELETE FROM {table}" for table in tables))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))
        await connection.execute(text("UPDATE reference_data_version SET version = version + 1"))


# Loud notices for what a run could not test (a missing PostgreSQL, a missing Chromium), printed at the
# end of the run. Under pytest-xdist they are found on the workers and handed to the controller
# (tests/conftest.py), whose summary is the only one anybody sees.
NOTICES = pytest.StashKey[dict[str, str]]()  # notice → colour of the terminal line


def add_notice(config: pytest.Config, notice: str, colour: str) -> None:
    config.stash.setdefault(NOTICES, {}).setdefault(notice, colour)
