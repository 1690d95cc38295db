"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Case notes. No role guard on purpose: anyone who may not read the case, or the note's tier, gets
404 from the service (round-table members and admins included), so they learn nothing.
"""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from konfliktmanagement.domain.cases.record_api import CaseRecordApi
from konfliktmanagement.domain.notes import schemas
from konfliktmanagement.domain.notes.deps import FoundNote, Notes, note_dependencies, note_record
from konfliktmanagement.domain.notes.services import NoteService

_notes = CaseRecordApi(NoteService, "notes", note_record, schemas.note_out)


class NoteApiController(Controller):
    path = "/api/v1"
    dependencies = note_dependencies
    tags = ["Notizen"]  # noqa: RUF012

    list_notes = _notes.list_for_case(
        "list_notes", "/cases/{case_id:uuid}/notes", "note:list", NoteService.list_for_case
    )
    create_note = _notes.create_for_case("create_note", "/cases/{case_id:uuid}/notes", "note:create", NoteService.write)
    get_note = _notes.read("get_note", "/notes/{note_id:uuid}", "note:read")
    update_note = _notes.update("update_note", "/notes/{note_id:uuid}", "note:update", NoteService.revise)

    @post("/notes/{note_id:uuid}/approval", status_code=200, dependencies=note_record("note:approve", for_write=True))
    async def approve_note(
        self, notes: Notes, found: FoundNote, data: JSONBody[schemas.NoteApproval]
    ) -> schemas.NoteOut:
        return schemas.note_out(await notes.approve(found, data))


API_CONTROLLERS: list[type[Controller]] = [NoteApiController]
