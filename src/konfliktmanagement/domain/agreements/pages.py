"""Agreement pages: a new agreement (with its first item), the agreement with its follow-up result
and item list, and the items themselves (who does what by when, and how far it got).

Access is decided once per request: by the `access` dependency for the case's routes, by the
service's `find` for an agreement's or item's routes. Anyone who may not read the case gets 404,
round-table members and admins included.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.agreements import schemas
from konfliktmanagement.domain.agreements.deps import (
    AgreementPages,
    Agreements,
    FoundAgreement,
    FoundAgreementItem,
    agreement_dependencies,
    agreement_record,
    item_record,
)
from konfliktmanagement.domain.agreements.queries import AgreementPageQuery
from konfliktmanagement.domain.agreements.services import SavedItem
from konfliktmanagement.domain.case_page.sections import CaseSectionsDep
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm, Render
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

# The new-agreement form carries one optional first item under these names.
FIRST_ITEM_PREFIX = "item."
_ITEM_FIELDS = ("responsible", "action", "due_on")


def _to_case(case_id: UUID) -> str:
    return f"/cases/{case_id}#vereinbarung"


class AgreementPageController(Controller):
    dependencies = agreement_dependencies

    @get("/cases/{case_id:uuid}/agreements/new", name="agreement_new", dependencies=case_access("agreement:form"))
    async def new(self, agreement_pages: AgreementPages, access: Access) -> Template:
        return await _new_agreement(agreement_pages, access).show()

    @post("/cases/{case_id:uuid}/agreements/new", dependencies=case_access("create_agreement", for_write=True))
    async def create(
        self,
        request: SignedIn,
        agreements: Agreements,
        agreement_pages: AgreementPages,
        case_sections: CaseSectionsDep,
        access: Access,
        data: Form,
    ) -> Answer:
        # Also the quick form of the case page's agreements section: an htmx request gets that section back.
        section = _first_item_named(case_sections.section(access, "agreements"))
        form = replace(_new_agreement(agreement_pages, access), section=section)
        return await form.submit(request, data, lambda: agreements.conclude(access, parse_new_agreement(data)))

    @get("/agreements/{agreement_id:uuid}", name="agreement_edit")
    async def edit(self, request: SignedIn, agreement_pages: AgreementPages, agreement_id: FromPath[UUID]) -> Template:
        return await _agreement(agreement_pages, request.user, agreement_id).show()

    @post("/agreements/{agreement_id:uuid}", dependencies=agreement_record("update_agreement", for_write=True))
    async def update(
        self,
        request: SignedIn,
        agreements: Agreements,
        agreement_pages: AgreementPages,
        found: FoundAgreement,
        data: Form,
    ) -> Answer:
        form = _agreement(agreement_pages, request.user, found.record.id)
        return await form.submit(request, data, lambda: agreements.revise(found, parse(schemas.AgreementUpdate, data)))

    @get("/agreements/{agreement_id:uuid}/items/new", name="agreement_item_new")
    async def new_item(
        self, request: SignedIn, agreement_pages: AgreementPages, agreement_id: FromPath[UUID]
    ) -> Template:
        return await _new_item(agreement_pages, request.user, agreement_id).show()

    @post(
        "/agreements/{agreement_id:uuid}/items/new", dependencies=agreement_record("add_agreement_item", for_write=True)
    )
    async def create_item(
        self,
        request: SignedIn,
        agreements: Agreements,
        agreement_pages: AgreementPages,
        case_sections: CaseSectionsDep,
        found: FoundAgreement,
        data: Form,
    ) -> Answer:
        form = replace(
            _new_item(agreement_pages, request.user, found.record.id),
            section=case_sections.section(found.access, "agreements"),
        )
        return await form.submit(request, data, lambda: agreements.add_item(found, parse(schemas.ItemCreate, data)))

    @get("/agreement-items/{item_id:uuid}", name="agreement_item_edit")
    async def edit_item(self, request: SignedIn, agreement_pages: AgreementPages, item_id: FromPath[UUID]) -> Template:
        return await _item(agreement_pages, request.user, item_id).show()

    @post("/agreement-items/{item_id:uuid}", dependencies=item_record("update_agreement_item", for_write=True))
    async def update_item(
        self,
        request: SignedIn,
        agreements: Agreements,
        agreement_pages: AgreementPages,
        case_sections: CaseSectionsDep,
        found: FoundAgreementItem,
        data: Form,
    ) -> Answer:
        # Also the quick status form of each item on the case page.
        form = replace(
            _item(agreement_pages, request.user, found.item.id),
            section=case_sections.section(found.access, "agreements"),
        )
        return await form.submit(request, data, lambda: agreements.revise_item(found, parse(schemas.ItemUpdate, data)))


def _first_item_named(render: Render) -> Render:
    """`render`, with the service's `items[0].…` named as the new-agreement forms name the first item."""

    async def named(state: FormState) -> Template:
        if isinstance(state.error, ValidationFailed):
            state = replace(state, errors=new_agreement_errors(state.error))
        return await render(state)

    return named


