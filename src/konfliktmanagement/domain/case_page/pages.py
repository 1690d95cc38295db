"""The case page `/cases/{case_id}`: everything about one case that this user may see; the same as a
case file to print (`/cases/{case_id}/print`); and one of its quick actions' forms, fetched when the
person opens it (`/cases/{case_id}/quick/{key}`, domain/case_page/quick.py)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.domain.case_page.queries import CasePageQuery
from konfliktmanagement.domain.case_page.quick import quick_form_of
from konfliktmanagement.domain.cases.deps import Access, case_access


class CasePageController(Controller):
    dependencies = {"case_pages": Provide(CasePageQuery, sync_to_thread=False)}  # noqa: RUF012

    @get("/cases/{case_id:uuid}", name="case_page", dependencies=case_access("read"))
    async def show(self, case_pages: NamedDependency[CasePageQuery], access: Access) -> Template:
        page = await case_pages.page(access)
        return Template(template_name="cases/detail.html", context={"page": page, "case": page.case})

    @get("/cases/{case_id:uuid}/print", name="case_print", dependencies=case_access("read"))
    async def print_view(self, case_pages: NamedDependency[CasePageQuery], access: Access) -> Template:
        """The case file to print ("Fallakte drucken"): the case page's read, without write actions."""
        page = await case_pages.page(access)
        return Template(template_name="cases/print.html", context={"page": page, "case": page.case})

    @get("/cases/{case_id:uuid}/quick/{key:str}", name="case_quick_form", dependencies=case_access("read"))
    async def quick_form(
        self, case_pages: NamedDependency[CasePageQuery], access: Access, key: FromPath[str]
    ) -> Template:
        """A quick action's form alone, for htmx to put into its disclosure on the case page: read like
        the page (the same access, the same read), so the form offers what the page would."""
        page = await case_pages.page(access)
        chosen = quick_form_of(page, key)
        context = {"page": page, "case": page.case, "chosen": chosen, "quick_only": True}
        return Template(template_name="cases/quick.html", context=context)


PAGE_CONTROLLERS: list[type[Controller]] = [CasePageController]
