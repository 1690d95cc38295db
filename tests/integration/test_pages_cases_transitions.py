"""Status changes from the pages, and the coordination's assignment of mediators."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, create_user, form_post
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio


async def _case(app: Litestar, case_id: object) -> m.Case:
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, UUID(str(case_id)))
        assert case is not None
        return case


async def _events(app: Litestar, case_id: object) -> list[m.CaseEvent]:
    async with app.state["alchemy_config"].get_session() as session:
        return list(
            await session.scalars(
                select(m.CaseEvent).where(m.CaseEvent.case_id == UUID(str(case_id))).order_by(m.CaseEvent.seq)
            )
        )


async def test_coordinator_moves_a_case_on_with_one_click(app: Litestar, team: CaseTeam) -> None:
    page_url = f"/cases/{team.case_id}"
    response = await form_post(
        team.coordinator, page_url, f"{page_url}/transitions", {"to": "in_klaerung", "version": team.version}
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == page_url
    page = await team.coordinator.get(page_url)
    assert "ist jetzt „in Klärung“" in page.text
    assert "Status: in Klärung" in page.text
    assert "Status: eingegangen → in Klärung" in page.text  # the timeline
    assert (await _case(app, team.case_id)).status == "in_klaerung"


async def test_blocked_step_names_what_is_missing(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG, complete=False)
    async with app.state["alchemy_config"].get_session() as session:
        for index, consents in enumerate(([m.ConsentPurpose.MEDIATION], [])):
            participation = m.Participation(
                case_id=case_id,
                party=m.Party(kind="person", name=f"Person {index}"),
                alias=f"Partei {'AB'[index]}",
                role="anliegend",
                status="informiert",
            )
            participation.consents = [m.Consent(purpose=p.value, given_on=today()) for p in consents]
            session.add(participation)
        await session.commit()
    page = await team.mediator.get(f"/cases/{case_id}")
    assert "Noch nicht möglich" in page.text
    # "Es fehlt" links to where the missing thing is entered (issue 13): the parties' section.
    assert f'Es fehlt: <a href="/cases/{case_id}#parteien">Einwilligung in die Mediation von Partei B</a>' in page.text
    assert "Status ändern: Vorgespräche" in page.text  # possible: a party is informed

    form = await team.mediator.get(f"/cases/{case_id}/transitions/in_mediation")
    assert form.status_code == 200
    assert f'Es fehlt: <a href="/cases/{case_id}#parteien">Einwilligung in die Mediation von Partei B</a>' in form.text
    assert 'action="/cases/' not in form.text  # nothing to submit while data is missing

    version = (await _case(app, case_id)).version
    refused = await form_post(
        team.mediator,
        f"/cases/{case_id}/transitions/vorgespraeche",
        f"/cases/{case_id}/transitions",
        {"to": "in_mediation", "version": version},
    )
    assert refused.status_code == 409
    assert "Statuswechsel nicht möglich" in refused.text
    assert "Einwilligung in die Mediation von Partei B" in refused.text
    assert (await _case(app, case_id)).status == "in_klaerung"


async def test_reason_is_asked_for_and_required(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    url = f"/cases/{case_id}/transitions/eingestellt"
    form = await team.mediator.get(url)
    assert form.status_code == 200
    assert "<h1>Status ändern: eingestellt</h1>" in form.text
    assert re.search(r'<label for="f-reason">Begründung <span aria-hidden="true">\*', form.text)
    version = (await _case(app, case_id)).version
    missing = await form_post(
        team.mediator, url, f"/cases/{case_id}/transitions", {"to": "eingestellt", "version": version, "reason": " "}
    )
    assert missing.status_code == 409
    assert "eine Begründung" in missing.text
    assert (await _case(app, case_id)).status == "in_klaerung"
    done = await form_post(
        team.mediator,
        url,
        f"/cases/{case_id}/transitions",
        {"to": "eingestellt", "version": version, "reason": "Parteien wollen nicht mehr"},
    )
    assert done.status_code == 303
    page = await team.mediator.get(f"/cases/{case_id}")
    assert "ist jetzt „eingestellt“" in page.text
    assert "Begründung: Parteien wollen nicht mehr" in page.text
    assert (await _case(app, case_id)).closure_reason == "Parteien wollen nicht mehr"


async def test_on_hold_needs_a_resubmission_date(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.VORGESPRAECHE)
    url = f"/cases/{case_id}/transitions/ruhend"
    form = await team.mediator.get(url)
    assert "Wiedervorlage am" in form.text
    version = (await _case(app, case_id)).version
    bad = await form_post(
        team.mediator,
        url,
        f"/cases/{case_id}/transitions",
        {"to": "ruhend", "version": version, "reason": "Urlaub", "resubmission_date": "morgen"},
    )
    assert bad.status_code == 422
    assert 'id="f-resubmission_date-error"' in bad.text
    assert ">Urlaub</textarea>" in bad.text
    day = today() + timedelta(days=21)
    done = await form_post(
        team.mediator,
        url,
        f"/cases/{case_id}/transitions",
        {"to": "ruhend", "version": version, "reason": "Urlaub", "resubmission_date": day.isoformat()},
    )
    assert done.status_code == 303
    case = await _case(app, case_id)
    assert (case.status, case.resubmission_date, case.resume_to) == ("ruhend", day, "vorgespraeche")
    page = await team.mediator.get(f"/cases/{case_id}")
    assert "Status ändern: Vorgespräche" in page.text  # back to where it was, one click


async def test_closing_asks_for_the_outcome(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
    url = f"/cases/{case_id}/transitions/abgeschlossen"
    form = await team.mediator.get(url)
    assert "<legend>Ergebnis" in form.text
    assert "keine Einigung" in form.text
    assert "Einigung vollständig" not in form.text  # only the results this step accepts
    version = (await _case(app, case_id)).version
    done = await form_post(
        team.mediator,
        url,
        f"/cases/{case_id}/transitions",
        {"to": "abgeschlossen", "version": version, "outcome": "keine_einigung"},
    )
    assert done.status_code == 303, done.text
    case = await _case(app, case_id)
    assert (case.status, case.outcome) == ("abgeschlossen", "keine_einigung")
    assert "Ergebnis: keine Einigung" in (await team.mediator.get(f"/cases/{case_id}")).text


async def test_stale_transition_is_refused_visibly(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    url = f"/cases/{case_id}/transitions/eingestellt"
    version = (await _case(app, case_id)).version
    changed = await api(team.coordinator, "PATCH", f"/api/v1/cases/{case_id}", {"version": version, "urgency": "hoch"})
    assert changed.status_code == 200
    response = await form_post(
        team.mediator, url, f"/cases/{case_id}/transitions", {"to": "eingestellt", "version": version, "reason": "Ende"}
    )
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text
    assert f'name="version" value="{version + 1}"' in response.text
    assert (await _case(app, case_id)).status == "in_klaerung"


async def test_coordinator_override_needs_confirmation_and_reason(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    page = await team.coordinator.get(f"/cases/{case_id}")
    assert "Als Übersteuerung der Koordination" in page.text
    assert "Übersteuern: Vorgespräche" in page.text
    url = f"/cases/{case_id}/transitions/vorgespraeche"
    form = await team.coordinator.get(url)
    assert "Ich übersteuere diesen Schritt als Koordination." in form.text
    version = (await _case(app, case_id)).version
    refused = await form_post(
        team.coordinator,
        url,
        f"/cases/{case_id}/transitions",
        {"to": "vorgespraeche", "version": version, "reason": "Mediatorin krank"},
    )
    assert refused.status_code == 403
    assert 'id="f-override-error"' in refused.text
    assert ">Mediatorin krank</textarea>" in refused.text
    done = await form_post(
        team.coordinator,
        url,
        f"/cases/{case_id}/transitions",
        {"to": "vorgespraeche", "version": version, "reason": "Mediatorin krank", "override": "on"},
    )
    assert done.status_code == 303
    assert (await _case(app, case_id)).status == "vorgespraeche"
    assert (await _events(app, case_id))[-1].details["override"] is True
    assert "Übersteuerung durch die Koordination" in (await team.coordinator.get(f"/cases/{case_id}")).text


async def test_mediator_cannot_take_a_coordinators_step(app: Litestar, team: CaseTeam) -> None:
    assert (await team.mediator.get(f"/cases/{team.case_id}/transitions/in_klaerung")).status_code == 404
    response = await form_post(
        team.mediator,
        f"/cases/{team.case_id}",
        f"/cases/{team.case_id}/transitions",
        {"to": "in_klaerung", "version": team.version},
    )
    assert response.status_code == 403
    assert (await _case(app, team.case_id)).status == "eingegangen"


async def test_coordinator_assigns_mediators_and_returns_to_the_dashboard(app: Litestar, team: CaseTeam) -> None:
    second = await create_user(app, "zweite@example.org", [m.Role.MEDIATOR], name="Zora Zweite")
    await create_user(app, "inaktiv@example.org", [m.Role.MEDIATOR], name="Ina Inaktiv")
    async with app.state["alchemy_config"].get_session() as session:
        inactive = await session.scalar(select(m.User).where(m.User.email == "inaktiv@example.org"))
        assert inactive is not None
        inactive.is_active = False
        await session.commit()
    url = f"/cases/{team.case_id}/mediators"
    form = await team.coordinator.get(url + "?next=/dashboard")
    assert form.status_code == 200
    assert "Mila Mediation" in form.text
    assert "Zora Zweite" in form.text
    assert "Anton Anderer" in form.text
    assert "Ina Inaktiv" not in form.text
    assert re.search(rf'value="{team.mediator_user.id}" checked', form.text)
    assert 'name="next" value="/dashboard"' in form.text
    response = await form_post(
        team.coordinator,
        url,
        url,
        {
            "version": team.version,
            "mediator_ids": ["", str(team.mediator_user.id), str(second.id)],
            "next": "/dashboard",
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dashboard"
    case_page = await team.coordinator.get(f"/cases/{team.case_id}")
    assert "Mediator:innen für" in case_page.text
    assert "gespeichert." in case_page.text
    assert "Zora Zweite" in case_page.text
    async with app.state["alchemy_config"].get_session() as session:
        ids = set(
            await session.scalars(select(m.CaseMediator.user_id).where(m.CaseMediator.case_id == UUID(team.case_id)))
        )
    assert ids == {team.mediator_user.id, second.id}


async def test_mediator_assignment_refusals(app: Litestar, team: CaseTeam) -> None:
    url = f"/cases/{team.case_id}/mediators"
    assert (await team.mediator.get(url)).status_code == 403
    assert (await team.other_mediator.get(url)).status_code == 404
    stale = await form_post(
        team.coordinator, url, url, {"version": team.version - 1, "mediator_ids": ["", str(team.mediator_user.id)]}
    )
    assert stale.status_code == 409
    assert "Inzwischen geändert" in stale.text
    evil = await form_post(
        team.coordinator,
        url + "?next=https://evil.example",
        url,
        {"version": team.version, "mediator_ids": ["", str(team.mediator_user.id)], "next": "https://evil.example"},
    )
    assert evil.status_code == 303
    assert evil.headers["location"] == f"/cases/{team.case_id}"
    bad = await form_post(
        team.coordinator, url, url, {"version": str(team.version + 1), "mediator_ids": ["", "kein-uuid"]}
    )
    assert bad.status_code == 422
    assert 'id="f-mediator_ids-error"' in bad.text
