"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`.

Case notes. No role guard on purpose: anyone who may not read the case, or the note's tier, gets
404 from the service (round-table members and admins included), so they learn nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import case_access
from konfliktmanagement.domain.notes import schemas
from konfliktmanagement.domain.notes.deps import note_dependencies
from konfliktmanagement.domain.notes.services import NoteService


class NoteApiController(Controller):
    path = "/api/v1"
    dependencies = note_dependencies
    tags = ["Notizen"]  # noqa: RUF012

    @get("/cases/{case_id:uuid}/notes", operation_id="listNotes", dependencies=case_access("note:list"))
    async def list_notes(
        self, notes: NamedDependency[NoteService], access: NamedDependency[CaseAccess]
    ) -> list[schemas.NoteOut]:
        return [schemas.note_out(n) for n in await notes.list_for_case(access)]

    @post(
        "/cases/{case_id:uuid}/notes",
        operation_id="createNote",
        dependencies=case_access("note:create", for_write=True),
    )
    async def create_note(
        self,
        notes: NamedDependency[NoteService],
        access: NamedDependency[CaseAccess],
        data: JSONBody[schemas.NoteCreate],
    ) -> schemas.NoteOut:
        return schemas.note_out(await notes.write(access, data))

    @get("/notes/{note_id:uuid}", operation_id="getNote")
    async def get_note(
        self, request: Request[m.User, Any, Any], notes: NamedDependency[NoteService], note_id: FromPath[UUID]
    ) -> schemas.NoteOut:
        return schemas.note_out(await notes.detail(request.user, note_id))

    @patch("/notes/{note_id:uuid}", operation_id="updateNote")
    async def update_note(
        self,
        request: Request[m.User, Any, Any],
        notes: NamedDependency[NoteService],
        note_id: FromPath[UUID],
        data: JSONBody[schemas.NoteUpdate],
    ) -> schemas.NoteOut:
        return schemas.note_out(await notes.revise(request.user, note_id, data))

    @post("/notes/{note_id:uuid}/approval", operation_id="approveNote", status_code=200)
    async def approve_note(
        self,
        request: Request[m.User, Any, Any],
        notes: NamedDependency[NoteService],
        note_id: FromPath[UUID],
        data: JSONBody[schemas.NoteApproval],
    ) -> schemas.NoteOut:
        return schemas.note_out(await notes.approve(request.user, note_id, data))


API_CONTROLLERS: list[type[Controller]] = [NoteApiController]
