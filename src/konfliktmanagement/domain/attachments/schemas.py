"""API shapes for attachments: the metadata only; the content is the download's (`GET /attachments/{id}`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.structs import Input, from_row


class AttachmentUpload(Input):
    # Optional: without it, the strictest tier this user may choose (privacy by default).
    tier: m.AttachmentTier | None = None


@dataclass
class UploadForm:
    """The multipart body of `POST /api/v1/cases/{case_id}/attachments` (documented as such)."""

    file: UploadFile
    tier: m.AttachmentTier | None = None


@dataclass(frozen=True, slots=True)
class NewFile:
    """An uploaded file as the service gets it: the name the client gave and every byte."""

    file_name: str
    content: bytes


class AttachmentOut(msgspec.Struct):
    id: UUID
    case_id: UUID
    file_name: str
    media_type: m.AttachmentType
    size: int
    tier: m.AttachmentTier
    created_at: datetime
    uploaded_by_id: UUID | None


def attachment_out(attachment: m.Attachment) -> AttachmentOut:
    return from_row(attachment, AttachmentOut)
