"""Round-table meetings and the report prepared for one: minutes approved, four eyes, the PDF read back.

PDFs are rendered twice per lane (the draft and the sent copy): WeasyPrint takes a good part of a second.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import BERLIN
from tests.helpers import csrf_from, form_post, pdf_facts
from tests.integration.test_round_table_reports import (
    APPROVED,
    LAST_YEAR,
    OTHER_QUARTIER,
    assert_clean,
    post_action,
    seed,
    settings_overrides,
    stored_report,
)

pytestmark = pytest.mark.anyio
__all__ = ("settings_overrides",)


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
