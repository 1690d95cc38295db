"""Round-table reports: drafted only from published statistics and approved notes, frozen, access by role."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers.services import ensure_seed_quartiers
from konfliktmanagement.domain.statistics.publishing import StatisticsService
from konfliktmanagement.domain.statistics.queries import StatisticsQuery
from tests.helpers import create_user, form_post, pdf_facts, sign_in

pytestmark = pytest.mark.anyio
YEAR = 2026

APPROVED = "Freigegeben: Beleuchtung am Spielplatz wurde verbessert"
OTHER_QUARTIER = "Anderes Quartier: nicht fuer diesen Tisch"
LAST_YEAR = "Vorjahr: gehoert nicht in den Bericht"
# Everything here must never appear in any report output.
CANARY_NAME = "Kanarienvogel Hildegard"
CANARY_PSEUDONYM = "P-CANARY"
CANARY_ALIAS = "Canaryalias"
CANARY_RECORD_KEY = 3141592653
SECRET_NOTES = {
    ("shareable", False): "Unfreigegeben: Streit zwischen Nachbarn im Hinterhof",
    ("case_team", True): "Teamnotiz: Vermittlung schwierig",
    ("mediator_private", True): "Privatnotiz: persoenlicher Eindruck",
}
CANARY_REFERENCE = f"KM-{YEAR}-07777"


@dataclass
class Setup:
    table_id: UUID
    other_table_id: UUID
    coordinator: AsyncClient
    reviewer: AsyncClient  # a second coordinator: four eyes
    member: AsyncClient
    outsider: AsyncClient  # member of another round table
    mediator: AsyncClient
    member_ids: list[UUID]


def forbidden_strings() -> list[str]:
    return [
        CANARY_NAME,
        CANARY_PSEUDONYM,
        CANARY_ALIAS,
        str(CANARY_RECORD_KEY),
        CANARY_REFERENCE,
        "KM-2026-",
        *SECRET_NOTES.values(),
    ]


def assert_clean(text: str) -> None:
    for needle in forbidden_strings():
        assert needle not in text, needle


def pdf_text(pdf: bytes) -> str:
    return pdf_facts(pdf).text


async def publish(app: Litestar, period: str = str(YEAR)) -> None:
    async with app.state["alchemy_config"].get_session() as session:
        await StatisticsService(session).publish(period, provisional=True)  # YEAR may be this year
        await session.commit()


async def seed(app: Litestar, make_client: Callable[[], AsyncClient], *, published: bool = True) -> Setup:
    coordinator = await create_user(app, "koordination@example.org", [m.Role.COORDINATOR], name="Kora")
    await create_user(app, "pruefung@example.org", [m.Role.COORDINATOR], name="Petra")
    await create_user(app, "mediation@example.org", [m.Role.MEDIATOR], name="Mila")
    members = [
        await create_user(app, f"mitglied{i}@example.org", [m.Role.ROUND_TABLE_MEMBER], name=f"Mitglied {i}")
        for i in (1, 2)
    ]
    outsider = await create_user(app, "fremd@example.org", [m.Role.ROUND_TABLE_MEMBER], name="Fremd")
    async with app.state["alchemy_config"].get_session() as session:
        await ensure_seed_quartiers(session)
        quartiers = {q.code: q for q in await session.scalars(select(m.Quartier))}
        types = {t.code: t.id for t in await session.scalars(select(m.ConflictType))}
        received = datetime(YEAR, 3, 1, 9, 0, tzinfo=UTC)
        sequence = iter(range(7000, 8000))

        def case(quartier: str, year: int = YEAR, reference: str | None = None, key: int | None = None) -> m.Case:
            number = next(sequence)
            row = m.Case(
                reference=reference or f"KM-{year}-{number:05d}",
                year=year,
                sequence=number,
                title="Fall",
                status="in_mediation",
                quartier_id=quartiers[quartier].id,
                conflict_type_id=types["laerm"],
                created_at=received.replace(year=year),
            )
            if key is not None:
                row.record_key = key
            session.add(row)
            return row

        for _ in range(12):
            case("Q01")
        canary = case("Q01", reference=CANARY_REFERENCE, key=CANARY_RECORD_KEY)
        elsewhere = case("Q02")
        last_year = case("Q01", year=YEAR - 1)
        await session.flush()
        party = m.Party(kind=m.PartyKind.PERSON.value, name=CANARY_NAME, pseudonym=CANARY_PSEUDONYM)
        session.add(party)
        await session.flush()
        session.add(m.Participation(case_id=canary.id, party_id=party.id, alias=CANARY_ALIAS, role="anliegend"))
        now = datetime.now(UTC)
        session.add(m.Note(case_id=canary.id, tier="shareable", body=APPROVED, approved_at=now))
        session.add(m.Note(case_id=elsewhere.id, tier="shareable", body=OTHER_QUARTIER, approved_at=now))
        session.add(m.Note(case_id=last_year.id, tier="shareable", body=LAST_YEAR, approved_at=now))
        for (tier, approved), body in SECRET_NOTES.items():
            session.add(m.Note(case_id=canary.id, tier=tier, body=body, approved_at=now if approved else None))
        table = m.RoundTable(name="Runder Tisch St. Josef", description="", quartiers=[quartiers["Q01"]])
        other = m.RoundTable(name="Runder Tisch Süd", description="", quartiers=[quartiers["Q02"]])
        session.add_all([table, other])
        await session.flush()
        for user in members:
            session.add(m.RoundTableMember(round_table_id=table.id, user_id=user.id, organisation="Polizei"))
        session.add(m.RoundTableMember(round_table_id=other.id, user_id=outsider.id, organisation="Kirche"))
        await session.commit()
        table_id, other_id = table.id, other.id
    if published:
        await publish(app)
    clients = {}
    for email in (
        "koordination@example.org",
        "pruefung@example.org",
        "mitglied1@example.org",
        "fremd@example.org",
        "mediation@example.org",
    ):
        clients[email] = make_client()
        await sign_in(clients[email], email)
    assert coordinator.id
    return Setup(
        table_id=table_id,
        other_table_id=other_id,
        coordinator=clients["koordination@example.org"],
        reviewer=clients["pruefung@example.org"],
        member=clients["mitglied1@example.org"],
        outsider=clients["fremd@example.org"],
        mediator=clients["mediation@example.org"],
        member_ids=[u.id for u in members],
    )


async def draft(setup: Setup, period: str = str(YEAR)) -> str:
    url = f"/round-tables/{setup.table_id}/reports"
    response = await form_post(setup.coordinator, url, url, {"period": period})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def post_action(client: AsyncClient, report_url: str, action: str, version: int) -> int:
    """Post a button of the report page (review, send) with the page's CSRF token."""
    page = await client.get(report_url)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    csrf = token.group(1) if token else (client.cookies.get("km_csrf") or "")
    response = await client.post(f"{report_url}/{action}", data={"version": str(version), "_csrf_token": csrf})
    return response.status_code


