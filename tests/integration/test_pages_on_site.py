"""Messages and steps that help (issue 13): an error summary names each field and links to it; a
transition's own input that a guard refuses (a past follow-up date) is marked at its field; the step
forward stands out and the exits wait behind a <details>; Glasl levels show their names."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, field_error, form_post
from tests.workflow_fixtures import case_in_state, case_with_minutes

pytestmark = pytest.mark.anyio


async def test_the_error_summary_names_the_field_and_links_to_it(team: CaseTeam) -> None:
    response = await form_post(team.mediator, "/cases/new", "/cases/new", {"title": ""})
    assert response.status_code == 422
    summary = html.unescape(response.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0])
    assert '<a href="#f-title">Titel: ' in summary
    assert 'id="f-title"' in response.text


async def test_a_past_follow_up_date_is_marked_at_its_field(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.VEREINBARUNG)
    url = f"/cases/{case_id}/transitions/nachbetreuung"
    yesterday = (today() - timedelta(days=1)).isoformat()
    response = await form_post(
        team.mediator, url, f"/cases/{case_id}/transitions", {"to": "nachbetreuung", "follow_up_date": yesterday}
    )
    assert response.status_code == 409
    assert "heute oder später" in field_error(response, "follow_up_date")
    assert 'href="#f-follow_up_date">Termin der Nachbetreuung: ' in html.unescape(response.text)
    assert f'value="{yesterday}"' in response.text, "the person's input stays in the form"


async def test_the_step_forward_stands_out_and_the_exits_wait_behind_a_details(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    page = (await team.mediator.get(f"/cases/{case_id}")).text
    forward, _sep, rest = page.partition('<details class="case-exits">')
    exits = rest.split("</details>", 1)[0]
    assert 'class="button" href="/cases/' in forward or "<button" in forward
    assert "Status ändern: Vorgespräche" in forward
    for exit_label in ("eingestellt", "nicht angenommen", "weitergeleitet", "ruhend"):
        assert f"Status ändern: {exit_label}</a>" in exits, exit_label
        assert f"Status ändern: {exit_label}</a>" not in forward, exit_label
    assert 'class="button secondary"' in exits


async def test_the_escalation_level_shows_its_glasl_name(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, case_id)
        assert case is not None
        case.escalation_level = 3
        await session.commit()
    page = (await team.mediator.get(f"/cases/{case_id}")).text
    assert "<dd>3 – Taten statt Worte</dd>" in page


async def test_the_case_page_shows_the_session_minutes(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_with_minutes(app, team, "Ruhezeiten ab 22 Uhr vereinbart.")
    page = (await team.mediator.get(f"/cases/{case_id}")).text
    assert "Ergebnisprotokolle" in page
    assert "Ruhezeiten ab 22 Uhr vereinbart." in page


async def test_all_consents_of_a_party_in_one_form_with_today_prefilled(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG, complete=False)
    added = await form_post(
        team.mediator,
        f"/cases/{case_id}/participations/new",
        f"/cases/{case_id}/participations/new",
        {"party.kind": "person", "party.name": "Erika Muster", "role": "anliegend", "status": "informiert"},
    )
    assert added.status_code == 303, added.text
    async with app.state["alchemy_config"].get_session() as session:
        participation = await session.scalar(select(m.Participation).where(m.Participation.case_id == case_id))
        assert participation is not None
    url = f"/participations/{participation.id}"
    page = (await team.mediator.get(url)).text
    assert page.count(f'type="date" value="{today().isoformat()}"') == len(m.ConsentPurpose)
    assert page.count('action="' + url + '/consents"') == 1, "one form for all consents"

    too_late = (today() - timedelta(days=2)).isoformat()
    refused = await form_post(
        team.mediator,
        url,
        f"{url}/consents",
        {
            "mediation.given": "on",
            "mediation.given_on": today().isoformat(),
            "contact.given": "on",
            "contact.given_on": today().isoformat(),
            "contact.withdrawn_on": too_late,
        },
    )
    assert refused.status_code == 422
    assert field_error(refused, "contact.withdrawn_on")
    async with app.state["alchemy_config"].get_session() as session:
        assert await session.scalar(select(func.count()).select_from(m.Consent)) == 0, "all or none"

    saved = await form_post(
        team.mediator,
        url,
        f"{url}/consents",
        {
            "mediation.given": "on",
            "mediation.given_on": today().isoformat(),
            "documentation.given": "on",
            "documentation.given_on": today().isoformat(),
            "contact.given_on": today().isoformat(),  # not ticked: not recorded
        },
    )
    assert saved.status_code == 303
    async with app.state["alchemy_config"].get_session() as session:
        purposes = set(await session.scalars(select(m.Consent.purpose)))
    assert purposes == {"mediation", "documentation"}
