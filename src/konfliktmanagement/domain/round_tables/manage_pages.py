"""Coordinators manage round tables: `/round-tables/manage`, `/round-tables/new`, `/round-tables/{id}/edit`
and the member forms on the edit page (DESIGN.md §2). Rules live in `RoundTableService`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.guards import requires_role
from konfliktmanagement.domain.round_tables import schemas
from konfliktmanagement.domain.round_tables.deps import round_table_dependencies
from konfliktmanagement.domain.round_tables.services import RoundTableService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _

User = Request[m.User, Any, Any]
Form = URLEncodedBody[dict[str, Any]]
Service = NamedDependency[RoundTableService]
LIST = "/round-tables/manage"


def _stored_values(table: m.RoundTable) -> dict[str, Any]:
    return {
        "name": table.name,
        "description": table.description,
        "quartier_ids": [str(q.id) for q in table.quartiers],
    }


def _submitted(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = forms.submitted(data)
    values["quartier_ids"] = [v for v in forms.values(data, "quartier_ids") if v]
    return values


async def _form_page(
    service: RoundTableService,
    table: m.RoundTable | None,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    *,
    stale: bool = False,
    member_form: dict[str, Any] | None = None,
    member_errors: dict[str, str] | None = None,
) -> Template:
    stored = _stored_values(table) if table is not None else {"quartier_ids": []}
    eligible = await service.eligible_members(table) if table is not None else []
    status = 409 if stale else 422 if (errors or member_errors) else 200
    return Template(
        template_name="round_tables/form.html",
        context={
            "table": table,
            "form": stored if stale else stored | (form or {}),
            "errors": errors or {},
            "stale": stale,
            "quartier_choices": await service.quartier_choices(),
            # Coordinators pick people by name and address: two people may share a name.
            "member_choices": [(str(user.id), f"{user.name} ({user.email})") for user in eligible],
            "member_form": member_form or {},
            "member_errors": member_errors or {},
        },
        status_code=status,
    )


class RoundTableManagePages(Controller):
    path = "/round-tables"
    guards = [requires_role(m.Role.COORDINATOR)]  # noqa: RUF012
    dependencies = round_table_dependencies
    include_in_schema = False

    @get("/manage", name="round_tables_manage")
    async def index(self, round_tables: Service) -> Template:
        tables = await round_tables.list_all()
        return Template(template_name="round_tables/manage.html", context={"tables": tables})

    @get("/new", name="round_table_new")
    async def new(self, round_tables: Service) -> Template:
        return await _form_page(round_tables, None)

    @post("/new")
    async def create(self, request: User, round_tables: Service, data: Form) -> Template | Redirect:
        try:
            table = await round_tables.create(request.user, parse(schemas.RoundTableInput, data))
        except ValidationFailed as exc:
            return await _form_page(round_tables, None, _submitted(data), field_errors(exc))
        flash(request, _("Runder Tisch „%(name)s“ angelegt.") % {"name": table.name}, category="success")
        return Redirect(path=f"/round-tables/{table.id}/edit", status_code=303)

    @get("/{round_table_id:uuid}/edit", name="round_table_edit")
    async def edit(self, round_tables: Service, round_table_id: FromPath[UUID]) -> Template:
        return await _form_page(round_tables, await round_tables.get(round_table_id))

    @post("/{round_table_id:uuid}/edit")
    async def update(
        self, request: User, round_tables: Service, round_table_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        try:
            version = forms.integer(data, "version")
            await round_tables.update(round_table_id, version, parse(schemas.RoundTableInput, data))
        except ValidationFailed as exc:
            table = await round_tables.get(round_table_id)
            return await _form_page(round_tables, table, _submitted(data), field_errors(exc))
        except StaleVersion:
            return await _form_page(round_tables, await round_tables.get(round_table_id), stale=True)
        flash(request, _("Änderungen am Runden Tisch gespeichert."), category="success")
        return Redirect(path=LIST, status_code=303)

    @post("/{round_table_id:uuid}/members")
    async def add_member(
        self, request: User, round_tables: Service, round_table_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        try:
            await round_tables.add_member(round_table_id, parse(schemas.MemberInput, data))
        except ValidationFailed as exc:
            table = await round_tables.get(round_table_id)
            return await _form_page(
                round_tables, table, member_form=forms.submitted(data), member_errors=field_errors(exc)
            )
        flash(request, _("Mitglied hinzugefügt."), category="success")
        return Redirect(path=f"/round-tables/{round_table_id}/edit#members", status_code=303)

    @post("/{round_table_id:uuid}/members/{user_id:uuid}/remove")
    async def remove_member(
        self, request: User, round_tables: Service, round_table_id: FromPath[UUID], user_id: FromPath[UUID]
    ) -> Redirect:
        await round_tables.remove_member(round_table_id, user_id)
        flash(request, _("Mitglied entfernt."), category="success")
        return Redirect(path=f"/round-tables/{round_table_id}/edit#members", status_code=303)
