"""Case pages: Meine Fälle, the case list, a new case.

Edit and mediator assignment are in `pages_edit.py`, status changes in `pages_transitions.py`; the
case page itself is composed above the areas, in `domain/case_page`.
List and create answer 403 to users without a case role (like the API); a single case answers 404
to anyone who may not read it (the services decide).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.datastructures import MultiDict
from litestar.di import Provide
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.cases import schemas
from konfliktmanagement.domain.cases.access import may_export_case_list
from konfliktmanagement.domain.cases.case_list import CaseFilters, CaseSort, Order
from konfliktmanagement.domain.cases.deps import CaseQueries, Cases, case_dependencies
from konfliktmanagement.domain.cases.form_options import escalation_choices
from konfliktmanagement.domain.cases.guards import requires_case_team
from konfliktmanagement.domain.cases.list_export import case_list_csv
from konfliktmanagement.domain.cases.pages_edit import CaseEditPageController
from konfliktmanagement.domain.cases.pages_transitions import CaseTransitionPageController
from konfliktmanagement.domain.cases.queries import CaseQuery
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import N_
from konfliktmanagement.lib.i18n import gettext as _

PAGE_SIZE = 25
DUE_CHOICES = ("wiedervorlage", "follow_up")


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def page_number(params: MultiDict[str]) -> int:
    """`?page=` of a paged list; nonsense means the first page."""
    try:
        return min(max(int(params.get("page") or 1), 1), 100000)
    except ValueError:
        return 1


def list_sort(params: MultiDict[str]) -> tuple[CaseSort | None, Order]:
    """`?sort=&order=` of a sortable list; unknown keys mean the list's own order."""
    known = {key.value for key in CaseSort}
    sort = params.get("sort")
    return (CaseSort(sort) if sort in known else None), ("desc" if params.get("order") == "desc" else "asc")


def list_filters(params: MultiDict[str]) -> CaseFilters:
    """The list's filters from the query string; values that make no sense are ignored, not fatal."""
    known = {s.value for s in m.CaseStatus}
    statuses = tuple(dict.fromkeys(m.CaseStatus(v) for v in params.getall("status", []) if v in known))
    due = params.get("due")
    page = page_number(params)
    sort, order = list_sort(params)
    return CaseFilters(
        statuses=statuses,
        quartier_id=_uuid(params.get("quartier_id")),
        place_id=_uuid(params.get("place_id")),
        mediator_id=_uuid(params.get("mediator_id")),
        conflict_type_id=_uuid(params.get("conflict_type_id")),
        due=due if due in DUE_CHOICES else None,
        reference=(params.get("reference") or "").strip()[:40] or None,
        q=(params.get("q") or "").strip()[:200] or None,
        sort=sort,
        order=order,
        page=page,
        page_size=PAGE_SIZE,
    )


def filter_query(filters: CaseFilters, page: int) -> str:
    """The query string of the same list on another page."""
    pairs: list[tuple[str, str]] = [("status", s.value) for s in filters.statuses]
    for key in ("quartier_id", "place_id", "mediator_id", "conflict_type_id", "due", "reference", "q"):
        if (value := getattr(filters, key)) is not None:
            pairs.append((key, str(value)))
    return urlencode([*pairs, *sort_pairs(filters.sort, filters.order), ("page", str(page))])


def sort_pairs(sort: CaseSort | None, order: Order) -> list[tuple[str, str]]:
    return [] if sort is None else [("sort", sort.value), ("order", order)]


# The sortable columns of the case lists, in their order, with their headers.
LIST_COLUMNS: dict[CaseSort, str] = {
    CaseSort.REFERENCE: N_("Aktenzeichen"),
    CaseSort.TITLE: N_("Titel"),
    CaseSort.STATUS: N_("Status"),
    CaseSort.QUARTIER: N_("Quartier"),
    CaseSort.PLACE: N_("Ort"),
    CaseSort.CONFLICT_TYPE: N_("Konfliktart"),
    CaseSort.MEDIATORS: N_("Mediator:innen"),
    CaseSort.DATES: N_("Termine"),
}
# Meine Fälle: no conflict type or mediators; its dates column is the next date (its default order).
MINE_COLUMNS: dict[CaseSort, str] = {
    **{key: LIST_COLUMNS[key] for key in LIST_COLUMNS if key not in {CaseSort.CONFLICT_TYPE, CaseSort.MEDIATORS}},
    CaseSort.DATES: N_("Nächster Termin"),
}


@dataclass(frozen=True, slots=True)
class SortLink:
    """A column header: its link sorts by the column (or turns its order round); `aria_sort` when sorted by it."""

    label: str
    href: str
    aria_sort: str | None


def sort_links(
    columns: dict[CaseSort, str], sort: CaseSort | None, order: Order, href: Callable[[CaseSort, Order], str]
) -> list[SortLink]:
    links = []
    for key, label in columns.items():
        current = key is sort
        aria = {"asc": "ascending", "desc": "descending"}[order] if current else None
        links.append(SortLink(_(label), href(key, "desc" if current and order == "asc" else "asc"), aria))
    return links


