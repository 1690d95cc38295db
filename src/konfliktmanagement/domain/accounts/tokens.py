"""Personal API tokens: created by their user, shown once, stored as a SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.driver_reads import DriverSelect
from konfliktmanagement.db.request_session import after_request, first_statement
from konfliktmanagement.domain.accounts import principal
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.reference_data import version_column
from konfliktmanagement.lib.exceptions import FieldError, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.services import Service

TOKEN_PREFIX = "km_"
LAST_USED_PRECISION = timedelta(minutes=5)


def token_digest(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; no salt or slow KDF is needed.
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenRepository(SQLAlchemyAsyncRepository[m.ApiToken]):
    model_type = m.ApiToken


class ApiTokenService(Service[m.ApiToken, ApiTokenRepository]):
    repository_type = ApiTokenRepository

    async def issue(self, user: Principal, label: str) -> tuple[m.ApiToken, str]:
        label = label.strip()
        if not 1 <= len(label) <= 100:
            raise ValidationFailed(
                [FieldError("label", _("Bitte eine Bezeichnung mit höchstens 100 Zeichen angeben."))]
            )
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = m.ApiToken(user_id=user.id, label=label, token_hash=token_digest(token), hint=token[-4:])
        await self.repository.add(row)
        return row, token

    async def list_for(self, user: Principal) -> list[m.ApiToken]:
        return list(
            await self.repository.get_many(
                m.ApiToken.user_id == user.id,
                m.ApiToken.revoked_at.is_(None),
                order_by=[(m.ApiToken.created_at, False)],
            )
        )

    async def revoke(self, user: Principal, token_id: UUID) -> None:
        row = await self.repository.get_one_or_none(
            m.ApiToken.id == token_id, m.ApiToken.user_id == user.id, m.ApiToken.revoked_at.is_(None)
        )
        if row is None:
            raise NotFound
        row.revoked_at = datetime.now(UTC)
        await self.session.flush()


async def authenticate(session: AsyncSession, token: str) -> Principal | None:
    """The token's active user with roles, or None, in one statement. A token grants exactly its
    user's current roles. A function, not a service method: it runs on every API request, where a
    service and its repository would be built only to be thrown away."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    digest = {"digest": token_digest(token)}

    async def run() -> Sequence[Sequence[Any]]:
        return await _by_digest().all(await session.connection(), digest)

    rows = await first_statement(session, run)
    if not rows:
        return None
    token_id, last_used_at, version = rows[0][:3]
    user = principal.fold(rows, 3)
    session.info["reference_version"] = version
    # Recording every use would make each API read a write and hold the token row's lock for the
    # whole request, serialising all requests of one token; a few minutes' precision is enough, and
    # it is written after the request's own transaction (a reading one on SQLite).
    now = datetime.now(UTC)
    if (last_used_at is None or now - last_used_at > LAST_USED_PRECISION) and _record_due(token_id, now):
        after_request(session, _used_at(token_id, now))
    return user


# When this process last set out to record each token's use. Without it, all requests of one token that
# read an old stamp at the same time each wrote it; on SQLite each write queues for the write lock, and
# behind a busy writer SQLite's busy handler retries in 100 ms steps while the request's answer waits:
# `bench/run.py --sqlite` measured the readers' p99 at 0.3–3 s from that alone (15–20 ms without it).
# Now one request per token, process and interval writes it. A few hundred tokens: a small dict.
_recording: dict[UUID, datetime] = {}


def _record_due(token_id: UUID, now: datetime) -> bool:
    previous = _recording.get(token_id)
    if previous is not None and now - previous <= LAST_USED_PRECISION:
        return False
    _recording[token_id] = now
    return True


@cache
def _by_digest() -> DriverSelect:
    """The token's id and last use, the reference-data version, then its user (`principal.COLUMNS`), one
    row per role: built once, with the digest as a bound parameter, and run on the driver
    (`db/driver_reads.py`). Plain columns: ORM entities would only be thrown away."""
    return DriverSelect(
        select(m.ApiToken.id, m.ApiToken.last_used_at, version_column(), *principal.COLUMNS)
        .join(m.User, m.User.id == m.ApiToken.user_id)
        .outerjoin(m.UserRole, m.UserRole.user_id == m.User.id)
        .where(
            m.ApiToken.token_hash == bindparam("digest", type_=m.ApiToken.token_hash.type),
            m.ApiToken.revoked_at.is_(None),
            m.User.is_active.is_(True),
        )
    )


def _used_at(token_id: UUID, now: datetime) -> Callable[[AsyncSession], Awaitable[None]]:
    async def record(session: AsyncSession) -> None:
        await session.execute(update(m.ApiToken).where(m.ApiToken.id == token_id).values(last_used_at=now))
        await session.commit()

    return record
