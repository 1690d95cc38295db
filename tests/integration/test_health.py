from __future__ import annotations

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def test_health_and_ready(client: AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


async def test_ready_reports_an_unreachable_database(tmp_path) -> None:
    from asgi_lifespan import LifespanManager
    from httpx import ASGITransport

    from konfliktmanagement.server.app import create_app
    from tests.databases import settings_for

    missing = tmp_path / "missing" / "db.sqlite3"  # the folder does not exist, so SQLite cannot open it
    app = create_app(settings_for(f"sqlite+aiosqlite:///{missing}", tmp_path))
    async with LifespanManager(app), AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:  # type: ignore[arg-type]
        assert (await client.get("/health")).status_code == 200
        ready = await client.get("/ready")
        assert ready.status_code == 503
