"""Statement budgets of the hot routes: how many SQL statements one request costs, sign-in included.

A count, not a time: it does not depend on the machine, and it fails the moment a change makes a
page load the same rows again (the case page once loaded its case eight times). Budgets are the
counts measured when they were set; raise one only with a reason in the commit. A budget is
PostgreSQL's count; SQLite's adds the request's `BEGIN` (sent through the cursor there, outside it by
asyncpg). Authentication is one statement (session or token, user, roles, reference-data version),
and a request that changes nothing in its session writes no session row.
"""

from __future__ import annotations

from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar

from konfliktmanagement.db import models as m
from tests.helpers import DEFAULT_PASSWORD, CaseTeam, api, count_statements, create_user, csrf_from, csrf_header

pytestmark = pytest.mark.anyio


async def _filled(team: CaseTeam) -> None:
    """A case with what its page shows: a party with a consent, a session, notes, an agreement, a request."""
    url = f"/api/v1/cases/{team.case_id}"
    calls = [
        (f"{url}/participations", {"role": "anliegend", "party": {"kind": "person", "name": "Erika Muster"}}),
        (f"{url}/sessions", {"kind": "ortsbegehung"}),
        (f"{url}/notes", {"tier": "mediator_private", "body": "Eindruck"}),
        (f"{url}/notes", {"tier": "case_team", "body": "Für das Team"}),
        (f"{url}/agreements", {"title": "Ruhezeiten", "items": [{"responsible": "Partei A", "action": "leiser"}]}),
        (f"{url}/administration-requests", {"department": "Grünflächenamt", "subject": "Mülleimer"}),
    ]
    for path, body in calls:
        response = await api(team.mediator, "POST", path, body)
        assert response.status_code == 201, response.text


async def _cost(app: Litestar, client: AsyncClient, method: str, path: str, **kwargs: object) -> list[str]:
    with count_statements(app.state["alchemy_config"].get_engine()) as statements:
        response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code < 400, response.text
    return statements


def _within(statements: list[str], budget: int, backend: str) -> None:
    allowed = budget + (1 if backend == "sqlite" else 0)
    assert len(statements) <= allowed, "\n".join(statements)


# 9: the attachments' list is one more statement (issue 13, metadata only, content deferred); the
# case's mediators ride in the case's own statement (issue 10), one less.
@pytest.mark.parametrize(("who", "budget"), [("coordinator", 9), ("mediator", 9)])
async def test_case_page(app: Litestar, team: CaseTeam, backend: str, who: str, budget: int) -> None:
    await _filled(team)
    statements = await _cost(app, getattr(team, who), "GET", f"/cases/{team.case_id}")
    _within(statements, budget, backend)


# 9: a quick action's form, fetched when opened, is read like the case page (its access and its read),
# so that it offers what the page would.
@pytest.mark.parametrize("key", ["note", "session"])
async def test_case_page_quick_form(app: Litestar, team: CaseTeam, backend: str, key: str) -> None:
    await _filled(team)
    statements = await _cost(app, team.mediator, "GET", f"/cases/{team.case_id}/quick/{key}")
    _within(statements, 9, backend)