async def stored_report(app: Litestar) -> m.RoundTableReport:
    async with app.state["alchemy_config"].get_session() as session:
        report = await session.scalar(select(m.RoundTableReport))
        assert report is not None
        return report


async def test_no_publication_no_draft(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client, published=False)
    url = f"/round-tables/{setup.table_id}/reports"
    response = await form_post(setup.coordinator, url, url, {"period": str(YEAR)})
    assert response.status_code == 422
    assert 'id="f-period-error">Für 2026 ist noch keine Statistik veröffentlicht.' in response.text
    async with app.state["alchemy_config"].get_session() as session:
        assert await session.scalar(select(m.RoundTableReport)) is None


async def test_draft_from_published_statistics_and_approved_notes_only(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client)
    location = await draft(setup)
    page = await setup.coordinator.get(location)
    assert page.status_code == 200
    assert "Berichtsentwurf für 2026 erstellt." in page.text
    assert "Fälle je Quartier" in page.text
    assert APPROVED in page.text
    assert OTHER_QUARTIER not in page.text
    assert LAST_YEAR not in page.text
    assert_clean(page.text)

    report = await stored_report(app)
    assert report.state == "entwurf"
    snapshot = json.dumps(report.snapshot, ensure_ascii=False)
    assert_clean(snapshot)
    assert report.snapshot["notes"] == [APPROVED]
    # Only published values of the round table's quartier: Q01 and no other quartier, no city total.
    async with app.state["alchemy_config"].get_session() as session:
        published = await StatisticsQuery(session).publication(str(YEAR), "faelle_quartier")
        q01 = next(c for c in published.cells if c.dimension_values["quartier"] == "Q01")
    [by_quartier] = [t for t in report.snapshot["tables"] if t["code"] == "faelle_quartier"]
    assert by_quartier["rows"] == [{"labels": [q01.dimension_labels["quartier"]], "display": q01.display}]

    # The PDF is read back in test_round_table_reports_delivery.py (a render takes a good part of a second).


