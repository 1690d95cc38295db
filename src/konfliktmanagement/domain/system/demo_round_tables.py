"""The demo's round tables: St. Josef (with the demo round-table account) and Nord."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m

# (name, description, quartier codes, ((member e-mail, organisation), ...))
DEMO_ROUND_TABLES = (
    (
        "Runder Tisch St. Josef",
        "Polizei, Kirchengemeinde, Anwohnerverein, Ordnungsamt und Jugendarbeit rund um den Kirchplatz.",
        ("Q01", "Q02"),
        (("runder-tisch@demo.invalid", "Anwohnerverein"),),
    ),
    ("Runder Tisch Nord", "Lehmheide und Bleichpfad.", ("Q03", "Q04"), ()),
)


async def load_round_tables(session: AsyncSession, created_by: m.User) -> int:
    """Adds the demo round tables (on the fresh demo database only); returns how many."""
    quartiers = {q.code: q for q in await session.scalars(select(m.Quartier))}
    users = {u.email: u for u in await session.scalars(select(m.User))}
    for name, description, codes, members in DEMO_ROUND_TABLES:
        session.add(
            m.RoundTable(
                name=name,
                description=description,
                created_by_id=created_by.id,
                quartiers=[quartiers[code] for code in codes],
                members=[
                    m.RoundTableMember(user_id=users[email].id, organisation=organisation)
                    for email, organisation in members
                ],
            )
        )
    await session.flush()
    return len(DEMO_ROUND_TABLES)
