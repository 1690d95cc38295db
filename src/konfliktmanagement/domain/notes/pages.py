"""HTML pages of this area: write a note with its confidentiality tier, edit it, approve it for reports.

Which tiers a user is offered and whether a note exists for them at all is decided by the access
rules and `NoteService`; a mediator-private note answers 404 to everyone but the case's mediators.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.case_page.sections import CaseSectionsDep
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.domain.notes import schemas
from konfliktmanagement.domain.notes.deps import FoundNote, NotePages, Notes, note_dependencies, note_record
from konfliktmanagement.domain.notes.queries import NotePageQuery
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _


def _to_notes(note: m.Note) -> str:
    return f"/cases/{note.case_id}#notizen"


class NotePageController(Controller):
    dependencies = note_dependencies

    @get("/cases/{case_id:uuid}/notes/new", dependencies=case_access("read"))
    async def new(self, note_pages: NotePages, access: Access) -> Template:
        return await _new_note(note_pages, access).show()

    @post("/cases/{case_id:uuid}/notes/new", dependencies=case_access("note:create", for_write=True))
    async def create(
        self,
        request: SignedIn,
        notes: Notes,
        note_pages: NotePages,
        case_sections: CaseSectionsDep,
        access: Access,
        data: Form,
    ) -> Answer:
        # Also the quick form of the case page's notes section: an htmx request gets that section back.
        form = replace(_new_note(note_pages, access), section=case_sections.section(access, "notes"))
        return await form.submit(request, data, lambda: notes.write(access, parse(schemas.NoteCreate, data)))

    @get("/notes/{note_id:uuid}")
    async def show(self, request: SignedIn, note_pages: NotePages, note_id: FromPath[UUID]) -> Template:
        return await _note(note_pages, request.user, note_id).show()

    @post("/notes/{note_id:uuid}", dependencies=note_record("note:update", for_write=True))
    async def update(
        self, request: SignedIn, notes: Notes, note_pages: NotePages, found: FoundNote, data: Form
    ) -> Answer:
        form = _note(note_pages, request.user, found.record.id)
        return await form.submit(request, data, lambda: notes.revise(found, parse(schemas.NoteUpdate, data)))

    @post("/notes/{note_id:uuid}/approval", dependencies=note_record("note:approve", for_write=True))
    async def approve(
        self, request: SignedIn, notes: Notes, note_pages: NotePages, found: FoundNote, data: Form
    ) -> Answer:
        note = _note(note_pages, request.user, found.record.id)
        form = PageForm(
            # Only the hidden version can be wrong here: show the note as it is now.
            lambda _state: note.render(FormState(stale=True, status_code=409)),
            message=_("Notiz für Berichte an den Runden Tisch freigegeben."),
            redirect=_to_notes,
        )
        return await form.submit(request, data, lambda: notes.approve(found, parse(schemas.NoteApproval, data)))


def _new_note(note_pages: NotePageQuery, access: CaseAccess) -> PageForm[m.Note]:
    async def render(state: FormState) -> Template:
        page = note_pages.new_note(access)
        return state.template("notes/note_new.html", {"page": page, "case": page.case})

    return PageForm(render, message=_("Notiz gespeichert."), redirect=_to_notes)


def _note(note_pages: NotePageQuery, user: Principal, note_id: UUID) -> PageForm[m.Note]:
    async def render(state: FormState) -> Template:
        page = await note_pages.note(user, note_id)
        return state.template("notes/note.html", {"page": page, "note": page.note, "case": page.case}, page.values)

    return PageForm(render, message=_("Notiz gespeichert."), redirect=_to_notes)


PAGE_CONTROLLERS: list[type[Controller]] = [NotePageController]
