"""HTML pages of this area: record and follow up what a case asks of a city department."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.administration import schemas, views
from konfliktmanagement.domain.administration.deps import administration_dependencies
from konfliktmanagement.domain.administration.services import AdministrationRequestService
from konfliktmanagement.domain.cases.deps import case_dependencies
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _

User = Request[m.User, Any, Any]
Form = URLEncodedBody[dict[str, Any]]
Requests = NamedDependency[AdministrationRequestService]


def _new(case: m.Case, form: dict[str, str], errors: dict[str, str], status: int = 200) -> Template:
    return Template(
        template_name="administration/request_new.html",
        context={"case": case, "form": form, "errors": errors},
        status_code=status,
    )


def _edit(
    page: views.RequestPage,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    stale: bool = False,
    status: int = 200,
) -> Template:
    return Template(
        template_name="administration/request.html",
        context={
            "page": page,
            "case": page.case,
            "form": page.values | (form or {}),
            "errors": errors or {},
            "stale": stale,
        },
        status_code=status,
    )


class AdministrationRequestPages(Controller):
    include_in_schema = False
    dependencies = {**administration_dependencies, **case_dependencies}  # noqa: RUF012

    @get("/cases/{case_id:uuid}/administration-requests/new")
    async def new(self, request: User, cases: NamedDependency[CaseService], case_id: FromPath[UUID]) -> Template:
        case = (await cases.access(request.user, case_id)).case
        return _new(case, {"status": m.AdministrationRequestStatus.OFFEN.value}, {})

    @post("/cases/{case_id:uuid}/administration-requests/new")
    async def create(
        self,
        request: User,
        administration_requests: Requests,
        cases: NamedDependency[CaseService],
        case_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        try:
            await administration_requests.create(request.user, case_id, parse(schemas.RequestCreate, data))
        except ValidationFailed as exc:
            case = (await cases.access(request.user, case_id)).case
            return _new(case, forms.submitted(data), field_errors(exc), status=422)
        flash(request, _("Anliegen an die Verwaltung gespeichert."), category="success")
        return Redirect(path=f"/cases/{case_id}#anliegen", status_code=303)

    @get("/administration-requests/{request_id:uuid}")
    async def show(
        self,
        request: User,
        administration_requests: Requests,
        cases: NamedDependency[CaseService],
        request_id: FromPath[UUID],
    ) -> Template:
        return _edit(await views.request_page(administration_requests, cases, request.user, request_id))

    @post("/administration-requests/{request_id:uuid}")
    async def update(
        self,
        request: User,
        administration_requests: Requests,
        cases: NamedDependency[CaseService],
        request_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        try:
            row = await administration_requests.update(request.user, request_id, parse(schemas.RequestUpdate, data))
        except ValidationFailed as exc:
            page = await views.request_page(administration_requests, cases, request.user, request_id)
            return _edit(page, forms.submitted(data), field_errors(exc), status=422)
        except StaleVersion:
            # Show what is stored now instead of overwriting someone else's change.
            page = await views.request_page(administration_requests, cases, request.user, request_id)
            return _edit(page, stale=True, status=409)
        flash(request, _("Anliegen an die Verwaltung gespeichert."), category="success")
        return Redirect(path=f"/cases/{row.case_id}#anliegen", status_code=303)


PAGE_CONTROLLERS: list[type[Controller]] = [AdministrationRequestPages]
