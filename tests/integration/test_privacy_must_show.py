"""Issue 12's must-show, on SQLite and PostgreSQL in one scenario: a canary party, note, session minutes
and reason on a closed case are gone from a full database dump (`pg_dump`, SQLite's `iterdump`) and
from the logs after `retention run --as-of` two years later; the same for a party erased under
Art. 17, whose fellow parties' case still takes a transition that needs consent; a held case is
untouched; the dry run changes nothing; the statistics are identical before and after; and
`audit verify` passes after both."""

from __future__ import annotations

import io
import logging
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID

import pytest
from litestar import Litestar
from sqlalchemy import String, select, type_coerce

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics.catalogue import CATALOGUE
from konfliktmanagement.domain.statistics.counting import count_cells
from konfliktmanagement.lib.clock import today
from konfliktmanagement.lib.settings import Settings
from tests.cli import run_cli
from tests.helpers import CaseTeam, api, case_team
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio

NAME = "Canary Wojciechowska-Lind"
PHONE = "+49 170 5550987"
NOTE = "Canary-Notiz 4411 streng vertraulich"
MINUTES = "Canary-Protokoll 5522: Streit um den Hinterhof"
REASON = "Canary-Begründung 6633 zur Einstellung"
ERASED_NAME = "Canary Erased Okonkwo"
ERASED_PHONE = "+49 151 5550444"
HELD_NOTE = "Gesperrte Notiz 7744 bleibt"
PLAIN_CANARIES = (NAME, PHONE, NOTE, MINUTES, REASON, ERASED_NAME, ERASED_PHONE)


@pytest.fixture
def captured_log(app: Litestar) -> Iterator[io.StringIO]:
    root = logging.getLogger()
    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    root.addHandler(capture)
    yield buffer
    root.removeHandler(capture)


def _dump(database_url: str) -> str:
    if database_url.startswith("sqlite"):
        path = urlsplit(database_url.replace("sqlite+aiosqlite", "sqlite")).path
        connection = sqlite3.connect(path)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    dumped = subprocess.run(  # noqa: S603
        ["pg_dump", "--data-only", "--no-owner", database_url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    # `\restrict KEY` / `\unrestrict KEY` carry a random key per run: not data.
    return "\n".join(line for line in dumped.stdout.splitlines() if not line.startswith(("\\restrict", "\\unrestrict")))


async def _statistics(app: Litestar) -> dict[tuple[str, int], object]:
    async with app.state["alchemy_config"].get_session() as session:
        return {
            (spec.code, year): await count_cells(session, spec, year)
            for spec in CATALOGUE
            for year in (1999, today().year)
        }


async def _ciphertexts(app: Litestar, party_id: str) -> list[str]:
    """The party's encrypted columns as stored (the dump shows them so, never in plain text)."""
    table = m.Party.__table__
    raw = select(type_coerce(table.c.name, String), type_coerce(table.c.phone, String)).where(
        table.c.id == UUID(party_id)
    )
    async with app.state["alchemy_config"].get_engine().connect() as connection:
        row = (await connection.execute(raw)).one()
    return [value for value in row if value]


async def _row_of(app: Litestar, case_id: UUID) -> tuple[object, ...]:
    """Everything stored in a case row, as the database has it."""
    async with app.state["alchemy_config"].get_engine().connect() as connection:
        return tuple((await connection.execute(select(m.Case.__table__).where(m.Case.id == case_id))).one())


async def _add_party(team: CaseTeam, case_id: UUID, name: str, phone: str, role: str) -> dict[str, object]:
    created = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{case_id}/participations",
        {"party": {"kind": "person", "name": name, "phone": phone}, "role": role},
    )
    assert created.status_code == 201, created.text
    return created.json()


async def _case_to_archive(app: Litestar, team: CaseTeam) -> tuple[UUID, str]:
    case_id = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
    canary = await _add_party(team, case_id, NAME, PHONE, "unterstuetzung")
    note = await api(
        team.mediator, "POST", f"/api/v1/cases/{case_id}/notes", {"tier": "mediator_private", "body": NOTE}
    )
    assert note.status_code == 201, note.text
    held_at = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    session = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{case_id}/sessions",
        {
            "kind": "gemeinsame_sitzung",
            "status": "durchgefuehrt",
            "held_at": held_at,
            "minutes": MINUTES,
            "participation_ids": [canary["id"]],
        },
    )
    assert session.status_code == 201, session.text
    closed = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{case_id}/transitions",
        {"to": "abgeschlossen", "outcome": "keine_einigung", "reason": REASON},
    )
    assert closed.status_code == 200, closed.text
    return case_id, str(canary["party"]["id"])  # type: ignore[index]


