from __future__ import annotations

from enum import StrEnum

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import PasswordHash
from advanced_alchemy.types.password_hash.base import HashedPassword
from sqlalchemy import Boolean, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konfliktmanagement.db.models.user_role import UserRole
from konfliktmanagement.db.versioned import Versioned
from konfliktmanagement.lib.hashing import HASHER


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    MEDIATOR = "mediator"
    ROUND_TABLE_MEMBER = "round_table_member"


class User(Versioned, UUIDv7AuditBase):
    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password: Mapped[HashedPassword | None] = mapped_column(PasswordHash(backend=HASHER), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by an admin's password reset: every request but changing the password is refused until then.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="UserRole.role"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)
