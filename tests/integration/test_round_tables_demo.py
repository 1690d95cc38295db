"""The demo's round tables: St. Josef with the demo round-table account, and Nord."""

from __future__ import annotations

import pytest
from litestar import Litestar
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.system.demo import load_demo
from tests.helpers import sign_in

pytestmark = pytest.mark.anyio


async def test_demo_has_round_tables(app: Litestar, make_client) -> None:
    accounts = await load_demo(app.state["alchemy_config"])
    async with app.state["alchemy_config"].get_session() as session:
        tables = {
            t.name: t
            for t in await session.scalars(
                select(m.RoundTable).options(
                    selectinload(m.RoundTable.quartiers),
                    selectinload(m.RoundTable.members).selectinload(m.RoundTableMember.user),
                )
            )
        }
    assert set(tables) == {"Runder Tisch St. Josef", "Runder Tisch Nord"}
    josef = tables["Runder Tisch St. Josef"]
    assert "Innenstadt/St. Josef" in {q.name for q in josef.quartiers}
    assert [(mb.user.email, mb.organisation) for mb in josef.members] == [
        ("runder-tisch@demo.invalid", "Anwohnerverein")
    ]
    password = next(pw for email, _role, pw in accounts if email == "runder-tisch@demo.invalid")
    client = make_client()
    await sign_in(client, "runder-tisch@demo.invalid", password)
    page = (await client.get("/round-tables")).text
    assert "Runder Tisch St. Josef" in page
    assert "Runder Tisch Nord" not in page
