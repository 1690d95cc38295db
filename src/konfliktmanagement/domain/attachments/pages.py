"""HTML pages of this area: add a file to a case (from the case page's form), download it, remove it
after a confirmation.

The upload form is multipart. Its request limit is twice the file limit, so that a file somewhat above
10 MB still reaches the service and the form shows the German message next to the field; only a body
beyond that answers the bare 413 page.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.params import MultipartBody
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.attachments import files, schemas
from konfliktmanagement.domain.attachments.deps import (
    AttachmentPages,
    Attachments,
    FoundAttachment,
    attachment_dependencies,
    attachment_record,
)
from konfliktmanagement.domain.attachments.queries import AttachmentPageQuery, new_attachment_page, new_file
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

PAGE_BODY_LIMIT = 2 * files.MAX_BYTES
Upload = MultipartBody[dict[str, Any]]


def _to_attachments(attachment: m.Attachment) -> str:
    return f"/cases/{attachment.case_id}#anhaenge"


class AttachmentPageController(Controller):
    dependencies = attachment_dependencies

    @get("/cases/{case_id:uuid}/attachments/new", dependencies=case_access("read"))
    async def new(self, access: Access) -> Template:
        return await _new_attachment(access).show()

    @post(
        "/cases/{case_id:uuid}/attachments/new",
        dependencies=case_access("attachment:create", for_write=True),
        request_max_body_size=PAGE_BODY_LIMIT,
    )
    async def create(self, request: SignedIn, attachments: Attachments, access: Access, data: Upload) -> Answer:
        upload = await new_file(data.get("file"))
        return await _new_attachment(access).submit(
            request, data, lambda: attachments.attach(access, upload, parse(schemas.AttachmentUpload, data))
        )

    @get("/attachments/{attachment_id:uuid}", dependencies=attachment_record("attachment:read"))
    async def download(self, attachment_pages: AttachmentPages, found: FoundAttachment) -> Response[bytes]:
        return await attachment_pages.download(found)

    @get("/attachments/{attachment_id:uuid}/delete", dependencies=attachment_record("attachment:delete"))
    async def confirm_removal(self, attachment_pages: AttachmentPages, found: FoundAttachment) -> Template:
        page = attachment_pages.remove(found)
        return Template("attachments/delete.html", context={"page": page, "case": page.case})

    @post(
        "/attachments/{attachment_id:uuid}/delete", dependencies=attachment_record("attachment:delete", for_write=True)
    )
    async def remove(self, request: SignedIn, attachments: Attachments, found: FoundAttachment, data: Form) -> Answer:
        async def render(state: FormState) -> Template:  # refusals name no field: they go to the error page
            page = AttachmentPageQuery.remove(found)
            return state.template("attachments/delete.html", {"page": page, "case": page.case})

        form = PageForm(render, message=_("Anhang entfernt."), redirect=_to_attachments)
        return await form.submit(request, data, lambda: attachments.remove(found))


def _new_attachment(access: CaseAccess) -> PageForm[m.Attachment]:
    async def render(state: FormState) -> Template:
        page = new_attachment_page(access)
        return state.template("attachments/new.html", {"page": page, "case": page.case})

    return PageForm(render, message=_("Anhang gespeichert."), redirect=_to_attachments)


PAGE_CONTROLLERS: list[type[Controller]] = [AttachmentPageController]
