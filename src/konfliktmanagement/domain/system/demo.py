"""Demo mode: one account per role with a random password, and the seed quartiers."""

from __future__ import annotations

import secrets

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig

from konfliktmanagement.db.models import Role
from konfliktmanagement.domain.accounts.services import UserService
from konfliktmanagement.domain.quartiers.services import ensure_seed_quartiers

DEMO_ACCOUNTS = (
    ("admin@demo.invalid", "Demo Admin", Role.ADMIN),
    ("koordination@demo.invalid", "Demo Koordination", Role.COORDINATOR),
    ("mediation@demo.invalid", "Demo Mediation", Role.MEDIATOR),
    ("runder-tisch@demo.invalid", "Demo Runder Tisch", Role.ROUND_TABLE_MEMBER),
)


async def load_demo(config: SQLAlchemyAsyncConfig) -> list[tuple[str, str, str]]:
    """Idempotent: on a database that has users already, only missing quartiers are added."""
    async with UserService.new(config=config) as users:
        session = users.repository.session
        await ensure_seed_quartiers(session)
        created: list[tuple[str, str, str]] = []
        if await users.count() == 0:
            for email, name, role in DEMO_ACCOUNTS:
                password = secrets.token_urlsafe(12)
                await users.create_user(email=email, name=name, roles=[role], password=password)
                created.append((email, role.value, password))
        await session.commit()
        return created
