"""CSV import of quartiers and places: preview with per-row errors, all-or-nothing import, idempotence."""

from __future__ import annotations

import re

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from tests.helpers import create_user, csrf_from, seed_master_data, sign_in

pytestmark = pytest.mark.anyio

HIDDEN = re.compile(r'<input type="hidden" name="(kind|csv)" value="([^"]*)"')


@pytest.fixture
async def admin(app: Litestar, client: AsyncClient) -> AsyncClient:
    await seed_master_data(app)
    await create_user(app, "admin@example.org", [m.Role.ADMIN], name="Ada Admin")
    await sign_in(client, "admin@example.org")
    return client


async def _preview(client: AsyncClient, kind: str, content: bytes | None = None, text: str = "") -> Response:
    """Like a browser: the upload form, then a multipart POST with the file (or the pasted text)."""
    token = csrf_from(await client.get("/admin/import"))
    files = {"file": ("liste.csv", content or b"", "text/csv")}
    return await client.post("/admin/import", data={"kind": kind, "csv_text": text, "_csrf_token": token}, files=files)


async def _confirm(client: AsyncClient, preview: Response) -> Response:
    """Press the preview's import button: its hidden fields travel back as multipart form data."""
    fields = dict(HIDDEN.findall(preview.text))
    assert set(fields) == {"kind", "csv"}, "the preview offers no import"
    parts = {name: (None, value) for name, value in {**fields, "_csrf_token": csrf_from(preview)}.items()}
    return await client.post("/admin/import/apply", files=parts)


