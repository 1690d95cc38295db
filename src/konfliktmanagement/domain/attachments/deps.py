from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.attachments.queries import AttachmentPageQuery
from konfliktmanagement.domain.attachments.services import AttachmentService
from konfliktmanagement.domain.cases.deps import CaseRecords
from konfliktmanagement.domain.cases.records import CaseRecord

attachment_record = CaseRecords(AttachmentService, "attachments", "attachment_id")
attachment_dependencies = attachment_record.dependencies(attachment_pages=AttachmentPageQuery)

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Attachments: TypeAlias = NamedDependency[AttachmentService]
AttachmentPages: TypeAlias = NamedDependency[AttachmentPageQuery]
FoundAttachment: TypeAlias = NamedDependency[CaseRecord[m.Attachment]]
