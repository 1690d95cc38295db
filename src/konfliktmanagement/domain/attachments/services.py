"""Files of a case (issue 13): added with a confidentiality tier, downloaded, removed.

The notes' rules apply: a file whose tier the user may not read does not exist for that user (404, the
attempt audited). Audit events name the attachment's id, tier, type and size — never the file name,
which often names a person ("Beschwerde Müller.pdf") and would outlive the file in the hash-chained
trail, which retention keeps.
"""

from __future__ import annotations

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement, delete, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.attachments import files, schemas
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import deny
from konfliktmanagement.domain.cases.records import CaseRecord, TieredRecordService, add_record
from konfliktmanagement.lib.exceptions import FieldError, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _

Tier = m.AttachmentTier


class AttachmentRepository(SQLAlchemyAsyncRepository[m.Attachment]):
    model_type = m.Attachment


class AttachmentService(TieredRecordService[m.Attachment, AttachmentRepository]):
    repository_type = AttachmentRepository
    # Newest first; the content stays in the database (deferred) until a download asks for it.
    list_order = (m.Attachment.created_at.desc(), m.Attachment.id.desc())

    def visible(self, access: CaseAccess) -> ColumnElement[bool]:
        return m.Attachment.tier.in_([t.value for t in access.attachment_tiers])

    async def content(self, found: CaseRecord[m.Attachment]) -> bytes:
        """The file's bytes, decrypted (read only for the download)."""
        content = await self.session.scalar(select(m.Attachment.content).where(m.Attachment.id == found.record.id))
        if content is None:
            raise NotFound
        return content

    async def attach(
        self, access: CaseAccess, upload: schemas.NewFile | None, data: schemas.AttachmentUpload
    ) -> m.Attachment:
        tier = data.tier or self._default_tier(access)
        if not access.may_attach(tier):
            message = _("Vertrauliche Anhänge fügen nur die Mediator:innen des Falls hinzu.")
            raise deny(self.session, access, "attachment:create", message, [FieldError("tier", message)])
        if upload is None:
            message = _("Bitte eine Datei auswählen.")
            raise ValidationFailed([FieldError("file", message)], detail=message)
        checked = files.check(upload.file_name, upload.content)
        attachment = m.Attachment(
            case_id=access.case_id,
            uploaded_by_id=access.user.id,
            tier=tier.value,
            file_name=checked.file_name,
            media_type=checked.media_type.value,
            size=len(checked.content),
            content=checked.content,
        )
        return await add_record(
            self.session,
            access,
            attachment,
            event="attachment_added",
            details=lambda saved: {
                "attachment_id": str(saved.id),
                "tier": saved.tier,
                "media_type": saved.media_type,
                "size": saved.size,
            },
        )

    async def remove(self, found: CaseRecord[m.Attachment]) -> m.Attachment:
        access, attachment = found
        if not access.may_remove_attachment(attachment.uploaded_by_id):
            raise deny(
                self.session,
                access,
                "attachment:delete",
                _("Anhänge entfernen nur, wer sie hinzugefügt hat, und die Koordination."),
            )
        await self.session.execute(delete(m.Attachment).where(m.Attachment.id == attachment.id))
        await append_event(
            self.session,
            case_id=access.case_id,
            actor_id=access.user.id,
            action="attachment_deleted",
            details={"attachment_id": str(attachment.id), "tier": attachment.tier},
        )
        return attachment

    @staticmethod
    def _default_tier(access: CaseAccess) -> Tier:
        """The strictest tier this user may choose: mediator-private for the case's mediators."""
        return Tier.MEDIATOR_PRIVATE if access.may_attach(Tier.MEDIATOR_PRIVATE) else Tier.CASE_TEAM
