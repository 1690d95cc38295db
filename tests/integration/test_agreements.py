"""Agreements and their items through the API: CRUD, item status flow, validation, access, versions,
audit trail without free text, and the two workflow guards that look at agreements."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import func, select, update

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.agreements.services import ITEM_FLOW
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api

pytestmark = pytest.mark.anyio

CANARY = "KANARIENVOGEL-7f3a"
TODAY = today()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
LAST_WEEK = (TODAY - timedelta(days=7)).isoformat()
NEXT_MONTH = (TODAY + timedelta(days=30)).isoformat()


@pytest.fixture
def set_case_status(app: Litestar) -> Any:
    """Puts the case into a status directly: parties and sessions, which the real path needs, are not built here."""

    async def set_status(case_id: str, status: m.CaseStatus) -> None:
        async with app.state["alchemy_config"].get_session() as session:
            await session.execute(update(m.Case).where(m.Case.id == uuid.UUID(case_id)).values(status=status.value))
            await session.commit()

    return set_status


def _agreements_url(team: CaseTeam) -> str:
    return f"/api/v1/cases/{team.case_id}/agreements"


async def _create(team: CaseTeam, **body: Any) -> dict[str, Any]:
    body.setdefault("title", "Ruhezeiten am Bolzplatz")
    response = await api(team.mediator, "POST", _agreements_url(team), body)
    assert response.status_code == 201, response.text
    return response.json()


async def _add_item(team: CaseTeam, agreement_id: str, **body: Any) -> dict[str, Any]:
    body.setdefault("responsible", "Jugendliche am Bolzplatz")
    body.setdefault("action", "Ab 22 Uhr keine Musik")
    response = await api(team.mediator, "POST", f"/api/v1/agreements/{agreement_id}/items", body)
    assert response.status_code == 201, response.text
    return response.json()


async def _events(team: CaseTeam) -> list[dict[str, Any]]:
    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")
    assert response.status_code == 200
    return response.json()


async def _count(app: Litestar, model: type[m.Agreement] | type[m.AgreementItem]) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_create_with_items_then_read_and_list(app: Litestar, team: CaseTeam) -> None:
    created = await _create(
        team,
        concluded_on=LAST_WEEK,
        items=[
            {"responsible": "Anwohnende Nordseite", "action": "Melden Lärm zuerst direkt", "due_on": NEXT_MONTH},
            {"responsible": "Jugendliche am Bolzplatz", "action": "Müll nach dem Spiel mitnehmen"},
        ],
    )
    assert created["title"] == "Ruhezeiten am Bolzplatz"
    assert created["concluded_on"] == LAST_WEEK
    assert created["version"] == 1
    assert created["follow_up_result"] is None
    assert [(i["position"], i["status"], i["version"]) for i in created["items"]] == [(1, "offen", 1), (2, "offen", 1)]
    assert created["items"][0]["due_on"] == NEXT_MONTH

    for client in (team.mediator, team.coordinator):
        detail = await api(client, "GET", f"/api/v1/agreements/{created['id']}")
        assert detail.status_code == 200
        assert detail.json() == created
        listed = await api(client, "GET", _agreements_url(team))
        assert listed.status_code == 200
        assert [a["id"] for a in listed.json()] == [created["id"]]
    assert await _count(app, m.AgreementItem) == 2


async def test_coordinator_writes_too(team: CaseTeam) -> None:
    response = await api(team.coordinator, "POST", _agreements_url(team), {"title": "Vereinbarung Koordination"})
    assert response.status_code == 201
    agreement = response.json()
    item = await api(
        team.coordinator, "POST", f"/api/v1/agreements/{agreement['id']}/items", {"responsible": "a", "action": "b"}
    )
    assert item.status_code == 201
    patched = await api(
        team.coordinator, "PATCH", f"/api/v1/agreements/{agreement['id']}", {"version": 1, "title": "Neu"}
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "Neu"


async def test_items_are_ordered_by_position(team: CaseTeam) -> None:
    agreement = await _create(team)
    first = await _add_item(team, agreement["id"], action="erstens")
    second = await _add_item(team, agreement["id"], action="zweitens")
    assert (first["position"], second["position"]) == (1, 2)
    early = await _add_item(team, agreement["id"], action="ganz vorne", position=1)
    # Same position: the earlier item stays first.
    url = f"/api/v1/agreements/{agreement['id']}"
    assert [i["action"] for i in (await api(team.mediator, "GET", url)).json()["items"]] == [
        "erstens",
        "ganz vorne",
        "zweitens",
    ]
    moved = await api(team.mediator, "PATCH", f"/api/v1/agreement-items/{first['id']}", {"version": 1, "position": 9})
    assert moved.status_code == 200
    assert moved.json()["version"] == 2
    assert [i["id"] for i in (await api(team.mediator, "GET", url)).json()["items"]] == [
        early["id"],
        second["id"],
        first["id"],
    ]
    # A new item without a position goes after the last one.
    assert (await _add_item(team, agreement["id"]))["position"] == 10


async def test_update_agreement_and_record_follow_up(team: CaseTeam) -> None:
    agreement = await _create(team)
    url = f"/api/v1/agreements/{agreement['id']}"
    first = await api(team.mediator, "PATCH", url, {"version": 1, "title": "Neuer Titel", "concluded_on": LAST_WEEK})
    assert first.status_code == 200, first.text
    assert (first.json()["title"], first.json()["concluded_on"], first.json()["version"]) == (
        "Neuer Titel",
        LAST_WEEK,
        2,
    )
    second = await api(
        team.mediator, "PATCH", url, {"version": 2, "follow_up_result": "teilweise", "follow_up_recorded_on": YESTERDAY}
    )
    assert second.status_code == 200, second.text
    body = second.json()
    assert (body["follow_up_result"], body["follow_up_recorded_on"], body["version"]) == ("teilweise", YESTERDAY, 3)
    # Nothing changed, nothing written: the version stays.
    same = await api(team.mediator, "PATCH", url, {"version": 3, "title": "Neuer Titel"})
    assert same.json()["version"] == 3
    cleared = await api(
        team.mediator, "PATCH", url, {"version": 3, "follow_up_result": None, "follow_up_recorded_on": None}
    )
    assert cleared.status_code == 200
    assert cleared.json()["follow_up_result"] is None


# (body, status, the field the problem names)
INVALID_CREATES: list[tuple[dict[str, Any], int, str]] = [
    ({"title": "x" * 201}, 400, "title"),
    ({"title": 42}, 400, "title"),
    ({"title": "   "}, 422, "title"),
    ({}, 400, "title"),  # missing
    ({"title": "t", "concluded_on": "gestern"}, 400, "concluded_on"),
    ({"title": "t", "concluded_on": NEXT_MONTH}, 422, "concluded_on"),
    ({"title": "t", "follow_up_result": "traegt"}, 400, "follow_up_result"),  # not on create
    ({"title": "t", "items": [{"responsible": "a", "action": "x" * 4001}]}, 400, "items[0].action"),
    ({"title": "t", "items": [{"responsible": "r" * 201, "action": "a"}]}, 400, "items[0].responsible"),
    ({"title": "t", "items": [{"action": "a"}]}, 400, "responsible"),  # missing
    ({"title": "t", "items": [{"responsible": "a", "action": "b", "position": 0}]}, 400, "items[0].position"),
    (
        {
            "title": "t",
            "concluded_on": YESTERDAY,
            "items": [{"responsible": "a", "action": "b", "due_on": LAST_WEEK}],
        },
        422,
        "items[0].due_on",
    ),
]


def _names(problem: dict[str, Any], field: str) -> bool:
    """Type errors name the field itself; a missing or unknown one is named in the message (`field`)."""
    return any(e["field"] == field or f"`{field}`" in e["message"] for e in problem["errors"])


async def test_invalid_create_names_the_field_and_writes_nothing(app: Litestar, team: CaseTeam) -> None:
    before = await _events(team)
    for body, status, field in INVALID_CREATES:
        response = await api(team.mediator, "POST", _agreements_url(team), body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert _names(response.json(), field), (body, response.text)
    assert (await _count(app, m.Agreement), await _count(app, m.AgreementItem)) == (0, 0)
    assert await _events(team) == before


INVALID_UPDATES: list[tuple[dict[str, Any], int, str]] = [
    ({"follow_up_result": "gut"}, 400, "follow_up_result"),
    ({"follow_up_result": "traegt"}, 422, "follow_up_recorded_on"),  # required together
    ({"follow_up_recorded_on": YESTERDAY}, 422, "follow_up_result"),
    (
        {"follow_up_result": "nicht", "follow_up_recorded_on": (TODAY - timedelta(days=30)).isoformat()},
        422,
        "follow_up_recorded_on",
    ),
    ({"follow_up_result": "nicht", "follow_up_recorded_on": NEXT_MONTH}, 422, "follow_up_recorded_on"),
    ({"concluded_on": NEXT_MONTH}, 422, "concluded_on"),
    ({"concluded_on": TODAY.isoformat()}, 422, "concluded_on"),  # an item is due before that
    ({"title": ["a"]}, 400, "title"),
    ({"title": "x" * 201}, 400, "title"),
    ({"version": "eins"}, 400, "version"),
    ({"status": "umgesetzt"}, 400, "status"),  # agreements have no status; their items do
]


async def test_invalid_update_names_the_field_and_changes_nothing(team: CaseTeam) -> None:
    agreement = await _create(
        team, concluded_on=LAST_WEEK, items=[{"responsible": "a", "action": "b", "due_on": YESTERDAY}]
    )
    before = await _events(team)
    for body, status, field in INVALID_UPDATES:
        response = await api(team.mediator, "PATCH", f"/api/v1/agreements/{agreement['id']}", {"version": 1, **body})
        assert response.status_code == status, (body, response.text)
        assert _names(response.json(), field), (body, response.text)
    assert (await api(team.mediator, "GET", f"/api/v1/agreements/{agreement['id']}")).json() == agreement
    assert await _events(team) == before


INVALID_ITEM_UPDATES: list[tuple[dict[str, Any], int, str]] = [
    ({"status": "fertig"}, 400, "status"),
    ({"status": 3}, 400, "status"),
    ({"position": "eins"}, 400, "position"),
    ({"position": 0}, 400, "position"),
    ({"responsible": "r" * 201}, 400, "responsible"),
    ({"action": "a" * 4001}, 400, "action"),
    ({"action": " "}, 422, "action"),
    ({"due_on": LAST_WEEK}, 422, "due_on"),  # before the agreement was concluded
    ({"due_on": "morgen"}, 400, "due_on"),
    ({"agreement_id": str(uuid.uuid4())}, 400, "agreement_id"),  # items do not move between agreements
]


async def test_invalid_item_update_names_the_field_and_changes_nothing(team: CaseTeam) -> None:
    agreement = await _create(team, concluded_on=YESTERDAY, items=[{"responsible": "a", "action": "b"}])
    item = agreement["items"][0]
    before = await _events(team)
    for body, status, field in INVALID_ITEM_UPDATES:
        response = await api(team.mediator, "PATCH", f"/api/v1/agreement-items/{item['id']}", {"version": 1, **body})
        assert response.status_code == status, (body, response.text)
        assert _names(response.json(), field), (body, response.text)
    assert (await api(team.mediator, "GET", f"/api/v1/agreements/{agreement['id']}")).json()["items"] == [item]
    assert await _events(team) == before


async def test_invalid_new_item_is_refused(app: Litestar, team: CaseTeam) -> None:
    agreement = await _create(team, concluded_on=YESTERDAY)
    url = f"/api/v1/agreements/{agreement['id']}/items"
    early = await api(team.mediator, "POST", url, {"responsible": "a", "action": "b", "due_on": LAST_WEEK})
    assert early.status_code == 422
    assert [e["field"] for e in early.json()["errors"]] == ["due_on"]
    missing = await api(team.mediator, "POST", url, {"responsible": "a"})
    assert missing.status_code == 400
    assert "`action`" in missing.json()["errors"][0]["message"]
    assert await _count(app, m.AgreementItem) == 0


STATUSES = list(m.ItemStatus)
# The shortest way to reach each status from `offen`.
PATH_TO = {s: [] if s is m.ItemStatus.OFFEN else [s.value] for s in STATUSES}


async def test_item_status_flow(app: Litestar, team: CaseTeam) -> None:
    agreement = await _create(team)
    checked = 0
    for source in STATUSES:
        for target in STATUSES:
            if source is target:
                continue
            item = await _add_item(team, agreement["id"])
            version = 1
            for step in PATH_TO[source]:
                moved = await api(
                    team.mediator,
                    "PATCH",
                    f"/api/v1/agreement-items/{item['id']}",
                    {"version": version, "status": step},
                )
                assert moved.status_code == 200, moved.text
                version = moved.json()["version"]
            response = await api(
                team.mediator,
                "PATCH",
                f"/api/v1/agreement-items/{item['id']}",
                {"version": version, "status": target.value},
            )
            allowed = target in ITEM_FLOW[source]
            assert response.status_code == (200 if allowed else 409), (source, target, response.text)
            if allowed:
                assert response.json()["status"] == target.value
            else:
                assert response.json()["field"] == "status"
                assert response.json()["current_status"] == source.value
                async with app.state["alchemy_config"].get_session() as session:
                    stored = await session.get(m.AgreementItem, uuid.UUID(item["id"]))
                    assert stored is not None
                    assert (stored.status, stored.version) == (source.value, version)
            checked += 1
    assert checked == 20
    # Spelled out, so that the table cannot drift from the rule quietly.
    assert ITEM_FLOW[m.ItemStatus.OFFEN] == set(STATUSES) - {m.ItemStatus.OFFEN}
    assert ITEM_FLOW[m.ItemStatus.IN_UMSETZUNG] == {"umgesetzt", "nicht_umgesetzt", "obsolet"}
    assert not any(ITEM_FLOW[s] for s in ("umgesetzt", "nicht_umgesetzt", "obsolet"))


UNKNOWN: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/agreements/{random}", None),
    ("PATCH", "/api/v1/agreements/{random}", {"version": 1, "title": "x"}),
    ("POST", "/api/v1/agreements/{random}/items", {"responsible": "a", "action": "b"}),
    ("PATCH", "/api/v1/agreement-items/{random}", {"version": 1, "status": "obsolet"}),
    ("GET", "/api/v1/cases/{random}/agreements", None),
    ("POST", "/api/v1/cases/{random}/agreements", {"title": "x"}),
    ("GET", "/api/v1/agreements/kein-uuid", None),
]


async def test_unknown_ids_are_404(app: Litestar, team: CaseTeam) -> None:
    for method, url, body in UNKNOWN:
        response = await api(team.mediator, method, url.format(random=uuid.uuid4()), body)
        assert response.status_code == 404, (method, url)
    assert await _count(app, m.Agreement) == 0


def _calls(team: CaseTeam, agreement: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    item = agreement["items"][0]
    return [
        ("list", "GET", _agreements_url(team), None),
        ("create", "POST", _agreements_url(team), {"title": "Zweite"}),
        ("read", "GET", f"/api/v1/agreements/{agreement['id']}", None),
        ("update", "PATCH", f"/api/v1/agreements/{agreement['id']}", {"version": 1, "title": "Geändert"}),
        ("add_item", "POST", f"/api/v1/agreements/{agreement['id']}/items", {"responsible": "c", "action": "d"}),
        ("update_item", "PATCH", f"/api/v1/agreement-items/{item['id']}", {"version": 1, "status": "in_umsetzung"}),
    ]


@pytest.mark.parametrize("who", ["mediator", "coordinator"])
async def test_case_team_reads_and_writes(app: Litestar, team: CaseTeam, who: str) -> None:
    agreement = await _create(team, items=[{"responsible": "a", "action": "b"}])
    for action, method, url, body in _calls(team, agreement):
        response = await api(getattr(team, who), method, url, body)
        assert response.status_code == (201 if method == "POST" else 200), (who, action, response.text)
    assert (await _count(app, m.Agreement), await _count(app, m.AgreementItem)) == (2, 2)


async def test_others_get_404_and_are_audited(app: Litestar, team: CaseTeam) -> None:
    agreement = await _create(team, items=[{"responsible": "a", "action": "b"}])
    before = await _events(team)
    calls = _calls(team, agreement)
    for who in ("other_mediator", "round_table", "admin"):
        for action, method, url, body in calls:
            response = await api(getattr(team, who), method, url, body)
            assert response.status_code == 404, (who, action, response.text)
    assert (await _count(app, m.Agreement), await _count(app, m.AgreementItem)) == (1, 1)
    assert (await api(team.mediator, "GET", f"/api/v1/agreements/{agreement['id']}")).json() == agreement
    # Nothing written but the audited denials, one per attempt.
    denied = (await _events(team))[len(before) :]
    assert [e["action"] for e in denied] == ["denied"] * 3 * len(calls)
    assert {e["details"]["attempted"] for e in denied} == {
        "read_agreements",
        "create_agreement",
        "read_agreement",
        "update_agreement",
        "add_agreement_item",
        "update_agreement_item",
    }


async def test_stale_versions_are_refused(team: CaseTeam) -> None:
    agreement = await _create(team, items=[{"responsible": "a", "action": "b"}])
    url = f"/api/v1/agreements/{agreement['id']}"
    assert (await api(team.mediator, "PATCH", url, {"version": 1, "title": "Erste Fassung"})).status_code == 200
    stale = await api(team.coordinator, "PATCH", url, {"version": 1, "title": "Überschrieben?"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert (await api(team.mediator, "GET", url)).json()["title"] == "Erste Fassung"

    item_url = f"/api/v1/agreement-items/{agreement['items'][0]['id']}"
    assert (await api(team.mediator, "PATCH", item_url, {"version": 1, "status": "in_umsetzung"})).status_code == 200
    stale_item = await api(team.coordinator, "PATCH", item_url, {"version": 1, "status": "obsolet"})
    assert stale_item.status_code == 409
    assert stale_item.json()["current_version"] == 2
    assert (await api(team.mediator, "GET", url)).json()["items"][0]["status"] == "in_umsetzung"


async def test_every_change_is_audited_without_free_text(team: CaseTeam) -> None:
    before = len(await _events(team))
    agreement = await _create(
        team, title=f"Titel {CANARY}", items=[{"responsible": f"Wer {CANARY}", "action": f"Was {CANARY}"}]
    )
    first = agreement["items"][0]
    item = await _add_item(team, agreement["id"], responsible=CANARY, action=f"Noch etwas {CANARY}")
    url = f"/api/v1/agreements/{agreement['id']}"
    await api(team.mediator, "PATCH", url, {"version": 1, "title": f"Neu {CANARY}", "concluded_on": LAST_WEEK})
    await api(
        team.mediator, "PATCH", url, {"version": 2, "follow_up_result": "traegt", "follow_up_recorded_on": YESTERDAY}
    )
    await api(team.mediator, "PATCH", f"/api/v1/agreement-items/{item['id']}", {"version": 1, "action": f"{CANARY}!"})
    await api(team.mediator, "PATCH", f"/api/v1/agreement-items/{first['id']}", {"version": 1, "status": "umgesetzt"})

    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/events")
    assert CANARY not in response.text
    events = response.json()[before:]
    assert [(e["action"], e["details"]) for e in events] == [
        ("agreement_created", {"agreement_id": agreement["id"], "item_ids": [first["id"]]}),
        ("agreement_item_added", {"agreement_id": agreement["id"], "item_id": item["id"], "status": "offen"}),
        ("agreement_updated", {"agreement_id": agreement["id"], "fields": ["concluded_on", "title"]}),
        (
            "agreement_updated",
            {
                "agreement_id": agreement["id"],
                "fields": ["follow_up_recorded_on", "follow_up_result"],
                "follow_up_result": "traegt",
            },
        ),
        ("agreement_item_updated", {"agreement_id": agreement["id"], "item_id": item["id"], "fields": ["action"]}),
        (
            "agreement_item_updated",
            {
                "agreement_id": agreement["id"],
                "item_id": first["id"],
                "fields": ["status"],
                "status_from": "offen",
                "status_to": "umgesetzt",
            },
        ),
    ]
    assert all(e["reason"] is None and e["actor_id"] == str(team.mediator_user.id) for e in events)


async def _missing(team: CaseTeam, target: m.CaseStatus) -> set[str]:
    response = await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}/transitions")
    assert response.status_code == 200
    (option,) = [o for o in response.json() if o["to"] == target.value]
    return {item["guard"] for item in option["missing"]}


async def test_guard_agreement_with_item(team: CaseTeam, set_case_status: Any) -> None:
    await set_case_status(team.case_id, m.CaseStatus.IN_MEDIATION)
    assert "agreement_with_item" in await _missing(team, m.CaseStatus.VEREINBARUNG)
    agreement = await _create(team)
    assert "agreement_with_item" in await _missing(team, m.CaseStatus.VEREINBARUNG), "an agreement without items"
    await _add_item(team, agreement["id"])
    assert "agreement_with_item" not in await _missing(team, m.CaseStatus.VEREINBARUNG)


async def test_guard_follow_up_result(team: CaseTeam, set_case_status: Any) -> None:
    await set_case_status(team.case_id, m.CaseStatus.NACHBETREUUNG)
    first = await _create(team, concluded_on=LAST_WEEK, items=[{"responsible": "a", "action": "b"}])
    second = await _create(team, concluded_on=LAST_WEEK)
    assert "follow_up_result" in await _missing(team, m.CaseStatus.ABGESCHLOSSEN)
    result = {"version": 1, "follow_up_result": "traegt", "follow_up_recorded_on": YESTERDAY}
    assert (await api(team.mediator, "PATCH", f"/api/v1/agreements/{first['id']}", result)).status_code == 200
    assert "follow_up_result" in await _missing(team, m.CaseStatus.ABGESCHLOSSEN), "one agreement still open"
    assert (await api(team.mediator, "PATCH", f"/api/v1/agreements/{second['id']}", result)).status_code == 200
    assert "follow_up_result" not in await _missing(team, m.CaseStatus.ABGESCHLOSSEN)