async def _counts(app: Litestar) -> tuple[int, int, int]:
    async with app.state["alchemy_config"].get_session() as session:
        return tuple(  # type: ignore[return-value]
            [
                int(await session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (m.Stadtbezirk, m.Quartier, m.Place)
            ]
        )


async def test_upload_form_explains_the_import(admin: AsyncClient) -> None:
    page = await admin.get("/admin/import")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert 'type="file"' in page.text
    assert "Alles oder nichts" in page.text
    assert "stadtbezirk_code" in page.text
    assert "quartier_code" in page.text


async def test_preview_lists_every_row_error_with_its_line_and_imports_nothing(
    app: Litestar, admin: AsyncClient
) -> None:
    before = await _counts(app)
    csv = (
        "stadtbezirk_code;stadtbezirk_name;code;name\n"
        "SB1;Mitte;Q20;Neues Quartier\n"  # line 2: fine
        "SB1;Mitte;;Ohne Code\n"  # line 3: missing code
        "SB9;;Q21;Ohne Bezirk\n"  # line 4: unknown district without a name
        "SB1;Mitte;Q20;Doppelt\n"  # line 5: code repeated from line 2
        "SB1;Mitte;Q22;Lehmheide\n"  # line 6: name of Q03
        "SB1;Zentrum;Q23;Zentrum-Ost\n"  # line 7: other name than line 2 for SB1
    )
    response = await _preview(admin, "quartiers", csv.encode())

    assert response.status_code == 422
    text = response.text
    assert "5 Zeilen mit Fehlern – es wird nichts importiert" in text
    for line, column, message in (
        (3, "code", "Pflichtfeld fehlt."),
        (4, "stadtbezirk_code", "Unbekannter Stadtbezirk"),
        (5, "code", "Doppelt in der Datei (auch in Zeile 2)."),
        (6, "name", "Diesen Namen trägt schon Quartier Q03."),
        (7, "stadtbezirk_name", "Anderer Name als in Zeile 2."),
    ):
        assert f"Zeile {line}, Spalte {column}: {message}" in text, (line, column)
        assert f'id="zeile-{line}"' in text
    assert 'action="/admin/import/apply"' not in text, "no import is offered"
    assert await _counts(app) == before


async def test_apply_refuses_a_file_with_errors_even_when_posted_directly(app: Litestar, admin: AsyncClient) -> None:
    import base64

    before = await _counts(app)
    csv = "quartier_code;name;latitude;longitude\nQ01;Gut;51,3;6,5\nQ99;Unbekannt;;\nQ01;Krumm;abc;6\n"
    page = await admin.get("/admin/import")
    response = await admin.post(
        "/admin/import/apply",
        files={
            "kind": (None, "places"),
            "csv": (None, base64.b64encode(csv.encode()).decode()),
            "_csrf_token": (None, csrf_from(page)),
        },
    )
    assert response.status_code == 422
    assert "Zeile 3, Spalte quartier_code: Unbekanntes Quartier" in response.text
    assert "Zeile 4, Spalte latitude: Keine gültige Zahl" in response.text
    assert await _counts(app) == before, "not even the valid row is written"


async def test_clean_quartier_file_with_bom_and_semicolons_previews_imports_and_reimports_unchanged(
    app: Litestar, admin: AsyncClient
) -> None:
    csv = (
        "Stadtbezirk_Code;Stadtbezirk_Name;Code;Name;Bemerkung\r\n"
        "SB5;Nordwest;Q09;Am Wasserturm;neu\r\n"
        "SB5;;Q10;Kanalufer;\r\n"
        "SB1;Mitte;Q01;Innenstadt/St. Josef;unverändert\r\n"
        "SB1;Mitte;Q02;Schinkenplatz-Viertel;umbenannt\r\n"
    )
    content = b"\xef\xbb\xbf" + csv.encode("utf-8")
    before = await _counts(app)

    preview = await _preview(admin, "quartiers", content)

    assert preview.status_code == 200, preview.text
    assert "Diese Spalten werden nicht gelesen: bemerkung." in preview.text
    assert await _counts(app) == before, "the preview writes nothing"
    rows = {line: preview.text.split(f'id="zeile-{line}"', 1)[1].split("</tr>", 1)[0] for line in (2, 3, 4, 5)}
    assert ">neu<" in rows[2]
    assert ">neu<" in rows[3]
    assert ">unverändert<" in rows[4]
    assert ">geändert<" in rows[5]
    assert "(Name)" in rows[5]

    applied = await _confirm(admin, preview)

    assert applied.status_code == 303
    assert applied.headers["location"] == "/admin/master-data"
    overview = await admin.get(applied.headers["location"])
    assert "Import abgeschlossen: 2 neu, 1 geändert, 1 unverändert." in overview.text
    assert "Am Wasserturm" in overview.text
    assert await _counts(app) == (before[0] + 1, before[1] + 2, before[2])
    async with app.state["alchemy_config"].get_session() as session:
        q10 = await session.scalar(select(m.Quartier).where(m.Quartier.code == "Q10"))
        sb5 = await session.scalar(select(m.Stadtbezirk).where(m.Stadtbezirk.code == "SB5"))
        q02 = await session.scalar(select(m.Quartier).where(m.Quartier.code == "Q02"))
        assert sb5 is not None
        assert sb5.name == "Nordwest"
        assert q10 is not None
        assert q10.stadtbezirk_id == sb5.id
        assert q02 is not None
        assert (q02.name, q02.version) == ("Schinkenplatz-Viertel", 2)

    again = await _preview(admin, "quartiers", content)
    assert again.status_code == 200
    assert again.text.count(">unverändert</span>") == 4
    assert "Nichts zu importieren" in again.text
    assert 'action="/admin/import/apply"' not in again.text


async def test_pasted_places_with_commas_import_once_and_changed_coordinates_show(
    app: Litestar, admin: AsyncClient
) -> None:
    csv = (
        "quartier_code,name,latitude,longitude\n"
        'Q01,"Grünanlage, Kölner Straße",51.3251,6.5701\n'
        "Q03,Bolzplatz Lehmheide,,\n"
    )
    preview = await _preview(admin, "places", text=csv)
    assert preview.status_code == 200, preview.text
    assert preview.text.count(">neu</span>") == 2
    applied = await _confirm(admin, preview)
    assert applied.status_code == 303
    async with app.state["alchemy_config"].get_session() as session:
        green = await session.scalar(select(m.Place).where(m.Place.name == "Grünanlage, Kölner Straße"))
        assert green is not None
        assert (green.latitude, green.longitude) == (51.3251, 6.5701)

    again = await _preview(admin, "places", text=csv)
    assert again.text.count(">unverändert</span>") == 2

    moved = csv.replace("51.3251,6.5701", "51.3252,6.5701").replace("Lehmheide,,", "Lehmheide,,")
    changed = await _preview(admin, "places", text=moved)
    assert changed.text.count(">geändert</span>") == 1
    assert "Koordinaten" in changed.text
    assert (await _confirm(admin, changed)).status_code == 303
    async with app.state["alchemy_config"].get_session() as session:
        green = await session.scalar(select(m.Place).where(m.Place.name == "Grünanlage, Kölner Straße"))
        assert green is not None
        assert (green.latitude, green.version) == (51.3252, 2)


async def test_oversized_file_is_refused_with_a_clear_message(app: Litestar, admin: AsyncClient) -> None:
    before = await _counts(app)
    header = b"quartier_code;name;latitude;longitude\n"
    content = header + b"Q01;Ort;;\n" * (1_000_000 // 10 + 1)
    response = await _preview(admin, "places", content)
    assert response.status_code == 422
    assert 'id="f-file-error"' in response.text
    assert "Die Datei ist zu groß" in response.text
    assert await _counts(app) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("quartier_code;name\nQ01;Spielplatz Süd\n".encode("latin-1"), "nicht UTF-8"),
        (b"", "Bitte eine CSV-Datei w"),
    ],
)
async def test_unreadable_input_is_refused_next_to_the_field(admin: AsyncClient, content: bytes, message: str) -> None:
    response = await _preview(admin, "places", content)
    assert response.status_code == 422
    assert 'id="f-file-error"' in response.text
    assert message in response.text


async def test_missing_columns_and_an_unknown_kind_are_reported(admin: AsyncClient) -> None:
    response = await _preview(admin, "quartiers", b"code;name\nQ30;Irgendwo\n")
    assert response.status_code == 422
    assert "Es fehlen Spalten: stadtbezirk_code." in response.text
    assert 'action="/admin/import/apply"' not in response.text

    response = await _preview(admin, "strassen", b"code;name\nQ30;Irgendwo\n")
    assert response.status_code == 422
    assert 'id="f-kind-error"' in response.text


async def test_non_admins_cannot_import(app: Litestar, client: AsyncClient) -> None:
    await create_user(app, "k@example.org", [m.Role.COORDINATOR])
    await sign_in(client, "k@example.org")
    assert (await client.get("/admin/import")).status_code == 403
    token = csrf_from(await client.get("/account/tokens"))
    response = await client.post(
        "/admin/import",
        data={"kind": "places", "_csrf_token": token},
        files={"file": ("x.csv", b"quartier_code;name\nQ01;X\n", "text/csv")},
    )
    assert response.status_code == 403
