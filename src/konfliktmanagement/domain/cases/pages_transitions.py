"""Status changes from the pages: the form for one transition, and performing it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases import schemas, transitions, views
from konfliktmanagement.domain.cases.deps import case_dependencies
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.labels import label
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import InvalidTransition, NotAllowed, NotFound, StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse
from konfliktmanagement.lib.i18n import gettext as _


def _target(raw: str) -> m.CaseStatus:
    try:
        return m.CaseStatus(raw)
    except ValueError:
        raise NotFound from None


class CaseTransitionPagesController(Controller):
    path = "/cases/{case_id:uuid}/transitions"
    dependencies = case_dependencies
    include_in_schema = False

    @staticmethod
    async def _form(
        cases: CaseService,
        user: m.User,
        case_id: UUID,
        to: m.CaseStatus,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        refused: list[str] | None = None,
        stale: bool = False,
        status: int = 200,
    ) -> Template:
        data = await views.transition_form(cases.repository.session, user, case_id, to)
        if form is None:
            follow_up = data.case.follow_up_date.isoformat() if data.case.follow_up_date else ""
            form = {"follow_up_date": follow_up}
        if stale:
            form = {**form, "version": str(data.case.version)}
        context = {
            "case": data.case,
            "data": data,
            "form": form,
            "errors": errors or {},
            "refused": refused or [],
            "stale": stale,
            "outcomes": [(o.value, label(o)) for o in data.outcomes],
        }
        return Template(template_name="cases/transition.html", context=context, status_code=status)

    @get("/{to:str}", name="case_transition")
    async def show(
        self,
        request: Request[m.User, Any, Any],
        cases: NamedDependency[CaseService],
        case_id: FromPath[UUID],
        to: FromPath[str],
    ) -> Template:
        return await self._form(cases, request.user, case_id, _target(to))

    @post("/")
    async def perform(
        self,
        request: Request[m.User, Any, Any],
        cases: NamedDependency[CaseService],
        case_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        to = _target(forms.text(data, "to"))
        user = request.user
        try:
            case = await transitions.perform(
                cases.repository.session, user, case_id, parse(schemas.TransitionRequest, data)
            )
        except ValidationFailed as exc:
            return await self._form(cases, user, case_id, to, form=data, errors=field_errors(exc), status=422)
        except InvalidTransition as exc:
            refused = [item["message"] for item in exc.extra.get("missing", [])] or [exc.detail]
            try:
                return await self._form(cases, user, case_id, to, form=data, refused=refused, status=409)
            except NotFound:
                raise exc from None  # no longer on offer from the current state: the error page says why
        except StaleVersion:
            try:
                return await self._form(cases, user, case_id, to, form=data, stale=True, status=409)
            except NotFound:
                return await self._gone(cases, user, case_id)
        except NotAllowed as exc:
            # A coordinator taking a mediator's step must confirm the override and give a reason.
            try:
                offered = await views.transition_form(cases.repository.session, user, case_id, to)
            except NotFound:
                raise exc from None
            if not offered.action.override:
                raise
            errors = {}
            if not forms.checked(data, "override"):
                errors["override"] = _("Bitte bestätigen Sie die Übersteuerung ausdrücklich.")
            if not forms.text(data, "reason").strip():
                errors["reason"] = _("Bitte begründen Sie die Übersteuerung.")
            return await self._form(cases, user, case_id, to, form=data, errors=errors, status=403)
        flash(
            request,
            _("Status geändert: %(reference)s ist jetzt „%(status)s“.")
            % {"reference": case.reference, "status": label(m.CaseStatus(case.status))},
            category="success",
        )
        return Redirect(path=f"/cases/{case_id}", status_code=303)

    @staticmethod
    async def _gone(cases: CaseService, user: m.User, case_id: UUID) -> Template:
        """Someone else changed the status first and this step no longer exists from the new one."""
        case = await cases.detail(user, case_id)
        return Template(
            template_name="cases/transition_gone.html", context={"case": case, "stale": True}, status_code=409
        )
