"""Session pages: the quick log of a new session, and the edit page (status, minutes, attendees).

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
from konfliktmanagement.domain.mediation.views import (
    MediationSessionPages,
    SessionForm,
    parse_quick_log,
    parse_session_edit,
    quick_log_errors,
)
from konfliktmanagement.lib.exceptions import Conflict, StaleVersion, ValidationFailed
from konfliktmanagement.lib.form_input import field_errors
from konfliktmanagement.lib.i18n import gettext as _

NEW_TEMPLATE = "sessions/new.html"
EDIT_TEMPLATE = "sessions/edit.html"


def _page(template: str, view: SessionForm, form: dict[str, Any], errors: dict[str, str], **extra: Any) -> Template:
    status_code = extra.pop("status_code", 200)
    context = {"view": view, "case": view.case, "form": form, "errors": errors, "stale": False, **extra}
    return Template(template_name=template, context=context, status_code=status_code)


class MediationSessionPageController(Controller):
    dependencies = {"session_pages": Provide(create_service_provider(MediationSessionPages))}  # noqa: RUF012
    include_in_schema = False

    @get("/cases/{case_id:uuid}/sessions/new", name="session_new")
    async def new(
        self,
        request: Request[m.User, Any, Any],
        session_pages: NamedDependency[MediationSessionPages],
        case_id: FromPath[UUID],
    ) -> Template:
        view = await session_pages.new_form(request.user, case_id)
        return _page(NEW_TEMPLATE, view, view.defaults, {})

    @post("/cases/{case_id:uuid}/sessions/new")
    async def create(
        self,
        request: Request[m.User, Any, Any],
        session_pages: NamedDependency[MediationSessionPages],
        case_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            await session_pages.create(request.user, case_id, parse_quick_log(data))
        except ValidationFailed as exc:
            view = await session_pages.new_form(request.user, case_id)
            return _page(NEW_TEMPLATE, view, data, quick_log_errors(exc), status_code=422)
        flash(request, _("Sitzung gespeichert."), category="success")
        return Redirect(path=f"/cases/{case_id}#sitzungen", status_code=303)

    @get("/sessions/{mediation_session_id:uuid}", name="session_edit")
    async def edit(
        self,
        request: Request[m.User, Any, Any],
        session_pages: NamedDependency[MediationSessionPages],
        mediation_session_id: FromPath[UUID],
    ) -> Template:
        view = await session_pages.edit_form(request.user, mediation_session_id)
        return _page(EDIT_TEMPLATE, view, view.defaults, {})

    @post("/sessions/{mediation_session_id:uuid}")
    async def update(
        self,
        request: Request[m.User, Any, Any],
        session_pages: NamedDependency[MediationSessionPages],
        mediation_session_id: FromPath[UUID],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        try:
            meeting = await session_pages.update(request.user, mediation_session_id, parse_session_edit(data))
        except ValidationFailed as exc:
            view = await session_pages.edit_form(request.user, mediation_session_id)
            return _page(EDIT_TEMPLATE, view, data, field_errors(exc), status_code=422)
        except StaleVersion:
            # Show what is stored now instead of overwriting someone else's change.
            view = await session_pages.edit_form(request.user, mediation_session_id)
            return _page(EDIT_TEMPLATE, view, view.defaults, {}, stale=True, status_code=409)
        except Conflict as exc:
            # A status change that is no longer possible (someone else changed the status first).
            view = await session_pages.edit_form(request.user, mediation_session_id)
            return _page(EDIT_TEMPLATE, view, data, {"status": exc.detail}, status_code=409)
        flash(request, _("Sitzung gespeichert."), category="success")
        return Redirect(path=f"/cases/{meeting.case_id}#sitzungen", status_code=303)


PAGE_CONTROLLERS: list[type[Controller]] = [MediationSessionPageController]
