from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class CaseEvent(UUIDv7Base):
    """Append-only audit trail of a case, hash-chained per case (`seq` 1, 2, …).

    Never holds note text or contact data: `details` carries field names and flags, not values. The
    hash covers a digest of `reason`, not the text, so the reason can be erased (DESIGN.md §5).
    """

    __tablename__ = "case_event"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    actor_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Set when the reason is erased (retention, Art. 17): the digest the hash covers instead of the text,
    # so the chain stays verifiable without it (domain/audit/chain.py).
    reason_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
