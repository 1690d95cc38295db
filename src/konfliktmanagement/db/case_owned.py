"""The base of the records a case owns (sessions, notes, agreements, administration requests, participations)."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.versioned import Versioned


class CaseOwned(Versioned, UUIDv7AuditBase):
    """A record of one case: a UUIDv7 key, timestamps, a version people edit against, and its case.

    Deleted with its case (the case is erased as a whole); the index serves every read, which goes
    through the case (`domain/cases/loading.load_case_of`).
    """

    __abstract__ = True

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
