"""The database session of one HTTP request (created on first use by advanced-alchemy's provider)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from advanced_alchemy.extensions.litestar._utils import delete_aa_scope_state, get_aa_scope_state
from litestar.types import Scope
from sqlalchemy.ext.asyncio import AsyncSession

_AFTER_END = "km_after_end"


def after_request(session: AsyncSession, callback: Callable[[AsyncSession], Awaitable[None]]) -> None:
    """Run `callback(session)` once the request's transaction has ended, committed or not.

    For records that must survive a rollback, such as the audit of a denied attempt.
    """
    callbacks = session.info.setdefault(_AFTER_END, [])
    if callback not in callbacks:
        callbacks.append(callback)


async def end_request_session(scope: Scope, scope_key: str, *, commit: bool) -> None:
    """Commit or roll back, run the after-request callbacks, close. Raises if the commit fails."""
    session: Any = get_aa_scope_state(scope, scope_key)
    if session is None:
        return
    try:
        if commit:
            await session.commit()
        else:
            await session.rollback()
    except Exception:
        await session.rollback()
        raise
    finally:
        try:
            for callback in session.info.pop(_AFTER_END, []):
                await callback(session)
        finally:
            await session.close()
            delete_aa_scope_state(scope, scope_key)
