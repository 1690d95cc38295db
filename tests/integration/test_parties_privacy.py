"""Party detail and updates: pseudonyms everywhere, contact data only for assigned mediators, encrypted at rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select, text

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api

pytestmark = pytest.mark.anyio

CANARY = {
    "name": "Canary Kowalski",
    "phone": "+49 170 5550123",
    "email": "canary.kowalski@example.org",
    "address": "Kanarienweg 7, 45127 Essen",
}
CANARY_TEXTS = (*CANARY.values(), "Kowalski", "5550123", "Kanarienweg")


async def add_canary(client: AsyncClient, case_id: str, role: str = "anliegend") -> dict:
    body = {"role": role, "party": {"kind": "person", **CANARY, "language": "Polnisch"}}
    response = await api(client, "POST", f"/api/v1/cases/{case_id}/participations", body)
    assert response.status_code == 201, response.text
    return response.json()


def assert_no_canary(response_text: str, where: str) -> None:
    for secret in CANARY_TEXTS:
        assert secret not in response_text, f"{secret!r} leaked into {where}"


async def test_lists_events_and_the_coordinators_view_never_show_the_party(team: CaseTeam) -> None:
    created = await add_canary(team.mediator, team.case_id)
    assert_no_canary(str(created), "the create response")
    party_url = f"/api/v1/parties/{created['party']['id']}"
    participation_url = f"/api/v1/participations/{created['id']}"
    await api(team.mediator, "PATCH", participation_url, {"version": 1, "status": "informiert"})
    await api(
        team.mediator,
        "PUT",
        f"{participation_url}/consents/contact",
        {"given_on": (today() - timedelta(days=1)).isoformat()},
    )
    changed = await api(
        team.mediator, "PATCH", party_url, {"version": 1, "phone": "+49 170 5550124", "address": CANARY["address"]}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["phone"] == "+49 170 5550124"

    for client in (team.mediator, team.coordinator):
        for url in (
            f"/api/v1/cases/{team.case_id}/participations",
            participation_url,
            f"/api/v1/cases/{team.case_id}/events",
            f"/api/v1/cases/{team.case_id}",
            f"/api/v1/cases/{team.case_id}/transitions",
            "/api/v1/cases",
        ):
            response = await api(client, "GET", url)
            assert response.status_code == 200, (url, response.text)
            assert_no_canary(response.text, url)
            assert "5550124" not in response.text

    coordinator_view = await api(team.coordinator, "GET", party_url)
    assert coordinator_view.status_code == 200
    assert_no_canary(coordinator_view.text, "the coordinator's party view")
    body = coordinator_view.json()
    assert body["contact_visible"] is False
    assert {key: body[key] for key in ("name", "phone", "email", "address")} == dict.fromkeys(
        ("name", "phone", "email", "address")
    )
    assert body["pseudonym"] == created["party"]["pseudonym"]
    assert body["language"] == "Polnisch"
    assert [(c["case_id"], c["alias"]) for c in body["cases"]] == [(team.case_id, "Partei A")]

    mediator_view = (await api(team.mediator, "GET", party_url)).json()
    assert mediator_view["contact_visible"] is True
    assert (mediator_view["name"], mediator_view["email"], mediator_view["address"]) == (
        CANARY["name"],
        CANARY["email"],
        CANARY["address"],
    )
    assert mediator_view["phone"] == "+49 170 5550124"


async def test_contact_data_is_encrypted_at_rest(app: Litestar, team: CaseTeam) -> None:
    await add_canary(team.mediator, team.case_id)
    async with app.state["alchemy_config"].get_session() as session:
        raw = (await session.execute(text("SELECT name, phone, email, address FROM party"))).one()
        decrypted = await session.scalar(select(m.Party))
    for stored, clear in zip(raw, (CANARY["name"], CANARY["phone"], CANARY["email"], CANARY["address"]), strict=True):
        assert stored
        assert clear not in str(stored)
    assert decrypted is not None
    assert (decrypted.name, decrypted.phone) == (CANARY["name"], CANARY["phone"])


async def test_party_update_is_audited_on_each_mediated_case_by_field_name(team: CaseTeam) -> None:
    created = await add_canary(team.mediator, team.case_id)
    party_id = created["party"]["id"]
    second_case = (await api(team.mediator, "POST", "/api/v1/cases", {"title": "Zweiter Fall"})).json()["id"]
    joined = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{second_case}/participations",
        {"party_id": party_id, "role": "betroffen"},
    )
    assert joined.status_code == 201

    updated = await api(
        team.mediator,
        "PATCH",
        f"/api/v1/parties/{party_id}",
        {"version": 1, "name": "  Canary K.  ", "email": None, "group_size_estimate": 3, "language": "Polnisch"},
    )
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert (body["name"], body["email"], body["group_size_estimate"], body["version"]) == ("Canary K.", None, 3, 2)
    assert sorted(c["case_id"] for c in body["cases"]) == sorted([team.case_id, second_case])

    for case_id in (team.case_id, second_case):
        events = (await api(team.mediator, "GET", f"/api/v1/cases/{case_id}/events")).json()
        assert [e["details"] for e in events if e["action"] == "party_updated"] == [
            {"party_id": party_id, "fields": ["email", "group_size_estimate", "name"]}
        ]
        assert "Canary" not in str(events)


async def test_party_update_with_a_stale_version_overwrites_nothing(team: CaseTeam) -> None:
    created = await add_canary(team.mediator, team.case_id)
    url = f"/api/v1/parties/{created['party']['id']}"
    assert (await api(team.mediator, "PATCH", url, {"version": 1, "kind": "organisation"})).status_code == 200
    stale = await api(team.mediator, "PATCH", url, {"version": 1, "name": "Jemand anderes", "kind": "person"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    current = (await api(team.mediator, "GET", url)).json()
    assert (current["name"], current["kind"], current["version"]) == (CANARY["name"], "organisation", 2)


async def test_only_assigned_mediators_update_a_party_and_refusals_are_audited(team: CaseTeam) -> None:
    created = await add_canary(team.coordinator, team.case_id)
    url = f"/api/v1/parties/{created['party']['id']}"
    refused = await api(team.coordinator, "PATCH", url, {"version": 1, "name": "Anders"})
    assert refused.status_code == 403
    for client in (team.other_mediator, team.round_table, team.admin):
        assert (await api(client, "PATCH", url, {"version": 1, "name": "Anders"})).status_code == 404
        assert (await api(client, "GET", url)).status_code == 404
    unknown = await api(team.mediator, "GET", "/api/v1/parties/0191e4e6-0000-7000-8000-000000000000")
    assert unknown.status_code == 404

    assert (await api(team.mediator, "GET", url)).json()["name"] == CANARY["name"]
    events = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    denied = [e["details"]["attempted"] for e in events if e["action"] == "denied"]
    assert denied.count("update_party") == 4  # the coordinator (403) and the three who get 404
    assert denied.count("read_party") == 3


async def test_party_detail_lists_only_cases_the_user_may_read(team: CaseTeam) -> None:
    created = await add_canary(team.mediator, team.case_id)
    party_id = created["party"]["id"]
    # The coordinator records the party in a case the mediator is not on.
    other_case = (await api(team.coordinator, "POST", "/api/v1/cases", {"title": "Anderswo"})).json()["id"]
    joined = await api(
        team.coordinator,
        "POST",
        f"/api/v1/cases/{other_case}/participations",
        {"party_id": party_id, "role": "betroffen"},
    )
    assert joined.status_code == 201
    mediator_cases = (await api(team.mediator, "GET", f"/api/v1/parties/{party_id}")).json()["cases"]
    coordinator_cases = (await api(team.coordinator, "GET", f"/api/v1/parties/{party_id}")).json()["cases"]
    assert [c["case_id"] for c in mediator_cases] == [team.case_id]
    assert sorted(c["case_id"] for c in coordinator_cases) == sorted([team.case_id, other_case])

    # The mediator's edit is audited on their case only.
    assert (
        await api(team.mediator, "PATCH", f"/api/v1/parties/{party_id}", {"version": 1, "language": "Deutsch"})
    ).status_code == 200
    other_events = (await api(team.coordinator, "GET", f"/api/v1/cases/{other_case}/events")).json()
    assert "party_updated" not in [e["action"] for e in other_events]
