from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC, EncryptedString, EncryptedText
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.encryption import encryption_key
from konfliktmanagement.db.versioned import Versioned

_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    INFORMAL_GROUP = "informal_group"


def new_pseudonym() -> str:
    return "P-" + "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(6))


class Party(Versioned, UUIDv7AuditBase):
    """A person, organisation or informal group. Shown by pseudonym everywhere but its own detail."""

    __tablename__ = "party"

    kind: Mapped[str] = mapped_column(String(20))
    pseudonym: Mapped[str] = mapped_column(String(12), unique=True, default=new_pseudonym)
    name: Mapped[str] = mapped_column(EncryptedString(key=encryption_key))
    phone: Mapped[str | None] = mapped_column(EncryptedString(key=encryption_key), nullable=True)
    email: Mapped[str | None] = mapped_column(EncryptedString(key=encryption_key), nullable=True)
    address: Mapped[str | None] = mapped_column(EncryptedText(key=encryption_key), nullable=True)
    language: Mapped[str | None] = mapped_column(String(40), nullable=True)
    group_size_estimate: Mapped[int | None] = mapped_column(Integer, nullable=True)
    erased_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
