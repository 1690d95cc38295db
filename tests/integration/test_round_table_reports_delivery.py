"""Sending a round-table report: one outbox message per member, never twice, delivered over real SMTP; a
failed copy re-sent once by the button. And round-table meetings with the report prepared for one: minutes
approved, four eyes, the PDF read back (two renders per lane: WeasyPrint takes a good part of a second)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.outbox.delivery import deliver_due
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.mail import SmtpConfig
from tests.helpers import csrf_from, form_post, pdf_facts
from tests.integration import outbox_server
from tests.integration.outbox_server import HOST, SmtpServer
from tests.integration.test_round_table_reports import (
    APPROVED,
    LAST_YEAR,
    OTHER_QUARTIER,
    assert_clean,
    draft,
    pdf_text,
    post_action,
    seed,
    stored_report,
)

pytestmark = pytest.mark.anyio
smtp_server = outbox_server.smtp_server


async def messages(app: Litestar) -> list[m.OutboxMessage]:
    async with app.state["alchemy_config"].get_session() as session:
        return list(await session.scalars(select(m.OutboxMessage).order_by(m.OutboxMessage.dedupe_key)))


async def test_send_once_to_every_member_and_deliver(app: Litestar, make_client, smtp_server: SmtpServer) -> None:
    setup = await seed(app, make_client)
    location = await draft(setup)
    report = await stored_report(app)
    # Only a reviewed report can be sent.
    assert await post_action(setup.coordinator, location, "send", report.version) == 409
    assert await messages(app) == []
    assert await post_action(setup.reviewer, location, "review", report.version) == 303
    report = await stored_report(app)
    assert await post_action(setup.coordinator, location, "send", report.version) == 303
    sent = await stored_report(app)
    assert sent.state == "versendet"
    assert sent.sent_at is not None

    queued = await messages(app)
    assert sorted(q.dedupe_key for q in queued) == sorted(f"report:{sent.id}:{uid}" for uid in setup.member_ids)
    assert sorted(q.recipients[0] for q in queued) == ["mitglied1@example.org", "mitglied2@example.org"]
    for message in queued:
        assert APPROVED in message.body_text
        assert APPROVED in (message.body_html or "")
        assert_clean(message.body_text)
        assert_clean(message.body_html or "")

    # A second send (and any change) is refused; no further message.
    assert await post_action(setup.coordinator, location, "send", sent.version) == 409
    assert await post_action(setup.reviewer, location, "review", sent.version) == 409
    url = f"/round-tables/{setup.table_id}/reports"
    page = await setup.coordinator.get(url)
    token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
    regenerate = await setup.coordinator.post(url, data={"period": "2026", "_csrf_token": token})
    assert regenerate.status_code == 409
    assert len(await messages(app)) == 2

    # The coordinator sees each member's delivery state.
    page = await setup.coordinator.get(location)
    assert "Zustellung an die Mitglieder" in page.text
    assert page.text.count("in der Warteschlange") == 2

    # A real SMTP server on loopback refuses the second member: that copy fails, the first is sent.
    smtp_server.inbox.refused = {"mitglied2@example.org"}
    smtp_server.start()
    config = SmtpConfig(host=HOST, port=smtp_server.port, sender="bericht@km.example", timeout=5)
    result = await deliver_due(app.state["alchemy_config"].get_session, config)
    assert (result.sent, result.failed) == (1, 1)
    page = await setup.coordinator.get(location)
    assert page.text.count("vom Mailserver angenommen") == 1
    assert "fehlgeschlagen" in page.text
    assert "Empfänger abgelehnt" in page.text
    assert page.text.count(">Erneut senden<") == 1
    assert "mitglied2@example.org" not in page.text

    # "Erneut senden" offers the failed copy once more; the accepted one is never sent twice.
    first, second = setup.member_ids
    token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
    resend = f"{location}/deliveries/{{}}/resend"
    assert (await setup.coordinator.post(resend.format(first), data={"_csrf_token": token})).status_code == 409
    again = await setup.coordinator.post(resend.format(second), data={"_csrf_token": token})
    assert again.status_code == 303
    page = await setup.coordinator.get(location)
    assert "Die Nachricht wird erneut gesendet." in page.text
    assert "in der Warteschlange" in page.text
    smtp_server.inbox.refused = set()
    assert (await deliver_due(app.state["alchemy_config"].get_session, config)).sent == 1
    assert (await setup.coordinator.post(resend.format(second), data={"_csrf_token": token})).status_code == 409

    received = smtp_server.inbox.messages
    assert sorted(r.rcpt_tos[0] for r in received) == ["mitglied1@example.org", "mitglied2@example.org"]
    for item in received:
        email = item.message
        assert email["Subject"] == "Bericht 2026 – Runder Tisch St. Josef"
        plain = email.get_body(("plain",)).get_content()
        html = email.get_body(("html",)).get_content()
        [attachment] = list(email.iter_attachments())
        assert attachment.get_filename() == "bericht-runder-tisch-st-josef-2026.pdf"
        pdf = pdf_text(attachment.get_content())
        assert APPROVED in plain
        assert "Beleuchtung am Spielplatz" in pdf
        assert "Guten Tag" in plain
        assert "Guten Tag" not in pdf
        for text in (plain, html, pdf, str(email)):
            assert_clean(text)
    assert (await deliver_due(app.state["alchemy_config"].get_session, config)).sent == 0
    assert len(smtp_server.inbox.messages) == 2
    page = await setup.coordinator.get(location)
    assert page.text.count("vom Mailserver angenommen") == 2
    assert ">Erneut senden<" not in page.text


async def test_members_see_sent_reports_only(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client)
    location = await draft(setup)
    home = await setup.member.get("/round-tables")
    assert "Noch keine Berichte." in home.text
    report = await stored_report(app)
    assert await post_action(setup.reviewer, location, "review", report.version) == 303
    assert (await setup.member.get(location)).status_code == 404  # reviewed, not yet sent
    report = await stored_report(app)
    assert await post_action(setup.coordinator, location, "send", report.version) == 303

    home = await setup.member.get("/round-tables")
    assert f'href="{location}"' in home.text
    assert f'href="{location}.pdf"' in home.text
    table_page = await setup.member.get(f"/round-tables/{setup.table_id}")
    assert f'href="{location}"' in table_page.text, "the round table's own page lists it too"
    page = await setup.member.get(location)
    assert page.status_code == 200
    assert APPROVED in page.text
    assert "Prüfen und versenden" not in page.text  # no coordinator controls, no delivery list
    assert "mitglied2@example.org" not in page.text
    assert_clean(page.text)
    pdf = await setup.member.get(f"{location}.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert_clean(pdf_text(pdf.content))

    # Members of another round table and other users still get 404; their home lists nothing.
    for client in (setup.outsider, setup.mediator):
        assert (await client.get(location)).status_code == 404
        assert (await client.get(f"{location}.pdf")).status_code == 404
    assert "Noch keine Berichte." in (await setup.outsider.get("/round-tables")).text


def meeting_form(starts_at: datetime, **changes: str) -> dict[str, object]:
    return {
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "place": "Gemeindehaus St. Josef",
        "agenda": "Begrüßung\nBericht der Koordination\nKirchplatz am Abend",
        "organisations": "Polizei\nKirchengemeinde\nAnwohnerverein",
        "minutes": "",
        "next_date": "",
        **changes,
    }


async def test_meeting_minutes_and_its_report_with_four_eyes(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client)
    now = datetime.now(BERLIN).replace(hour=18, minute=0, second=0, microsecond=0)
    past, upcoming = now - timedelta(days=40), now + timedelta(days=14)
    meetings = f"/round-tables/{setup.table_id}/meetings"

    # Coordinators plan meetings; bad input comes back next to its field, and nothing is stored.
    bad = await form_post(setup.coordinator, meetings, meetings, meeting_form(past, place=" "))
    assert bad.status_code == 422
    assert 'id="f-place-error"' in bad.text
    planned = await form_post(
        setup.coordinator, meetings, meetings, meeting_form(past, next_date=upcoming.date().isoformat())
    )
    assert planned.status_code == 303
    past_url = planned.headers["location"]
    nxt = await form_post(setup.coordinator, meetings, meetings, meeting_form(upcoming))
    upcoming_url = nxt.headers["location"]
    async with app.state["alchemy_config"].get_session() as session:
        assert len((await session.scalars(select(m.RoundTableMeeting))).all()) == 2

    # Members see upcoming and past meetings; the minutes only once approved; others get 404.
    home = await setup.member.get(f"/round-tables/{setup.table_id}")
    assert home.text.index(upcoming_url) < home.text.index("Vergangene Sitzungen") < home.text.index(past_url)
    member_view = await setup.member.get(past_url)
    assert "Das Protokoll ist noch nicht freigegeben." in member_view.text
    assert "Kirchengemeinde" in member_view.text
    assert "Kirchplatz am Abend" in member_view.text
    for client in (setup.outsider, setup.mediator):
        assert (await client.get(past_url)).status_code == 404
    token = csrf_from(member_view)
    assert (
        await setup.member.post(f"{past_url}/approve", data={"version": "1", "_csrf_token": token})
    ).status_code == 403

    # Minutes: empty ones cannot be approved; written, approved, then frozen.
    assert await post_action(setup.coordinator, past_url, "approve", 1) == 409
    minutes = "Die Beleuchtung am Kirchplatz wird geprüft. Nächstes Mal: Bericht des Ordnungsamts."
    written = await form_post(
        setup.coordinator, past_url, past_url, {**meeting_form(past), "minutes": minutes, "version": "1"}
    )
    assert written.status_code == 303
    assert await post_action(setup.coordinator, past_url, "approve", 2) == 303
    assert minutes in (await setup.member.get(past_url)).text
    again = await form_post(setup.coordinator, past_url, past_url, {**meeting_form(past), "version": "3"})
    assert again.status_code == 409
    async with app.state["alchemy_config"].get_session() as session:
        stored = await session.scalar(
            select(m.RoundTableMeeting)
            .where(m.RoundTableMeeting.place.is_not(None))
            .order_by(m.RoundTableMeeting.starts_at)
        )
        assert stored is not None
        assert (stored.minutes_state, stored.minutes) == ("freigegeben", minutes)
        assert stored.organisations == ["Polizei", "Kirchengemeinde", "Anwohnerverein"]

    # The report for the next meeting covers the days since the previous one.
    response = await form_post(setup.coordinator, upcoming_url, f"{upcoming_url}/report", {})
    assert response.status_code == 303
    location = response.headers["location"]
    report = await stored_report(app)
    assert (report.covers_from, report.covers_to) == (past.date(), upcoming.date() - timedelta(days=1))
    # Notes approved inside the period, whatever year their case has; never another quartier's.
    assert report.snapshot["notes"] == [APPROVED, LAST_YEAR]
    assert OTHER_QUARTIER not in report.snapshot["notes"]

    draft = await setup.coordinator.get(f"{location}.pdf")
    expected_name = f"bericht-runder-tisch-st-josef-{past.date()}-bis-{upcoming.date() - timedelta(days=1)}.pdf"
    assert expected_name in draft.headers["content-disposition"]
    facts = pdf_facts(draft.content)
    assert len(facts.pages) >= 2
    assert all("ENTWURF" in page for page in facts.pages)
    assert facts.tagged
    assert facts.fonts_embedded
    assert facts.lang == "de"
    assert facts.title.startswith("Bericht ")
    assert "Runder Tisch St. Josef" in facts.title
    text = facts.text
    assert "Laut veröffentlichter Statistik 2026 wurden in " in text
    assert text.count("„<5“ bedeutet") == 1  # one box, not seven disclaimers
    assert "erste Bericht dieses Runden Tisches" in text
    assert "Beleuchtung am Spielplatz" in text
    assert "Guten Tag" not in text  # the e-mail's text stays in the e-mail
    assert_clean(text)

    # Four eyes: the drafter may not review; another coordinator may.
    report = await stored_report(app)
    refused = await setup.coordinator.post(
        f"{location}/review",
        data={"version": str(report.version), "_csrf_token": csrf_from(await setup.coordinator.get(location))},
    )
    assert refused.status_code == 409
    assert "Vier-Augen-Prinzip" in refused.text
    assert (await stored_report(app)).state == "entwurf"
    assert await post_action(setup.reviewer, location, "review", report.version) == 303
    report = await stored_report(app)
    assert report.reviewed_by_id != report.created_by_id
    assert await post_action(setup.coordinator, location, "send", report.version) == 303

    # The copy the members get: no draft mark on any page, the same careful content.
    async with app.state["alchemy_config"].get_session() as session:
        attachment = await session.scalar(select(m.OutboxAttachment).limit(1))
        assert attachment is not None
        assert attachment.filename == expected_name
        sent = pdf_facts(attachment.content)
    if target := os.environ.get("KM_REPORT_PDF_DIR"):  # `make report-screenshots` turns it into page images
        (Path(target) / "report-sent.pdf").write_bytes(attachment.content)
    assert not any("ENTWURF" in page for page in sent.pages)
    assert "nicht von einer zweiten Person geprüft" not in sent.text
    assert sent.tagged
    assert sent.fonts_embedded
    assert_clean(sent.text)
    assert f'href="{location}"' in (await setup.member.get(upcoming_url)).text
