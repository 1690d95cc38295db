"""The shared test helpers that other tests rely on for their verdicts."""

from __future__ import annotations

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from sqlalchemy import text

from konfliktmanagement.db import models as m
from tests.helpers import count_statements, create_user, field_error, row, row_count, sign_in

pytestmark = pytest.mark.anyio


async def test_count_statements_sees_the_apps_statements_during_the_block_only(
    app: Litestar, client: AsyncClient
) -> None:
    engine = app.state["alchemy_config"].get_engine()
    with count_statements(engine) as statements:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            await connection.execute(text("SELECT 2"))
    assert [s for s in statements if s.startswith("SELECT")] == ["SELECT 1", "SELECT 2"]

    user = await create_user(app, "zaehlen@example.org")
    await sign_in(client, "zaehlen@example.org")
    with count_statements(engine) as statements:
        response = await client.get("/cases/mine")
    assert response.status_code == 200
    assert any("case" in s.lower() for s in statements), statements
    seen = len(statements)
    await client.get("/cases/mine")
    assert len(statements) == seen, "nothing is recorded after the block"

    assert await row_count(app, m.User) == 1
    stored = await row(app, m.User, user.id)
    assert stored is not None
    assert stored.email == "zaehlen@example.org"


def test_field_error_reads_the_text_next_to_the_field() -> None:
    page = Response(422, text='<input name="title"><p id="f-title-error">Bitte &quot;Titel&quot; angeben</p>')
    assert field_error(page, "title") == 'Bitte "Titel" angeben'
    with pytest.raises(AssertionError, match="no error next to body"):
        field_error(page, "body")
