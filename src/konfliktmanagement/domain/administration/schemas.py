"""API shapes for administration requests (Anliegen an Verwaltung)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.structs import Input, RecordOut, RecordPatch, from_row

Department = Annotated[str, msgspec.Meta(min_length=1, max_length=160)]
Subject = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Answer = Annotated[str, msgspec.Meta(max_length=4000)]


class RequestCreate(Input):
    past_only = frozenset({"submitted_on", "answered_on"})
    department: Department
    subject: Subject
    status: m.AdministrationRequestStatus = m.AdministrationRequestStatus.OFFEN
    answer: Answer | None = None
    submitted_on: date | None = None
    answered_on: date | None = None


class RequestUpdate(RecordPatch):
    past_only = frozenset({"submitted_on", "answered_on"})
    department: Department | msgspec.UnsetType = msgspec.UNSET
    subject: Subject | msgspec.UnsetType = msgspec.UNSET
    status: m.AdministrationRequestStatus | msgspec.UnsetType = msgspec.UNSET
    answer: Answer | msgspec.UnsetType | None = msgspec.UNSET
    submitted_on: date | msgspec.UnsetType | None = msgspec.UNSET
    answered_on: date | msgspec.UnsetType | None = msgspec.UNSET


class RequestOut(RecordOut):
    id: UUID
    case_id: UUID
    department: str
    subject: str
    status: m.AdministrationRequestStatus
    answer: str | None
    submitted_on: date | None
    answered_on: date | None


def request_out(row: m.AdministrationRequest) -> RequestOut:
    return from_row(row, RequestOut)
