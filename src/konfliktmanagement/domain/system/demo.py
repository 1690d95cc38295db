"""Demo mode: accounts for every role, the seed quartiers, named places and about forty cases.

The cases are created and moved through the workflow the way the app would do it (see
`demo_builder`), so their audit trails verify and every page has something realistic to show. They
are replayed over the last two years, oldest first (`demo_history`): each step at its own moment, so
references, quarters, durations, place histories and "recently closed" look like an office's.
"""

from __future__ import annotations

import secrets
from itertools import combinations

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.db.models import Role
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.domain.quartiers.services import ensure_seed_quartiers
from konfliktmanagement.domain.system.demo_builder import CaseBuilder
from konfliktmanagement.domain.system.demo_history import backdated
from konfliktmanagement.domain.system.demo_parties import DEMO_PARTIES
from konfliktmanagement.domain.system.demo_places import ensure_demo_places
from konfliktmanagement.domain.system.demo_records import Lookups
from konfliktmanagement.domain.system.demo_round_tables import load_meetings, load_round_tables
from konfliktmanagement.domain.system.demo_scenario import SCENARIOS
from konfliktmanagement.lib import clock

DEMO_ACCOUNTS = (
    ("admin@demo.invalid", "Demo Admin", Role.ADMIN),
    ("koordination@demo.invalid", "Demo Koordination", Role.COORDINATOR),
    ("mediation@demo.invalid", "Demo Mediation", Role.MEDIATOR),
    ("runder-tisch@demo.invalid", "Demo Runder Tisch", Role.ROUND_TABLE_MEMBER),
)
# The rest of a small office: a second coordinator and five more mediators, so cases have pairs.
MORE_ACCOUNTS = (
    ("heike.albers@demo.invalid", "Heike Albers", Role.COORDINATOR),
    ("aylin.demir@demo.invalid", "Aylin Demir", Role.MEDIATOR),
    ("jonas.becker@demo.invalid", "Jonas Becker", Role.MEDIATOR),
    ("marta.nowak@demo.invalid", "Marta Nowak", Role.MEDIATOR),
    ("thomas.schulte@demo.invalid", "Thomas Schulte", Role.MEDIATOR),
    ("sabine.hoffmann@demo.invalid", "Sabine Hoffmann", Role.MEDIATOR),
)
# Mediator pairs in turn; "Demo Mediation" (index 0) comes first, so its login shows many cases.
_PAIRS = tuple(combinations(range(6), 2))


async def load_demo(config: SQLAlchemyAsyncConfig) -> list[tuple[str, str, str]]:
    """Idempotent: on a database that has users already, only missing quartiers are added.

    Returns (email, role, password) of each account created; everything happens in one
    transaction, so a failure leaves no half-loaded demo behind — except St. Josef's meetings and
    reports, which need the statistics published in a transaction of their own, right after.
    """
    async with UserService.new(config=config) as users:
        session = users.session
        await ensure_seed_quartiers(session)
        created: list[tuple[str, str, str]] = []
        if await users.count() == 0:
            for email, name, role in DEMO_ACCOUNTS + MORE_ACCOUNTS:
                password = secrets.token_urlsafe(12)
                await users.create_user(email=email, name=name, roles=[role], password=password)
                created.append((email, role.value, password))
            # The repository refreshes what it adds; load the roles again for the case rules.
            users_by_email = {
                u.email: u
                for u in await session.scalars(
                    select(m.User).options(selectinload(m.User.role_rows)).execution_options(populate_existing=True)
                )
            }
            # In the order of the account lists: "Demo Koordination" and "Demo Mediation" come first.
            await load_cases(
                session,
                coordinators=[users_by_email[e] for e, _n, r in DEMO_ACCOUNTS + MORE_ACCOUNTS if r is Role.COORDINATOR],
                mediators=[users_by_email[e] for e, _n, r in DEMO_ACCOUNTS + MORE_ACCOUNTS if r is Role.MEDIATOR],
            )
            await load_round_tables(session, created_by=users_by_email["koordination@demo.invalid"])
        await session.commit()
    if created:  # publishing the statistics begins its own transaction (a snapshot on PostgreSQL)
        async with config.get_session() as session:
            await load_meetings(session)
            await session.commit()
    return created


async def load_cases(session: AsyncSession, *, coordinators: list[m.User], mediators: list[m.User]) -> int:
    """The places, parties and cases of the demo; returns the number of cases."""
    places = await ensure_demo_places(session)
    parties = {
        key: m.Party(
            kind=p.kind.value,
            name=p.name,
            phone=p.phone,
            email=p.email,
            address=p.address,
            language=p.language,
            group_size_estimate=p.group_size,
        )
        for key, p in DEMO_PARTIES.items()
    }
    session.add_all(parties.values())
    await session.flush()
    lookups = Lookups(
        quartiers={q.code: q for q in await session.scalars(select(m.Quartier))},
        places=places,
        conflict_types={c.code: c for c in await session.scalars(select(m.ConflictType))},
        parties=parties,
        parties_in_a_case=set(),
    )
    present = clock.now()
    # Oldest first, so each year's references follow the order the cases came in.
    oldest_first = sorted(enumerate(SCENARIOS), key=lambda indexed: -indexed[1].age)
    with clock.replay() as move_to, backdated(session):
        for index, scenario in oldest_first:
            pair = _PAIRS[index % len(_PAIRS)]
            team = [mediators[i] for i in (pair if index % 3 else reversed(pair))][: scenario.mediators]
            coordinator = coordinators[index % len(coordinators)]
            builder = CaseBuilder(session, scenario, lookups, coordinator, team, present=present)
            await builder.realise(move_to, present)
    return len(SCENARIOS)
