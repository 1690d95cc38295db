"""A canary party and note: their name, phone number and text appear in no log line, no event and no
response to a user who may not see them (DESIGN.md §5)."""

from __future__ import annotations

import io
import logging

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import text

from konfliktmanagement.lib.settings import LogFormat
from tests.helpers import CaseTeam, api, case_team

pytestmark = pytest.mark.anyio

NAME = "Canary Kowalczyk-Brandt"
PHONE = "+49 170 5550123"
EMAIL = "canary.kowalczyk@example.org"
PRIVATE_NOTE = "Canary-Notiz 7731 vertraulich"
CANARIES = (NAME, PHONE, EMAIL, PRIVATE_NOTE)


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"log_format": LogFormat.JSON}


@pytest.fixture
def captured_log(app: Litestar) -> io.StringIO:
    root = logging.getLogger()
    ours = next(handler for handler in root.handlers if getattr(handler, "_km_handler", False))
    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    capture.setFormatter(ours.formatter)
    root.addHandler(capture)
    yield buffer
    root.removeHandler(capture)


async def _seed_canaries(team: CaseTeam) -> tuple[str, str, str]:
    created = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/participations",
        {"party": {"kind": "person", "name": NAME, "phone": PHONE, "email": EMAIL}, "role": "anliegend"},
    )
    assert created.status_code == 201, created.text
    participation = created.json()
    note = await api(
        team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "mediator_private", "body": PRIVATE_NOTE}
    )
    assert note.status_code == 201, note.text
    return participation["id"], participation["party"]["id"], note.json()["id"]


def _assert_clean(label: str, content: str) -> None:
    for canary in CANARIES:
        assert canary not in content, f"{label} leaks {canary[:8]}…"


async def _everything_visible_to(
    client: AsyncClient, team: CaseTeam, ids: tuple[str, str, str]
) -> list[tuple[str, str]]:
    participation_id, party_id, note_id = ids
    urls = [
        "/api/v1/cases",
        f"/api/v1/cases/{team.case_id}",
        f"/api/v1/cases/{team.case_id}/events",
        f"/api/v1/cases/{team.case_id}/transitions",
        f"/api/v1/cases/{team.case_id}/participations",
        f"/api/v1/cases/{team.case_id}/notes",
        f"/api/v1/cases/{team.case_id}/sessions",
        f"/api/v1/cases/{team.case_id}/agreements",
        f"/api/v1/participations/{participation_id}",
        f"/api/v1/parties/{party_id}",
        f"/api/v1/notes/{note_id}",
        "/api/v1/notifications",
        "/notifications",
        "/calendar",
        "/",
    ]
    return [(url, (await client.get(url)).text) for url in urls]


async def test_canaries_stay_where_they_belong(app: Litestar, make_client, captured_log: io.StringIO) -> None:
    team = await case_team(app, make_client)
    ids = await _seed_canaries(team)

    # The assigned mediator sees contact data on the party page and the private note — and nowhere else.
    mediator_view = dict(await _everything_visible_to(team.mediator, team, ids))
    assert NAME in mediator_view[f"/api/v1/parties/{ids[1]}"]
    assert PHONE in mediator_view[f"/api/v1/parties/{ids[1]}"]
    assert PRIVATE_NOTE in mediator_view[f"/api/v1/notes/{ids[2]}"]
    for url in (
        "/api/v1/cases",
        "/api/v1/notifications",
        "/notifications",
        "/calendar",
        f"/api/v1/cases/{team.case_id}/events",
        f"/api/v1/cases/{team.case_id}/participations",
    ):
        _assert_clean(f"mediator {url}", mediator_view[url])

    for label, client in (
        ("coordinator", team.coordinator),
        ("other mediator", team.other_mediator),
        ("round-table member", team.round_table),
        ("admin", team.admin),
    ):
        for url, body in await _everything_visible_to(client, team, ids):
            _assert_clean(f"{label} {url}", body)

    async with app.state["alchemy_config"].get_engine().connect() as connection:
        events = (await connection.execute(text("SELECT * FROM case_event"))).all()
        raw_party = (await connection.execute(text("SELECT name, phone, email FROM party"))).all()
    _assert_clean("case_event rows", repr(events))
    _assert_clean("party columns at rest", repr(raw_party))
    _assert_clean("log output", captured_log.getvalue())
