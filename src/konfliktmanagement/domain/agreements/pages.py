"""Agreement pages: a new agreement (with its first item), the agreement with its follow-up result
and item list, and the items themselves (who does what by when, and how far it got).

Access is the service's: anyone who may not read the case gets 404, round-table members and
admins included.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.agreements import schemas
from konfliktmanagement.domain.agreements.views import (
    AgreementPage,
    AgreementPages,
    ItemPage,
    NewAgreementPage,
    agreement_values,
    item_values,
    new_agreement_errors,
    parse_new_agreement,
)
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import Conflict, StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _


def _page(
    template: str,
    view: NewAgreementPage | AgreementPage | ItemPage,
    form: dict[str, Any],
    errors: dict[str, str],
    **extra: Any,
) -> Template:
    status_code = extra.pop("status_code", 200)
    context = {"view": view, "case": view.case, "form": form, "errors": errors, "stale": False, **extra}
    return Template(template_name=template, context=context, status_code=status_code)


def _done(request: Request[Any, Any, Any], message: str, case_id: UUID, form: dict[str, Any]) -> Redirect:
    flash(request, message, category="success")
    return Redirect(path=forms.safe_next(forms.text(form, "next"), f"/cases/{case_id}#vereinbarung"), status_code=303)


class AgreementPageController(Controller):
    dependencies = {"agreement_pages": Provide(create_service_provider(AgreementPages))}  # noqa: RUF012
    include_in_schema = False

    @get("/cases/{case_id:uuid}/agreements/new", name="agreement_new")
    async def new(
        self,
        request: Request[m.User, Any, Any],
        agreement_pages: NamedDependency[AgreementPages],
        case_id: FromPath[UUID],
    ) -> Template:
        view = await agreement_pages.new_form(request.user, case_id)
        return _page("agreements/new.html", view, view.defaults, {})

    @post("/cases/{case_id:uuid}/agreements/new")
    async def create(
        self,
        request: Request[m.User, Any, Any],
        agreement_pages: NamedDependency[AgreementPages],
        case_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            await agreement_pages.create(request.user, case_id, parse_new_agreement(data))
        except ValidationFailed as exc:
            view = await agreement_pages.new_form(request.user, case_id)
            return _page("agreements/new.html", view, data, new_agreement_errors(exc), status_code=422)
        return _done(request, _("Vereinbarung gespeichert."), case_id, data)

    @get("/agreements/{agreement_id:uuid}", name="agreement_edit")
    async def edit(
        self,
        request: Request[m.User, Any, Any],
        agreement_pages: NamedDependency[AgreementPages],
        agreement_id: FromPath[UUID],
    ) -> Template:
        view = await agreement_pages.agreement_page(request.user, agreement_id)
        return _page("agreements/edit.html", view, agreement_values(view.agreement), {})

    @post("/agreements/{agreement_id:uuid}")
    async def update(
        self,
        request: Request[m.User, Any, Any],
        agreement_pages: NamedDependency[AgreementPages],
        agreement_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            agreement = await agreement_pages.update(request.user, agreement_id, parse(schemas.AgreementUpdate, data))
        except ValidationFailed as exc:
            view = await agreement_pages.agreement_page(request.user, agreement_id)
            return _page("agreements/edit.html", view, data, field_errors(exc), status_code=422)
        except StaleVersion:
            # Show what is stored now instead of overwriting someone else's change.
            view = await agreement_pages.agreement_page(request.user, agreement_id)
            return _page(
                "agreements/edit.html", view, agreement_values(view.agreement), {}, stale=True, status_code=409
            )
        return _done(request, _("Vereinbarung gespeichert."), agreement.case_id, data)

    @get("/agreements/{agreement_id:uuid}/items/new", name="agreement_item_new")
    async def new_item(
        self,
        request: Request[m.User, Any, Any],
        agreement_pages: NamedDependency[AgreementPages],
        agreement_id: FromPath[UUID],
    ) -> Template:
        view = await agreement_pages.agreement_page(request.user, agreement_id)
        return _page("agreements/item_new.html", view, {}, {})

    @post("/agreements/{agreement_id:uuid}/items/new")
    async def create_item(
        self,
        request: Request[m.User, Any, Any],
        agreement_pages: NamedDependency[AgreementPages],
        agreement_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            await agreement_pages.add_item(request.user, agreement_id, parse(schemas.ItemCreate, data))
        except ValidationFailed as exc:
            view = await agreement_pages.agreement_page(request.user, agreement_id)
            return _page("agreements/item_new.html", view, data, field_errors(exc), status_code=422)
        case_id = await agreement_pages.case_id_of_agreement(agreement_id)
        return _done(request, _("Punkt der Vereinbarung gespeichert."), case_id, data)

    @get("/agreement-items/{item_id:uuid}", name="agreement_item_edit")
    async def edit_item(
        self,
        request: Request[m.User, Any, Any],
        agreement_pages: NamedDependency[AgreementPages],
        item_id: FromPath[UUID],
    ) -> Template:
        view = await agreement_pages.item_page(request.user, item_id)
        return _page("agreements/item_edit.html", view, item_values(view.item), {})

    @post("/agreement-items/{item_id:uuid}")
    async def update_item(
        self,
        request: Request[m.User, Any, Any],
        agreement_pages: NamedDependency[AgreementPages],
        item_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            item = await agreement_pages.update_item(request.user, item_id, parse(schemas.ItemUpdate, data))
        except ValidationFailed as exc:
            view = await agreement_pages.item_page(request.user, item_id)
            return _page("agreements/item_edit.html", view, data, field_errors(exc), status_code=422)
        except StaleVersion:
            view = await agreement_pages.item_page(request.user, item_id)
            return _page("agreements/item_edit.html", view, item_values(view.item), {}, stale=True, status_code=409)
        except Conflict as exc:
            # A status the item can no longer take (someone else closed it first).
            view = await agreement_pages.item_page(request.user, item_id)
            return _page("agreements/item_edit.html", view, data, {"status": exc.detail}, status_code=409)
        case_id = await agreement_pages.case_id_of_agreement(item.agreement_id)
        return _done(request, _("Punkt der Vereinbarung gespeichert."), case_id, data)


PAGE_CONTROLLERS: list[type[Controller]] = [AgreementPageController]
