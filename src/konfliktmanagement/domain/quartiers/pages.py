"""Admin pages for the master data: Stadtbezirke, quartiers and places (DESIGN.md §2), and the CSV import.

The overview carries the three "add" forms; their fields have a prefix (`district_`, `quartier_`,
`place_`) so ids stay unique on one page. Rules — uniqueness, the coordinate pair, a place with
cases staying in its quartier — live in `MasterDataService`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.guards import requires_admin
from konfliktmanagement.domain.quartiers import schemas
from konfliktmanagement.domain.quartiers.deps import master_data_dependencies
from konfliktmanagement.domain.quartiers.import_pages import ImportPageController
from konfliktmanagement.domain.quartiers.master_data import MasterDataService
from konfliktmanagement.domain.quartiers.queries import EditPage, MasterDataQuery
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import N_
from konfliktmanagement.lib.i18n import gettext as _

MasterData = NamedDependency[MasterDataService]
Pages = NamedDependency[MasterDataQuery]
OVERVIEW = "/admin/master-data"
S = TypeVar("S", bound=msgspec.Struct)
Record = TypeVar("Record", m.Stadtbezirk, m.Quartier, m.Place)
AnyRecord = m.Stadtbezirk | m.Quartier | m.Place


def _input(schema: type[S], data: dict[str, Any], prefix: str = "") -> S:
    """The service's input from the form fields with this prefix; coordinates may use a decimal comma."""
    fields = {key.removeprefix(prefix): value for key, value in data.items() if key.startswith(prefix)}
    for key in ("latitude", "longitude"):
        if key in fields:
            fields[key] = forms.text(fields, key).replace(",", ".")
    return parse(schema, fields)


def _to_overview(record: AnyRecord) -> str:
    """Back to the overview, scrolled to the record (a place is listed under its quartier)."""
    if isinstance(record, m.Place):
        return f"{OVERVIEW}#quartier-{record.quartier_id}"
    kind = "stadtbezirk" if isinstance(record, m.Stadtbezirk) else "quartier"
    return f"{OVERVIEW}#{kind}-{record.id}"


@dataclass(frozen=True, slots=True)
class _Kind(Generic[S]):
    """One kind of master data as its forms know it."""

    schema: type[S]
    prefix: str  # of the fields of its "add" form on the overview
    template: str  # its edit page
    created: str  # the messages, translated when shown
    saved: str


DISTRICT = _Kind(
    schemas.StadtbezirkInput,
    "district_",
    "master_data_stadtbezirk.html",
    N_("Stadtbezirk „%(name)s“ angelegt."),
    N_("Änderungen am Stadtbezirk gespeichert."),
)
QUARTIER = _Kind(
    schemas.QuartierInput,
    "quartier_",
    "master_data_quartier.html",
    N_("Quartier „%(name)s“ angelegt."),
    N_("Änderungen am Quartier gespeichert."),
)
PLACE = _Kind(
    schemas.PlaceInput,
    "place_",
    "master_data_place.html",
    N_("Ort „%(name)s“ angelegt."),
    N_("Änderungen am Ort gespeichert."),
)


def _overview(pages: MasterDataQuery, kind: _Kind[S]) -> PageForm[AnyRecord]:
    """The overview with one of its "add" forms: errors are shown under the form's prefixed field names."""

    async def render(state: FormState) -> Template:
        errors = {f"{kind.prefix}{name}": message for name, message in state.errors.items()}
        return state.template("admin/master_data.html", {"page": await pages.overview(), "errors": errors})

    return PageForm(render, message=lambda record: _(kind.created) % {"name": record.name}, redirect=_to_overview)


def _edit(kind: _Kind[S], page: Callable[[], Awaitable[EditPage]]) -> PageForm[AnyRecord]:
    """A record's edit page; the version the person saw travels with the input, so a concurrent change is a 409."""

    async def render(state: FormState) -> Template:
        shown = await page()
        return state.template(f"admin/{kind.template}", {"page": shown, "record": shown.record}, shown.values)

    return PageForm(render, message=_(kind.saved), redirect=_to_overview)


