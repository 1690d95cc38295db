"""Editing a case's data, and the coordination's choice of its mediators."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import schemas, views
from konfliktmanagement.domain.cases.deps import case_dependencies
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.cases.views_options import case_form_options, escalation_choices, mediator_choices
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
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


def _next(raw: str | None) -> str | None:
    """Where to return after assigning (the dashboard's inline form sends `/dashboard`); same-site only."""
    return forms.safe_next(raw, default="") or None


class CaseEditPagesController(Controller):
    path = "/cases/{case_id:uuid}"
    dependencies = case_dependencies
    include_in_schema = False

    async def _edit(
        self, cases: CaseService, case: m.Case, form: dict[str, Any], errors: dict[str, str], status: int = 200
    ) -> Template:
        context = {
            "case": case,
            "form": form,
            "errors": errors,
            "stale": status == 409,
            "options": await case_form_options(cases.repository.session),
            "escalation": escalation_choices(),
        }
        return Template(template_name="cases/edit.html", context=context, status_code=status)

    @get("/edit", name="case_edit")
    async def edit(
        self, request: Request[m.User, Any, Any], cases: NamedDependency[CaseService], case_id: FromPath[UUID]
    ) -> Template:
        case = await cases.detail(request.user, case_id)
        return await self._edit(cases, case, stored_values(case), {})

    @post("/edit")
    async def update(
        self,
        request: Request[m.User, Any, Any],
        cases: NamedDependency[CaseService],
        case_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            await cases.update(request.user, case_id, parse(schemas.CaseUpdate, data))
        except ValidationFailed as exc:
            case = await cases.detail(request.user, case_id)
            return await self._edit(cases, case, data, field_errors(exc), status=422)
        except StaleVersion:
            # Show what is stored now instead of overwriting someone else's change.
            case = await cases.detail(request.user, case_id)
            return await self._edit(cases, case, stored_values(case), {}, status=409)
        flash(request, _("Änderungen am Fall gespeichert."), category="success")
        return Redirect(path=f"/cases/{case_id}", status_code=303)

    async def _mediators(
        self,
        cases: CaseService,
        case: m.Case,
        *,
        selected: list[str],
        next_path: str | None,
        errors: dict[str, str],
        status: int = 200,
        version: str | None = None,
    ) -> Template:
        context = {
            "case": case,
            "version": version or str(case.version),
            "mediators": await mediator_choices(cases.repository.session),
            "selected": selected,
            "next": next_path or "",
            "errors": errors,
            "stale": status == 409,
        }
        return Template(template_name="cases/mediators.html", context=context, status_code=status)

    @get("/mediators", name="case_mediators")
    async def mediators(
        self,
        request: Request[m.User, Any, Any],
        cases: NamedDependency[CaseService],
        case_id: FromPath[UUID],
    ) -> Template:
        next_path = _next(request.query_params.get("next"))
        case = await views.mediator_assignment(cases.repository.session, request.user, case_id)
        current = [str(user_id) for user_id in case.mediator_ids]
        return await self._mediators(cases, case, selected=current, next_path=next_path, errors={})

    @post("/mediators")
    async def assign(
        self,
        request: Request[m.User, Any, Any],
        cases: NamedDependency[CaseService],
        case_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        next_path = _next(forms.text(data, "next"))
        try:
            case = await cases.assign_mediators(request.user, case_id, parse(schemas.MediatorAssignment, data))
        except ValidationFailed as exc:
            case = await views.mediator_assignment(cases.repository.session, request.user, case_id)
            selected = [v for v in forms.values(data, "mediator_ids") if v]
            return await self._mediators(
                cases,
                case,
                selected=selected,
                next_path=next_path,
                errors=field_errors(exc),
                status=422,
                version=forms.text(data, "version"),
            )
        except StaleVersion:
            case = await views.mediator_assignment(cases.repository.session, request.user, case_id)
            current = [str(user_id) for user_id in case.mediator_ids]
            return await self._mediators(cases, case, selected=current, next_path=next_path, errors={}, status=409)
        flash(
            request,
            _("Mediator:innen für %(reference)s gespeichert.") % {"reference": case.reference},
            category="success",
        )
        return Redirect(path=next_path or f"/cases/{case_id}", status_code=303)
