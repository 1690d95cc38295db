from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import EncryptedString
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from konfliktmanagement.db.encryption import EncryptedBytes, encryption_key


class AttachmentTier(StrEnum):
    """Who sees an attachment: the notes' two closed tiers (`NoteTier`, same values and rules).
    Never "shareable": files do not go into round-table reports."""

    MEDIATOR_PRIVATE = "mediator_private"  # only the case's mediators (§ 4 MediationsG)
    CASE_TEAM = "case_team"  # mediators and coordinators


class AttachmentType(StrEnum):
    """The media types accepted, recognised from the content (`domain/attachments/files.py`)."""

    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


class Attachment(UUIDv7AuditBase):
    """A file of a case. Its name and content are encrypted with the contact data's key; the content is
    deferred, so lists and the case page never load (or decrypt) it."""

    __tablename__ = "attachment"

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    tier: Mapped[str] = mapped_column(String(20))
    # File names often carry names ("Beschwerde Müller.pdf"): encrypted like contact data.
    file_name: Mapped[str] = mapped_column(EncryptedString(key=encryption_key))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(EncryptedBytes(), deferred=True)
