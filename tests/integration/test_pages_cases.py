"""Case pages: Meine Fälle, the case list with filters, a new case, and who may reach them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import BERLIN, today
from tests.helpers import api, case_team, form_post
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio


async def _case(app: Litestar, case_id: object) -> m.Case:
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, UUID(str(case_id)))
        assert case is not None
        return case


async def _count_cases(app: Litestar) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return int(await session.scalar(select(func.count()).select_from(m.Case)) or 0)


async def _update(app: Litestar, case_id: object, **dates: object) -> None:
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, UUID(str(case_id)))
        assert case is not None
        for name, value in dates.items():
            setattr(case, name, value)
        await session.commit()


async def test_mine_lists_open_cases_overdue_first(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client, title="Fall ohne Termin")
    soon = await case_in_state(app, team, m.CaseStatus.NACHBETREUUNG)  # follow-up in 7 days
    overdue = await case_in_state(app, team, m.CaseStatus.RUHEND)
    await _update(app, overdue, resubmission_date=today() - timedelta(days=2), follow_up_date=None)
    planned = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
    await _update(app, planned, follow_up_date=None)
    meeting = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{planned}/sessions",
        {"kind": "gemeinsame_sitzung", "scheduled_at": (datetime.now(UTC) + timedelta(days=3)).isoformat()},
    )
    assert meeting.status_code == 201, meeting.text
    closed = await case_in_state(app, team, m.CaseStatus.ABGESCHLOSSEN)

    page = await team.mediator.get("/cases/mine")
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    assert "<h1>Meine Fälle</h1>" in page.text
    refs = {
        key: (await _case(app, cid)).reference
        for key, cid in {
            "soon": soon,
            "overdue": overdue,
            "planned": planned,
            "closed": closed,
            "undated": team.case_id,
        }.items()
    }
    order = [page.text.index(refs[key]) for key in ("overdue", "planned", "soon", "undated")]
    assert order == sorted(order), "overdue first, then by next date, undated last"
    assert refs["closed"] not in page.text
    overdue_row = page.text[page.text.index(refs["overdue"]) : page.text.index(refs["planned"])]
    assert "überfällig" in overdue_row  # marked in words, not only by colour
    assert "Wiedervorlage" in overdue_row
    assert "Sitzung: gemeinsame Sitzung" in page.text
    assert "Fällig oder überfällig: 1" in page.text
    assert 'action="/cases/new"' in page.text  # the quick form


async def test_mine_empty_state(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    page = await team.other_mediator.get("/cases/mine")
    assert page.status_code == 200
    assert "Sie haben gerade keine offenen Fälle" in page.text


async def test_quick_form_creates_a_case_for_the_mediator(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    response = await form_post(
        team.other_mediator,
        "/cases/mine",
        "/cases/new",
        {
            "title": "Müll am Kiosk",
            "quartier_id": team.quartier_id,
            "conflict_type_id": team.conflict_type_id,
            "place_id": "",
        },
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/cases/[0-9a-f-]{36}", location)
    case_page = await team.other_mediator.get(location)
    assert case_page.status_code == 200
    assert re.search(r"Fall KM-\d{4}-\d{4} angelegt\.", case_page.text)
    assert "Müll am Kiosk" in case_page.text
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.scalar(select(m.Case).where(m.Case.title == "Müll am Kiosk"))
        assert case is not None
        assert str(case.quartier_id) == team.quartier_id
        links = list(await session.scalars(select(m.CaseMediator.user_id).where(m.CaseMediator.case_id == case.id)))
        assert len(links) == 1  # the mediator who recorded it is on it
    assert "Müll am Kiosk" in (await team.other_mediator.get("/cases/mine")).text


async def test_new_case_full_form(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    form = await team.coordinator.get("/cases/new")
    assert form.status_code == 200
    for label in (
        "Titel",
        "Beschreibung",
        "Konfliktart",
        "Quartier",
        "Ort",
        "Hinweis von",
        "Dringlichkeit",
        "Eskalationsstufe (Glasl)",
    ):
        assert f">{label}" in form.text, label
    response = await form_post(
        team.coordinator,
        "/cases/new",
        "/cases/new",
        {
            "title": "Streit am Spielplatz",
            "description": "Seit Wochen",
            "referral_source": "ordnungsamt",
            "urgency": "hoch",
            "escalation_level": "4",
            "quartier_id": team.quartier_id,
            "conflict_type_id": "",
        },
    )
    assert response.status_code == 303, response.text
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.scalar(select(m.Case).where(m.Case.title == "Streit am Spielplatz"))
        assert case is not None
        assert (case.referral_source, case.urgency, case.escalation_level) == ("ordnungsamt", "hoch", 4)
        assert case.conflict_type_id is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "description": "bleibt stehen"}, "title", "Bitte ausfüllen."),
        ({"title": "Gut", "description": "bleibt stehen", "escalation_level": "12"}, "escalation_level", "bis 9"),
    ],
)
async def test_new_case_errors_next_to_the_field(
    app: Litestar, make_client, data: dict[str, str], field: str, message: str
) -> None:
    team = await case_team(app, make_client)
    before = await _count_cases(app)
    response = await form_post(team.mediator, "/cases/new", "/cases/new", data)
    assert response.status_code == 422
    error = re.search(rf'<p class="error" id="f-{field}-error">([^<]*)</p>', response.text)
    assert error, response.text
    assert message in error.group(1)
    assert ">bleibt stehen</textarea>" in response.text  # input kept
    assert await _count_cases(app) == before


async def test_new_case_place_must_lie_in_the_quartier(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    async with app.state["alchemy_config"].get_session() as session:
        other = await session.scalar(select(m.Quartier).where(m.Quartier.id != UUID(team.quartier_id)))
        assert other is not None
        place = m.Place(quartier_id=other.id, name="Bolzplatz Nord")
        session.add(place)
        await session.commit()
    response = await form_post(
        team.mediator,
        "/cases/new",
        "/cases/new",
        {"title": "Ort passt nicht", "quartier_id": team.quartier_id, "place_id": str(place.id)},
    )
    assert response.status_code == 422
    assert 'id="f-place_id-error"' in response.text
    assert "nicht im gewählten Quartier" in response.text
    assert 'value="Ort passt nicht"' in response.text


async def test_list_filters(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client, title="Eingang Lärm")
    on_hold = await case_in_state(app, team, m.CaseStatus.RUHEND)
    await _update(app, on_hold, resubmission_date=today(), title="Ruht bis heute")
    elsewhere = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    async with app.state["alchemy_config"].get_session() as session:
        other_quartier = await session.scalar(select(m.Quartier.id).where(m.Quartier.id != UUID(team.quartier_id)))
    await _update(app, elsewhere, quartier_id=other_quartier, title="Anderes Quartier")
    coordinator = team.coordinator

    everything = await coordinator.get("/cases")
    assert everything.status_code == 200
    assert "Ergebnis: 3 Fälle" in everything.text
    by_status = await coordinator.get("/cases", params=[("status", "ruhend"), ("status", "in_klaerung")])
    assert "Ergebnis: 2 Fälle" in by_status.text
    assert "Eingang Lärm" not in by_status.text
    by_quartier = await coordinator.get(f"/cases?status=ruhend&status=in_klaerung&quartier_id={team.quartier_id}")
    assert "Ergebnis: 1 Fall" in by_quartier.text
    assert "Ruht bis heute" in by_quartier.text
    due = await coordinator.get("/cases?due=wiedervorlage&quartier_id=&place_id=&reference=")
    assert "Ruht bis heute" in due.text
    assert "Anderes Quartier" not in due.text
    reference = (await _case(app, elsewhere)).reference
    by_reference = await coordinator.get("/cases", params={"reference": reference[-6:]})
    assert "Anderes Quartier" in by_reference.text
    assert "Ergebnis: 1 Fall" in by_reference.text
    nonsense = await coordinator.get("/cases?status=kaputt&quartier_id=nope&page=x")
    assert nonsense.status_code == 200
    assert "Ergebnis: 3 Fälle" in nonsense.text

    mine_only = await team.other_mediator.get("/cases")
    assert "Ergebnis: 0 Fälle" in mine_only.text
    assert "Eingang Lärm" not in mine_only.text


async def test_list_pages(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    for _ in range(25):
        await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG, complete=False)
    first = await team.mediator.get("/cases?status=in_klaerung&status=eingegangen")
    assert "Ergebnis: 26 Fälle" in first.text
    assert "Seite 1 von 2" in first.text
    link = re.search(r'href="/cases\?([^"]+)" rel="next"', first.text)
    assert link
    second = await team.mediator.get("/cases?" + link.group(1).replace("&amp;", "&"))
    assert "Seite 2 von 2" in second.text
    assert len(re.findall(r'<th scope="row"[^>]*><a href="/cases/', second.text)) == 1


async def test_the_closed_filter_form_is_fetched_when_opened(app: Litestar, make_client) -> None:
    """Unfiltered, the list holds "Filter und Suche" closed without its form (every place and mediator):
    htmx fetches it when opened, keeping the list's sort; without JavaScript its link is a page of its own.
    Filtered, the form stands open in the list."""
    team = await case_team(app, make_client)
    listed = (await team.coordinator.get("/cases?sort=title&order=desc")).text
    assert 'name="mediator_id"' not in listed
    lazy = r'<div hx-get="(/cases/filters\?[^"]+)" hx-trigger="toggle once from:closest details"'
    fetched_from = re.search(lazy, listed)
    assert fetched_from
    url = fetched_from.group(1).replace("&amp;", "&")
    fetched = await team.coordinator.get(url, headers={"hx-request": "true"})
    assert fetched.status_code == 200
    assert "<html" not in fetched.text
    assert fetched.text.lstrip().startswith('<form method="get" action="/cases" role="search"')
    assert 'name="mediator_id"' in fetched.text
    kept = '<input type="hidden" name="sort" value="title"><input type="hidden" name="order" value="desc">'
    assert kept in fetched.text
    assert f'<a href="{url.replace("&", "&amp;")}">Filter und Suche</a>' in listed
    page = await team.coordinator.get(url)
    assert "<html" in page.text
    assert 'name="mediator_id"' in page.text
    filtered = (await team.coordinator.get("/cases?status=eingegangen")).text
    assert '<details class="panel case-filters" open>' in filtered
    assert 'name="mediator_id"' in filtered
    assert (await team.round_table.get("/cases/filters")).status_code == 403


@pytest.mark.parametrize("path", ["/cases", "/cases/mine", "/cases/new"])
async def test_lists_and_creation_are_for_the_case_team(app: Litestar, make_client, path: str) -> None:
    team = await case_team(app, make_client)
    for client in (team.round_table, team.admin):
        assert (await client.get(path)).status_code == 403


@pytest.mark.parametrize("suffix", ["", "/edit", "/mediators", "/transitions/in_klaerung", "/transitions/ruhend"])
async def test_case_urls_are_not_found_for_outsiders(app: Litestar, make_client, suffix: str) -> None:
    team = await case_team(app, make_client)
    for client in (team.other_mediator, team.round_table, team.admin):
        response = await client.get(f"/cases/{team.case_id}{suffix}")
        assert response.status_code == 404, (suffix, response.status_code)
        assert "Seite nicht gefunden" in response.text
        assert "Lärm am Platz" not in response.text


async def test_writes_are_not_found_for_outsiders(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    for client in (team.other_mediator, team.round_table, team.admin):
        for action, data in (
            ("edit", {"version": team.version, "title": "Übernommen"}),
            ("transitions", {"version": team.version, "to": "in_klaerung"}),
            ("mediators", {"version": team.version, "mediator_ids": ""}),
        ):
            response = await form_post(client, "/account/tokens", f"/cases/{team.case_id}/{action}", data)
            assert response.status_code == 404, (action, response.status_code)
    case = await _case(app, team.case_id)
    assert (case.title, case.status, case.version) == ("Lärm am Platz", "eingegangen", team.version)


async def test_unknown_case_and_target_are_not_found(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    client: AsyncClient = team.coordinator
    assert (await client.get(f"/cases/{UUID(int=1)}")).status_code == 404
    assert (await client.get(f"/cases/{team.case_id}/transitions/nirgendwo")).status_code == 404
    # a real state that is not reachable from `eingegangen`
    assert (await client.get(f"/cases/{team.case_id}/transitions/nachbetreuung")).status_code == 404


async def test_mine_is_paged_in_the_order_of_the_next_date(app: Litestar, make_client) -> None:
    """52 open cases: the page shows 50 in next-date order (a session late in a Berlin evening counts
    for its Berlin day), page 2 the rest; closed cases are neither shown nor counted."""
    team = await case_team(app, make_client, title="Ohne Termin")
    day = today()
    async with app.state["alchemy_config"].get_session() as session:
        template = await session.get(m.Case, UUID(team.case_id))
        assert template is not None
        cases = []
        for index in range(52):
            case = m.Case(
                reference=f"KM-T-{index:04d}",
                year=1990,
                sequence=index + 1,
                title=f"Fall {index}",
                status=m.CaseStatus.IN_KLAERUNG.value,
                follow_up_date=day + timedelta(days=100 - index),  # the later index, the earlier
                mediator_links=[m.CaseMediator(user_id=team.mediator_user.id)],
            )
            cases.append(case)
        closed = m.Case(
            reference="KM-T-ZU",
            year=1990,
            sequence=999,
            title="Zu",
            status=m.CaseStatus.ABGESCHLOSSEN.value,
            follow_up_date=day,
            mediator_links=[m.CaseMediator(user_id=team.mediator_user.id)],
        )
        session.add_all([*cases, closed])
        await session.flush()
        # 23:30 UTC is the next day in Berlin: KM-T-0000's next day is day + 61, after KM-T-0040's
        # follow-up on day + 60, although the UTC date of the session is day + 60.
        evening = datetime.combine(day + timedelta(days=60), time(23, 30), tzinfo=UTC)
        session.add(
            m.MediationSession(
                case_id=cases[0].id,
                kind=m.SessionKind.GEMEINSAME_SITZUNG.value,
                status=m.SessionStatus.GEPLANT.value,
                scheduled_at=evening,
            )
        )
        await session.commit()

    first = await team.mediator.get("/cases/mine")
    assert first.status_code == 200
    refs = re.findall(r">(KM-T-\d{4})</a>", first.text)
    assert len(refs) == 50

    session_day = evening.astimezone(BERLIN).date()
    expected = sorted(
        [(day + timedelta(days=100 - i), f"KM-T-{i:04d}") for i in range(1, 52)]
        + [(min(session_day, day + timedelta(days=100)), "KM-T-0000")]
    )
    assert refs == [ref for _, ref in expected[:50]]
    assert "KM-T-ZU" not in first.text
    assert '<span class="badge">53</span>' in first.text  # 52 + the team's undated case
    assert 'href="/cases/mine?page=2" rel="next"' in first.text
    second = await team.mediator.get("/cases/mine?page=2")
    rest = re.findall(r">(KM-T-\d{4})</a>", second.text)
    assert rest == [ref for _, ref in expected[50:]]
    assert "Ohne Termin" in second.text  # undated last
    assert 'href="/cases/mine?page=1" rel="prev"' in second.text


async def test_list_counts_stop_at_the_limit(app: Litestar, make_client, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above COUNT_LIMIT the page says "mehr als N" and the API `total_exact: false`; at it, exact."""
    from konfliktmanagement.domain.cases import services

    team = await case_team(app, make_client)
    for _ in range(2):
        await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG, complete=False)
    monkeypatch.setattr(services, "COUNT_LIMIT", 3)
    exact = (await team.coordinator.get("/api/v1/cases?page_size=1")).json()
    assert (exact["total"], exact["total_exact"]) == (3, True)
    await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG, complete=False)
    bounded = (await team.coordinator.get("/api/v1/cases?page_size=2")).json()
    assert (bounded["total"], bounded["total_exact"], len(bounded["items"])) == (3, False, 2)
    monkeypatch.setattr(services, "COUNT_LIMIT", 1)
    page = await team.coordinator.get("/cases")
    assert "Ergebnis: mehr als 1 Fälle" in page.text
    assert "Seite 1</span>" in page.text  # the number of pages is not known
    assert 'rel="next"' not in page.text  # all four fit on the page: no empty next page
