"""The migrations produce exactly the schema the models describe (checked on PostgreSQL, whose
reflection is exact; SQLite reports its storage classes instead of the declared types), and the
latest one can be undone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import anyio
import pytest
from advanced_alchemy.alembic.commands import AlembicCommands
from advanced_alchemy.base import orm_registry
from advanced_alchemy.types import EncryptedText
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from litestar import Litestar
from sqlalchemy import Text

from konfliktmanagement.server.app import alchemy_config
from tests.databases import settings_for

pytestmark = pytest.mark.anyio


def _relevant(diff: object) -> bool:
    # advanced-alchemy declares the store's unique key twice (constraint, and an index for Spanner only).
    if "ix_store_entry_key_namespace_unique" in repr(diff):
        return False
    # Encrypted text is stored as TEXT; only the Python side differs.
    changes = diff if isinstance(diff, list) else [diff]
    return not all(
        isinstance(c, tuple) and c[0] == "modify_type" and isinstance(c[-1], EncryptedText) and isinstance(c[-2], Text)
        for c in changes
    )


async def test_migrations_match_models(app: Litestar, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("schema comparison is exact on PostgreSQL only")
    engine = app.state["alchemy_config"].get_engine()
    async with engine.connect() as connection:
        diffs = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), orm_registry.metadata
            )
        )
    assert [d for d in diffs if _relevant(d)] == []


async def test_the_latest_migration_goes_down_and_up_again(tmp_path: Path) -> None:
    """Downgrade one step from head and upgrade again (a fresh SQLite file: the lanes' databases are shared)."""
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'down.sqlite3'}", tmp_path)
    commands = AlembicCommands(sqlalchemy_config=alchemy_config(settings))

    def down_and_up() -> None:
        commands.upgrade(revision="head")
        commands.downgrade(revision="-1")
        commands.upgrade(revision="head")

    await anyio.to_thread.run_sync(down_and_up)
    with sqlite3.connect(tmp_path / "down.sqlite3") as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "attachment" in tables
