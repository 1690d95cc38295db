"""HTML pages of this area: add a party to a case, a participation with its consents, the party page.

Parties appear by alias ("Partei B") and pseudonym on every page here except `/parties/{id}`, the
one page that shows name and contact data — and only to the mediators of the party's cases.
Flash messages name the alias, never the party.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.deps import case_dependencies
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.parties import pseudonyms, schemas, views
from konfliktmanagement.domain.parties.deps import party_dependencies
from konfliktmanagement.domain.parties.participations import ParticipationService
from konfliktmanagement.domain.parties.services import PartyService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _

User = Request[m.User, Any, Any]
Form = URLEncodedBody[dict[str, Any]]


def _new_participation(case: m.Case, form: dict[str, str], errors: dict[str, str], status: int = 200) -> Template:
    return Template(
        template_name="parties/participation_new.html",
        context={"case": case, "form": form, "errors": errors},
        status_code=status,
    )


def _participation(
    page: views.ParticipationPage,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    stale: bool = False,
    status: int = 200,
) -> Template:
    values = views.participation_values(page) | (form or {})
    return Template(
        template_name="parties/participation.html",
        context={"page": page, "form": values, "errors": errors or {}, "stale": stale},
        status_code=status,
    )


def _party(
    page: views.PartyPage,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    stale: bool = False,
    status: int = 200,
) -> Template:
    values = (views.party_values(page) | (form or {})) if page.editable else {}
    return Template(
        template_name="parties/party.html",
        context={"page": page, "party": page.detail, "form": values, "errors": errors or {}, "stale": stale},
        status_code=status,
    )


class ParticipationPages(Controller):
    include_in_schema = False
    dependencies = {**party_dependencies, **case_dependencies}  # noqa: RUF012

    @get("/cases/{case_id:uuid}/participations/new")
    async def new(self, request: User, cases: NamedDependency[CaseService], case_id: FromPath[UUID]) -> Template:
        case = await views.case_of(cases, request.user, case_id)
        return _new_participation(case, {}, {})

    @post("/cases/{case_id:uuid}/participations/new")
    async def create(
        self,
        request: User,
        participations: NamedDependency[ParticipationService],
        cases: NamedDependency[CaseService],
        case_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        try:
            if forms.text(data, "form") == "existing":
                existing = parse(pseudonyms.ExistingPartyForm, data, prefix=pseudonyms.PREFIX)
                participation = await pseudonyms.add_by_pseudonym(participations, request.user, case_id, existing)
            else:
                participation = await participations.add(
                    request.user, case_id, parse(schemas.ParticipationCreate, data)
                )
        except ValidationFailed as exc:
            case = await views.case_of(cases, request.user, case_id)
            return _new_participation(case, forms.submitted(data), field_errors(exc), status=422)
        flash(request, _("%(alias)s hinzugefügt.") % {"alias": participation.alias}, category="success")
        return Redirect(path=f"/cases/{case_id}#parteien", status_code=303)

    @get("/participations/{participation_id:uuid}")
    async def show(
        self,
        request: User,
        participations: NamedDependency[ParticipationService],
        cases: NamedDependency[CaseService],
        participation_id: FromPath[UUID],
    ) -> Template:
        return _participation(await views.participation_page(participations, cases, request.user, participation_id))

    @post("/participations/{participation_id:uuid}")
    async def update(
        self,
        request: User,
        participations: NamedDependency[ParticipationService],
        cases: NamedDependency[CaseService],
        participation_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        try:
            participation = await participations.update(
                request.user, participation_id, parse(schemas.ParticipationUpdate, data)
            )
        except ValidationFailed as exc:
            page = await views.participation_page(participations, cases, request.user, participation_id)
            return _participation(page, forms.submitted(data), field_errors(exc), status=422)
        except StaleVersion:
            # Show what is stored now instead of overwriting someone else's change.
            page = await views.participation_page(participations, cases, request.user, participation_id)
            return _participation(page, stale=True, status=409)
        flash(request, _("%(alias)s gespeichert.") % {"alias": participation.alias}, category="success")
        return Redirect(path=f"/cases/{participation.case_id}#parteien", status_code=303)

    @post("/participations/{participation_id:uuid}/consents")
    async def record_consent(
        self,
        request: User,
        participations: NamedDependency[ParticipationService],
        cases: NamedDependency[CaseService],
        participation_id: FromPath[UUID],
        data: Form,
    ) -> Template | Redirect:
        prefix = ""
        try:
            purpose = parse(views.ConsentPurposeForm, data).purpose
            prefix = f"{purpose.value}."
            consent = parse(schemas.ConsentInput, data, prefix=prefix)
            participation = await participations.record_consent(request.user, participation_id, purpose, consent)
        except ValidationFailed as exc:
            page = await views.participation_page(participations, cases, request.user, participation_id)
            return _participation(page, forms.submitted(data), views.errors_under(exc, prefix), status=422)
        message = _("Einwilligung von %(alias)s gespeichert.") % {"alias": participation.alias}
        flash(request, message, category="success")
        # Consents usually come several at a time: stay on the participation's page.
        return Redirect(path=f"/participations/{participation_id}#einwilligungen", status_code=303)


class PartyPages(Controller):
    path = "/parties"
    include_in_schema = False
    dependencies = party_dependencies

    @get("/{party_id:uuid}")
    async def show(self, request: User, parties: NamedDependency[PartyService], party_id: FromPath[UUID]) -> Template:
        return _party(await views.party_page(parties, request.user, party_id))

    @post("/{party_id:uuid}")
    async def update(
        self, request: User, parties: NamedDependency[PartyService], party_id: FromPath[UUID], data: Form
    ) -> Template | Redirect:
        try:
            view = await parties.update(request.user, party_id, parse(schemas.PartyUpdate, data))
        except ValidationFailed as exc:
            page = await views.party_page(parties, request.user, party_id)
            return _party(page, forms.submitted(data), field_errors(exc), status=422)
        except StaleVersion:
            page = await views.party_page(parties, request.user, party_id)
            return _party(page, stale=True, status=409)
        message = _("Angaben zu %(pseudonym)s gespeichert.") % {"pseudonym": view.party.pseudonym}
        flash(request, message, category="success")
        return Redirect(path=f"/parties/{party_id}", status_code=303)


PAGE_CONTROLLERS: list[type[Controller]] = [ParticipationPages, PartyPages]
