"""The case page's quick actions, with and without JavaScript (issue 13).

Each quick action is a form in its section of the case page. Without JavaScript it posts as usual:
303 back to the case page's section, the message as a flash. With htmx (`HX-Request`) the same POST is
answered with the section alone, for htmx to swap in place: 200 with the message inside it, 422 with
the form and the message next to the field, 409 with the stored values and the person's own input —
and "Nächste Schritte" out of band, since a new party or session can make a step possible. An htmx
request of an ended session is sent to sign in (`HX-Redirect`), back to the page it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import uuid4

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import BERLIN, today
from tests.helpers import CaseTeam, api, create_user, csrf_from, sign_in
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio

HTMX = {"hx-request": "true", "hx-current-url": "http://testserver/cases/x"}


async def _post(client: AsyncClient, case_page: Response, url: str, data: dict[str, Any], *, htmx: bool) -> Response:
    """A quick form sent like the browser sends it: htmx carries the token in a header (hx-headers)."""
    token = csrf_from(case_page)
    if htmx:
        return await client.post(url, data=data, headers={**HTMX, "x-csrftoken": token})
    return await client.post(url, data={**data, "_csrf_token": token})


def _section(response: Response, section_id: str) -> None:
    """The answer is the one section (swapped by htmx) and the next steps out of band, not a page."""
    assert "<html" not in response.text
    assert response.text.lstrip().startswith(f'<section id="{section_id}"')
    assert 'id="naechste-schritte" aria-labelledby="actions-h" hx-swap-oob="true"' in response.text


async def _created(team: CaseTeam, records: str, body: dict[str, Any]) -> dict[str, Any]:
    made = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/{records}", body)
    assert made.status_code == 201, made.text
    answer: dict[str, Any] = made.json()
    return answer


async def _ids(team: CaseTeam) -> dict[str, Any]:
    """A party with a pending status and an agreement with one open item, through the API."""
    party = await _created(
        team, "participations", {"role": "anliegend", "party": {"kind": "person", "name": "Quinn Quick"}}
    )
    agreement = await _created(
        team, "agreements", {"title": "Ruhe", "items": [{"responsible": "Partei A", "action": "Leiser"}]}
    )
    item = agreement["items"][0]
    return {
        "participation": party["id"],
        "participation_version": party["version"],
        "agreement": agreement["id"],
        "item": item["id"],
        "item_version": item["version"],
    }


def _actions(case_id: str, ids: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], str]]:
    """Every quick action: (url, section id, a valid form, the success message)."""
    held = (datetime.now(BERLIN) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    participation = ids["participation"]
    return [
        (
            f"/cases/{case_id}/notes/new",
            "notizen",
            {"quick": "note", "tier": "case_team", "body": "Kurz notiert"},
            "Notiz gespeichert.",
        ),
        (
            f"/cases/{case_id}/participations/new",
            "parteien",
            {
                "quick": "party",
                "party.kind": "person",
                "party.name": "Rosa Rasch",
                "role": "betroffen",
                "status": "informiert",
            },
            "Partei B hinzugefügt.",
        ),
        (
            f"/participations/{participation}/consents",
            "parteien",
            {"quick": f"consents-{participation}", "mediation.given": "on", "mediation.given_on": today().isoformat()},
            "Einwilligungen von Partei A gespeichert.",
        ),
        (
            f"/participations/{participation}",
            "parteien",
            {"quick": f"status-{participation}", "version": str(ids["participation_version"]), "status": "zugestimmt"},
            "Partei A gespeichert.",
        ),
        (
            f"/cases/{case_id}/sessions/new",
            "sitzungen",
            {
                "quick": "session",
                "kind": "vorgespraech",
                "when": held,
                "status": "",
                "participation_ids": participation,
                "minutes": "Erstes Gespräch",
            },
            "Sitzung gespeichert.",
        ),
        (
            f"/cases/{case_id}/agreements/new",
            "vereinbarung",
            {"quick": "agreement", "title": "Müll", "item.responsible": "Partei A", "item.action": "Tonnen rein"},
            "Vereinbarung gespeichert.",
        ),
        (
            f"/agreements/{ids['agreement']}/items/new",
            "vereinbarung",
            {"quick": f"new-item-{ids['agreement']}", "responsible": "Partei B", "action": "Grüßt"},
            "Punkt der Vereinbarung gespeichert.",
        ),
        (
            f"/agreement-items/{ids['item']}",
            "vereinbarung",
            {"quick": f"item-{ids['item']}", "version": str(ids["item_version"]), "status": "in_umsetzung"},
            "Punkt der Vereinbarung gespeichert.",
        ),
    ]


def _disclosure(key: str) -> str:
    """The disclosure on the case page that holds the quick form `key`: a party's consents and status
    share one; an agreement item's status is a form in its row of the page."""
    record = key.split("-", 1)[-1]
    if key.startswith(("consents-", "status-")):
        return f"participation-{record}"
    return "" if key.startswith("item-") else key


