"""The agenda (`/calendar`) with the personal calendar feed (created, shown once, revoked there), and the
feed itself (`/calendar/feed/<secret>.ics`: no sign-in, the secret is the key; unknown or revoked → 404)."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.guards import requires_role
from konfliktmanagement.domain.calendar.deps import Agenda, Feeds, calendar_dependencies
from konfliktmanagement.domain.calendar.queries import AgendaPage
from konfliktmanagement.domain.coordination.filters import optional_uuid
from konfliktmanagement.lib.form_flow import Answer, Form, FormState, PageForm
from konfliktmanagement.lib.i18n import gettext as _

ICAL_MEDIA_TYPE = "text/calendar; charset=utf-8"


def _base_url(request: SignedIn) -> str:
    return str(request.app.state["settings"].effective_base_url)


class CalendarPageController(Controller):
    path = "/calendar"
    guards = [requires_role(m.Role.MEDIATOR, m.Role.COORDINATOR)]  # noqa: RUF012
    dependencies = calendar_dependencies

    @get("/", name="calendar")
    async def show(self, request: SignedIn, agenda: Agenda, mediator_id: FromQuery[str | None] = None) -> Template:
        return _template(await agenda.page(request.user, optional_uuid(mediator_id)))

    @post("/feed")
    async def subscribe(self, request: SignedIn, agenda: Agenda, feeds: Feeds) -> Template:
        # The URL is shown in this one answer only (no redirect: the secret must not sit in a session).
        url = await feeds.subscribe(request.user, _base_url(request))
        return _template(await agenda.page(request.user, new_feed_url=url), status_code=201)

    @post("/feed/revoke")
    async def revoke(self, request: SignedIn, agenda: Agenda, feeds: Feeds, data: Form) -> Answer:
        async def render(state: FormState) -> Template:
            return state.template("calendar/agenda.html", {"page": await agenda.page(request.user)})

        form: PageForm[None] = PageForm(render, message=_("Das Kalender-Abo ist widerrufen."), redirect="/calendar")
        return await form.submit(request, data, lambda: feeds.revoke(request.user))


class CalendarFeedController(Controller):
    path = "/calendar/feed"
    dependencies = calendar_dependencies

    @get("/{token:str}", name="calendar_feed")
    async def feed(self, request: SignedIn, feeds: Feeds, token: FromPath[str]) -> Response[bytes]:
        return Response(
            await feeds.feed(token, _base_url(request)),
            media_type=ICAL_MEDIA_TYPE,
            headers={"cache-control": "no-store", "x-robots-tag": "noindex"},
        )


def _template(page: AgendaPage, status_code: int = 200) -> Template:
    headers = {"cache-control": "no-store"}
    return Template("calendar/agenda.html", context={"page": page}, status_code=status_code, headers=headers)


PAGE_CONTROLLERS: list[type[Controller]] = [CalendarPageController, CalendarFeedController]
