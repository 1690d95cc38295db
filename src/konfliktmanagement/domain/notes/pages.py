"""HTML pages of this area: write a note with its confidentiality tier, edit it, approve it for reports.

Which tiers a user is offered and whether a note exists for them at all is decided by the access
rules and `NoteService`; a mediator-private note answers 404 to everyone but the case's mediators.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import case_access
from konfliktmanagement.domain.notes import schemas
from konfliktmanagement.domain.notes.deps import note_dependencies
from konfliktmanagement.domain.notes.queries import NotePageQuery
from konfliktmanagement.domain.notes.services import NoteService
from konfliktmanagement.lib.form_flow import FormState, submit
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

User = Request[m.User, Any, Any]
Form = URLEncodedBody[dict[str, Any]]


def _to_notes(note: m.Note) -> str:
    return f"/cases/{note.case_id}#notizen"


class NotePageController(Controller):
    dependencies = note_dependencies

    @get("/cases/{case_id:uuid}/notes/new", dependencies=case_access("read"))
    async def new(self, note_pages: NamedDependency[NotePageQuery], access: NamedDependency[CaseAccess]) -> Template:
        return self._new(note_pages, access, FormState())

    @post("/cases/{case_id:uuid}/notes/new", dependencies=case_access("note:create", for_write=True))
    async def create(
        self,
        request: User,
        notes: NamedDependency[NoteService],
        note_pages: NamedDependency[NotePageQuery],
        access: NamedDependency[CaseAccess],
        data: Form,
    ) -> Template | Redirect:
        async def render(state: FormState) -> Template:
            return self._new(note_pages, access, state)

        return await submit(
            request,
            data,
            lambda: notes.write(access, parse(schemas.NoteCreate, data)),
            render=render,
            message=_("Notiz gespeichert."),
            redirect=_to_notes,
        )

    @get("/notes/{note_id:uuid}")
    async def show(
        self, request: User, note_pages: NamedDependency[NotePageQuery], note_id: FromPath[UUID]
    ) -> Template:
        return await self._edit(note_pages, request.user, note_id, FormState())

    @post("/notes/{note_id:uuid}")
    async def update(
        self,
        request: User,
        notes: NamedDependency[NoteService],
        note_pages: NamedDependency[NotePageQuery],
        note_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        async def render(state: FormState) -> Template:
            return await self._edit(note_pages, request.user, note_id, state)

        return await submit(
            request,
            data,
            lambda: notes.revise(request.user, note_id, parse(schemas.NoteUpdate, data)),
            render=render,
            message=_("Notiz gespeichert."),
            redirect=_to_notes,
        )

    @post("/notes/{note_id:uuid}/approval")
    async def approve(
        self,
        request: User,
        notes: NamedDependency[NoteService],
        note_pages: NamedDependency[NotePageQuery],
        note_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        async def render(state: FormState) -> Template:
            # Only the hidden version can be wrong here: show the note as it is now.
            return await self._edit(note_pages, request.user, note_id, FormState(stale=True, status_code=409))

        return await submit(
            request,
            data,
            lambda: notes.approve(request.user, note_id, parse(schemas.NoteApproval, data)),
            render=render,
            message=_("Notiz für Berichte an den Runden Tisch freigegeben."),
            redirect=_to_notes,
        )

    @staticmethod
    def _new(note_pages: NotePageQuery, access: CaseAccess, state: FormState) -> Template:
        page = note_pages.new_note(access)
        return state.template("notes/note_new.html", {"page": page, "case": page.case})

    @staticmethod
    async def _edit(note_pages: NotePageQuery, user: m.User, note_id: UUID, state: FormState) -> Template:
        page = await note_pages.note(user, note_id)
        return state.template("notes/note.html", {"page": page, "note": page.note, "case": page.case}, page.values)


PAGE_CONTROLLERS: list[type[Controller]] = [NotePageController]
