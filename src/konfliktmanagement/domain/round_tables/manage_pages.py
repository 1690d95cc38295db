"""Coordinators manage round tables: `/round-tables/manage`, `/round-tables/new`, `/round-tables/{id}/edit`
and the member forms on the edit page (DESIGN.md §2). Rules live in `RoundTableService`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.round_tables import schemas
from konfliktmanagement.domain.round_tables.access import requires_manager
from konfliktmanagement.domain.round_tables.deps import round_table_dependencies
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery
from konfliktmanagement.domain.round_tables.services import RoundTableService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

User = SignedIn
Service = NamedDependency[RoundTableService]
Pages = NamedDependency[RoundTableQuery]
LIST = "/round-tables/manage"
NO_FORM = FormState()


def _stored_values(table: m.RoundTable | None) -> dict[str, Any]:
    if table is None:
        return {"quartier_ids": []}
    return {"name": table.name, "description": table.description, "quartier_ids": [str(q.id) for q in table.quartiers]}


async def _form_page(
    pages: RoundTableQuery,
    round_table_id: UUID | None,
    state: FormState = NO_FORM,
    *,
    data: dict[str, Any] | None = None,
    member_state: FormState = NO_FORM,
) -> Template:
    """The round-table form, and on the edit page the member form; `data` is the table form's input."""
    table = await pages.table(round_table_id) if round_table_id is not None else None
    form = state.values(_stored_values(table))
    if data is not None and not state.stale:
        form["quartier_ids"] = [v for v in forms.values(data, "quartier_ids") if v]
    eligible = await pages.eligible_members(table) if table is not None else []
    return Template(
        template_name="round_tables/form.html",
        context={
            "table": table,
            "form": form,
            "errors": state.errors,
            "stale": state.stale,
            "quartier_choices": await pages.quartier_choices(),
            # Coordinators pick people by name and address: two people may share a name.
            "member_choices": [(str(user.id), f"{user.name} ({user.email})") for user in eligible],
            "member_form": member_state.submitted,
            "member_errors": member_state.errors,
        },
        status_code=max(state.status_code, member_state.status_code),
    )


def _edit_url(round_table_id: UUID) -> str:
    return f"/round-tables/{round_table_id}/edit"


class RoundTableManagePageController(Controller):
    path = "/round-tables"
    guards = [requires_manager]  # noqa: RUF012
    dependencies = round_table_dependencies

    @get("/manage", name="round_tables_manage")
    async def index(self, round_table_pages: Pages) -> Template:
        tables = await round_table_pages.tables()
        return Template(template_name="round_tables/manage.html", context={"tables": tables})

    @get("/new", name="round_table_new")
    async def new(self, round_table_pages: Pages) -> Template:
        return await _form_page(round_table_pages, None)

    @post("/new")
    async def create(self, request: User, round_tables: Service, round_table_pages: Pages, data: Form) -> Answer:
        form: PageForm[m.RoundTable] = PageForm(
            lambda state: _form_page(round_table_pages, None, state, data=data),
            message=lambda table: _("Runder Tisch „%(name)s“ angelegt.") % {"name": table.name},
            redirect=lambda table: _edit_url(table.id),
        )
        return await form.submit(
            request, data, lambda: round_tables.establish(request.user, parse(schemas.RoundTableInput, data))
        )

    @get("/{round_table_id:uuid}/edit", name="round_table_edit")
    async def edit(self, round_table_pages: Pages, round_table_id: FromPath[UUID]) -> Template:
        return await _form_page(round_table_pages, round_table_id)

    @post("/{round_table_id:uuid}/edit")
    async def update(
        self, request: User, round_tables: Service, round_table_pages: Pages, round_table_id: FromPath[UUID], data: Form
    ) -> Answer:
        form: PageForm[m.RoundTable] = PageForm(
            lambda state: _form_page(round_table_pages, round_table_id, state, data=data),
            message=_("Änderungen am Runden Tisch gespeichert."),
            redirect=LIST,
        )
        return await form.submit(
            request,
            data,
            lambda: round_tables.revise(
                round_table_id, forms.integer(data, "version"), parse(schemas.RoundTableInput, data)
            ),
        )

    @post("/{round_table_id:uuid}/members")
    async def add_member(
        self, request: User, round_tables: Service, round_table_pages: Pages, round_table_id: FromPath[UUID], data: Form
    ) -> Answer:
        form: PageForm[m.RoundTableMember] = PageForm(
            lambda state: _form_page(round_table_pages, round_table_id, member_state=state),
            message=_("Mitglied hinzugefügt."),
            redirect=f"{_edit_url(round_table_id)}#members",
        )
        return await form.submit(
            request, data, lambda: round_tables.add_member(round_table_id, parse(schemas.MemberInput, data))
        )

    @post("/{round_table_id:uuid}/members/{user_id:uuid}/remove")
    async def remove_member(
        self, request: User, round_tables: Service, round_table_id: FromPath[UUID], user_id: FromPath[UUID]
    ) -> Redirect:
        # No input to show again: a member already gone answers 404 like any unknown record.
        await round_tables.remove_member(round_table_id, user_id)
        flash(request, _("Mitglied entfernt."), category="success")
        return Redirect(path=f"{_edit_url(round_table_id)}#members", status_code=303)