async def test_regenerate_while_draft_then_frozen(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client)
    location = await draft(setup)
    report = await stored_report(app)
    # A note approved later appears when the draft is made again.
    async with app.state["alchemy_config"].get_session() as session:
        case_id = await session.scalar(select(m.Case.id).where(m.Case.reference == CANARY_REFERENCE))
        session.add(
            m.Note(case_id=case_id, tier="shareable", body="Nachtrag freigegeben", approved_at=datetime.now(UTC))
        )
        await session.commit()
    assert await draft(setup) == location
    report = await stored_report(app)
    assert report.snapshot["notes"] == [APPROVED, "Nachtrag freigegeben"]

    assert await post_action(setup.reviewer, location, "review", report.version) == 303
    page = await setup.reviewer.get(location)
    assert "Bericht geprüft" in page.text
    assert "Geprüft" in page.text
    frozen = await stored_report(app)
    assert frozen.state == "geprueft"
    assert frozen.reviewed_at is not None

    url = f"/round-tables/{setup.table_id}/reports"
    again = await form_post(setup.coordinator, url, url, {"period": str(YEAR)})
    assert again.status_code == 409
    assert "bereits geprüft und kann nicht mehr verändert werden" in again.text
    assert await post_action(setup.reviewer, location, "review", frozen.version) == 409
    assert (await stored_report(app)).snapshot == frozen.snapshot


async def test_stale_version_and_own_review_are_refused(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client)
    location = await draft(setup)
    report = await stored_report(app)
    assert await post_action(setup.reviewer, location, "review", report.version + 5) == 409
    assert (await stored_report(app)).state == "entwurf"

    # A one-person office (KM_REPORT_FOUR_EYES=false) reviews its own draft, and the report says so.
    assert await post_action(setup.coordinator, location, "review", report.version) == 409  # four eyes by default
    settings = app.state["settings"]
    app.state["settings"] = settings.model_copy(update={"report_four_eyes": False})  # KM_REPORT_FOUR_EYES=false
    try:
        assert await post_action(setup.coordinator, location, "review", report.version) == 303
    finally:
        app.state["settings"] = settings
    reviewed = await stored_report(app)
    assert reviewed.reviewed_by_id == reviewed.created_by_id
    assert (
        "Dieser Bericht wurde nicht von einer zweiten Person geprüft." in (await setup.coordinator.get(location)).text
    )


async def test_access(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client)
    location = await draft(setup)
    report = await stored_report(app)
    url = f"/round-tables/{setup.table_id}/reports"
    # Non-coordinators may not draft, review or send.
    for client in (setup.member, setup.mediator, setup.outsider):
        assert (await client.get(url)).status_code == 403
        await client.get("/account/tokens")  # any page, for the CSRF cookie
        token = client.cookies.get("km_csrf") or ""
        assert (await client.post(url, data={"period": "2026", "_csrf_token": token})).status_code == 403
        for action in ("review", "send"):
            response = await client.post(f"{location}/{action}", data={"version": "1", "_csrf_token": token})
            assert response.status_code == 403
    # A draft is the coordinators' only: members, others and other tables' members get 404.
    for client in (setup.member, setup.mediator, setup.outsider):
        assert (await client.get(location)).status_code == 404
        assert (await client.get(f"{location}.pdf")).status_code == 404
    # Another round table's URL with this report id is not found either.
    assert (await setup.coordinator.get(f"/round-tables/{setup.other_table_id}/reports/{report.id}")).status_code == 404
    assert (await setup.coordinator.get(f"{url}/not-a-report")).status_code == 404


