"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Case notes. No role guard on purpose: anyone who may not read the case, or the note's tier, gets
404 from the service (round-table members and admins included), so they learn nothing.
"""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.params import JSONBody

from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.domain.notes import schemas
from konfliktmanagement.domain.notes.deps import FoundNote, Notes, note_dependencies, note_record


class NoteApiController(Controller):
    path = "/api/v1"
    dependencies = note_dependencies
    tags = ["Notizen"]  # noqa: RUF012

    @get("/cases/{case_id:uuid}/notes", dependencies=case_access("note:list"))
    async def list_notes(self, notes: Notes, access: Access) -> list[schemas.NoteOut]:
        return [schemas.note_out(n) for n in await notes.list_for_case(access)]

    @post("/cases/{case_id:uuid}/notes", dependencies=case_access("note:create", for_write=True))
    async def create_note(self, notes: Notes, access: Access, data: JSONBody[schemas.NoteCreate]) -> schemas.NoteOut:
        return schemas.note_out(await notes.write(access, data))

    @get("/notes/{note_id:uuid}", dependencies=note_record("note:read"))
    async def get_note(self, found: FoundNote) -> schemas.NoteOut:
        return schemas.note_out(found.record)

    @patch("/notes/{note_id:uuid}", dependencies=note_record("note:update", for_write=True))
    async def update_note(self, notes: Notes, found: FoundNote, data: JSONBody[schemas.NoteUpdate]) -> schemas.NoteOut:
        return schemas.note_out(await notes.revise(found, data))

    @post("/notes/{note_id:uuid}/approval", status_code=200, dependencies=note_record("note:approve", for_write=True))
    async def approve_note(
        self, notes: Notes, found: FoundNote, data: JSONBody[schemas.NoteApproval]
    ) -> schemas.NoteOut:
        return schemas.note_out(await notes.approve(found, data))


API_CONTROLLERS: list[type[Controller]] = [NoteApiController]
