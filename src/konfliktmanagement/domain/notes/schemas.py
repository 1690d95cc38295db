"""API shapes for case notes. A note's body is shown only to users whose case role may see its tier."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.structs import Input, RecordOut, RecordPatch, from_row

Body = Annotated[str, msgspec.Meta(min_length=1, max_length=20000)]


class NoteCreate(Input):
    # No default tier: who may read a note is a decision the writer makes, not the form.
    tier: m.NoteTier
    body: Body


class NoteUpdate(RecordPatch):
    tier: m.NoteTier | msgspec.UnsetType = msgspec.UNSET
    body: Body | msgspec.UnsetType = msgspec.UNSET


class NoteApproval(Input):
    version: int


class NoteOut(RecordOut):
    id: UUID
    case_id: UUID
    tier: m.NoteTier
    body: str
    author_id: UUID | None
    approved_at: datetime | None
    approved_by_id: UUID | None


def note_out(note: m.Note) -> NoteOut:
    return from_row(note, NoteOut)
