from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class RetentionPolicy(UUIDv7AuditBase):
    """One version of the retention period of a data class (DESIGN.md §5), never changed once written.

    A change adds the next version; the highest version of a class is in force, and the deletion log
    names the version each erasure followed. A class without any row uses the default in
    `domain/privacy/policies.py` (version 0). `amount` NULL: kept.
    """

    __tablename__ = "retention_policy"
    __table_args__ = (UniqueConstraint("data_class", "policy_version"),)

    data_class: Mapped[str] = mapped_column(String(30))
    policy_version: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int | None] = mapped_column(Integer, nullable=True)
    unit: Mapped[str] = mapped_column(String(10))  # "months" | "days"
    changed_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    # Why the period changed (an administrator's words about the policy, not about a person).
    reason: Mapped[str] = mapped_column(Text)
