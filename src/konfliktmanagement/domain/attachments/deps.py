from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.attachments.queries import AttachmentPageQuery
from konfliktmanagement.domain.attachments.services import AttachmentService
from konfliktmanagement.domain.cases.deps import case_record
from konfliktmanagement.domain.cases.records import CaseRecord

attachment_dependencies = {
    "attachments": Provide(create_service_provider(AttachmentService)),
    "attachment_pages": Provide(AttachmentPageQuery, sync_to_thread=False),
}
attachment_record = case_record(AttachmentService, AttachmentService.find, "attachment_id")

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Attachments: TypeAlias = NamedDependency[AttachmentService]
AttachmentPages: TypeAlias = NamedDependency[AttachmentPageQuery]
FoundAttachment: TypeAlias = NamedDependency[CaseRecord[m.Attachment]]