async def test_each_quick_action_works_with_and_without_htmx(team: CaseTeam) -> None:
    case_url = f"/cases/{team.case_id}"
    ids = await _ids(team)
    page = await team.mediator.get(case_url)
    for url, _section_id, data, _message in _actions(team.case_id, ids):
        # The page holds the form closed and fetches it when the person opens it (htmx, once).
        key = _disclosure(data["quick"])
        if key:
            assert f'hx-get="{case_url}/quick/{key}" hx-trigger="toggle once from:closest details"' in page.text, key
            fetched = await team.mediator.get(f"{case_url}/quick/{key}")
            assert fetched.status_code == 200, (key, fetched.text[:500])
            assert "<html" not in fetched.text
            forms = fetched.text
        else:
            forms = page.text
        for form in forms.split("<form")[1:]:
            if f'action="{url}"' in form:
                assert f'hx-post="{url}"' in form, url
                assert 'name="quick"' in form, url
                break
        else:
            pytest.fail(f"the case page has no quick form for {url}")

    # With htmx: the section, updated, with the message inside it; nothing left for the next page.
    for url, section_id, data, message in _actions(team.case_id, ids):
        answer = await _post(team.mediator, page, url, data, htmx=True)
        assert answer.status_code == 200, (url, answer.text[:500])
        _section(answer, section_id)
        assert f'<p class="flash flash-success" role="status" tabindex="-1" data-km-focus>{message}</p>' in answer.text
    assert "flash-success" not in (await team.mediator.get(case_url)).text
    assert "Quinn Quick" not in answer.text  # names stay on the party page

    # Without JavaScript: the same forms post as ever (303 to the case page, the message as a flash).
    ids = await _ids(team)
    for url, _section_id, data, _message in _actions(team.case_id, ids):
        if url.endswith("/participations/new"):
            data = {**data, "party.name": "Otto Ohne"}
        answer = await _post(team.mediator, page, url, data, htmx=False)
        assert answer.status_code == 303, (url, answer.text[:500])
        shown = await team.mediator.get(answer.headers["location"])
        assert "flash-success" in shown.text
        assert "<html" in shown.text


async def test_quick_forms_are_fetched_when_opened_and_read_like_the_case_page(app: Litestar, team: CaseTeam) -> None:
    """The page renders each quick action closed: with htmx its form is fetched on opening; without
    JavaScript the disclosure holds a link to the action's full page. The fetched form is read with the
    case page's access: a mediator not on the case gets 404, as for the page, and so does a key the page
    would not offer (an unknown record, any form of a closed case)."""
    ids = await _ids(team)
    case_url = f"/cases/{team.case_id}"
    page = (await team.mediator.get(case_url)).text
    for key, full_page in [
        ("note", f"{case_url}/notes/new"),
        ("party", f"{case_url}/participations/new"),
        ("session", f"{case_url}/sessions/new"),
        ("agreement", f"{case_url}/agreements/new"),
        ("attachment", f"{case_url}/attachments/new"),
        (f"participation-{ids['participation']}", f"/participations/{ids['participation']}"),
        (f"new-item-{ids['agreement']}", f"/agreements/{ids['agreement']}/items/new"),
    ]:
        body = page.split(f'hx-get="{case_url}/quick/{key}"', 1)[1].split("</div>", 1)[0]
        assert f'<a href="{full_page}">' in body, key
        assert (await team.mediator.get(full_page)).status_code == 200, full_page
        assert (await team.other_mediator.get(f"{case_url}/quick/{key}")).status_code == 404, key
    fetched = (await team.mediator.get(f"{case_url}/quick/participation-{ids['participation']}")).text
    assert 'id="f-q1-mediation.given_on"' in fetched, "the field ids the page gives the first party's form"
    for key in ("nothing", f"participation-{uuid4()}", f"new-item-{ids['participation']}", "new-item-x"):
        assert (await team.mediator.get(f"{case_url}/quick/{key}")).status_code == 404, key

    closed = await case_in_state(app, team, m.CaseStatus.EINGESTELLT)
    assert 'hx-get="' not in (await team.mediator.get(f"/cases/{closed}")).text
    assert (await team.mediator.get(f"/cases/{closed}/quick/note")).status_code == 404


