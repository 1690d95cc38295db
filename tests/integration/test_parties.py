"""Participations (party × case) and consents through the API: aliases, updates, versions, workflow guards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.parties.aliases import alias_for, index_of, next_alias
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api

pytestmark = pytest.mark.anyio

UNKNOWN_ID = "0191e4e6-0000-7000-8000-000000000000"


async def add_party(client: AsyncClient, case_id: str, role: str = "anliegend", **party: object) -> dict:
    body = {"role": role, "party": {"kind": "person", "name": "Erika Muster", **party}}
    response = await api(client, "POST", f"/api/v1/cases/{case_id}/participations", body)
    assert response.status_code == 201, response.text
    return response.json()


async def count(app: Litestar, model: type) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize(
    ("index", "alias"),
    [(0, "Partei A"), (1, "Partei B"), (25, "Partei Z"), (26, "Partei AA"), (27, "Partei AB"), (701, "Partei ZZ")],
)
def test_alias_sequence(index: int, alias: str) -> None:
    assert alias_for(index) == alias
    assert index_of(alias) == index


def test_next_alias_follows_the_highest_and_never_reuses_a_gap() -> None:
    assert next_alias([]) == "Partei A"
    assert next_alias(["Partei A", "Partei C"]) == "Partei D"
    assert next_alias(["Partei Z", "Partei B"]) == "Partei AA"
    assert next_alias(["Zeugin", "Partei A"]) == "Partei B"


async def test_participations_are_created_listed_and_read(team: CaseTeam) -> None:
    first = await add_party(team.mediator, team.case_id, "anliegend", language="Türkisch", group_size_estimate=1)
    second = await add_party(
        team.coordinator, team.case_id, "betroffen", kind="informal_group", name="Jugendliche am Bolzplatz"
    )
    third = await add_party(team.mediator, team.case_id, "institution", kind="organisation", name="Ordnungsamt")
    assert [first["alias"], second["alias"], third["alias"]] == ["Partei A", "Partei B", "Partei C"]
    assert first["role"] == "anliegend"
    assert first["status"] == "erfasst"
    assert first["version"] == 1
    assert first["consents"] == []
    assert first["party"]["pseudonym"].startswith("P-")
    assert first["party"]["language"] == "Türkisch"
    assert first["party"]["group_size_estimate"] == 1
    assert set(first["party"]) == {"id", "pseudonym", "kind", "group_size_estimate", "language"}

    for client in (team.mediator, team.coordinator):
        listed = await api(client, "GET", f"/api/v1/cases/{team.case_id}/participations")
        assert listed.status_code == 200
        assert [row["alias"] for row in listed.json()] == ["Partei A", "Partei B", "Partei C"]
        assert [row["party"]["kind"] for row in listed.json()] == ["person", "informal_group", "organisation"]

    detail = await api(team.mediator, "GET", f"/api/v1/participations/{second['id']}")
    assert detail.status_code == 200
    assert detail.json() == second

    events = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    added = [e for e in events if e["action"] == "participation_added"]
    assert [e["details"]["participation_id"] for e in added] == [first["id"], second["id"], third["id"]]
    assert all(e["details"]["new_party"] for e in added)


async def test_aliases_continue_past_z(team: CaseTeam) -> None:
    for _ in range(28):
        last = await add_party(team.mediator, team.case_id, "unterstuetzung")
    assert last["alias"] == "Partei AB"
    listed = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/participations")).json()
    assert [row["alias"] for row in listed][24:] == ["Partei Y", "Partei Z", "Partei AA", "Partei AB"]


async def test_existing_party_joins_another_case_but_not_the_same_one_twice(app: Litestar, team: CaseTeam) -> None:
    first = await add_party(team.mediator, team.case_id)
    party_id = first["party"]["id"]
    created = await api(team.mediator, "POST", "/api/v1/cases", {"title": "Müll am Kiosk"})
    assert created.status_code == 201
    other_case = created.json()["id"]
    joined = await api(
        team.mediator, "POST", f"/api/v1/cases/{other_case}/participations", {"party_id": party_id, "role": "betroffen"}
    )
    assert joined.status_code == 201, joined.text
    assert joined.json()["alias"] == "Partei A"
    assert joined.json()["party"]["id"] == party_id
    assert (await api(team.mediator, "GET", f"/api/v1/cases/{other_case}/events")).json()[-1]["details"][
        "new_party"
    ] is False

    twice = await api(
        team.mediator, "POST", f"/api/v1/cases/{other_case}/participations", {"party_id": party_id, "role": "anliegend"}
    )
    assert twice.status_code == 422
    assert [e["field"] for e in twice.json()["errors"]] == ["party_id"]
    assert await count(app, m.Participation) == 2
    assert await count(app, m.Party) == 1


async def test_a_party_the_user_cannot_see_is_an_unknown_party_id(app: Litestar, team: CaseTeam) -> None:
    foreign = await add_party(team.mediator, team.case_id)
    own_case = (await api(team.other_mediator, "POST", "/api/v1/cases", {"title": "Parkplatz"})).json()["id"]
    for party_id in (foreign["party"]["id"], UNKNOWN_ID):
        response = await api(
            team.other_mediator,
            "POST",
            f"/api/v1/cases/{own_case}/participations",
            {"party_id": party_id, "role": "betroffen"},
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["party_id"]
    assert await count(app, m.Participation) == 1


async def test_party_or_party_id_exactly_once(app: Litestar, team: CaseTeam) -> None:
    for body, field in (
        ({"role": "anliegend"}, "party"),
        ({"role": "anliegend", "party_id": UNKNOWN_ID, "party": {"kind": "person", "name": "X"}}, "party_id"),
        ({"role": "anliegend", "party": {"kind": "person", "name": "   "}}, "party.name"),
    ):
        response = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/participations", body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await count(app, m.Party) == 0
    assert await count(app, m.Participation) == 0


async def test_participation_update_and_stale_version(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team.mediator, team.case_id, "betroffen")
    url = f"/api/v1/participations/{created['id']}"
    updated = await api(team.mediator, "PATCH", url, {"version": 1, "role": "anliegend", "status": "informiert"})
    assert updated.status_code == 200, updated.text
    assert (updated.json()["role"], updated.json()["status"], updated.json()["version"]) == (
        "anliegend",
        "informiert",
        2,
    )
    # Nothing changed: no new version, no event.
    same = await api(team.coordinator, "PATCH", url, {"version": 2, "status": "informiert"})
    assert same.json()["version"] == 2

    stale = await api(team.coordinator, "PATCH", url, {"version": 1, "status": "abgelehnt"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert (await api(team.mediator, "GET", url)).json()["status"] == "informiert"

    events = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    updates = [e for e in events if e["action"] == "participation_updated"]
    assert [e["details"] for e in updates] == [{"participation_id": created["id"], "fields": ["role", "status"]}]


async def test_consents_are_upserted_per_purpose_and_audited(team: CaseTeam) -> None:
    created = await add_party(team.mediator, team.case_id)
    url = f"/api/v1/participations/{created['id']}/consents"
    given = today() - timedelta(days=10)
    withdrawn = today() - timedelta(days=2)

    first = await api(team.mediator, "PUT", f"{url}/mediation", {"given_on": given.isoformat()})
    assert first.status_code == 200, first.text
    assert first.json()["consents"] == [{"purpose": "mediation", "given_on": given.isoformat(), "withdrawn_on": None}]
    contact = await api(team.coordinator, "PUT", f"{url}/contact", {"given_on": given.isoformat()})
    assert [c["purpose"] for c in contact.json()["consents"]] == ["mediation", "contact"]
    again = await api(
        team.mediator,
        "PUT",
        f"{url}/mediation",
        {"given_on": given.isoformat(), "withdrawn_on": withdrawn.isoformat()},
    )
    assert again.status_code == 200
    assert again.json()["consents"][0] == {
        "purpose": "mediation",
        "given_on": given.isoformat(),
        "withdrawn_on": withdrawn.isoformat(),
    }
    # The same values once more change nothing and are not audited again.
    await api(
        team.mediator, "PUT", f"{url}/mediation", {"given_on": given.isoformat(), "withdrawn_on": withdrawn.isoformat()}
    )

    listed = (await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}/participations")).json()
    assert len(listed[0]["consents"]) == 2
    events = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    assert [e["details"] for e in events if e["action"] == "consent_recorded"] == [
        {"participation_id": created["id"], "purpose": "mediation", "given": True, "withdrawn": False},
        {"participation_id": created["id"], "purpose": "contact", "given": True, "withdrawn": False},
        {"participation_id": created["id"], "purpose": "mediation", "given": True, "withdrawn": True},
    ]


async def test_bad_consents_name_the_field_and_write_nothing(app: Litestar, team: CaseTeam) -> None:
    created = await add_party(team.mediator, team.case_id)
    url = f"/api/v1/participations/{created['id']}/consents"

    def day(days_ago: int) -> str:
        return (today() - timedelta(days=days_ago)).isoformat()

    for purpose, body, status, field in (
        ("mediation", {"given_on": day(3), "withdrawn_on": day(5)}, 422, "withdrawn_on"),
        ("mediation", {"given_on": day(-1)}, 422, "given_on"),
        ("contact", {"given_on": day(3), "withdrawn_on": day(-1)}, 422, "withdrawn_on"),
        ("einkaufen", {"given_on": day(1)}, 400, "purpose"),
        ("mediation", {"given_on": "gestern"}, 400, "given_on"),
        ("mediation", {}, 400, "given_on"),
        ("mediation", {"given_on": day(1), "note": "x"}, 400, "note"),
    ):
        response = await api(team.mediator, "PUT", f"{url}/{purpose}", body)
        assert response.status_code == status, (purpose, body, response.text)
        errors = response.json()["errors"]
        if status == 422:
            assert [e["field"] for e in errors] == [field], body
        else:
            assert any(field in e["field"] or field in e["message"] for e in errors), errors
    assert await count(app, m.Consent) == 0


async def _core_parties_in_klaerung(team: CaseTeam) -> tuple[dict, dict]:
    moved = await api(team.coordinator, "POST", f"/api/v1/cases/{team.case_id}/transitions", {"to": "in_klaerung"})
    assert moved.status_code == 200, moved.text
    a = await add_party(team.mediator, team.case_id, "anliegend")
    b = await add_party(team.mediator, team.case_id, "betroffen", kind="informal_group", name="Anwohnende Nordseite")
    await add_party(team.mediator, team.case_id, "unterstuetzung", name="Helfer")
    return a, b


async def _in_mediation_option(team: CaseTeam) -> dict:
    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/transitions")
    assert response.status_code == 200, response.text
    return next(option for option in response.json() if option["to"] == "in_mediation")


async def _consent(team: CaseTeam, participation: dict, **dates: str) -> None:
    url = f"/api/v1/participations/{participation['id']}/consents/mediation"
    response = await api(team.mediator, "PUT", url, {"given_on": (today() - timedelta(days=1)).isoformat(), **dates})
    assert response.status_code == 200, response.text


async def test_workflow_guard_sees_mediation_consents(team: CaseTeam) -> None:
    a, b = await _core_parties_in_klaerung(team)
    for participation in (a, b):
        await _consent(team, participation)
    option = await _in_mediation_option(team)
    assert "core_mediation_consent" not in [item["guard"] for item in option["missing"]]
    assert option["allowed"] is True


async def test_workflow_guard_names_missing_and_withdrawn_consents(team: CaseTeam) -> None:
    a, b = await _core_parties_in_klaerung(team)
    await _consent(team, a)
    missing = (await _in_mediation_option(team))["missing"]
    assert [item for item in missing if item["guard"] == "core_mediation_consent"] == [
        {"guard": "core_mediation_consent", "message": "Einwilligung in die Mediation von Partei B"}
    ]
    # A withdrawn consent counts as none.
    await _consent(team, b, withdrawn_on=today().isoformat())
    option = await _in_mediation_option(team)
    assert "core_mediation_consent" in [item["guard"] for item in option["missing"]]
    assert option["allowed"] is False
