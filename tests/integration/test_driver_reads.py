"""`DriverSelect` gives the rows `connection.execute` gives, on both databases, and is counted like them."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
import pytest
from litestar import Litestar
from sqlalchemy import bindparam, select
from sqlalchemy.exc import DBAPIError

from konfliktmanagement.db import models as m
from konfliktmanagement.db.driver_reads import DriverSelect
from tests.helpers import count_statements, create_user

pytestmark = pytest.mark.anyio


async def _parties(app: Litestar) -> None:
    async with app.state["alchemy_config"].get_session() as session:
        session.add_all(
            [
                m.Party(
                    kind="person", name="Greta Grün", phone="0201 1234", erased_at=datetime(2026, 1, 2, tzinfo=UTC)
                ),
                m.Party(kind="group", name="Jugendgruppe am Platz", group_size_estimate=12),
            ]
        )
        await session.commit()


async def test_rows_are_those_of_sqlalchemy(app: Litestar) -> None:
    await _parties(app)
    await create_user(app, "mila@example.org", [m.Role.MEDIATOR], name="Mila Mediation")
    # Encrypted strings, a UUID, a timestamp with zone, NULLs, a bound kind and a limit the statement carries.
    statement = (
        select(m.Party.id, m.Party.name, m.Party.phone, m.Party.erased_at, m.Party.group_size_estimate, m.User.email)
        .join(m.User, m.User.is_active.is_(True))
        .where(m.Party.kind != bindparam("kind"))
        .order_by(m.Party.kind.desc())  # not by name: encrypted, it sorts by ciphertext
        .limit(5)
    )
    driver_select = DriverSelect(statement)
    engine = app.state["alchemy_config"].get_engine()
    async with engine.connect() as connection:
        expected = [tuple(row) for row in (await connection.execute(statement, {"kind": "organisation"})).all()]
        assert len(expected) == 2
        assert expected[0][1] == "Greta Grün"  # decrypted
        runs = [await driver_select.all(connection, {"kind": "organisation"}) for _ in range(3)]
        with count_statements(engine) as statements:
            counted = await driver_select.all(connection, {"kind": "organisation"})
    # The first run goes through SQLAlchemy, the later ones through the driver: all alike.
    assert [list(run) for run in runs] == [expected] * 3
    assert list(counted) == expected
    assert len(statements) == 1, statements


async def test_an_expanding_parameter_runs_through_sqlalchemy(app: Litestar) -> None:
    await _parties(app)
    statement = (
        select(m.Party.name).where(m.Party.kind.in_(bindparam("kinds", expanding=True))).order_by(m.Party.kind.desc())
    )
    driver_select = DriverSelect(statement)
    engine = app.state["alchemy_config"].get_engine()
    async with engine.connect() as connection:
        for kinds, names in (
            (["person"], ["Greta Grün"]),
            (["person", "group"], ["Greta Grün", "Jugendgruppe am Platz"]),
        ):
            for _ in range(2):
                rows = await driver_select.all(connection, {"kinds": kinds})
                assert [row[0] for row in rows] == names


async def test_a_broken_connection_is_left_to_sqlalchemy(app: Litestar, database_url: str, backend: str) -> None:
    """The server ends the connection between two reads: SQLAlchemy's error handling takes over, so the
    connection is discarded and the error is its usual, invalidated one (a 503)."""
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    driver_select = DriverSelect(select(m.User.id).where(m.User.email == bindparam("email")))
    engine = app.state["alchemy_config"].get_engine()
    async with engine.connect() as connection:
        for _ in range(2):  # from the second run on, on the driver
            assert await driver_select.all(connection, {"email": "niemand@example.org"}) == []
        backend_pid = (await connection.exec_driver_sql("SELECT pg_backend_pid()")).scalar()
        admin = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await admin.execute("SELECT pg_terminate_backend($1, 5000)", backend_pid)  # waits until it has exited
        finally:
            await admin.close()
        with pytest.raises(DBAPIError) as raised:
            await driver_select.all(connection, {"email": "niemand@example.org"})
        assert raised.value.connection_invalidated
        assert connection.invalidated
    async with engine.connect() as fresh:
        assert (await fresh.exec_driver_sql("SELECT pg_backend_pid()")).scalar() != backend_pid