async def add_round_table_records(app: Litestar) -> None:
    """Places, agreement items and administration requests for the Q01 cases (and one Q02 place);
    the free texts carry the canary, which must never reach a report."""
    async with app.state["alchemy_config"].get_session() as session:
        quartiers = {q.code: q for q in await session.scalars(select(m.Quartier))}
        market = m.Place(quartier_id=quartiers["Q01"].id, name="Marktplatz St. Josef")
        bench = m.Place(quartier_id=quartiers["Q02"].id, name="Bank am Südufer")
        session.add_all([market, bench])
        await session.flush()
        cases = list(
            await session.scalars(select(m.Case).where(m.Case.year == YEAR, m.Case.quartier_id == quartiers["Q01"].id))
        )
        assert len(cases) == 13
        for case in cases:
            case.place_id = market.id
            agreement = m.Agreement(case_id=case.id, title=f"Vereinbarung mit {CANARY_NAME}")
            session.add(agreement)
            await session.flush()
            session.add(
                m.AgreementItem(
                    agreement_id=agreement.id, position=1, responsible=CANARY_NAME, action=CANARY_ALIAS, status="offen"
                )
            )
            session.add(
                m.AdministrationRequest(
                    case_id=case.id, department="Ordnungsamt", subject=CANARY_PSEUDONYM, status="beantwortet"
                )
            )
        elsewhere = await session.scalar(select(m.Case).where(m.Case.quartier_id == quartiers["Q02"].id))
        assert elsewhere is not None
        elsewhere.place_id = bench.id
        await session.commit()


async def test_report_shows_status_places_items_and_requests_of_its_quartiers(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client, published=False)
    await add_round_table_records(app)
    await publish(app)
    location = await draft(setup)
    report = await stored_report(app)
    tables = {t["code"]: t for t in report.snapshot["tables"]}
    new_tables = (
        "faelle_quartier_status",
        "faelle_ort",
        "vereinbarungspunkte_quartier",
        "verwaltungsanliegen_quartier",
    )
    for code in new_tables:
        assert code in tables, code

    async with app.state["alchemy_config"].get_session() as session:
        statistics = StatisticsQuery(session)
        status = await statistics.publication(str(YEAR), "faelle_quartier_status")
        places = await statistics.publication(str(YEAR), "faelle_ort")
        market = next(c for c in places.cells if c.dimension_values["ort"] == "Q01/Marktplatz St. Josef")
    # Status groups: exactly the published cells of Q01, its total and its four groups (and "ohne Angabe").
    q01_status = [c for c in status.cells if c.dimension_values["quartier"] == "Q01"]
    assert tables["faelle_quartier_status"]["rows"] == [
        {"labels": [c.dimension_labels["quartier"], c.dimension_labels["statusgruppe"]], "display": c.display}
        for c in q01_status
    ]
    assert len(q01_status) == 4 + 1 + 1
    # 13 cases at the Marktplatz: n' >= 8, so it is a place with recurring conflicts; the Q02 place is not listed.
    assert market.value is not None
    assert market.value >= 8
    assert tables["faelle_ort"]["rows"] == [{"labels": [market.dimension_labels["ort"]], "display": market.display}]
    assert "Südufer" not in json.dumps(report.snapshot, ensure_ascii=False)
    # 13 items and 13 requests in Q01: their totals are published numbers, near 13.
    units = {"vereinbarungspunkte_quartier": "Vereinbarungspunkte", "verwaltungsanliegen_quartier": "Anliegen"}
    for code, unit in units.items():
        total = next(r for r in tables[code]["rows"] if r["labels"][1] == "Insgesamt")
        assert total["labels"][0] != "Insgesamt"
        assert abs(int(total["display"]) - 13) <= 5, code
        assert tables[code]["unit"] == unit

    page = await setup.coordinator.get(location)
    assert page.status_code == 200
    for heading in (
        "Fälle je Quartier nach Stand der Bearbeitung",
        "Orte mit wiederkehrenden Konflikten",
        "Marktplatz St. Josef",
        "Vereinbarungspunkte je Quartier nach Stand der Umsetzung",
        "Anliegen an die Verwaltung je Quartier nach Stand",
    ):
        assert heading in page.text, heading
    assert '<th scope="col">Vereinbarungspunkte</th>' in page.text
    assert_clean(page.text)
    assert_clean(json.dumps(report.snapshot, ensure_ascii=False))


async def test_report_says_when_no_place_has_recurring_conflicts(app: Litestar, make_client) -> None:
    setup = await seed(app, make_client)
    location = await draft(setup)
    report = await stored_report(app)
    [places] = [t for t in report.snapshot["tables"] if t["code"] == "faelle_ort"]
    assert places["rows"] == []
    page = await setup.coordinator.get(location)
    assert "keinen Ort mit wiederkehrenden Konflikten" in page.text