async def _create(
    request: SignedIn, data: Form, pages: MasterDataQuery, kind: _Kind[S], save: Callable[[S], Awaitable[Record]]
) -> Answer:
    form = _overview(pages, kind)
    return await form.submit(request, data, lambda: save(_input(kind.schema, data, kind.prefix)))


async def _update(
    request: SignedIn,
    data: Form,
    kind: _Kind[S],
    page: Callable[[UUID], Awaitable[EditPage]],
    save: Callable[[UUID, int, S], Awaitable[Record]],
    record_id: UUID,
) -> Answer:
    form = _edit(kind, lambda: page(record_id))
    return await form.submit(
        request, data, lambda: save(record_id, forms.integer(data, "version"), _input(kind.schema, data))
    )


class MasterDataPageController(Controller):
    path = "/admin"
    guards = [requires_admin]  # noqa: RUF012
    dependencies = master_data_dependencies

    @get("/master-data", name="admin_master_data")
    async def index(self, pages: Pages) -> Template:
        return FormState().template("admin/master_data.html", {"page": await pages.overview()})

    # -- create (forms on the overview) ---------------------------------------------------------

    @post("/stadtbezirke")
    async def create_stadtbezirk(self, request: SignedIn, master_data: MasterData, pages: Pages, data: Form) -> Answer:
        return await _create(request, data, pages, DISTRICT, master_data.create_stadtbezirk)

    @post("/quartiers")
    async def create_quartier(self, request: SignedIn, master_data: MasterData, pages: Pages, data: Form) -> Answer:
        return await _create(request, data, pages, QUARTIER, master_data.create_quartier)

    @post("/places")
    async def create_place(self, request: SignedIn, master_data: MasterData, pages: Pages, data: Form) -> Answer:
        return await _create(request, data, pages, PLACE, master_data.create_place)

    # -- edit ---------------------------------------------------------------------------------

    @get("/stadtbezirke/{district_id:uuid}", name="admin_stadtbezirk")
    async def stadtbezirk(self, pages: Pages, district_id: FromPath[UUID]) -> Template:
        return await _edit(DISTRICT, lambda: pages.stadtbezirk(district_id)).show()

    @post("/stadtbezirke/{district_id:uuid}")
    async def update_stadtbezirk(
        self, request: SignedIn, master_data: MasterData, pages: Pages, district_id: FromPath[UUID], data: Form
    ) -> Answer:
        return await _update(request, data, DISTRICT, pages.stadtbezirk, master_data.update_stadtbezirk, district_id)

    @get("/quartiers/{quartier_id:uuid}", name="admin_quartier")
    async def quartier(self, pages: Pages, quartier_id: FromPath[UUID]) -> Template:
        return await _edit(QUARTIER, lambda: pages.quartier(quartier_id)).show()

    @post("/quartiers/{quartier_id:uuid}")
    async def update_quartier(
        self, request: SignedIn, master_data: MasterData, pages: Pages, quartier_id: FromPath[UUID], data: Form
    ) -> Answer:
        return await _update(request, data, QUARTIER, pages.quartier, master_data.update_quartier, quartier_id)

    @get("/places/{place_id:uuid}", name="admin_place")
    async def place(self, pages: Pages, place_id: FromPath[UUID]) -> Template:
        return await _edit(PLACE, lambda: pages.place(place_id)).show()

    @post("/places/{place_id:uuid}")
    async def update_place(
        self, request: SignedIn, master_data: MasterData, pages: Pages, place_id: FromPath[UUID], data: Form
    ) -> Answer:
        return await _update(request, data, PLACE, pages.place, master_data.update_place, place_id)


PAGE_CONTROLLERS: list[type[Controller]] = [MasterDataPageController, ImportPageController]