@pytest.mark.parametrize(
    ("who", "path", "budget"),
    [
        # 2: the page with both counts from `case_mediator`'s next days; the sessions are read only when a
        # case on the page has a next date (issue 10) — the team's case has none.
        ("mediator", "/cases/mine", 2),
        ("coordinator", "/cases/", 4),
        ("mediator", "/cases/", 4),
        # 4: the team's received case is in the intake (every `eingegangen` case is); one statement reads
        # the first cases of all four lists with their mediators, and the quartiers are cached reference
        # data (issue 10). It has a team, so the workload (`mediator_load`) is not read (only when a case
        # there still needs a pair). The counts come from `case_count`, the recently closed ones from
        # `case_closed_day`, not from every case.
        ("coordinator", "/dashboard", 4),
        ("coordinator", "/api/v1/cases/{case_id}", 2),
        ("mediator", "/api/v1/cases/{case_id}", 2),
        ("coordinator", "/api/v1/cases", 4),
        ("mediator", "/api/v1/cases", 4),
        # Issue 15: the agenda (sessions, case dates, item deadlines, the feed's state) and the notifications;
        # the coordination's agenda also reads the round tables' meetings.
        ("mediator", "/calendar", 5),
        ("coordinator", "/calendar", 6),
        ("mediator", "/notifications", 3),
        ("mediator", "/api/v1/notifications", 3),
        # Search and sort (issue 15): the matches join the list's own statement, and a first page that holds
        # every match needs no count; the CSV adds one statement for the parties' pseudonyms.
        ("coordinator", "/cases/?q=L%C3%A4rm+Platz&sort=quartier", 3),
        ("coordinator", "/cases/export.csv?q=L%C3%A4rm", 4),
    ],
)
async def test_read_routes(app: Litestar, team: CaseTeam, backend: str, who: str, path: str, budget: int) -> None:
    await _filled(team)
    client = getattr(team, who)
    # The steady state: the reference data (choosers) is cached per process after the first request.
    await client.get(path.format(case_id=team.case_id))
    statements = await _cost(app, client, "GET", path.format(case_id=team.case_id))
    _within(statements, budget, backend)


async def test_place_map(app: Litestar, team: CaseTeam, backend: str) -> None:
    """Quartier outlines, then every place with the mediator's readable cases counted in one GROUP BY."""
    async with app.state["alchemy_config"].get_session() as session:
        for n in range(3):
            session.add(m.Place(quartier_id=UUID(team.quartier_id), name=f"Platz {n}", latitude=51.33, longitude=6.56))
        await session.commit()
    statements = await _cost(app, team.mediator, "GET", "/places/map")
    _within(statements, 3, backend)


async def test_transition(app: Litestar, team: CaseTeam, backend: str) -> None:
    """eingegangen → in Klärung by the coordinator, through the API."""
    case = (await team.coordinator.get(f"/api/v1/cases/{team.case_id}")).json()
    statements = await _cost(
        app,
        team.coordinator,
        "POST",
        f"/api/v1/cases/{team.case_id}/transitions",
        json={"to": "in_klaerung", "version": case["version"]},
        headers=csrf_header(team.coordinator),
    )
    # 5: the case (locked), its row written with the audit trail's head returned, its move between two cells
    # of `case_count`, the event. Its guards read the case row only, so no records are loaded; its mediators'
    # workload and next days do not change (it stays active, its dates as they were) (issue 10).
    _within(statements, 5, backend)


async def test_statistics_table_page(app: Litestar, team: CaseTeam, backend: str) -> None:
    """The largest table's page, once laid out: the publication row and the session/sign-in statements."""
    from tests.integration.test_statistics_publishing import YEAR, publish, seed_cases

    await seed_cases(app)
    await publish(app)
    path = f"/statistics/{YEAR}/faelle_quartier_status"
    await _cost(app, team.round_table, "GET", path)  # the first view lays the table out
    statements = await _cost(app, team.round_table, "GET", path)
    _within(statements, 2, backend)


async def test_sign_in(app: Litestar, client: AsyncClient) -> None:
    """The sign-in form sent: in the request's transaction the throttle's counters (both keys in one
    statement), the user, the account's failures and the expired store rows dropped; then the new session
    row in the store's own. 5 (issue 10): 7 in five transactions before. Counted without SQLite's BEGINs."""
    await create_user(app, "anmeldung@example.org")
    page = await client.get("/login")
    form = {"email": "anmeldung@example.org", "password": DEFAULT_PASSWORD, "_csrf_token": csrf_from(page)}
    with count_statements(app.state["alchemy_config"].get_engine()) as statements:
        response = await client.post("/login", data=form)
    assert response.status_code == 303, response.text
    sent = [statement for statement in statements if not statement.startswith("BEGIN")]
    assert len(sent) <= 5, "\n".join(sent)
