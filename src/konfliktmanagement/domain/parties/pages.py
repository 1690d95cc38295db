"""HTML pages of this area: add a party to a case, a participation with its consents, the party page.

Parties appear by alias ("Partei B") and pseudonym on every page here except `/parties/{id}`, the
one page that shows name and contact data — and only to the mediators of the party's cases.
Flash messages name the alias, never the party.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.case_page.sections import CaseSectionsDep
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import Access, case_access
from konfliktmanagement.domain.parties import schemas
from konfliktmanagement.domain.parties.deps import (
    FoundParticipation,
    Participations,
    Parties,
    PartyPages,
    participation_record,
    party_dependencies,
)
from konfliktmanagement.domain.parties.page_forms import (
    EXISTING,
    ConsentPurposeForm,
    consent_prefix,
    fields_under,
    ticked_consents,
)
from konfliktmanagement.domain.parties.queries import PartyPageQuery
from konfliktmanagement.domain.parties.services import PartyView
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _


def _to_parties(participation: m.Participation) -> str:
    return f"/cases/{participation.case_id}#parteien"


class ParticipationPageController(Controller):
    dependencies = party_dependencies

    @get("/cases/{case_id:uuid}/participations/new", dependencies=case_access("read"))
    async def new(self, access: Access) -> Template:
        return await _new_participation(access).show()

    @post("/cases/{case_id:uuid}/participations/new", dependencies=case_access("add_participation", for_write=True))
    async def create(
        self,
        request: SignedIn,
        participations: Participations,
        case_sections: CaseSectionsDep,
        access: Access,
        data: Form,
    ) -> Answer:
        async def add() -> m.Participation:
            if forms.text(data, "form") != "existing":
                return await participations.add(access, parse(schemas.ParticipationCreate, data))
            known = parse(schemas.ParticipationByPseudonym, data, prefix=EXISTING)
            with fields_under(EXISTING):
                return await participations.add_by_pseudonym(access, known)

        # Also the quick form of the case page's parties section: an htmx request gets that section back.
        form = replace(_new_participation(access), section=case_sections.section(access, "parties"))
        return await form.submit(request, data, add)

    @get("/participations/{participation_id:uuid}")
    async def show(self, request: SignedIn, party_pages: PartyPages, participation_id: FromPath[UUID]) -> Template:
        return await _participation(party_pages, request.user, participation_id).show()

    @post(
        "/participations/{participation_id:uuid}",
        dependencies=participation_record("update_participation", for_write=True),
    )
    async def update(
        self,
        request: SignedIn,
        participations: Participations,
        party_pages: PartyPages,
        case_sections: CaseSectionsDep,
        found: FoundParticipation,
        data: Form,
    ) -> Answer:
        form = replace(
            _participation(party_pages, request.user, found.record.id),
            section=case_sections.section(found.access, "parties"),
        )
        return await form.submit(
            request,
            data,
            lambda: participations.change(found, parse(schemas.ParticipationUpdate, data)),
        )

    @post("/participations/{participation_id:uuid}/consents")
    async def record_consent(
        self,
        request: SignedIn,
        participations: Participations,
        party_pages: PartyPages,
        case_sections: CaseSectionsDep,
        participation_id: FromPath[UUID],
        data: Form,
    ) -> Answer:
        async def access() -> CaseAccess:
            # Only for an htmx answer: the service found the participation (and audited) already.
            found = await participations.find(request.user, participation_id, attempted="read")
            return found.access

        async def record() -> m.Participation:
            if not forms.text(data, "purpose"):  # the page's one form: every ticked consent at once
                return await participations.record_consents(request.user, participation_id, ticked_consents(data))
            # One purpose (the form of earlier pages, still accepted).
            purpose = parse(ConsentPurposeForm, data).purpose
            prefix = consent_prefix(purpose)
            consent = parse(schemas.ConsentInput, data, prefix=prefix)
            with fields_under(prefix):
                return await participations.record_consent(request.user, participation_id, purpose, consent)

        form = replace(
            _participation(party_pages, request.user, participation_id),
            message=lambda participation: (
                _("Einwilligungen von %(alias)s gespeichert.") % {"alias": participation.alias}
                if not forms.text(data, "purpose")
                else _("Einwilligung von %(alias)s gespeichert.") % {"alias": participation.alias}
            ),
            # Consents usually come several at a time: stay on the participation's page.
            redirect=f"/participations/{participation_id}#einwilligungen",
            section=case_sections.section(access, "parties"),
        )
        return await form.submit(request, data, record)


class PartyPageController(Controller):
    path = "/parties"
    dependencies = party_dependencies

    @get("/{party_id:uuid}")
    async def show(self, request: SignedIn, party_pages: PartyPages, party_id: FromPath[UUID]) -> Template:
        return await _party(party_pages, request.user, party_id).show()

    @post("/{party_id:uuid}")
    async def update(
        self, request: SignedIn, parties: Parties, party_pages: PartyPages, party_id: FromPath[UUID], data: Form
    ) -> Answer:
        form = _party(party_pages, request.user, party_id)
        return await form.submit(
            request, data, lambda: parties.revise(request.user, party_id, parse(schemas.PartyUpdate, data))
        )


def _new_participation(access: CaseAccess) -> PageForm[m.Participation]:
    async def render(state: FormState) -> Template:
        return state.template("parties/participation_new.html", {"case": access.case})

    return PageForm(
        render,
        message=lambda participation: _("%(alias)s hinzugefügt.") % {"alias": participation.alias},
        redirect=_to_parties,
    )


def _participation(party_pages: PartyPageQuery, user: Principal, participation_id: UUID) -> PageForm[m.Participation]:
    """The participation page and its role-and-status form (each consent form says and leads elsewhere)."""

    async def render(state: FormState) -> Template:
        page = await party_pages.participation(user, participation_id)
        return state.template("parties/participation.html", {"page": page}, page.values)

    return PageForm(
        render,
        message=lambda participation: _("%(alias)s gespeichert.") % {"alias": participation.alias},
        redirect=_to_parties,
    )


def _party(party_pages: PartyPageQuery, user: Principal, party_id: UUID) -> PageForm[PartyView]:
    async def render(state: FormState) -> Template:
        page = await party_pages.party(user, party_id)
        return state.template("parties/party.html", {"page": page, "party": page.detail}, page.values)

    def saved(view: PartyView) -> str:
        return _("Angaben zu %(pseudonym)s gespeichert.") % {"pseudonym": view.party.pseudonym}

    return PageForm(render, message=saved, redirect=f"/parties/{party_id}")


PAGE_CONTROLLERS: list[type[Controller]] = [ParticipationPageController, PartyPageController]
