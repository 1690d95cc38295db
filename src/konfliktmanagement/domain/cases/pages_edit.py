"""Editing a case's data, and the coordination's choice of its mediators."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import Provide
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.cases import schemas
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import Access, CaseQueries, Cases, case_access, case_dependencies
from konfliktmanagement.domain.cases.form_options import escalation_choices
from konfliktmanagement.domain.cases.queries import CaseQuery
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def stored_values(case: m.Case) -> dict[str, str]:
    """The edit form's fields as the case has them now."""
    names = (
        "title",
        "description",
        "conflict_type_id",
        "quartier_id",
        "place_id",
        "referral_source",
        "urgency",
        "escalation_level",
        "phase",
        "resubmission_date",
        "follow_up_date",
        "version",
    )
    return {name: _text(getattr(case, name)) for name in names}


class CaseEditPageController(Controller):
    path = "/cases/{case_id:uuid}"
    dependencies = {**case_dependencies, "case_queries": Provide(CaseQuery, sync_to_thread=False)}  # noqa: RUF012

    @get("/edit", name="case_edit", dependencies=case_access("read"))
    async def edit(self, case_queries: CaseQueries, access: Access) -> Template:
        return await _edit(case_queries, access).show()

    @post("/edit", dependencies=case_access("update", for_write=True))
    async def update(
        self, request: SignedIn, cases: Cases, case_queries: CaseQueries, access: Access, data: Form
    ) -> Answer:
        form = _edit(case_queries, access)
        return await form.submit(request, data, lambda: cases.revise(access, parse(schemas.CaseUpdate, data)))

    @get("/mediators", name="case_mediators", dependencies=case_access("assign_mediators"))
    async def mediators(self, request: SignedIn, case_queries: CaseQueries, access: Access) -> Template:
        state = FormState({"next": request.query_params.get("next") or ""})
        return await _mediators(case_queries, access, None).render(state)

    @post("/mediators", dependencies=case_access("assign_mediators", for_write=True))
    async def assign(
        self, request: SignedIn, cases: Cases, case_queries: CaseQueries, access: Access, data: Form
    ) -> Answer:
        form = _mediators(case_queries, access, data)
        return await form.submit(
            request, data, lambda: cases.assign_mediators(access, parse(schemas.MediatorAssignment, data))
        )


def _edit(case_queries: CaseQuery, access: CaseAccess) -> PageForm[m.Case]:
    async def render(state: FormState) -> Template:
        context = {
            "case": access.case,
            "options": await case_queries.form_options(),
            "escalation": escalation_choices(),
        }
        return state.template("cases/edit.html", context, stored_values(access.case))

    return PageForm(render, message=_("Änderungen am Fall gespeichert."), redirect=f"/cases/{access.case_id}")


def _mediators(case_queries: CaseQuery, access: CaseAccess, data: dict[str, Any] | None) -> PageForm[m.Case]:
    """The assignment form (`data`: the input sent, if any); `next` (the dashboard's inline form sends
    `/dashboard`) survives every round."""

    async def render(state: FormState) -> Template:
        case = case_queries.mediator_assignment(access)
        values = state.values({"version": str(case.version), "next": state.submitted.get("next", "")})
        stored = [str(user_id) for user_id in case.mediator_ids]
        context = {
            "case": case,
            "version": values["version"],
            "mediators": await case_queries.assignable_mediators(),
            # Ticked boxes are shown again as sent, unless someone else saved first.
            "selected": stored if state.stale or data is None else [v for v in forms.values(data, "mediator_ids") if v],
            "next": forms.safe_next(values["next"], default=""),
        }
        return state.template("cases/mediators.html", context)

    return PageForm(
        render,
        message=lambda case: _("Mediator:innen für %(reference)s gespeichert.") % {"reference": case.reference},
        redirect=f"/cases/{access.case_id}",
    )