async def _sent_back(
    client: AsyncClient, page: Response, url: str, data: dict[str, Any], status: int, section_id: str
) -> str:
    """An htmx quick action that is refused: its section comes back with `status`."""
    answer = await _post(client, page, url, data, htmx=True)
    assert answer.status_code == status, answer.text[:500]
    _section(answer, section_id)
    return answer.text


async def test_refused_quick_actions_come_back_into_their_section(team: CaseTeam) -> None:
    """422: the form open, the message next to its field (ids kept apart per form); 409: the stored
    values in the form and the person's own input beside them."""
    ids = await _ids(team)
    case_url = f"/cases/{team.case_id}"
    page = await team.mediator.get(case_url)
    note = await _sent_back(
        team.mediator, page, f"{case_url}/notes/new", {"quick": "note", "tier": "case_team", "body": ""}, 422, "notizen"
    )
    assert re.search(r'<details class="quick" open>\s*<summary class="button secondary">Notiz hinzufügen', note)
    assert 'id="f-body-error"' in note

    session = await _sent_back(
        team.mediator, page, f"{case_url}/sessions/new", {"quick": "session", "kind": "", "when": ""}, 422, "sitzungen"
    )
    assert 'id="f-qs-kind-error"' in session
    assert 'id="f-qs-when-error"' in session
    assert '<a href="#f-qs-kind">Art der Sitzung: ' in session  # the summary names and links the field

    item = ids["item"]
    changed = await api(
        team.coordinator,
        "PATCH",
        f"/api/v1/agreement-items/{item}",
        {"version": ids["item_version"], "action": "Viel leiser"},
    )
    assert changed.status_code == 200, changed.text
    data = {"quick": f"item-{item}", "version": str(ids["item_version"]), "status": "umgesetzt"}
    stale = await _sent_back(team.mediator, page, f"/agreement-items/{item}", data, 409, "vereinbarung")
    assert "Inzwischen geändert" in stale
    assert "Viel leiser" in stale
    assert f'name="version" value="{changed.json()["version"]}"' in stale
    own = r'<ul class="own-input"><li><a href="#f-qi1-1-status">Status von Punkt 1: <span class="prewrap">umgesetzt'
    assert re.search(own, stale)


async def test_an_ended_session_sends_htmx_to_sign_in_and_the_session_can_be_renewed(
    app: Litestar, make_client: Callable[[], AsyncClient]
) -> None:
    """Needs no case: any signed-in page carries the session figure, and an ended session is refused
    before the route is looked at."""
    await create_user(app, "mila@example.org")
    mila = make_client()
    await sign_in(mila, "mila@example.org")
    page = await mila.get("/cases/mine")
    # The page says how long the session lasts at least (idle − renewal interval) and at most.
    found = re.search(r'<meta name="km-session" content="(\d+) (\d+)">', page.text)
    assert found is not None
    assert 0 < int(found.group(1)) <= int(found.group(2))
    assert 'id="session-warning" role="alert" hidden' in page.text

    renewed = await mila.post("/session/renew", headers={"x-csrftoken": csrf_from(page)})
    assert renewed.status_code == 200
    assert renewed.json()["seconds_left"] > int(found.group(1))
    refused = await mila.post("/session/renew")  # no CSRF token
    assert refused.status_code == 403

    case_url = f"/cases/{uuid4()}"
    stranger = await make_client().post(
        f"{case_url}/notes/new",
        data={"quick": "note", "tier": "case_team", "body": "Getippt"},
        headers={"hx-request": "true", "hx-current-url": f"http://testserver{case_url}#notizen"},
    )
    assert stranger.status_code == 401
    assert stranger.headers["hx-redirect"] == f"/login?next={quote(case_url, safe='')}"
    assert "Getippt" not in stranger.text
