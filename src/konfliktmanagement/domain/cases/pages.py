"""Case pages: Meine Fälle, the case list, a new case, the case page.

Edit and mediator assignment are in `pages_edit.py`, status changes in `pages_transitions.py`.
List and create answer 403 to users without a case role (like the API); a single case answers 404
to anyone who may not read it (the services decide).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.datastructures import MultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import schemas, views
from konfliktmanagement.domain.cases.deps import case_dependencies
from konfliktmanagement.domain.cases.guards import requires_case_team
from konfliktmanagement.domain.cases.pages_edit import CaseEditPagesController
from konfliktmanagement.domain.cases.pages_transitions import CaseTransitionPagesController
from konfliktmanagement.domain.cases.services import CaseFilters, CaseService
from konfliktmanagement.domain.cases.views_mine import my_open_cases
from konfliktmanagement.domain.cases.views_options import case_form_options, escalation_choices, mediator_choices
from konfliktmanagement.lib.exceptions import ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _

PAGE_SIZE = 25
DUE_CHOICES = ("wiedervorlage", "follow_up")


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def list_filters(params: MultiDict[str]) -> CaseFilters:
    """The list's filters from the query string; values that make no sense are ignored, not fatal."""
    known = {s.value for s in m.CaseStatus}
    statuses = tuple(dict.fromkeys(m.CaseStatus(v) for v in params.getall("status", []) if v in known))
    due = params.get("due")
    try:
        page = min(max(int(params.get("page") or 1), 1), 100000)
    except ValueError:
        page = 1
    return CaseFilters(
        statuses=statuses,
        quartier_id=_uuid(params.get("quartier_id")),
        place_id=_uuid(params.get("place_id")),
        mediator_id=_uuid(params.get("mediator_id")),
        conflict_type_id=_uuid(params.get("conflict_type_id")),
        due=due if due in DUE_CHOICES else None,
        reference=(params.get("reference") or "").strip()[:40] or None,
        page=page,
        page_size=PAGE_SIZE,
    )


def filter_query(filters: CaseFilters, page: int) -> str:
    """The query string of the same list on another page."""
    pairs: list[tuple[str, str]] = [("status", s.value) for s in filters.statuses]
    for key in ("quartier_id", "place_id", "mediator_id", "conflict_type_id", "due", "reference"):
        if (value := getattr(filters, key)) is not None:
            pairs.append((key, str(value)))
    pairs.append(("page", str(page)))
    return urlencode(pairs)


async def new_case_context(cases: CaseService, form: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "form": form,
        "errors": errors,
        "options": await case_form_options(cases.repository.session),
        "escalation": escalation_choices(),
    }


class CasePagesController(Controller):
    path = "/cases"
    dependencies = case_dependencies
    include_in_schema = False

    @get("/mine", name="cases_mine", guards=[requires_case_team])
    async def mine(self, request: Request[m.User, Any, Any], cases: NamedDependency[CaseService]) -> Template:
        session = cases.repository.session
        return Template(
            template_name="cases/mine.html",
            context={
                "rows": await my_open_cases(session, request.user),
                "options": await case_form_options(session),
                "form": {},
                "errors": {},
            },
        )

    @get("/", name="cases_list", guards=[requires_case_team])
    async def index(self, request: Request[m.User, Any, Any], cases: NamedDependency[CaseService]) -> Template:
        filters = list_filters(request.query_params)
        items, total = await cases.list_cases(request.user, filters)
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        session = cases.repository.session
        return Template(
            template_name="cases/list.html",
            context={
                "items": items,
                "total": total,
                "page": filters.page,
                "pages": pages,
                "filters": filters,
                "selected_statuses": [s.value for s in filters.statuses],
                "prev_query": filter_query(filters, filters.page - 1) if filters.page > 1 else None,
                "next_query": filter_query(filters, filters.page + 1) if filters.page < pages else None,
                "options": await case_form_options(session),
                "mediators": await mediator_choices(session),
                "filtered": filters != CaseFilters(page=filters.page, page_size=PAGE_SIZE),
            },
        )

    @get("/new", name="case_new", guards=[requires_case_team])
    async def new(self, cases: NamedDependency[CaseService]) -> Template:
        return Template(template_name="cases/new.html", context=await new_case_context(cases, {}, {}))

    @post("/new", guards=[requires_case_team])
    async def create(
        self,
        request: Request[m.User, Any, Any],
        cases: NamedDependency[CaseService],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            case = await cases.create(request.user, parse(schemas.CaseCreate, data))
        except ValidationFailed as exc:
            context = await new_case_context(cases, data, field_errors(exc))
            return Template(template_name="cases/new.html", context=context, status_code=422)
        flash(request, _("Fall %(reference)s angelegt.") % {"reference": case.reference}, category="success")
        return Redirect(path=f"/cases/{case.id}", status_code=303)

    @get("/{case_id:uuid}", name="case_page")
    async def detail(
        self, request: Request[m.User, Any, Any], cases: NamedDependency[CaseService], case_id: FromPath[UUID]
    ) -> Template:
        page = await views.case_page(cases.repository.session, request.user, case_id)
        return Template(template_name="cases/detail.html", context={"page": page, "case": page.case})


PAGE_CONTROLLERS: list[type[Controller]] = [
    CasePagesController,
    CaseEditPagesController,
    CaseTransitionPagesController,
]
