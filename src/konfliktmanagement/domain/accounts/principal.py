"""The signed-in person as the request path needs them: plain values, read on every request.

Authentication (`auth.py` for sessions, `tokens.py` for API tokens) reads these columns on the driver,
with no ORM entity: an entity and its role rows cost about as much CPU as the rest of an API read. The
acting person throughout the domain is a `Principal`; a use case that changes the person's own row
(their name, their password) loads that row by id itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from konfliktmanagement.db import models as m


@dataclass(frozen=True, slots=True)
class Principal:
    id: UUID
    name: str
    email: str
    roles: frozenset[m.Role]
    must_change_password: bool = False
    # The user row's version when it was read: the settings page's form carries it (optimistic locking).
    version: int = 1

    def has_role(self, *roles: m.Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @classmethod
    def of(cls, user: m.User) -> Principal:
        """The principal of a loaded user with their roles (the CLI, the demo loader, tests)."""
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            roles=user.roles,
            must_change_password=user.must_change_password,
            version=user.version,
        )


# The columns that authentication reads, in this order, after its own: one row per role (outer join on
# `user_role`, so a person without roles still has a row with a null role).
COLUMNS = (
    m.User.id,
    m.User.name,
    m.User.email,
    m.User.must_change_password,
    m.User.version,
    m.UserRole.role,
)


def fold(rows: Sequence[Sequence[Any]], start: int) -> Principal | None:
    """The principal in `rows` (the same person in each, `COLUMNS` from index `start`), or None when the
    person's columns are null (no active user matched)."""
    user_id, name, email, must_change_password, version, _ = rows[0][start : start + len(COLUMNS)]
    if user_id is None:
        return None
    roles = frozenset(m.Role(row[start + 5]) for row in rows if row[start + 5] is not None)
    return Principal(
        id=user_id,
        name=name,
        email=email,
        roles=roles,
        must_change_password=bool(must_change_password),
        version=version,
    )
