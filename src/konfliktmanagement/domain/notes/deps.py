from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.cases.deps import case_record
from konfliktmanagement.domain.notes.queries import NotePageQuery
from konfliktmanagement.domain.notes.services import NoteService

note_dependencies = {
    "notes": Provide(create_service_provider(NoteService)),
    "note_pages": Provide(NotePageQuery, sync_to_thread=False),
}
note_record = case_record(NoteService, NoteService.find, "note_id")
