"""HTML pages of this area: record and follow up what a case asks of a city department."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.administration import schemas
from konfliktmanagement.domain.administration.deps import (
    AdministrationRequests,
    FoundRequest,
    RequestPages,
    administration_dependencies,
    request_record,
)
from konfliktmanagement.domain.administration.queries import AdministrationRequestPageQuery
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _


def _to_requests(row: m.AdministrationRequest) -> str:
    return f"/cases/{row.case_id}#anliegen"


class AdministrationRequestPageController(Controller):
    dependencies = administration_dependencies

    @get("/cases/{case_id:uuid}/administration-requests/new", dependencies=case_access("read"))
    async def new(self, access: Access) -> Template:
        return await _new(access).show()

    @post(
        "/cases/{case_id:uuid}/administration-requests/new",
        dependencies=case_access("create_administration_request", for_write=True),
    )
    async def create(
        self, request: SignedIn, administration_requests: AdministrationRequests, access: Access, data: Form
    ) -> Answer:
        form = _new(access)
        return await form.submit(
            request, data, lambda: administration_requests.record(access, parse(schemas.RequestCreate, data))
        )

    @get("/administration-requests/{request_id:uuid}")
    async def show(self, request: SignedIn, request_pages: RequestPages, request_id: FromPath[UUID]) -> Template:
        return await _edit(request_pages, request.user, request_id).show()

    @post(
        "/administration-requests/{request_id:uuid}",
        dependencies=request_record("update_administration_request", for_write=True),
    )
    async def update(
        self,
        request: SignedIn,
        administration_requests: AdministrationRequests,
        request_pages: RequestPages,
        found: FoundRequest,
        data: Form,
    ) -> Answer:
        form = _edit(request_pages, request.user, found.record.id)
        return await form.submit(
            request,
            data,
            lambda: administration_requests.revise(found, parse(schemas.RequestUpdate, data)),
        )


def _new(access: CaseAccess) -> PageForm[m.AdministrationRequest]:
    async def render(state: FormState) -> Template:
        stored = {"status": m.AdministrationRequestStatus.OFFEN.value}
        return state.template("administration/request_new.html", {"case": access.case}, stored)

    return PageForm(render, message=_("Anliegen an die Verwaltung gespeichert."), redirect=_to_requests)


def _edit(
    pages: AdministrationRequestPageQuery, user: Principal, request_id: UUID
) -> PageForm[m.AdministrationRequest]:
    async def render(state: FormState) -> Template:
        page = await pages.request(user, request_id)
        return state.template("administration/request.html", {"page": page, "case": page.case}, page.values)

    return PageForm(render, message=_("Anliegen an die Verwaltung gespeichert."), redirect=_to_requests)


PAGE_CONTROLLERS: list[type[Controller]] = [AdministrationRequestPageController]
