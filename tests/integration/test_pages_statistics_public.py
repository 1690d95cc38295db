"""KM_PUBLIC_STATISTICS=true: the statistics pages and downloads serve anonymous visitors, signed-in
users are still recognised there, and every other route still refuses anonymous requests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from httpx import AsyncClient
from litestar import Litestar

from konfliktmanagement.domain.statistics import catalogue as c
from tests.helpers import case_team
from tests.integration.test_route_inventory import PUBLIC, _concrete, _inventory
from tests.integration.test_statistics_publishing import YEAR, publish, seed_cases

pytestmark = pytest.mark.anyio
PERIOD = str(YEAR)

PUBLIC_STATISTICS = {
    ("GET", "/statistics"),
    ("GET", "/statistics/{period:str}/{table_code:str}"),
    ("GET", "/api/v1/statistics"),
    ("GET", "/api/v1/statistics/{period:str}/{file_name:str}"),
}


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"public_statistics": True}


async def test_anonymous_visitors_read_pages_and_downloads(app: Litestar, client: AsyncClient) -> None:
    await seed_cases(app)
    await publish(app)
    index = await client.get("/statistics")
    assert index.status_code == 200, index.text
    assert "Statistik veröffentlichen" not in index.text
    assert 'href="/login?next=/statistics"' in index.text
    for spec in c.CATALOGUE:
        page = await client.get(f"/statistics/{PERIOD}/{spec.code}")
        assert page.status_code == 200, spec.code
        assert "müssen nicht mit der Summe der Einzelwerte übereinstimmen" in page.text
        for suffix in ("csv", "json"):
            download = await client.get(f"/api/v1/statistics/{PERIOD}/{spec.code}.{suffix}")
            assert download.status_code == 200, (spec.code, suffix)
    assert (await client.get("/api/v1/statistics")).status_code == 200
    assert (await client.get(f"/statistics/{PERIOD}/unbekannt")).status_code == 404

    # Publishing is never public; a bad token is refused rather than treated as anonymous.
    refused = await client.post("/statistics/publish", data={"period": PERIOD})
    assert refused.status_code == 303
    assert refused.headers["location"].startswith("/login?next=")
    bad_token = await client.get("/api/v1/statistics", headers={"Authorization": "Bearer nonsense"})
    assert bad_token.status_code == 401


async def test_signed_in_users_are_recognised_on_public_pages(
    app: Litestar, make_client: Callable[[], AsyncClient]
) -> None:
    team = await case_team(app, make_client)
    page = await team.coordinator.get("/statistics")
    assert page.status_code == 200
    assert "Kora Koordination" in page.text
    assert 'action="/statistics/publish"' in page.text
    member = await team.round_table.get("/statistics")
    assert 'action="/statistics/publish"' not in member.text


async def test_every_other_route_still_refuses_anonymous(app: Litestar, client: AsyncClient) -> None:
    inventory = _inventory(app)
    assert set(inventory) >= PUBLIC_STATISTICS
    allowed = PUBLIC | PUBLIC_STATISTICS
    protected = [pair for pair in inventory if pair not in allowed]
    assert len(protected) >= 10
    for method, path in protected:
        response = await client.request(method, _concrete(path))
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next="), (method, path)
