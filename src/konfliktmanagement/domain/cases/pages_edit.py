"""Editing a case's data, and the coordination's choice of its mediators."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import schemas
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.deps import case_access, case_dependencies
from konfliktmanagement.domain.cases.form_options import escalation_choices
from konfliktmanagement.domain.cases.queries import CaseQuery
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.form_flow import FormState, submit
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
    async def edit(self, case_queries: NamedDependency[CaseQuery], access: NamedDependency[CaseAccess]) -> Template:
        return await _edit(case_queries, access.case, FormState())

    @post("/edit", dependencies=case_access("update", for_write=True))
    async def update(
        self,
        request: Request[m.User, Any, Any],
        cases: NamedDependency[CaseService],
        case_queries: NamedDependency[CaseQuery],
        access: NamedDependency[CaseAccess],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        async def render(state: FormState) -> Template:
            return await _edit(case_queries, access.case, state)

        return await submit(
            request,
            data,
            lambda: cases.revise(access, parse(schemas.CaseUpdate, data)),
            render=render,
            message=_("Änderungen am Fall gespeichert."),
            redirect=f"/cases/{access.case_id}",
        )

    @get("/mediators", name="case_mediators", dependencies=case_access("assign_mediators"))
    async def mediators(
        self,
        request: Request[m.User, Any, Any],
        case_queries: NamedDependency[CaseQuery],
        access: NamedDependency[CaseAccess],
    ) -> Template:
        case = case_queries.mediator_assignment(access)
        state = FormState({"next": request.query_params.get("next") or ""})
        return await _mediators(case_queries, case, state)

    @post("/mediators", dependencies=case_access("assign_mediators", for_write=True))
    async def assign(
        self,
        request: Request[m.User, Any, Any],
        cases: NamedDependency[CaseService],
        case_queries: NamedDependency[CaseQuery],
        access: NamedDependency[CaseAccess],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        async def render(state: FormState) -> Template:
            selected = None if state.stale else [v for v in forms.values(data, "mediator_ids") if v]
            return await _mediators(case_queries, case_queries.mediator_assignment(access), state, selected)

        return await submit(
            request,
            data,
            lambda: cases.assign_mediators(access, parse(schemas.MediatorAssignment, data)),
            render=render,
            message=lambda case: _("Mediator:innen für %(reference)s gespeichert.") % {"reference": case.reference},
            redirect=f"/cases/{access.case_id}",
        )


async def _edit(case_queries: CaseQuery, case: m.Case, state: FormState) -> Template:
    context = {"case": case, "options": await case_queries.form_options(), "escalation": escalation_choices()}
    return state.template("cases/edit.html", context, stored_values(case))


async def _mediators(
    case_queries: CaseQuery, case: m.Case, state: FormState, selected: list[str] | None = None
) -> Template:
    """The assignment form; `next` (the dashboard's inline form sends `/dashboard`) survives every round."""
    values = state.values({"version": str(case.version), "next": state.submitted.get("next", "")})
    context = {
        "case": case,
        "version": values["version"],
        "mediators": await case_queries.mediator_choices(),
        "selected": [str(user_id) for user_id in case.mediator_ids] if selected is None else selected,
        "next": forms.safe_next(values["next"], default=""),
    }
    return state.template("cases/mediators.html", context)
