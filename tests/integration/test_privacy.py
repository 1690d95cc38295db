"""Issue 12 beyond the must-show: the Art. 15 export (JSON and PDF), erasure and legal hold from the
pages with their rules, the admin page with versioned policies, the record of processing, and the
retention of outbox contents and expired sign-in data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.privacy import retention
from konfliktmanagement.domain.privacy.retention import run_retention
from konfliktmanagement.lib.clock import today
from konfliktmanagement.lib.settings import Settings
from tests.cli import run_cli
from tests.helpers import CaseTeam, api, csrf_from, field_error, form_post
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio

NAME = "Export Kandidatin Brzezinski"
OTHER = "Andere Partei Villanueva"
PRIVATE = "Privatnotiz 9182 nicht in der Auskunft"


async def _two_parties(team: CaseTeam) -> tuple[dict, dict]:
    url = f"/api/v1/cases/{team.case_id}/participations"
    first = await api(
        team.mediator,
        "POST",
        url,
        {"party": {"kind": "person", "name": NAME, "phone": "0201 555"}, "role": "anliegend"},
    )
    second = await api(team.mediator, "POST", url, {"party": {"kind": "person", "name": OTHER}, "role": "betroffen"})
    assert first.status_code == 201, first.text
    assert second.status_code == 201, second.text
    return first.json(), second.json()


async def test_export_holds_the_party_and_withholds_the_rest(team: CaseTeam) -> None:
    mine, _other = await _two_parties(team)
    party_id = mine["party"]["id"]
    consent = await api(
        team.mediator,
        "PUT",
        f"/api/v1/participations/{mine['id']}/consents/mediation",
        {"given_on": today().isoformat()},
    )
    assert consent.status_code == 200, consent.text
    held = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    session = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/sessions",
        {"kind": "vorgespraech", "status": "durchgefuehrt", "held_at": held, "participation_ids": [mine["id"]]},
    )
    assert session.status_code == 201, session.text
    agreement = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/agreements",
        {
            "title": "Ruhe",
            "items": [
                {"responsible": mine["alias"], "action": "Musik ab 22 Uhr leiser"},
                {"responsible": "Hausverwaltung", "action": "Schild"},
            ],
        },
    )
    assert agreement.status_code == 201, agreement.text
    note = await api(
        team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "mediator_private", "body": PRIVATE}
    )
    assert note.status_code == 201

    exported = await api(team.mediator, "GET", f"/api/v1/parties/{party_id}/export")
    assert exported.status_code == 200, exported.text
    body = exported.json()
    assert body["party"]["name"] == NAME
    (participation,) = body["participations"]
    assert participation["alias"] == mine["alias"]
    assert [c["purpose"] for c in participation["consents"]] == ["mediation"]
    assert [s["kind"] for s in participation["sessions_attended"]] == ["vorgespraech"]
    assert [i["action"] for i in participation["agreement_items"]] == ["Musik ab 22 Uhr leiser"]
    assert len(body["withheld"]) >= 2
    assert OTHER not in exported.text
    assert PRIVATE not in exported.text

    assert (await api(team.coordinator, "GET", f"/api/v1/parties/{party_id}/export")).status_code == 200
    for outsider in (team.other_mediator, team.round_table, team.admin):
        assert (await api(outsider, "GET", f"/api/v1/parties/{party_id}/export")).status_code == 404
    pdf = await team.mediator.get(f"/parties/{party_id}/export.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    events = (await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    assert sum(event["action"] == "party_exported" for event in events) == 3  # JSON twice, PDF once


async def test_erasure_from_the_party_page_asks_for_reason_and_confirmation(app: Litestar, team: CaseTeam) -> None:
    mine, _other = await _two_parties(team)
    party_id = mine["party"]["id"]
    page = f"/parties/{party_id}/erasure"
    party_page = await team.coordinator.get(f"/parties/{party_id}")
    assert page in party_page.text
    assert page not in (await team.mediator.get(f"/parties/{party_id}")).text

    csrf = csrf_from(await team.mediator.get(f"/parties/{party_id}"))
    unconfirmed = await form_post(team.coordinator, page, page, {"reason": "Antrag vom 1.12."})
    assert unconfirmed.status_code == 422
    assert "endgültig" in field_error(unconfirmed, "confirm")
    assert (await team.mediator.get(page)).status_code == 403
    assert (await team.other_mediator.get(page)).status_code == 404
    refused = await team.mediator.post(page, data={"reason": "Antrag", "confirm": "on", "_csrf_token": csrf})
    assert refused.status_code == 403
    done = await form_post(team.coordinator, page, page, {"reason": "Antrag vom 1.12.", "confirm": "on"})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/parties/{party_id}"

    assert f"{mine['alias']} (gelöscht)" in (await team.mediator.get(f"/cases/{team.case_id}")).text
    exported = (await api(team.mediator, "GET", f"/api/v1/parties/{party_id}/export")).json()
    assert exported["party"]["name"] is None
    assert exported["party"]["phone"] is None
    async with app.state["alchemy_config"].get_session() as session:
        logged = list(await session.scalars(select(m.DeletionLog)))
    assert [(row.trigger, row.data_class, row.records) for row in logged] == [("erasure", "contact", 1)]


async def test_legal_hold_is_the_coordinations_with_a_reason(team: CaseTeam) -> None:
    url = f"/api/v1/cases/{team.case_id}/legal-hold"
    assert (await api(team.mediator, "PUT", url, {"hold": True, "reason": "Verfahren"})).status_code == 403
    blank = await api(team.coordinator, "PUT", url, {"hold": True, "reason": "  "})
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "reason"

    page = f"/cases/{team.case_id}/legal-hold"
    placed = await form_post(team.coordinator, page, page, {"hold": "true", "reason": "Gerichtsverfahren"})
    assert placed.status_code == 303, placed.text
    assert "Aufbewahrungssperre aufheben" in (await team.coordinator.get(f"/cases/{team.case_id}")).text
    lifted = await api(team.coordinator, "PUT", url, {"hold": False, "reason": "Verfahren beendet"})
    assert lifted.json()["legal_hold"] is False
    events = (await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    assert [e["action"] for e in events if e["action"].startswith("legal_hold")] == [
        "legal_hold_placed",
        "legal_hold_lifted",
    ]


async def test_policies_are_versioned_and_only_for_admins(team: CaseTeam) -> None:
    assert (await team.coordinator.get("/admin/privacy")).status_code == 403
    overview = await team.admin.get("/admin/privacy")
    assert overview.status_code == 200
    assert "24 Monate nach Abschluss des Falls" in overview.text
    edit = "/admin/privacy?edit=notes"
    action = "/admin/privacy/policies"
    data = {"data_class": "notes", "unit": "months", "reason": "Dienstanweisung 3/2026", "version": "0"}
    too_short = await form_post(team.admin, edit, action, {**data, "amount": "0"})
    assert too_short.status_code == 422
    assert field_error(too_short, "amount")
    kept = await form_post(team.admin, edit, action, {**data, "data_class": "skeleton", "amount": "12"})
    assert kept.status_code == 422
    changed = await form_post(team.admin, edit, action, {**data, "amount": "12"})
    assert changed.status_code == 303, changed.text
    stale = await form_post(team.admin, edit, action, {**data, "amount": "6"})
    assert stale.status_code == 409
    after = await team.admin.get("/admin/privacy")
    assert "12 Monate nach Abschluss des Falls" in after.text
    assert "Dienstanweisung 3/2026" in after.text
    record = await team.admin.get("/admin/privacy/record")
    assert record.status_code == 200
    assert "party.name" in record.text


async def test_record_of_processing_from_the_command_line(app: Litestar, settings: Settings) -> None:
    markdown = await run_cli(settings, ["privacy", "record"])
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# Verzeichnis von Verarbeitungstätigkeiten")
    assert "| note.body | ja | ja | notes | case_work |" in markdown.stdout
    assert "24 Monate nach Abschluss des Falls" in markdown.stdout
    html = await run_cli(settings, ["privacy", "record", "--format", "html"])
    assert "<table>" in html.stdout


async def test_outbox_contents_and_expired_sign_in_data_go_after_their_period(app: Litestar) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=120)
    async with app.state["alchemy_config"].get_session() as session:
        sent = m.OutboxMessage(
            dedupe_key="old",
            recipients=["tisch@example.org"],
            subject="Bericht",
            body_text="Guten Tag",
            state=m.OutboxState.SENT.value,
            next_attempt_at=long_ago,
            sent_at=long_ago,
        )
        sent.attachments = [
            m.OutboxAttachment(position=1, filename="b.pdf", mime_type="application/pdf", content=b"%PDF")
        ]
        pending = m.OutboxMessage(
            dedupe_key="new", recipients=["x@example.org"], subject="B", body_text="Hallo", next_attempt_at=long_ago
        )
        session.add_all([sent, pending, m.StoreEntry(key="s", namespace="sessions", value=b"x", expires_at=long_ago)])
        user = m.User(email="l@example.org", name="L", is_active=True)
        session.add(user)
        await session.flush()
        session.add(m.AccountLink(user_id=user.id, purpose="reset", token_hash="0" * 64, expires_at=long_ago))
        await session.commit()

        preview = await run_retention(session, today(), dry_run=True)
        counts = {plan.data_class: plan.records for plan in preview.classes}
        assert (counts["outbox"], counts["sign_in"]) == (1, 2)
        await session.rollback()
        await run_retention(session, today(), dry_run=False)
        await session.commit()

    async with app.state["alchemy_config"].get_session() as session:
        kept = {message.dedupe_key: message for message in await session.scalars(select(m.OutboxMessage))}
        assert (kept["old"].recipients, kept["old"].body_text) == ([], "")
        assert (kept["new"].recipients, kept["new"].body_text) == (["x@example.org"], "Hallo")
        assert await session.scalar(select(m.OutboxAttachment.id)) is None
        assert await session.scalar(select(m.StoreEntry.id).where(m.StoreEntry.key == "s")) is None
        assert await session.scalar(select(m.AccountLink.id)) is None, "an account link a period after its expiry"
        logged = {row.data_class: row.records for row in await session.scalars(select(m.DeletionLog))}
        assert logged == {"outbox": 1, "sign_in": 2}


async def test_retention_works_in_batches_and_a_dry_run_still_counts_alike(
    app: Litestar, team: CaseTeam, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of one case (a city has hundreds of thousands of closed cases: one `IN` list of them is
    more than a statement may carry): a party of two due cases in different batches is erased and
    counted for both, and the dry run reports exactly what the real run then does."""
    monkeypatch.setattr(retention, "BATCH", 1)
    cases = [await case_in_state(app, team, m.CaseStatus.ABGESCHLOSSEN) for _ in range(3)]
    running = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
    async with app.state["alchemy_config"].get_session() as session:
        shared = m.Party(kind=m.PartyKind.PERSON.value, name="Geteilte Partei Oyelaran")
        kept = m.Party(kind=m.PartyKind.PERSON.value, name="Noch gebraucht Lindqvist")
        session.add_all(
            [
                m.Participation(case_id=cases[0], party=shared, alias="Geteilt 1", role="betroffen"),
                m.Participation(case_id=cases[2], party=shared, alias="Geteilt 2", role="betroffen"),
                m.Participation(case_id=cases[1], party=kept, alias="Bleibt 1", role="betroffen"),
                m.Participation(case_id=running, party=kept, alias="Bleibt 2", role="betroffen"),
            ]
        )
        await session.commit()
        shared_id, kept_id = shared.id, kept.id

    as_of = today() + timedelta(days=3 * 365)
    reports = []
    for dry_run in (True, False):
        async with app.state["alchemy_config"].get_session() as session:
            reports.append(await run_retention(session, as_of, dry_run=dry_run))
            await session.commit()
    dry, done = ([(c.data_class, c.records, c.case_references) for c in r.classes] for r in reports)
    assert dry == done
    contact = next(c for c in reports[1].classes if c.data_class == "contact")
    assert contact.records == 2 * 3 + 2  # two own parties per case, the shared one counted in both of its cases
    assert len(contact.case_references) == 3
    assert sorted(reports[1].archived) == sorted(reports[0].archived)
    async with app.state["alchemy_config"].get_session() as session:
        assert (await session.get_one(m.Party, shared_id)).erased_at is not None
        assert (await session.get_one(m.Party, kept_id)).erased_at is None  # still in a running case
