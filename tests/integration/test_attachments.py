"""Attachments per case (issue 13): the type from the content, images without EXIF, encrypted at rest,
downloads only for who may read the case and the tier, 413 above 10 MB, 409 on a closed case, audited
removal, erased by retention and by Art. 17 — and neither the file name nor the content in any log."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from PIL import Image
from sqlalchemy import select, text

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.privacy.retention import run_retention
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, csrf_from, csrf_header, field_error, row_count
from tests.integration.test_canary_privacy import captured_log
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio
__all__ = ("captured_log",)

NAME = "Beschwerde Kowalczyk-Brandt"  # a file name that names a person
PDF = b"%PDF-1.4\n% Canary-Anhang 4417 vertraulich\n%%EOF\n"
GPS_LATITUDE = (51.0, 27.0, 12.34)


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Canary-Kamera"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: GPS_LATITUDE, 3: "E", 4: (7.0, 0.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 40, 40)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(out, format="PNG")
    return out.getvalue()


async def _upload(client: AsyncClient, case_id: object, name: str, content: bytes, **form: str) -> Response:
    return await client.post(
        f"/api/v1/cases/{case_id}/attachments",
        files={"file": (name, content, "application/pdf")},
        data=form,
        headers=csrf_header(client),
    )


async def _created(response: Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_files_are_checked_stored_encrypted_and_served_by_tier(
    app: Litestar, team: CaseTeam, captured_log: io.StringIO
) -> None:
    mediator, coordinator = team.mediator, team.coordinator
    pdf = await _created(await _upload(mediator, team.case_id, f"C:\\Scans\\{NAME}.pdf", PDF))
    assert pdf["file_name"] == f"{NAME}.pdf"
    assert (pdf["media_type"], pdf["size"], pdf["tier"]) == ("application/pdf", len(PDF), "mediator_private")
    assert pdf["uploaded_by_id"] == str(team.mediator_user.id)
    assert "content" not in pdf
    photo = await _created(await _upload(mediator, team.case_id, "platz.jpg", _jpeg_with_gps(), tier="case_team"))
    # A PNG named .pdf: the content decides, and the name follows it.
    png = await _created(await _upload(coordinator, team.case_id, "plan.pdf", _png()))
    assert (png["media_type"], png["file_name"], png["tier"]) == ("image/png", "plan.png", "case_team")

    refused = await _upload(mediator, team.case_id, "rechnung.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "file"
    bad_tier = await _upload(coordinator, team.case_id, "x.pdf", PDF, tier="mediator_private")
    assert bad_tier.status_code == 403
    assert (await _upload(mediator, team.case_id, "x.pdf", PDF, tier="geheim")).status_code == 400
    no_file = await mediator.post(
        f"/api/v1/cases/{team.case_id}/attachments", files={"tier": (None, "case_team")}, headers=csrf_header(mediator)
    )
    assert no_file.status_code == 400

    download = await mediator.get(f"/api/v1/attachments/{pdf['id']}")
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["cache-control"] == "no-store"
    image = Image.open(io.BytesIO((await coordinator.get(f"/api/v1/attachments/{photo['id']}")).content))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info

    url = f"/api/v1/cases/{team.case_id}/attachments"
    assert [a["id"] for a in (await mediator.get(url)).json()] == [png["id"], photo["id"], pdf["id"]]
    # The coordination never sees the mediators' private files (§ 4 MediationsG), as with notes.
    assert [a["id"] for a in (await coordinator.get(url)).json()] == [png["id"], photo["id"]]
    assert (await coordinator.get(f"/api/v1/attachments/{pdf['id']}")).status_code == 404
    for outsider in (team.other_mediator, team.round_table, team.admin):
        assert (await outsider.get(url)).status_code == 404
        assert (await outsider.get(f"/api/v1/attachments/{photo['id']}")).status_code == 404
        assert (await outsider.get(f"/attachments/{photo['id']}")).status_code == 404

    async with app.state["alchemy_config"].get_session() as session:
        stored = (await session.execute(text("SELECT file_name, content FROM attachment"))).all()
    assert len(stored) == 3
    for file_name, content in stored:
        assert NAME not in file_name
        assert "plan" not in file_name
        assert b"Canary-Anhang" not in bytes(content)
        assert b"PNG" not in bytes(content)
    events = (await api(mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    added = [e["details"] for e in events if e["action"] == "attachment_added"]
    assert added[0] == {
        "attachment_id": pdf["id"],
        "tier": "mediator_private",
        "media_type": "application/pdf",
        "size": len(PDF),
    }
    assert NAME not in str(events)
    assert "plan" not in str(events)
    assert NAME not in captured_log.getvalue()
    assert "Canary" not in captured_log.getvalue()


async def test_removal_limits_and_closed_cases(app: Litestar, team: CaseTeam) -> None:
    mediator, coordinator = team.mediator, team.coordinator
    own = await _created(await _upload(mediator, team.case_id, "a.pdf", PDF, tier="case_team"))
    theirs = await _created(await _upload(coordinator, team.case_id, "b.pdf", PDF))
    # Who added a file removes it, and the coordination any it sees; no one else.
    assert (await api(mediator, "DELETE", f"/api/v1/attachments/{theirs['id']}")).status_code == 403
    assert (await api(team.other_mediator, "DELETE", f"/api/v1/attachments/{own['id']}")).status_code == 404
    assert (await api(coordinator, "DELETE", f"/api/v1/attachments/{own['id']}")).status_code == 204
    assert (await mediator.get(f"/api/v1/attachments/{own['id']}")).status_code == 404
    events = (await api(mediator, "GET", f"/api/v1/cases/{team.case_id}/events")).json()
    assert (events[-1]["action"], events[-1]["details"]) == (
        "attachment_deleted",
        {"attachment_id": own["id"], "tier": "case_team"},
    )

    too_large = b"%PDF-" + b"0" * 10_000_000  # the service refuses it (on the page: next to the field)
    for content in (too_large, too_large + b"0" * 100_000):  # and the route's body limit before reading it
        refused = await _upload(mediator, team.case_id, "gross.pdf", content)
        assert refused.status_code == 413
        assert refused.headers["content-type"] == "application/problem+json"
    page = await mediator.get(f"/cases/{team.case_id}/attachments/new")
    on_page = await mediator.post(
        f"/cases/{team.case_id}/attachments/new",
        files={"file": ("gross.pdf", too_large, "application/pdf")},
        data={"tier": "case_team", "_csrf_token": csrf_from(page)},
    )
    assert on_page.status_code == 413
    assert "größer als 10 MB" in field_error(on_page, "file")
    assert await row_count(app, m.Attachment) == 1

    closed = await case_in_state(app, team, m.CaseStatus.ABGESCHLOSSEN)
    refused = await _upload(mediator, closed, "c.pdf", PDF)
    assert refused.status_code == 409
    assert refused.json()["case_status"] == "abgeschlossen"
    on_page = await mediator.post(
        f"/cases/{closed}/attachments/new",
        files={"file": ("c.pdf", PDF, "application/pdf")},
        data={"_csrf_token": csrf_from(page)},
    )
    assert on_page.status_code == 409
    assert "„abgeschlossen“" in on_page.text
    assert (await api(coordinator, "DELETE", f"/api/v1/attachments/{theirs['id']}")).status_code == 204


async def test_pages_upload_list_print_and_remove(app: Litestar, team: CaseTeam) -> None:
    mediator = team.mediator
    case_page = await mediator.get(f"/cases/{team.case_id}")
    assert 'id="anhaenge"' in case_page.text
    uploaded = await mediator.post(
        f"/cases/{team.case_id}/attachments/new",
        files={"file": (f"{NAME}.jpg", _jpeg_with_gps(), "image/jpeg")},
        data={"tier": "mediator_private", "_csrf_token": csrf_from(case_page)},
    )
    assert uploaded.status_code == 303, uploaded.text
    assert uploaded.headers["location"] == f"/cases/{team.case_id}#anhaenge"
    case_page = await mediator.get(f"/cases/{team.case_id}")
    assert f"{NAME}.jpg" in case_page.text
    assert "JPEG-Bild" in case_page.text
    assert f"{NAME}.jpg" in (await mediator.get(f"/cases/{team.case_id}/print")).text
    assert f"{NAME}.jpg" not in (await team.coordinator.get(f"/cases/{team.case_id}")).text

    empty = await mediator.post(
        f"/cases/{team.case_id}/attachments/new",
        files={"file": ("", b"", "application/octet-stream")},
        data={"tier": "case_team", "_csrf_token": csrf_from(case_page)},
    )
    assert empty.status_code == 422
    assert field_error(empty, "file") == "Bitte eine Datei auswählen."

    async with app.state["alchemy_config"].get_session() as session:
        attachment_id = await session.scalar(select(m.Attachment.id))
    confirm = await mediator.get(f"/attachments/{attachment_id}/delete")
    assert confirm.status_code == 200
    assert "endgültig" in confirm.text
    removed = await mediator.post(f"/attachments/{attachment_id}/delete", data={"_csrf_token": csrf_from(confirm)})
    assert removed.status_code == 303
    assert await row_count(app, m.Attachment) == 0


async def test_retention_and_erasure_remove_attachments(app: Litestar, team: CaseTeam) -> None:
    coordinator = team.coordinator
    party = await api(
        coordinator,
        "POST",
        f"/api/v1/cases/{team.case_id}/participations",
        {"party": {"kind": "person", "name": "Kowalczyk-Brandt"}, "role": "anliegend"},
    )
    assert party.status_code == 201, party.text
    named = await _created(await _upload(coordinator, team.case_id, f"{NAME}.pdf", PDF))
    other = await _created(await _upload(coordinator, team.case_id, "Lageplan.png", _png()))
    erased = await api(
        coordinator,
        "POST",
        f"/api/v1/parties/{party.json()['party']['id']}/erasure",
        {"reason": "Antrag nach Art. 17", "confirm": True},
    )
    assert erased.status_code == 200, erased.text
    ids = [a["id"] for a in (await coordinator.get(f"/api/v1/cases/{team.case_id}/attachments")).json()]
    assert ids == [other["id"]]
    assert named["id"] not in ids

    closed = await case_in_state(app, team, m.CaseStatus.ABGESCHLOSSEN)
    async with app.state["alchemy_config"].get_session() as session:
        session.add(
            m.Attachment(
                case_id=closed,
                tier="case_team",
                file_name="x.pdf",
                media_type="application/pdf",
                size=len(PDF),
                content=PDF,
            )
        )
        await session.commit()
        report = await run_retention(session, today() + timedelta(days=800), dry_run=False)
        await session.commit()
        assert {p.data_class: p.records for p in report.classes}["attachments"] == 1
        left = list(await session.scalars(select(m.Attachment.case_id)))
    assert [str(case_id) for case_id in left] == [team.case_id]