def _new_agreement(agreement_pages: AgreementPageQuery, access: CaseAccess) -> PageForm[m.Agreement]:
    async def render(state: FormState) -> Template:
        page = await agreement_pages.new_agreement(access)
        return state.template("agreements/new.html", {"view": page, "case": page.case}, page.defaults)

    return PageForm(
        _first_item_named(render), message=_("Vereinbarung gespeichert."), redirect=_to_case(access.case_id)
    )


def _agreement(agreement_pages: AgreementPageQuery, user: Principal, agreement_id: UUID) -> PageForm[m.Agreement]:
    async def render(state: FormState) -> Template:
        page = await agreement_pages.agreement(user, agreement_id)
        return state.template("agreements/edit.html", {"view": page, "case": page.case}, page.values)

    return PageForm(render, message=_("Vereinbarung gespeichert."), redirect=lambda row: _to_case(row.case_id))


def _new_item(agreement_pages: AgreementPageQuery, user: Principal, agreement_id: UUID) -> PageForm[SavedItem]:
    async def render(state: FormState) -> Template:
        # The agreement's page with an empty item form, not with the agreement's values.
        page = await agreement_pages.agreement(user, agreement_id)
        return state.template("agreements/item_new.html", {"view": page, "case": page.case})

    return PageForm(
        render,
        message=_("Punkt der Vereinbarung gespeichert."),
        redirect=lambda saved: _to_case(saved.case_id),
    )


def _item(agreement_pages: AgreementPageQuery, user: Principal, item_id: UUID) -> PageForm[SavedItem]:
    async def render(state: FormState) -> Template:
        page = await agreement_pages.item(user, item_id)
        return state.template("agreements/item_edit.html", {"view": page, "case": page.case}, page.values)

    return PageForm(
        render,
        message=_("Punkt der Vereinbarung gespeichert."),
        redirect=lambda saved: _to_case(saved.case_id),
    )


def parse_new_agreement(form: dict[str, Any]) -> schemas.AgreementCreate:
    """The agreement, plus its first item when any of the item's fields is filled in."""
    errors: list[FieldError] = []
    agreement = item = None
    try:
        agreement = parse(schemas.AgreementCreate, form)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if any(forms.text(form, FIRST_ITEM_PREFIX + name).strip() for name in _ITEM_FIELDS):
        try:
            item = parse(schemas.ItemCreate, form, prefix=FIRST_ITEM_PREFIX)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors or agreement is None:
        raise ValidationFailed(errors)
    return msgspec.structs.replace(agreement, items=[item] if item else [])


def new_agreement_errors(exc: ValidationFailed) -> dict[str, str]:
    """Errors by form field: the service names the first item `items[0].…`, the form `item.…`."""
    return {error.field.replace("items[0].", FIRST_ITEM_PREFIX): error.message for error in exc.errors}


PAGE_CONTROLLERS: list[type[Controller]] = [AgreementPageController]
