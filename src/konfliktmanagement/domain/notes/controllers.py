"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Case notes. No role guard on purpose: anyone who may not read the case, or the note's tier, gets
404 from the service (round-table members and admins included), so they learn nothing.
"""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from konfliktmanagement.domain.cases import record_api
from konfliktmanagement.domain.notes import schemas
from konfliktmanagement.domain.notes.deps import FoundNote, Notes, note_record
from konfliktmanagement.domain.notes.services import NoteService


class NoteApiController(record_api.CaseRecordController, records=note_record, out=schemas.note_out, tags=["Notizen"]):
    list_notes = record_api.list_records("/cases/{case_id:uuid}/notes", "note:list")
    create_note = record_api.create_record("/cases/{case_id:uuid}/notes", "note:create", NoteService.write)
    get_note = record_api.read_record("/notes/{note_id:uuid}", "note:read")
    update_note = record_api.update_record("/notes/{note_id:uuid}", "note:update", NoteService.revise)

    @post("/notes/{note_id:uuid}/approval", status_code=200, dependencies=note_record("note:approve", for_write=True))
    async def approve_note(
        self, notes: Notes, found: FoundNote, data: JSONBody[schemas.NoteApproval]
    ) -> schemas.NoteOut:
        return schemas.note_out(await notes.approve(found, data))


API_CONTROLLERS: list[type[Controller]] = [NoteApiController]
