"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Attachments of a case. As for notes, no role guard: who may not read the case or the file's tier gets
404 from the service (round-table members and admins included). The upload reads multipart form data
(`file`, optional `tier`); bodies above the limit answer 413 before anything is read into memory.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from konfliktmanagement.domain.attachments import files, schemas
from konfliktmanagement.domain.attachments.deps import (
    AttachmentPages,
    Attachments,
    FoundAttachment,
    attachment_dependencies,
    attachment_record,
)
from konfliktmanagement.domain.attachments.queries import DOWNLOAD_CONTENT, new_file
from konfliktmanagement.domain.cases.deps import Access, case_access

# The file at its limit plus the multipart framing and the tier field.
API_BODY_LIMIT = files.MAX_BYTES + 64 * 1024
Upload = Annotated[schemas.UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)]


class AttachmentApiController(Controller):
    path = "/api/v1"
    dependencies = attachment_dependencies
    tags = ["Anhänge"]  # noqa: RUF012

    @get("/cases/{case_id:uuid}/attachments", dependencies=case_access("attachment:list"))
    async def list_attachments(self, attachments: Attachments, access: Access) -> list[schemas.AttachmentOut]:
        return [schemas.attachment_out(a) for a in await attachments.list_for_case(access)]

    @post(
        "/cases/{case_id:uuid}/attachments",
        dependencies=case_access("attachment:create", for_write=True),
        request_max_body_size=API_BODY_LIMIT,
    )
    async def create_attachment(self, attachments: Attachments, access: Access, data: Upload) -> schemas.AttachmentOut:
        upload = schemas.AttachmentUpload(tier=data.tier)
        return schemas.attachment_out(await attachments.attach(access, await new_file(data.file), upload))

    @get(
        "/attachments/{attachment_id:uuid}",
        dependencies=attachment_record("attachment:read"),
        opt={"response_content": DOWNLOAD_CONTENT},
    )
    async def download_attachment(self, attachment_pages: AttachmentPages, found: FoundAttachment) -> Response[bytes]:
        return await attachment_pages.download(found)

    @delete("/attachments/{attachment_id:uuid}", dependencies=attachment_record("attachment:delete", for_write=True))
    async def delete_attachment(self, attachments: Attachments, found: FoundAttachment) -> None:
        await attachments.remove(found)


API_CONTROLLERS: list[type[Controller]] = [AttachmentApiController]