class CaseListPageController(Controller):
    path = "/cases"
    dependencies = {**case_dependencies, "case_queries": Provide(CaseQuery, sync_to_thread=False)}  # noqa: RUF012

    @get("/mine", name="cases_mine", guards=[requires_case_team])
    async def mine(self, request: SignedIn, case_queries: CaseQueries) -> Template:
        sort, order = list_sort(request.query_params)
        context = {
            "mine": await case_queries.my_open_cases(request.user, page_number(request.query_params), sort, order),
            "options": await case_queries.form_options(),
            "sorting": sort_links(
                MINE_COLUMNS, sort, order, lambda key, way: "/cases/mine?" + urlencode(sort_pairs(key, way))
            ),
            "sort_query": urlencode(sort_pairs(sort, order)),
        }
        return FormState().template("cases/mine.html", context)

    @get("/", name="cases_list", guards=[requires_case_team])
    async def index(self, request: SignedIn, cases: Cases, case_queries: CaseQueries) -> Template | Redirect:
        filters = list_filters(request.query_params)
        found = await cases.list_summaries(request.user, filters)
        if found.target is not None:  # an exact reference of a readable case: straight to it
            return Redirect(f"/cases/{found.target}", status_code=303)
        total, items = found.total, found.items
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        # Beyond the counting limit the last page is unknown: offer the next one while pages are full.
        more = filters.page < pages or (not found.exact and len(items) == PAGE_SIZE)
        filtered = filters != replace(
            CaseFilters(page=filters.page, page_size=PAGE_SIZE), sort=filters.sort, order=filters.order
        )
        return Template(
            template_name="cases/list.html",
            context={
                "items": items,
                "total": total,
                "total_exact": found.exact,
                "page": filters.page,
                "pages": pages if found.exact else None,
                # The filter form stands open only when filtering; closed, it is fetched when opened (`filters`).
                **(await _filter_form(case_queries, filters) if filtered else {"filters": filters}),
                "prev_query": filter_query(filters, filters.page - 1) if filters.page > 1 else None,
                "next_query": filter_query(filters, filters.page + 1) if more else None,
                "filtered": filtered,
                "sorting": sort_links(
                    LIST_COLUMNS,
                    filters.sort,
                    filters.order,
                    lambda key, way: "/cases?" + filter_query(replace(filters, sort=key, order=way), 1),
                ),
                "export_query": filter_query(filters, 1),
                "may_export": may_export_case_list(request.user),
            },
        )

    @get("/filters", name="cases_filters", guards=[requires_case_team])
    async def filters(self, request: SignedIn, case_queries: CaseQueries) -> Template:
        """The list's filter form alone, for htmx to put into the list's closed "Filter und Suche"; without
        JavaScript, a page of its own. The query string is the list's: the form keeps its sort."""
        in_place = request.headers.get("hx-request") == "true"
        context = await _filter_form(case_queries, list_filters(request.query_params))
        return Template(template_name="cases/_filters.html" if in_place else "cases/filters.html", context=context)

    @get("/export.csv", name="cases_export", guards=[requires_case_team])
    async def export(self, request: SignedIn, cases: Cases) -> Response[str]:
        """The list as shown (filters, search, sort; every page) as CSV, for the coordination only."""
        found = await cases.export(request.user, list_filters(request.query_params))
        disposition = {"Content-Disposition": 'attachment; filename="faelle.csv"'}
        return Response("\ufeff" + case_list_csv(found), media_type="text/csv", headers=disposition)

    @get("/new", name="case_new", guards=[requires_case_team])
    async def new(self, case_queries: CaseQueries) -> Template:
        return await _new_case(case_queries).show()

    @post("/new", guards=[requires_case_team])
    async def create(self, request: SignedIn, cases: Cases, case_queries: CaseQueries, data: Form) -> Answer:
        form = _new_case(case_queries)
        return await form.submit(request, data, lambda: cases.record(request.user, parse(schemas.CaseCreate, data)))


async def _filter_form(case_queries: CaseQuery, filters: CaseFilters) -> dict[str, Any]:
    """What the list's filter form (cases/_filters.html) shows: the filters and every choice."""
    return {
        "filters": filters,
        "selected_statuses": [s.value for s in filters.statuses],
        "options": await case_queries.form_options(),
        "mediators": await case_queries.mediator_choices(),
    }


def _new_case(case_queries: CaseQuery) -> PageForm[m.Case]:
    async def render(state: FormState) -> Template:
        context = {"options": await case_queries.form_options(), "escalation": escalation_choices()}
        return state.template("cases/new.html", context)

    return PageForm(
        render,
        message=lambda case: _("Fall %(reference)s angelegt.") % {"reference": case.reference},
        redirect=lambda case: f"/cases/{case.id}",
    )


PAGE_CONTROLLERS: list[type[Controller]] = [
    CaseListPageController,
    CaseEditPageController,
    CaseTransitionPageController,
]
