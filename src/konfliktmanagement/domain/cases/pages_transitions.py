"""Status changes from the pages: the form for one transition, and performing it."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.cases import schemas
from konfliktmanagement.domain.cases.access import CaseAccess, Write
from konfliktmanagement.domain.cases.deps import Access, CaseQueries, Workflow, case_access, workflow_dependencies
from konfliktmanagement.domain.cases.queries import CaseQuery
from konfliktmanagement.domain.labels import label
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import NotFound
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _


def _target(raw: str) -> m.CaseStatus:
    try:
        return m.CaseStatus(raw)
    except ValueError:
        raise NotFound from None


def _changed(case: m.Case) -> str:
    return _("Status geändert: %(reference)s ist jetzt „%(status)s“.") % {
        "reference": case.reference,
        "status": label(m.CaseStatus(case.status)),
    }


class CaseTransitionPageController(Controller):
    path = "/cases/{case_id:uuid}/transitions"
    dependencies = {**workflow_dependencies, "case_queries": Provide(CaseQuery, sync_to_thread=False)}  # noqa: RUF012

    @get("/{to:str}", name="case_transition", dependencies=case_access("read"))
    async def show(self, case_queries: CaseQueries, access: Access, to: FromPath[str]) -> Template:
        return await _transition(case_queries, access, _target(to)).show()

    @post("/", dependencies=case_access("transition", for_write=Write.LIFECYCLE))
    async def perform(
        self, request: SignedIn, workflow: Workflow, case_queries: CaseQueries, access: Access, data: Form
    ) -> Answer:
        form = _transition(case_queries, access, _target(forms.text(data, "to")))
        return await form.submit(
            request, data, lambda: workflow.perform(access, parse(schemas.TransitionRequest, data))
        )


def _transition(case_queries: CaseQuery, access: CaseAccess, to: m.CaseStatus) -> PageForm[m.Case]:
    async def render(state: FormState) -> Template:
        data = await case_queries.offered_transition(access, to)
        if data is None:
            if state.stale:
                # Someone else changed the status first and this step no longer exists from the new one.
                return Template(
                    template_name="cases/transition_gone.html",
                    context={"case": access.case, "stale": True},
                    status_code=409,
                )
            raise state.error or NotFound()
        follow_up = data.case.follow_up_date.isoformat() if data.case.follow_up_date else ""
        stored = {"follow_up_date": follow_up} if not state.submitted else {}
        if state.stale:
            stored = {**state.submitted, "version": str(data.case.version)}
        context = {"case": data.case, "data": data, "outcomes": [(o.value, label(o)) for o in data.outcomes]}
        return state.template("cases/transition.html", context, stored)

    return PageForm(render, message=_changed, redirect=f"/cases/{access.case_id}")
