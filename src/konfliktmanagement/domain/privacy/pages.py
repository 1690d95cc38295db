"""HTML pages of this area: the Auskunft (PDF) and "Löschen (Art. 17)" of a party, the legal hold of a
case, and the administrators' page with the retention policies, the retention preview, the deletion
log and the record of processing. Flash messages name aliases and references, never a party."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.db.classification import RetentionClass
from konfliktmanagement.domain.accounts.guards import requires_admin
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import CaseAccess, Write
from konfliktmanagement.domain.cases.deps import case_access
from konfliktmanagement.domain.privacy import schemas
from konfliktmanagement.domain.privacy.deps import privacy_dependencies
from konfliktmanagement.domain.privacy.legal_hold import LegalHoldService
from konfliktmanagement.domain.privacy.policies import Policy, RetentionPolicyService
from konfliktmanagement.domain.privacy.queries import PrivacyAdminQuery
from konfliktmanagement.domain.privacy.subject_rights import PartyRightsService
from konfliktmanagement.lib.clock import today
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

User = Request[Principal, Any, Any]
Rights = NamedDependency[PartyRightsService]
AdminPages = NamedDependency[PrivacyAdminQuery]


def _render_html(request: User, name: str, context: Mapping[str, Any]) -> str:
    engine = request.app.template_engine
    assert engine is not None
    text: str = engine.get_template(name).render(**context)
    return text


def _pdf(html: str, title: str) -> bytes:
    # WeasyPrint is imported on first use, like the round-table reports do: most requests never need it.
    from konfliktmanagement.lib.pdf import html_to_pdf

    return html_to_pdf(html, title=title)


class PartyRightsPageController(Controller):
    path = "/parties"
    dependencies = privacy_dependencies

    @get("/{party_id:uuid}/export.pdf")
    async def export_pdf(self, request: User, party_rights: Rights, party_id: FromPath[UUID]) -> Response[bytes]:
        export = await party_rights.export(request.user, party_id)
        html = _render_html(request, "privacy/party_export.html", {"export": export})
        return Response(
            content=_pdf(html, _("Auskunft nach Art. 15 DSGVO")),
            media_type="application/pdf",
            headers={"content-disposition": f'attachment; filename="auskunft-{export.party.pseudonym}.pdf"'},
        )

    @get("/{party_id:uuid}/erasure")
    async def erasure(self, request: User, party_rights: Rights, party_id: FromPath[UUID]) -> Template:
        await party_rights.check_erasable(request.user, party_id)
        return await _erasure(party_id).show()

    @post("/{party_id:uuid}/erasure")
    async def erase(self, request: User, party_rights: Rights, party_id: FromPath[UUID], data: Form) -> Answer:
        return await _erasure(party_id).submit(
            request, data, lambda: party_rights.erase(request.user, party_id, parse(schemas.ErasureRequest, data))
        )


def _erasure(party_id: UUID) -> PageForm[schemas.ErasureOut]:
    async def render(state: FormState) -> Template:
        return state.template("privacy/party_erasure.html", {"party_id": party_id})

    def done(out: schemas.ErasureOut) -> str:
        if out.already_erased:
            return _("Die Daten dieser Partei waren bereits gelöscht.")
        return _("Gelöscht. Im Fall steht jetzt: %(placeholders)s.") % {"placeholders": ", ".join(out.placeholders)}

    return PageForm(render, message=done, redirect=f"/parties/{party_id}")


class LegalHoldPageController(Controller):
    dependencies = privacy_dependencies

    @get("/cases/{case_id:uuid}/legal-hold", dependencies=case_access("read"))
    async def show(self, access: NamedDependency[CaseAccess]) -> Template:
        return await _legal_hold(access).show()

    @post("/cases/{case_id:uuid}/legal-hold", dependencies=case_access("legal_hold", for_write=Write.LIFECYCLE))
    async def change(
        self,
        request: User,
        legal_holds: NamedDependency[LegalHoldService],
        access: NamedDependency[CaseAccess],
        data: Form,
    ) -> Answer:
        return await _legal_hold(access).submit(
            request, data, lambda: legal_holds.change(access, parse(schemas.LegalHoldChange, data))
        )


def _legal_hold(access: CaseAccess) -> PageForm[m.Case]:
    async def render(state: FormState) -> Template:
        stored = {"version": str(access.case.version)}
        return state.template("privacy/legal_hold.html", {"case": access.case}, stored)

    def done(case: m.Case) -> str:
        if case.legal_hold:
            return _("Aufbewahrungssperre für %(reference)s gesetzt.") % {"reference": case.reference}
        return _("Aufbewahrungssperre für %(reference)s aufgehoben.") % {"reference": case.reference}

    return PageForm(render, message=done, redirect=lambda case: f"/cases/{case.id}")


class PrivacyAdminPageController(Controller):
    path = "/admin/privacy"
    guards = [requires_admin]  # noqa: RUF012
    dependencies = privacy_dependencies

    @get("/")
    async def show(
        self,
        request: User,
        privacy_pages: AdminPages,
        as_of: FromQuery[date | None] = None,
        edit: FromQuery[RetentionClass | None] = None,
    ) -> Template:
        return await _policies(privacy_pages, request.user, as_of or today(), edit).show()

    @post("/policies")
    async def change(
        self,
        request: User,
        privacy_pages: AdminPages,
        retention_policies: NamedDependency[RetentionPolicyService],
        data: Form,
    ) -> Answer:
        form = _policies(privacy_pages, request.user, today(), None)
        return await form.submit(
            request, data, lambda: retention_policies.change(request.user, parse(schemas.PolicyChange, data))
        )

    @get("/record")
    async def record(self, request: User, privacy_pages: AdminPages) -> Template:
        return Template(
            template_name="privacy/record.html", context={"record_html": await privacy_pages.record_html(request.user)}
        )


def _policies(
    privacy_pages: PrivacyAdminQuery, user: Principal, as_of: date, edit: RetentionClass | None
) -> PageForm[Policy]:
    """The admin page; with `edit` (a policy class) the form for that class's next version."""

    async def render(state: FormState) -> Template:
        page = await privacy_pages.page(user, as_of)
        stored: dict[str, str] = {}
        if edit is not None and edit in page.policies:
            policy = page.policies[edit]
            stored = {
                "data_class": edit.value,
                "version": str(policy.version),
                "amount": str(policy.amount),
                "unit": policy.unit.value,
            }
        return state.template("privacy/admin.html", {"page": page, "as_of": as_of}, stored)

    def done(policy: Policy) -> str:
        return _("Löschfrist „%(label)s“ geändert: %(period)s (Version %(version)s).") % {
            "label": policy.label,
            "period": policy.period,
            "version": policy.version,
        }

    return PageForm(render, message=done, redirect="/admin/privacy")


PAGE_CONTROLLERS: list[type[Controller]] = [
    PartyRightsPageController,
    LegalHoldPageController,
    PrivacyAdminPageController,
]
