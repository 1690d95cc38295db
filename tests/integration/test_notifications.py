"""Notifications, the daily digest (through the outbox, received on a real SMTP server on loopback), the
per-kind opt-out, the agenda and the iCalendar feed (parsed back with `icalendar`), on both databases.

The case's title and a party's name are canaries: they must appear in no e-mail, no feed, no notification.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import UUID

import pytest
from httpx import ASGITransport, AsyncClient
from icalendar import Calendar
from litestar import Litestar
from sqlalchemy import select, update

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.notifications.jobs import run_notifications
from konfliktmanagement.domain.outbox.delivery import deliver_due
from konfliktmanagement.lib.clock import BERLIN, today
from konfliktmanagement.lib.mail import SmtpConfig
from tests.helpers import CaseTeam, api, case_team, create_user, form_post, sign_in
from tests.integration import outbox_server
from tests.integration.outbox_server import HOST, SmtpServer

pytestmark = pytest.mark.anyio
smtp_server = outbox_server.smtp_server

TITLE = "Canary-Titel Hinterhof 4471"
NAME = "Canary Wojciechowska-Lind"
PLACE = "Spielplatz Canarienhof"


async def _db_session(app: Litestar):  # type: ignore[no-untyped-def]
    return app.state["alchemy_config"].get_session()


async def _run(app: Litestar) -> int:
    async with await _db_session(app) as session:
        sent = await run_notifications(session, today(), app.state["settings"])
        await session.commit()
        return sent


async def _seed(app: Litestar, make_client):  # type: ignore[no-untyped-def]
    """A case (canary title) with a party (canary name), an overdue Wiedervorlage, an item due today and a
    session tomorrow at a place."""
    team = await case_team(app, make_client, title=TITLE)
    url = f"/api/v1/cases/{team.case_id}"
    party = {"role": "anliegend", "party": {"kind": "person", "name": NAME}}
    assert (await api(team.mediator, "POST", f"{url}/participations", party)).status_code == 201
    agreement = {
        "title": "Ruhezeiten",
        "items": [{"responsible": "Partei A", "action": "leiser", "due_on": str(today())}],
    }
    assert (await api(team.mediator, "POST", f"{url}/agreements", agreement)).status_code == 201
    async with await _db_session(app) as session:
        quartier_id = await session.scalar(select(m.Quartier.id).limit(1))
        place = m.Place(quartier_id=quartier_id, name=PLACE)
        session.add(place)
        await session.execute(
            update(m.Case).where(m.Case.id == UUID(team.case_id)).values(resubmission_date=today() - timedelta(days=2))
        )
        await session.commit()
    tomorrow = datetime.combine(today() + timedelta(days=1), time(10, 0), tzinfo=BERLIN)
    sitting = {"kind": "vorgespraech", "scheduled_at": tomorrow.isoformat(), "place_id": str(place.id)}
    created = await api(team.mediator, "POST", f"{url}/sessions", sitting)
    assert created.status_code == 201, created.text
    return team


def _clean(label: str, content: str) -> None:
    for canary in (TITLE, NAME):
        assert canary not in content, f"{label} leaks {canary[:12]}…"


async def _digest_and_list(app: Litestar, team: CaseTeam, reference: str, smtp_server: SmtpServer) -> None:
    # Opt out of agreement items by e-mail (the page's own form); they stay in the list.
    chosen = [k.value for k in m.NotificationKind if k is not m.NotificationKind.ITEM_DUE]
    saved = await form_post(
        team.mediator, "/account/notifications", "/account/notifications", {"mail_kinds": ["", *chosen]}
    )
    assert saved.status_code == 303
    page = await team.mediator.get("/account/notifications")
    assert 'value="item_due">' in page.text
    assert 'value="wiedervorlage" checked' in page.text

    assert await _run(app) == 1  # the mediator's digest; the coordinator has nothing (the case has a mediator)
    assert await _run(app) == 0  # twice in a day: still one digest
    listing = (await api(team.mediator, "GET", "/api/v1/notifications")).json()
    kinds = sorted(item["kind"] for item in listing["items"])
    assert kinds == ["assigned", "item_due", "session_tomorrow", "wiedervorlage"]
    assert listing["unread"] == 4
    assert {item["reference"] for item in listing["items"]} == {reference}
    wiedervorlage = next(i for i in listing["items"] if i["kind"] == "wiedervorlage")
    assert wiedervorlage["overdue"] is True

    smtp_server.start()
    smtp = SmtpConfig(host=HOST, port=smtp_server.port, sender="km@km.example", timeout=5)
    assert (await deliver_due(app.state["alchemy_config"].get_session, smtp)).sent == 1
    (mail,) = smtp_server.inbox.messages
    assert mail.rcpt_tos == ["mediation@example.org"]
    body = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Wiedervorlage fällig" in body
    assert "(überfällig)" in body
    assert "Sitzung morgen" in body
    assert "Fall zugewiesen" in body
    assert "Vereinbarungspunkt" not in body  # opted out
    assert body.count(reference) == 3
    assert f"/cases/{team.case_id}" in body
    _clean("digest", body + str(mail.message["subject"]))

    # The list page and the header's count; nothing personal in them.
    page = await team.mediator.get("/notifications")
    assert 'class="badge badge-count">4<' in page.text
    assert reference in page.text
    _clean("notifications page", page.text)
    one = await api(team.mediator, "POST", f"/api/v1/notifications/{wiedervorlage['id']}/read")
    assert one.status_code == 200
    assert one.json()["unread"] == 3
    # Someone else's notification is not there for them.
    other = await api(team.other_mediator, "POST", f"/api/v1/notifications/{wiedervorlage['id']}/read")
    assert other.status_code == 404
    read = await form_post(team.mediator, "/notifications", "/notifications/read", {})
    assert read.status_code == 303
    assert (await api(team.mediator, "GET", "/api/v1/notifications")).json()["unread"] == 0


async def test_digest_agenda_feed_and_access(app: Litestar, make_client, smtp_server: SmtpServer) -> None:
    """One case for all of it (the seed is the expensive part): the agenda and the feed, the digest with an
    opt-out, the list; then the mediator is unassigned and loses the case in the list and the feed."""
    team = await _seed(app, make_client)
    reference = (await api(team.mediator, "GET", f"/api/v1/cases/{team.case_id}")).json()["reference"]
    agenda = await team.mediator.get("/calendar")
    assert agenda.status_code == 200
    assert reference in agenda.text
    assert PLACE in agenda.text
    assert "Vorgespräch" in agenda.text
    assert "Frist eines Vereinbarungspunkts" in agenda.text
    office = await team.coordinator.get("/calendar", params={"mediator_id": str(team.mediator_user.id)})
    assert reference in office.text
    assert reference not in (await team.other_mediator.get("/calendar")).text
    assert (await team.round_table.get("/calendar")).status_code == 403
    # A round table's meeting: on the coordination's agenda, which plans it; not on a mediator's.
    async with app.state["alchemy_config"].get_session() as session:
        table = m.RoundTable(name="Runder Tisch Agenda")
        session.add(table)
        await session.flush()
        starts = datetime.combine(today() + timedelta(days=2), time(18), tzinfo=BERLIN)
        session.add(m.RoundTableMeeting(round_table_id=table.id, starts_at=starts, place="Gemeindesaal"))
        await session.commit()
    meeting = "Sitzung des Runden Tisches: Runder Tisch Agenda"
    assert meeting in (await team.coordinator.get("/calendar")).text
    filtered = await team.coordinator.get("/calendar", params={"mediator_id": str(team.mediator_user.id)})
    assert meeting not in filtered.text
    assert meeting not in (await team.mediator.get("/calendar")).text

    page = await team.mediator.get("/calendar")
    token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
    created = await team.mediator.post("/calendar/feed", data={"_csrf_token": token})
    assert created.status_code == 201
    url = created.text.split('<code class="token">')[1].split("</code>")[0]
    path = url.removeprefix(app.state["settings"].effective_base_url)
    assert path.startswith("/calendar/feed/")
    assert path.endswith(".ics")

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as calendar_app:  # type: ignore[arg-type]
        fetched = await calendar_app.get(path)
        assert fetched.status_code == 200
        assert fetched.headers["content-type"].startswith("text/calendar")
        _clean("feed", fetched.text)
        events = Calendar.from_ical(fetched.content).walk("VEVENT")
        summaries = sorted(str(e["SUMMARY"]) for e in events)
        assert summaries == [
            f"Frist eines Vereinbarungspunkts {reference}",
            f"Vorgespräch {reference}",
            f"Wiedervorlage {reference}",
        ]
        session_event = next(e for e in events if str(e["SUMMARY"]).startswith("Vorgespräch"))
        assert str(session_event["LOCATION"]) == PLACE
        assert session_event.decoded("DTSTART").astimezone(BERLIN).hour == 10

        await _digest_and_list(app, team, reference, smtp_server)

        # Unassigned from the case: the same feed no longer carries it.
        other_id = (await api(team.other_mediator, "GET", "/api/v1/me")).json()["id"]
        case = (await api(team.coordinator, "GET", f"/api/v1/cases/{team.case_id}")).json()
        body = {"version": case["version"], "mediator_ids": [other_id]}
        assert (await api(team.coordinator, "PUT", f"/api/v1/cases/{team.case_id}/mediators", body)).status_code == 200
        # Unassigned: the mediator no longer sees the case's notifications; the new mediator is told.
        assert (await api(team.mediator, "GET", "/api/v1/notifications")).json()["items"] == []
        assert [
            i["kind"] for i in (await api(team.other_mediator, "GET", "/api/v1/notifications")).json()["items"]
        ] == ["assigned"]
        for client in (team.round_table, team.admin):
            assert (await api(client, "GET", "/api/v1/notifications")).json() == {"items": [], "unread": 0}
        refetched = await calendar_app.get(path)
        assert refetched.status_code == 200
        assert Calendar.from_ical(refetched.content).walk("VEVENT") == []

        revoked = await form_post(team.mediator, "/calendar", "/calendar/feed/revoke", {})
        assert revoked.status_code == 303
        assert (await calendar_app.get(path)).status_code == 404
        assert (await calendar_app.get("/calendar/feed/unknown.ics")).status_code == 404


async def test_report_review_and_failed_delivery(app: Litestar, make_client) -> None:
    drafter = await create_user(app, "k1@example.org", [m.Role.COORDINATOR])
    reviewer = await create_user(app, "k2@example.org", [m.Role.COORDINATOR])
    mediator = await create_user(app, "med@example.org", [m.Role.MEDIATOR])
    async with await _db_session(app) as session:
        table = m.RoundTable(name="Runder Tisch Test")
        session.add(table)
        await session.flush()
        draft = m.RoundTableReport(round_table_id=table.id, period="2025", state="entwurf", created_by_id=drafter.id)
        sent = m.RoundTableReport(round_table_id=table.id, period="2024", state="versendet", sent_by_id=drafter.id)
        session.add_all([draft, sent])
        await session.flush()
        session.add(
            m.OutboxMessage(
                dedupe_key=f"report:{sent.id}:{mediator.id}",
                recipients=["x@example.org"],
                subject="s",
                body_text="t",
                state="failed",
                attempts=12,
                next_attempt_at=datetime.now(BERLIN),
            )
        )
        await session.commit()
    await _run(app)
    async with await _db_session(app) as session:
        rows = (await session.execute(select(m.Notification.user_id, m.Notification.kind, m.Notification.link))).all()
    assert sorted((str(u), k) for u, k, _ in rows) == sorted(
        [(str(reviewer.id), "report_review"), (str(drafter.id), "delivery_failed")]
    )
    assert all(link.startswith(f"/round-tables/{table.id}/reports/") for *_, link in rows)
    client = make_client()
    await sign_in(client, "k2@example.org")
    assert [i["kind"] for i in (await api(client, "GET", "/api/v1/notifications")).json()["items"]] == ["report_review"]