async def test_archiving_and_erasure_leave_no_trace(
    app: Litestar, make_client, settings: Settings, database_url: str, captured_log: io.StringIO
) -> None:
    team = await case_team(app, make_client)
    archived_id, canary_party = await _case_to_archive(app, team)
    # A closed case takes no new notes: the held case gets its note while running, then closes.
    held_id = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
    held_note = await api(
        team.mediator, "POST", f"/api/v1/cases/{held_id}/notes", {"tier": "case_team", "body": HELD_NOTE}
    )
    assert held_note.status_code == 201, held_note.text
    held_closed = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{held_id}/transitions",
        {"to": "abgeschlossen", "outcome": "keine_einigung", "reason": "Keine Einigung erzielt."},
    )
    assert held_closed.status_code == 200, held_closed.text
    hold = await api(
        team.coordinator, "PUT", f"/api/v1/cases/{held_id}/legal-hold", {"hold": True, "reason": "Gerichtsverfahren"}
    )
    assert hold.status_code == 200, hold.text
    assert hold.json()["legal_hold"] is True

    # Art. 17 on a running case: a core party with consent, erased by the coordination.
    running_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    erased = await _add_party(team, running_id, ERASED_NAME, ERASED_PHONE, "betroffen")
    consent = await api(
        team.mediator,
        "PUT",
        f"/api/v1/participations/{erased['id']}/consents/mediation",
        {"given_on": today().isoformat()},
    )
    assert consent.status_code == 200, consent.text
    erased_party = str(erased["party"]["id"])  # type: ignore[index]
    ciphertexts = await _ciphertexts(app, canary_party) + await _ciphertexts(app, erased_party)

    before = _dump(database_url)
    for canary in (NOTE, MINUTES, REASON, HELD_NOTE, *ciphertexts):
        assert canary in before, f"the dump cannot show what it should: {canary[:12]}…"

    refused = await api(
        team.mediator, "POST", f"/api/v1/parties/{erased_party}/erasure", {"reason": "Antrag", "confirm": True}
    )
    assert refused.status_code == 403
    unconfirmed = await api(team.coordinator, "POST", f"/api/v1/parties/{erased_party}/erasure", {"reason": "Antrag"})
    assert unconfirmed.status_code == 422
    assert {e["field"] for e in unconfirmed.json()["errors"]} == {"confirm"}
    answer = await api(
        team.coordinator,
        "POST",
        f"/api/v1/parties/{erased_party}/erasure",
        {"reason": "Antrag nach Art. 17", "confirm": True},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["placeholders"] == [f"{erased['alias']} (gelöscht)"]
    again = await api(
        team.coordinator, "POST", f"/api/v1/parties/{erased_party}/erasure", {"reason": "nochmal", "confirm": True}
    )
    assert again.status_code == 200
    assert again.json()["already_erased"] is True
    moved = await api(team.mediator, "POST", f"/api/v1/cases/{running_id}/transitions", {"to": "in_mediation"})
    assert moved.status_code == 200, moved.text  # needs every core party's consent: the placeholder's counts

    held_before = await _row_of(app, held_id)
    statistics_before = await _statistics(app)
    as_of = (today() + timedelta(days=2 * 365 + 1)).isoformat()
    unchanged = _dump(database_url)
    dry = await run_cli(settings, ["retention", "run", "--dry-run", "--as-of", as_of])
    assert dry.returncode == 0, dry.stderr
    assert _dump(database_url) == unchanged, "the dry run changed the database"
    async with app.state["alchemy_config"].get_session() as session:
        archived_reference = await session.scalar(select(m.Case.reference).where(m.Case.id == archived_id))
        held_reference = await session.scalar(select(m.Case.reference).where(m.Case.id == held_id))
    assert archived_reference in dry.stdout
    assert f"Aufbewahrungssperre, nicht angetastet: {held_reference}" in dry.stdout

    done = await run_cli(settings, ["retention", "run", "--as-of", as_of])
    assert done.returncode == 0, done.stderr
    assert done.stdout.replace("Löschlauf", "Probelauf").replace("archiviert", "würden archiviert") == dry.stdout
    assert await _statistics(app) == statistics_before

    after = _dump(database_url)
    for canary in (*PLAIN_CANARIES, *ciphertexts):
        assert canary not in after, f"the dump still holds {canary[:12]}…"
    assert HELD_NOTE in after
    log = captured_log.getvalue() + dry.stdout + dry.stderr + done.stdout + done.stderr
    for canary in PLAIN_CANARIES:
        assert canary not in log, f"the log holds {canary[:12]}…"

    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get_one(m.Case, archived_id)
        held = await session.get_one(m.Case, held_id)
        logged = set(
            await session.scalars(
                select(m.DeletionLog.data_class).where(m.DeletionLog.case_reference == archived_reference)
            )
        )
        attended = await session.scalar(select(m.SessionAttendance.participation_id))
    assert case.status == m.CaseStatus.ARCHIVIERT.value
    assert held.status == m.CaseStatus.ABGESCHLOSSEN.value
    assert await _row_of(app, held_id) == held_before
    assert {"contact", "notes", "minutes", "case_texts"} <= logged
    assert attended is not None  # the skeleton keeps who attended (as placeholders)

    verified = await run_cli(settings, ["audit", "verify"])
    assert verified.returncode == 0, verified.stderr
    second = await run_cli(settings, ["retention", "run", "--as-of", as_of])
    assert "0 Fälle archiviert" in second.stdout
