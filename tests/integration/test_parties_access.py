"""Who may do what with parties and participations, and bad input: 4xx naming the field, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar import Litestar
from sqlalchemy import func, select, update

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api

pytestmark = pytest.mark.anyio

UNKNOWN_ID = "0191e4e6-0000-7000-8000-000000000000"
ROLES = ("mediator", "coordinator", "other_mediator", "round_table", "admin")

# action → expected status per role, in the order of ROLES.
MATRIX = {
    "list": (200, 200, 404, 404, 404),
    "add": (201, 201, 404, 404, 404),
    "read_participation": (200, 200, 404, 404, 404),
    "update_participation": (200, 200, 404, 404, 404),
    "record_consent": (200, 200, 404, 404, 404),
    "read_party": (200, 200, 404, 404, 404),
    "update_party": (200, 403, 404, 404, 404),
}


async def _seed(team: CaseTeam) -> dict:
    response = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/participations",
        {"role": "anliegend", "party": {"kind": "person", "name": "Erika Muster"}},
    )
    assert response.status_code == 201
    return response.json()


def _request(action: str, team: CaseTeam, seeded: dict) -> tuple[str, str, dict | None]:
    participation = f"/api/v1/participations/{seeded['id']}"
    party = f"/api/v1/parties/{seeded['party']['id']}"
    given = (today() - timedelta(days=1)).isoformat()
    return {
        "list": ("GET", f"/api/v1/cases/{team.case_id}/participations", None),
        "add": (
            "POST",
            f"/api/v1/cases/{team.case_id}/participations",
            {"role": "betroffen", "party": {"kind": "informal_group", "name": "Gruppe"}},
        ),
        "read_participation": ("GET", participation, None),
        "update_participation": ("PATCH", participation, {"version": seeded["version"], "status": "informiert"}),
        "record_consent": ("PUT", f"{participation}/consents/mediation", {"given_on": given}),
        "read_party": ("GET", party, None),
        "update_party": ("PATCH", party, {"version": 1, "language": "Arabisch"}),
    }[action]


@pytest.mark.parametrize("action", sorted(MATRIX))
async def test_authorization_matrix(app: Litestar, team: CaseTeam, action: str) -> None:
    seeded = await _seed(team)
    for role, expected in zip(ROLES, MATRIX[action], strict=True):
        method, url, body = _request(action, team, seeded)
        response = await api(getattr(team, role), method, url, body)
        assert response.status_code == expected, (role, action, response.text)
        if expected >= 400:
            assert response.headers["content-type"] == "application/problem+json"
            assert "Erika" not in response.text
        if response.status_code < 400 and method != "GET":
            seeded = await _seed_again(team, seeded)


async def _seed_again(team: CaseTeam, seeded: dict) -> dict:
    """After a successful write, the next role works on the current version."""
    current = await api(team.mediator, "GET", f"/api/v1/participations/{seeded['id']}")
    return current.json()


async def test_refused_reads_and_writes_are_audited_on_the_case(team: CaseTeam) -> None:
    seeded = await _seed(team)
    for role in ("other_mediator", "round_table", "admin"):
        assert (await api(getattr(team, role), *_request("list", team, seeded))).status_code == 404
        assert (await api(getattr(team, role), *_request("record_consent", team, seeded))).status_code == 404
    events = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    attempts = [e["details"]["attempted"] for e in events if e["action"] == "denied"]
    assert attempts == ["read", "record_consent:mediation"] * 3
    assert [e["details"] for e in events if e["action"] == "consent_recorded"] == []


async def test_archived_case_takes_no_new_parties(app: Litestar, team: CaseTeam) -> None:
    seeded = await _seed(team)
    async with app.state["alchemy_config"].get_session() as session:
        await session.execute(update(m.Case).values(status=m.CaseStatus.ARCHIVIERT.value))
        await session.commit()
    add = await api(team.coordinator, *_request("add", team, seeded))
    assert add.status_code == 409
    consent = await api(team.mediator, *_request("record_consent", team, seeded))
    assert consent.status_code == 409
    party = await api(team.mediator, *_request("update_party", team, seeded))
    assert party.status_code == 409
    assert (await api(team.mediator, *_request("list", team, seeded))).status_code == 200


async def test_unknown_case_and_participation_are_404(team: CaseTeam) -> None:
    body = {"role": "anliegend", "party": {"kind": "person", "name": "X"}}
    assert (await api(team.coordinator, "POST", f"/api/v1/cases/{UNKNOWN_ID}/participations", body)).status_code == 404
    assert (await api(team.coordinator, "GET", f"/api/v1/cases/{UNKNOWN_ID}/participations")).status_code == 404
    for method, url, payload in (
        ("GET", f"/api/v1/participations/{UNKNOWN_ID}", None),
        ("PATCH", f"/api/v1/participations/{UNKNOWN_ID}", {"version": 1}),
        ("PUT", f"/api/v1/participations/{UNKNOWN_ID}/consents/mediation", {"given_on": "2026-01-01"}),
        ("PATCH", f"/api/v1/parties/{UNKNOWN_ID}", {"version": 1}),
    ):
        assert (await api(team.coordinator, method, url, payload)).status_code == 404, url
    assert (await api(team.coordinator, "GET", "/api/v1/parties/not-a-uuid")).status_code in {400, 404}


def _party(**fields: object) -> dict:
    return {"role": "anliegend", "party": {"kind": "person", "name": "Erika Muster", **fields}}


# (body, field the problem must name). One test walks each table: setting up a case team costs
# seconds (password hashing, sign-ins), a request milliseconds.
BAD_PARTICIPATIONS = [
    ({"role": "anliegend", "party": {"kind": "alien", "name": "X"}}, "kind"),
    ({"role": "zuschauer", "party": {"kind": "person", "name": "X"}}, "role"),
    ({**_party(), "status": "vielleicht"}, "status"),
    (_party(name="x" * 201), "name"),
    (_party(name=""), "name"),
    (_party(phone="1" * 51), "phone"),
    (_party(email="a" * 309 + "@example.org"), "email"),
    (_party(email="keine-adresse"), "email"),
    (_party(address="x" * 501), "address"),
    (_party(language="x" * 41), "language"),
    (_party(group_size_estimate=0), "group_size_estimate"),
    (_party(group_size_estimate=10001), "group_size_estimate"),
    (_party(group_size_estimate="viele"), "group_size_estimate"),
    (_party(name=42), "name"),
    ({"party": {"kind": "person", "name": "X"}}, "role"),
    ({"role": "anliegend", "party": {"kind": "person"}}, "name"),
    ({**_party(), "alias": "Partei Z"}, "alias"),
    (_party(pseudonym="P-AAAAAA"), "pseudonym"),
    ({"role": "anliegend", "party_id": "keine-uuid"}, "party_id"),
]

BAD_PARTY_UPDATES = [
    ({"name": "Neu"}, "version"),
    ({"version": "eins"}, "version"),
    ({"version": 1, "name": "x" * 201}, "name"),
    ({"version": 1, "name": None}, "name"),
    ({"version": 1, "kind": "firma"}, "kind"),
    ({"version": 1, "group_size_estimate": -3}, "group_size_estimate"),
    ({"version": 1, "phone": "1" * 51}, "phone"),
    ({"version": 1, "email": "a" * 309 + "@example.org"}, "email"),
    ({"version": 1, "pseudonym": "P-AAAAAA"}, "pseudonym"),
]

BAD_PARTICIPATION_UPDATES = [
    ({"version": 1, "role": "chef"}, "role"),
    ({"status": "informiert"}, "version"),
    ({"version": 1, "alias": "X"}, "alias"),
]


def _names(response_errors: list[dict], field: str) -> bool:
    return any(field in e["field"] or field in e["message"] for e in response_errors)


async def test_bad_participation_input_names_the_field_and_writes_nothing(app: Litestar, team: CaseTeam) -> None:
    for body, field in BAD_PARTICIPATIONS:
        response = await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/participations", body)
        assert response.status_code == 400, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert _names(response.json()["errors"], field), (body, response.json())
    async with app.state["alchemy_config"].get_session() as session:
        assert await session.scalar(select(func.count()).select_from(m.Party)) == 0
        assert await session.scalar(select(func.count()).select_from(m.Participation)) == 0


async def test_bad_updates_name_the_field_and_change_nothing(team: CaseTeam) -> None:
    seeded = await _seed(team)
    party_url = f"/api/v1/parties/{seeded['party']['id']}"
    participation_url = f"/api/v1/participations/{seeded['id']}"
    for url, table in ((party_url, BAD_PARTY_UPDATES), (participation_url, BAD_PARTICIPATION_UPDATES)):
        for body, field in table:
            response = await api(team.mediator, "PATCH", url, body)
            assert response.status_code == 400, (body, response.text)
            assert _names(response.json()["errors"], field), (body, response.json())
    party = (await api(team.mediator, "GET", party_url)).json()
    assert (party["name"], party["version"], party["pseudonym"]) == ("Erika Muster", 1, seeded["party"]["pseudonym"])
    assert (await api(team.mediator, "GET", participation_url)).json() == seeded
