"""The database session of one HTTP request (created on first use by advanced-alchemy's provider)."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.extensions.litestar._utils import delete_aa_scope_state, get_aa_scope_state
from litestar.types import Scope


async def end_request_session(scope: Scope, scope_key: str, *, commit: bool) -> None:
    """Commit or roll back, then close. Raises if the commit fails (after rolling back and closing)."""
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
        await session.close()
        delete_aa_scope_state(scope, scope_key)
