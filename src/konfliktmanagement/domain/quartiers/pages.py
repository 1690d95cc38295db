"""Admin pages for the master data: Stadtbezirke, quartiers and places (DESIGN.md §2), and the CSV import.

The overview carries the three "add" forms; their fields have a prefix (`district_`, `quartier_`,
`place_`) so ids stay unique on one page. Rules — uniqueness, the coordinate pair, a place with
cases staying in its quartier — live in `MasterDataService`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.guards import requires_admin
from konfliktmanagement.domain.quartiers import schemas
from konfliktmanagement.domain.quartiers.deps import master_data_dependencies
from konfliktmanagement.domain.quartiers.import_pages import ImportPageController
from konfliktmanagement.domain.quartiers.master_data import MasterDataService
from konfliktmanagement.domain.quartiers.queries import EditPage, MasterDataQuery
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import FormState, submit
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

User = Request[m.User, Any, Any]
Form = URLEncodedBody[dict[str, Any]]
MasterData = NamedDependency[MasterDataService]
Pages = NamedDependency[MasterDataQuery]
OVERVIEW = "/admin/master-data"
S = TypeVar("S", bound=msgspec.Struct)
Record = TypeVar("Record", m.Stadtbezirk, m.Quartier, m.Place)


def _input(schema: type[S], data: dict[str, Any], prefix: str = "") -> S:
    """The service's input from the form fields with this prefix; coordinates may use a decimal comma."""
    fields = {key.removeprefix(prefix): value for key, value in data.items() if key.startswith(prefix)}
    for key in ("latitude", "longitude"):
        if key in fields:
            fields[key] = forms.text(fields, key).replace(",", ".")
    return parse(schema, fields)


def _to_overview(record: m.Stadtbezirk | m.Quartier | m.Place) -> str:
    """Back to the overview, scrolled to the record (a place is listed under its quartier)."""
    if isinstance(record, m.Place):
        return f"{OVERVIEW}#quartier-{record.quartier_id}"
    kind = "stadtbezirk" if isinstance(record, m.Stadtbezirk) else "quartier"
    return f"{OVERVIEW}#{kind}-{record.id}"


async def _create(
    request: User,
    data: Form,
    pages: MasterDataQuery,
    prefix: str,
    schema: type[S],
    save: Callable[[S], Awaitable[Record]],
    created: Callable[[Record], str],
) -> Template | Redirect:
    """One of the overview's "add" forms: its errors are shown under the form's prefixed field names."""

    async def render(state: FormState) -> Template:
        errors = {f"{prefix}{name}": message for name, message in state.errors.items()}
        return state.template("admin/master_data.html", {"page": await pages.overview(), "errors": errors})

    return await submit(
        request, data, lambda: save(_input(schema, data, prefix)), render=render, message=created, redirect=_to_overview
    )


async def _update(
    request: User,
    data: Form,
    template: str,
    page: Callable[[], Awaitable[EditPage]],
    schema: type[S],
    save: Callable[[int, S], Awaitable[Record]],
    message: str,
) -> Template | Redirect:
    """An edit form: the version the person saw travels with the input, so a concurrent change is a 409."""

    async def render(state: FormState) -> Template:
        return _edit(template, await page(), state)

    return await submit(
        request,
        data,
        lambda: save(forms.integer(data, "version"), _input(schema, data)),
        render=render,
        message=message,
        redirect=_to_overview,
    )


def _edit(template: str, page: EditPage, state: FormState) -> Template:
    return state.template(f"admin/{template}", {"page": page, "record": page.record}, page.values)


class MasterDataPageController(Controller):
    path = "/admin"
    guards = [requires_admin]  # noqa: RUF012
    dependencies = master_data_dependencies
    include_in_schema = False

    @get("/master-data", name="admin_master_data")
    async def index(self, master_data_pages: Pages) -> Template:
        return FormState().template("admin/master_data.html", {"page": await master_data_pages.overview()})

    # -- create (forms on the overview) ---------------------------------------------------------

    @post("/stadtbezirke")
    async def create_stadtbezirk(
        self, request: User, master_data: MasterData, master_data_pages: Pages, data: Form
    ) -> Template | Redirect:
        return await _create(
            request,
            data,
            master_data_pages,
            "district_",
            schemas.StadtbezirkInput,
            master_data.create_stadtbezirk,
            lambda district: _("Stadtbezirk „%(name)s“ angelegt.") % {"name": district.name},
        )

    @post("/quartiers")
    async def create_quartier(
        self, request: User, master_data: MasterData, master_data_pages: Pages, data: Form
    ) -> Template | Redirect:
        return await _create(
            request,
            data,
            master_data_pages,
            "quartier_",
            schemas.QuartierInput,
            master_data.create_quartier,
            lambda quartier: _("Quartier „%(name)s“ angelegt.") % {"name": quartier.name},
        )

    @post("/places")
    async def create_place(
        self, request: User, master_data: MasterData, master_data_pages: Pages, data: Form
    ) -> Template | Redirect:
        return await _create(
            request,
            data,
            master_data_pages,
            "place_",
            schemas.PlaceInput,
            master_data.create_place,
            lambda place: _("Ort „%(name)s“ angelegt.") % {"name": place.name},
        )

    # -- edit ---------------------------------------------------------------------------------

    @get("/stadtbezirke/{district_id:uuid}", name="admin_stadtbezirk")
    async def stadtbezirk(self, master_data_pages: Pages, district_id: FromPath[UUID]) -> Template:
        return _edit("master_data_stadtbezirk.html", await master_data_pages.stadtbezirk(district_id), FormState())

    @post("/stadtbezirke/{district_id:uuid}")
    async def update_stadtbezirk(
        self, request: User, master_data: MasterData, master_data_pages: Pages, district_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        return await _update(
            request,
            data,
            "master_data_stadtbezirk.html",
            lambda: master_data_pages.stadtbezirk(district_id),
            schemas.StadtbezirkInput,
            lambda version, values: master_data.update_stadtbezirk(district_id, version, values),
            _("Änderungen am Stadtbezirk gespeichert."),
        )

    @get("/quartiers/{quartier_id:uuid}", name="admin_quartier")
    async def quartier(self, master_data_pages: Pages, quartier_id: FromPath[UUID]) -> Template:
        return _edit("master_data_quartier.html", await master_data_pages.quartier(quartier_id), FormState())

    @post("/quartiers/{quartier_id:uuid}")
    async def update_quartier(
        self, request: User, master_data: MasterData, master_data_pages: Pages, quartier_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        return await _update(
            request,
            data,
            "master_data_quartier.html",
            lambda: master_data_pages.quartier(quartier_id),
            schemas.QuartierInput,
            lambda version, values: master_data.update_quartier(quartier_id, version, values),
            _("Änderungen am Quartier gespeichert."),
        )

    @get("/places/{place_id:uuid}", name="admin_place")
    async def place(self, master_data_pages: Pages, place_id: FromPath[UUID]) -> Template:
        return _edit("master_data_place.html", await master_data_pages.place(place_id), FormState())

    @post("/places/{place_id:uuid}")
    async def update_place(
        self, request: User, master_data: MasterData, master_data_pages: Pages, place_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        return await _update(
            request,
            data,
            "master_data_place.html",
            lambda: master_data_pages.place(place_id),
            schemas.PlaceInput,
            lambda version, values: master_data.update_place(place_id, version, values),
            _("Änderungen am Ort gespeichert."),
        )


PAGE_CONTROLLERS: list[type[Controller]] = [MasterDataPageController, ImportPageController]
