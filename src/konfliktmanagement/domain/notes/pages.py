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
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.deps import case_dependencies
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.notes import schemas, views
from konfliktmanagement.domain.notes.deps import note_dependencies
from konfliktmanagement.domain.notes.services import NoteService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _

User = Request[m.User, Any, Any]
Form = URLEncodedBody[dict[str, Any]]


def _new(page: views.NewNotePage, form: dict[str, str], errors: dict[str, str], status: int = 200) -> Template:
    return Template(
        template_name="notes/note_new.html",
        context={"page": page, "case": page.case, "form": form, "errors": errors},
        status_code=status,
    )


def _edit(
    page: views.NotePage,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    stale: bool = False,
    status: int = 200,
) -> Template:
    return Template(
        template_name="notes/note.html",
        context={
            "page": page,
            "note": page.note,
            "case": page.case,
            "form": page.values | (form or {}),
            "errors": errors or {},
            "stale": stale,
        },
        status_code=status,
    )


class NotePages(Controller):
    include_in_schema = False
    dependencies = {**note_dependencies, **case_dependencies}  # noqa: RUF012

    @get("/cases/{case_id:uuid}/notes/new")
    async def new(self, request: User, cases: NamedDependency[CaseService], case_id: FromPath[UUID]) -> Template:
        return _new(await views.new_note_page(cases, request.user, case_id), {}, {})

    @post("/cases/{case_id:uuid}/notes/new")
    async def create(
        self,
        request: User,
        notes: NamedDependency[NoteService],
        cases: NamedDependency[CaseService],
        case_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        try:
            await notes.create(request.user, case_id, parse(schemas.NoteCreate, data))
        except ValidationFailed as exc:
            page = await views.new_note_page(cases, request.user, case_id)
            return _new(page, forms.submitted(data), field_errors(exc), status=422)
        flash(request, _("Notiz gespeichert."), category="success")
        return Redirect(path=f"/cases/{case_id}#notizen", status_code=303)

    @get("/notes/{note_id:uuid}")
    async def show(
        self,
        request: User,
        notes: NamedDependency[NoteService],
        cases: NamedDependency[CaseService],
        note_id: FromPath[UUID],
    ) -> Template:
        return _edit(await views.note_page(notes, cases, request.user, note_id))

    @post("/notes/{note_id:uuid}")
    async def update(
        self,
        request: User,
        notes: NamedDependency[NoteService],
        cases: NamedDependency[CaseService],
        note_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        try:
            note = await notes.update(request.user, note_id, parse(schemas.NoteUpdate, data))
        except ValidationFailed as exc:
            page = await views.note_page(notes, cases, request.user, note_id)
            return _edit(page, forms.submitted(data), field_errors(exc), status=422)
        except StaleVersion:
            # Show what is stored now instead of overwriting someone else's change.
            return _edit(await views.note_page(notes, cases, request.user, note_id), stale=True, status=409)
        flash(request, _("Notiz gespeichert."), category="success")
        return Redirect(path=f"/cases/{note.case_id}#notizen", status_code=303)

    @post("/notes/{note_id:uuid}/approval")
    async def approve(
        self,
        request: User,
        notes: NamedDependency[NoteService],
        cases: NamedDependency[CaseService],
        note_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        try:
            note = await notes.approve(request.user, note_id, parse(schemas.NoteApproval, data))
        except (ValidationFailed, StaleVersion):
            # Only the hidden version can be wrong here: show the note as it is now.
            return _edit(await views.note_page(notes, cases, request.user, note_id), stale=True, status=409)
        flash(request, _("Notiz für Berichte an den Runden Tisch freigegeben."), category="success")
        return Redirect(path=f"/cases/{note.case_id}#notizen", status_code=303)


PAGE_CONTROLLERS: list[type[Controller]] = [NotePages]
