from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.deps import CaseRecords
from konfliktmanagement.domain.cases.records import CaseRecord
from konfliktmanagement.domain.notes.queries import NotePageQuery
from konfliktmanagement.domain.notes.services import NoteService

note_record = CaseRecords(NoteService, "notes", "note_id")
note_dependencies = note_record.dependencies(note_pages=NotePageQuery)

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Notes: TypeAlias = NamedDependency[NoteService]
NotePages: TypeAlias = NamedDependency[NotePageQuery]
FoundNote: TypeAlias = NamedDependency[CaseRecord[m.Note]]
