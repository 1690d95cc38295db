"""The `konfliktmanagement` command against the test database: once as a real process (the console
script and a password piped on stdin), otherwise in this process (tests/cli.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from httpx import AsyncClient
from litestar import Litestar

from konfliktmanagement.lib.settings import Settings
from tests.cli import run_cli
from tests.helpers import sign_in

pytestmark = pytest.mark.anyio


def _run(args: list[str], database_url: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KM_DATABASE_URL": database_url, "KM_DATA_DIR": str(data_dir), "KM_LOG_LEVEL": "WARNING"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "konfliktmanagement", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


async def test_users_create_reads_the_password_from_stdin(
    app: Litestar, client: AsyncClient, database_url: str, tmp_path: Path
) -> None:
    result = _run(
        ["users", "create", "--email", "Cli@Example.org", "--role", "coordinator", "--name", "Cli Person"],
        database_url,
        tmp_path,
        stdin="piped password 123\n",
    )
    assert result.returncode == 0, result.stderr
    assert "piped password 123" not in result.stdout + result.stderr
    await sign_in(client, "cli@example.org", "piped password 123")
    assert "Cli Person" in (await client.get("/account/tokens")).text


async def test_users_create_rejects_bad_input_with_a_message(app: Litestar, settings: Settings) -> None:
    result = await run_cli(settings, ["users", "create", "--email", "x@example.org", "--role", "pilot"], "short\n")
    assert result.returncode != 0
    assert "Unbekannte Rolle" in result.stderr
    assert "mindestens 12" in result.stderr


@pytest.mark.parametrize(("args", "env_workers"), [([], None), (["--workers", "3"], None), ([], 2)])
async def test_serve_starts_the_configured_number_of_workers(
    settings: Settings, backend: str, monkeypatch: pytest.MonkeyPatch, args: list[str], env_workers: int | None
) -> None:
    """`serve --workers N`, else `KM_WORKERS`, else 1 on SQLite and one per core on PostgreSQL."""
    import uvicorn

    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append({"app": app, **options}))
    if env_workers is not None:
        settings = settings.model_copy(update={"workers": env_workers})
    result = await run_cli(settings, ["serve", *args])
    assert result.returncode == 0, result.stderr
    default = 1 if backend == "sqlite" else (os.cpu_count() or 1)
    expected = int(args[1]) if args else (env_workers or default)
    # Each worker builds its own app from the factory: nothing is shared but the database.
    assert started == [started[0]]
    assert started[0]["workers"] == expected
    assert started[0]["app"] == "konfliktmanagement.server.app:create_app"
    assert started[0]["factory"] is True
