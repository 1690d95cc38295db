"""The case page (everything about one case, for the case team) and the edit form."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest
from litestar import Litestar

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, form_post

pytestmark = pytest.mark.anyio

CANARY = {"name": "Canary Kowalski", "phone": "+49 170 5550123", "email": "canary.kowalski@example.org"}


async def _case(app: Litestar, case_id: str) -> m.Case:
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, UUID(case_id))
        assert case is not None
        return case


async def _fill(team: CaseTeam) -> dict[str, str]:
    """A canary party, notes in every tier, an agreement with an item and an administration request."""
    url = f"/api/v1/cases/{team.case_id}"
    party = await api(
        team.mediator, "POST", f"{url}/participations", {"role": "anliegend", "party": {"kind": "person", **CANARY}}
    )
    assert party.status_code == 201, party.text
    consent = await api(
        team.mediator,
        "PUT",
        f"/api/v1/participations/{party.json()['id']}/consents/mediation",
        {"given_on": today().isoformat()},
    )
    assert consent.status_code == 200, consent.text
    for tier, body in (
        ("mediator_private", "Geheime Einschätzung"),
        ("case_team", "Für das Team"),
        ("shareable", "Für den Bericht"),
    ):
        note = await api(team.mediator, "POST", f"{url}/notes", {"tier": tier, "body": body})
        assert note.status_code == 201, note.text
    agreement = await api(
        team.mediator,
        "POST",
        f"{url}/agreements",
        {"title": "Ruhezeiten am Platz", "items": [{"responsible": "Partei A", "action": "Musik ab 22 Uhr leiser"}]},
    )
    assert agreement.status_code == 201, agreement.text
    request = await api(
        team.mediator,
        "POST",
        f"{url}/administration-requests",
        {"department": "Grünflächenamt", "subject": "Neuer Mülleimer am Eingang"},
    )
    assert request.status_code == 201, request.text
    return {
        "participation_id": party.json()["id"],
        "party_id": party.json()["party"]["id"],
        "pseudonym": party.json()["party"]["pseudonym"],
        "agreement_id": agreement.json()["id"],
    }


async def test_case_page_for_the_assigned_mediator(app: Litestar, team: CaseTeam) -> None:
    ids = await _fill(team)
    page = await team.mediator.get(f"/cases/{team.case_id}")
    assert page.status_code == 200
    html = page.text
    case = await _case(app, team.case_id)
    assert '<html lang="de">' in html
    assert html.count("<h1") == 1
    assert case.reference in html
    assert "Status: eingegangen" in html
    assert "Mila Mediation" in html
    for heading in (
        "Nächste Schritte",
        "Beteiligte",
        "Sitzungen",
        "Vereinbarungen",
        "Notizen",
        "Anliegen an die Verwaltung",
        "Verlauf",
    ):
        assert f">{heading}</h2>" in html, heading
    # parties: alias and pseudonym, consents, links – never name or contact data
    assert "Partei A" in html
    assert ids["pseudonym"] in html
    assert "Mediation: " in html
    assert "erteilt am" in html
    assert f'href="/participations/{ids["participation_id"]}"' in html
    assert f'href="/parties/{ids["party_id"]}"' in html
    for secret in (*CANARY.values(), "Kowalski", "5550123"):
        assert secret not in html, secret
    # notes by tier, the tier on each
    for tier_label, body in (
        ("nur Mediation (vertraulich)", "Geheime Einschätzung"),
        ("Fallteam", "Für das Team"),
        ("teilbar (nach Freigabe)", "Für den Bericht"),
    ):
        assert f"Vertraulichkeit: {tier_label}" in html
        assert body in html
    # agreement with its item, administration request, add links
    assert "Ruhezeiten am Platz" in html
    assert "Musik ab 22 Uhr leiser" in html
    assert ">offen<" in html
    assert f'hx-get="/cases/{team.case_id}/quick/new-item-{ids["agreement_id"]}"' in html
    assert "Neuer Mülleimer am Eingang" in html
    assert "Grünflächenamt" in html
    # Quick actions in their sections, closed: opening one fetches its form (htmx); without JavaScript it
    # links to the full form (test_pages_quick_actions.py).
    for key, action in (("party", "participations/new"), ("session", "sessions/new"), ("note", "notes/new")):
        assert f'hx-get="/cases/{team.case_id}/quick/{key}"' in html, key
        assert f'<a href="/cases/{team.case_id}/{action}">' in html, action
    assert f'hx-get="/cases/{team.case_id}/quick/agreement"' in html
    for link in ("participations/new", "sessions/new", "administration-requests/new"):
        assert f'href="/cases/{team.case_id}/{link}"' in html, link
    # timeline: German labels and staff names
    assert "Fall angelegt" in html
    assert "Mediator:innen zugewiesen" in html
    assert "Partei hinzugefügt" in html
    assert "Kora Koordination" in html
    # in `eingegangen` a mediator may only put the case on hold; accepting it is the coordination's step
    assert f'href="/cases/{team.case_id}/transitions/ruhend">Status ändern: ruhend</a>' in html
    assert "in Klärung" not in html
    assert "Mediator:innen zuweisen" not in html


async def test_case_page_for_the_coordinator_hides_private_notes(team: CaseTeam) -> None:
    await _fill(team)
    html = (await team.coordinator.get(f"/cases/{team.case_id}")).text
    assert "Geheime Einschätzung" not in html
    assert "nur Mediation (vertraulich)" not in html
    assert "Für das Team" in html
    assert "Für den Bericht" in html
    assert html.count("Notiz angelegt") == 2  # work on the private note stays out of the timeline too
    assert f'href="/cases/{team.case_id}/mediators"' in html
    assert "Status ändern: in Klärung" in html  # allowed now: one click
    assert 'name="to" value="in_klaerung"' in html
    assert f'href="/cases/{team.case_id}/transitions/nicht_angenommen"' in html
    for secret in (*CANARY.values(), "Kowalski"):
        assert secret not in html


async def test_edit_saves_and_shows_the_change(app: Litestar, team: CaseTeam) -> None:
    url = f"/cases/{team.case_id}/edit"
    form = await team.mediator.get(url)
    assert form.status_code == 200
    assert 'value="Lärm am Platz"' in form.text
    for label in ("Mediationsphase", "Wiedervorlage", "Termin der Nachbetreuung", "Eskalationsstufe (Glasl)"):
        assert f">{label}" in form.text
    follow_up = (today() + timedelta(days=30)).isoformat()
    response = await form_post(
        team.mediator,
        url,
        url,
        {
            "version": team.version,
            "title": "Lärm am Marktplatz",
            "description": "",
            "conflict_type_id": team.conflict_type_id,
            "quartier_id": team.quartier_id,
            "place_id": "",
            "referral_source": "polizei",
            "urgency": "hoch",
            "escalation_level": "3",
            "phase": "themensammlung",
            "resubmission_date": "",
            "follow_up_date": follow_up,
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{team.case_id}"
    page = await team.mediator.get(response.headers["location"])
    assert "Änderungen am Fall gespeichert." in page.text
    assert "Lärm am Marktplatz" in page.text
    assert "Phase: Themensammlung" in page.text
    case = await _case(app, team.case_id)
    assert (case.title, case.urgency, case.escalation_level, case.phase) == (
        "Lärm am Marktplatz",
        "hoch",
        3,
        "themensammlung",
    )
    assert case.follow_up_date is not None
    assert case.follow_up_date.isoformat() == follow_up
    assert case.version == team.version + 1


async def test_edit_error_keeps_the_input_and_writes_nothing(app: Litestar, team: CaseTeam) -> None:
    url = f"/cases/{team.case_id}/edit"
    response = await form_post(
        team.mediator,
        url,
        url,
        {
            "version": team.version,
            "title": "  ",
            "description": "Neue Beschreibung",
            "referral_source": "polizei",
            "urgency": "normal",
            "follow_up_date": "31.02.2026",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id="f-title-error">Bitte ausfüllen\.<', response.text)
    assert re.search(r'id="f-follow_up_date-error">[^<]*Datum', response.text)
    assert ">Neue Beschreibung</textarea>" in response.text
    case = await _case(app, team.case_id)
    assert (case.title, case.description, case.version) == ("Lärm am Platz", None, team.version)


async def test_stale_edit_shows_the_current_values(app: Litestar, team: CaseTeam) -> None:
    url = f"/cases/{team.case_id}/edit"
    form = await team.mediator.get(url)  # the mediator opens the form …
    changed = await api(
        team.coordinator,
        "PATCH",
        f"/api/v1/cases/{team.case_id}",
        {"version": team.version, "title": "Von der Koordination geändert"},
    )
    assert changed.status_code == 200, changed.text
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    assert csrf
    response = await team.mediator.post(
        url,
        data={  # … and saves with the version it saw
            "_csrf_token": csrf.group(1),
            "version": str(team.version),
            "title": "Meine Fassung",
            "referral_source": "sonstige",
            "urgency": "normal",
        },
    )
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text
    assert 'value="Von der Koordination geändert"' in response.text
    assert f'name="version" value="{team.version + 1}"' in response.text
    assert (await _case(app, team.case_id)).title == "Von der Koordination geändert"
