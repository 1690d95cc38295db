"""Admin pages for the master data: Stadtbezirke, quartiers and places (DESIGN.md §2), and the CSV import.

The overview carries the three "add" forms; their fields have a prefix (`district_`, `quartier_`,
`place_`) so ids stay unique on one page. Rules — uniqueness, the coordinate pair, a place with
cases staying in its quartier — live in `MasterDataService`.
"""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.guards import requires_admin
from konfliktmanagement.domain.quartiers import schemas, views
from konfliktmanagement.domain.quartiers.deps import master_data_dependencies
from konfliktmanagement.domain.quartiers.import_pages import ImportPages
from konfliktmanagement.domain.quartiers.master_data import MasterDataService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _

User = Request[m.User, Any, Any]
Form = URLEncodedBody[dict[str, Any]]
Service = NamedDependency[MasterDataService]
OVERVIEW = "/admin/master-data"
S = TypeVar("S", bound=msgspec.Struct)


def _input(schema: type[S], data: dict[str, Any], prefix: str = "") -> S:
    """The service's input from the form fields with this prefix; coordinates may use a decimal comma."""
    fields = {key.removeprefix(prefix): value for key, value in data.items() if key.startswith(prefix)}
    for key in ("latitude", "longitude"):
        if key in fields:
            fields[key] = forms.text(fields, key).replace(",", ".")
    return parse(schema, fields)


async def _overview(
    service: MasterDataService, form: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> Template:
    return Template(
        template_name="admin/master_data.html",
        context={"page": await views.overview_page(service), "form": form or {}, "errors": errors or {}},
        status_code=422 if errors else 200,
    )


def _edit(
    template: str,
    page: views.EditPage,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    stale: bool = False,
) -> Template:
    status = 409 if stale else 422 if errors else 200
    return Template(
        template_name=f"admin/{template}",
        context={
            "page": page,
            "record": page.record,
            "form": page.values | (form or {}),
            "errors": errors or {},
            "stale": stale,
        },
        status_code=status,
    )


class MasterDataPages(Controller):
    path = "/admin"
    guards = [requires_admin]  # noqa: RUF012
    dependencies = master_data_dependencies
    include_in_schema = False

    @get("/master-data", name="admin_master_data")
    async def index(self, master_data: Service) -> Template:
        return await _overview(master_data)

    # -- create (forms on the overview) ---------------------------------------------------------

    @post("/stadtbezirke")
    async def create_stadtbezirk(self, request: User, master_data: Service, data: Form) -> Template | Redirect:
        try:
            district = await master_data.create_stadtbezirk(_input(schemas.StadtbezirkInput, data, "district_"))
        except ValidationFailed as exc:
            errors = {f"district_{key}": message for key, message in field_errors(exc).items()}
            return await _overview(master_data, forms.submitted(data), errors)
        flash(request, _("Stadtbezirk „%(name)s“ angelegt.") % {"name": district.name}, category="success")
        return Redirect(path=f"{OVERVIEW}#stadtbezirk-{district.id}", status_code=303)

    @post("/quartiers")
    async def create_quartier(self, request: User, master_data: Service, data: Form) -> Template | Redirect:
        try:
            quartier = await master_data.create_quartier(_input(schemas.QuartierInput, data, "quartier_"))
        except ValidationFailed as exc:
            errors = {f"quartier_{key}": message for key, message in field_errors(exc).items()}
            return await _overview(master_data, forms.submitted(data), errors)
        flash(request, _("Quartier „%(name)s“ angelegt.") % {"name": quartier.name}, category="success")
        return Redirect(path=f"{OVERVIEW}#quartier-{quartier.id}", status_code=303)

    @post("/places")
    async def create_place(self, request: User, master_data: Service, data: Form) -> Template | Redirect:
        try:
            place = await master_data.create_place(_input(schemas.PlaceInput, data, "place_"))
        except ValidationFailed as exc:
            errors = {f"place_{key}": message for key, message in field_errors(exc).items()}
            return await _overview(master_data, forms.submitted(data), errors)
        flash(request, _("Ort „%(name)s“ angelegt.") % {"name": place.name}, category="success")
        return Redirect(path=f"{OVERVIEW}#quartier-{place.quartier_id}", status_code=303)

    # -- edit ---------------------------------------------------------------------------------

    @get("/stadtbezirke/{district_id:uuid}", name="admin_stadtbezirk")
    async def stadtbezirk(self, master_data: Service, district_id: FromPath[UUID]) -> Template:
        return _edit("master_data_stadtbezirk.html", await views.stadtbezirk_page(master_data, district_id))

    @post("/stadtbezirke/{district_id:uuid}")
    async def update_stadtbezirk(
        self, request: User, master_data: Service, district_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        template = "master_data_stadtbezirk.html"
        try:
            version = forms.integer(data, "version")
            await master_data.update_stadtbezirk(district_id, version, _input(schemas.StadtbezirkInput, data))
        except ValidationFailed as exc:
            page = await views.stadtbezirk_page(master_data, district_id)
            return _edit(template, page, forms.submitted(data), field_errors(exc))
        except StaleVersion:
            return _edit(template, await views.stadtbezirk_page(master_data, district_id), stale=True)
        flash(request, _("Änderungen am Stadtbezirk gespeichert."), category="success")
        return Redirect(path=f"{OVERVIEW}#stadtbezirk-{district_id}", status_code=303)

    @get("/quartiers/{quartier_id:uuid}", name="admin_quartier")
    async def quartier(self, master_data: Service, quartier_id: FromPath[UUID]) -> Template:
        return _edit("master_data_quartier.html", await views.quartier_page(master_data, quartier_id))

    @post("/quartiers/{quartier_id:uuid}")
    async def update_quartier(
        self, request: User, master_data: Service, quartier_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        template = "master_data_quartier.html"
        try:
            version = forms.integer(data, "version")
            await master_data.update_quartier(quartier_id, version, _input(schemas.QuartierInput, data))
        except ValidationFailed as exc:
            page = await views.quartier_page(master_data, quartier_id)
            return _edit(template, page, forms.submitted(data), field_errors(exc))
        except StaleVersion:
            return _edit(template, await views.quartier_page(master_data, quartier_id), stale=True)
        flash(request, _("Änderungen am Quartier gespeichert."), category="success")
        return Redirect(path=f"{OVERVIEW}#quartier-{quartier_id}", status_code=303)

    @get("/places/{place_id:uuid}", name="admin_place")
    async def place(self, master_data: Service, place_id: FromPath[UUID]) -> Template:
        return _edit("master_data_place.html", await views.place_page(master_data, place_id))

    @post("/places/{place_id:uuid}")
    async def update_place(
        self, request: User, master_data: Service, place_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        template = "master_data_place.html"
        try:
            version = forms.integer(data, "version")
            place = await master_data.update_place(place_id, version, _input(schemas.PlaceInput, data))
        except ValidationFailed as exc:
            page = await views.place_page(master_data, place_id)
            return _edit(template, page, forms.submitted(data), field_errors(exc))
        except StaleVersion:
            return _edit(template, await views.place_page(master_data, place_id), stale=True)
        flash(request, _("Änderungen am Ort gespeichert."), category="success")
        return Redirect(path=f"{OVERVIEW}#quartier-{place.quartier_id}", status_code=303)


PAGE_CONTROLLERS: list[type[Controller]] = [MasterDataPages, ImportPages]
