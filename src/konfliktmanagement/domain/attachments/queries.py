"""What the attachment pages show, and how a file leaves the service (the download response)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from litestar import Response
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.attachments import files, schemas
from konfliktmanagement.domain.attachments.services import AttachmentService
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.records import CaseRecord

BINARY = {"type": "string", "format": "binary"}
# The download's media types, for the OpenAPI document (`server/openapi.py` reads `response_content`).
DOWNLOAD_CONTENT = {media_type.value: BINARY for media_type in m.AttachmentType}


@dataclass(frozen=True, slots=True)
class NewAttachmentPage:
    case: m.Case
    tiers: list[m.AttachmentTier]
    max_mb: int


@dataclass(frozen=True, slots=True)
class RemovePage:
    case: m.Case
    attachment: m.Attachment


class AttachmentPageQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.attachments = AttachmentService(session=db_session)

    @staticmethod
    def remove(found: CaseRecord[m.Attachment]) -> RemovePage:
        return RemovePage(case=found.access.case, attachment=found.record)

    async def download(self, found: CaseRecord[m.Attachment]) -> Response[bytes]:
        return download(found.record, await self.attachments.content(found))


def new_attachment_page(access: CaseAccess) -> NewAttachmentPage:
    """The upload form's choices: the tiers this user may write, strictest first."""
    tiers = [tier for tier in m.AttachmentTier if access.may_attach(tier)]
    return NewAttachmentPage(case=access.case, tiers=tiers, max_mb=files.MAX_BYTES // 1_000_000)


async def new_file(upload: object) -> schemas.NewFile | None:
    """The uploaded file of a form field (one file; a list means a crafted request: its first)."""
    if isinstance(upload, list):
        upload = upload[0] if upload else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    return schemas.NewFile(upload.filename, await upload.read())


def download(attachment: m.Attachment, content: bytes) -> Response[bytes]:
    """Always a download, never shown inline: a browser must not render a file someone uploaded."""
    ascii_name = attachment.file_name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.file_name)}"
    return Response(
        content,
        media_type=attachment.media_type,
        headers={
            "content-disposition": disposition,
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
        },
    )
