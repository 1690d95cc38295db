from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import NamedDependency, Provide

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.deps import case_record
from konfliktmanagement.domain.cases.records import CaseRecord
from konfliktmanagement.domain.notes.queries import NotePageQuery
from konfliktmanagement.domain.notes.services import NoteService

note_dependencies = {
    "notes": Provide(create_service_provider(NoteService)),
    "note_pages": Provide(NotePageQuery, sync_to_thread=False),
}
note_record = case_record(NoteService, NoteService.find, "note_id")

# The types of the handlers' parameters for these dependencies (the parameter's name is the dependency's).
Notes: TypeAlias = NamedDependency[NoteService]
NotePages: TypeAlias = NamedDependency[NotePageQuery]
FoundNote: TypeAlias = NamedDependency[CaseRecord[m.Note]]
