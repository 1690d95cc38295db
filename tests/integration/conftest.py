"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from httpx import AsyncClient
from litestar import Litestar

from tests.helpers import CaseTeam, case_team


@pytest.fixture
async def team(app: Litestar, make_client: Callable[[], AsyncClient]) -> CaseTeam:
    """A case in `eingegangen` with one assigned mediator, and signed-in clients for every kind of user."""
    return await case_team(app, make_client)
