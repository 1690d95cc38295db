"""The coordinator dashboard: counts by status × quartier, intake queue, overdue and on-hold lists,
recently closed cases by outcome; coordinators only. Issue 15: overdue dates whatever the status, cases
recorded by mediators in the intake, pairs of two different people, the workload wherever mediators are
chosen; issue 10: the maintained counts (`case_count`, `mediator_load`, `case_closed_day`) equal to a full count
after a mixed sequence of operations."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.counts import (
    full_closed_days,
    full_counts,
    full_loads,
    stored_closed_days,
    stored_counts,
    stored_loads,
)
from konfliktmanagement.domain.cases.workflow import ACTIVE, CLOSED, OPEN
from konfliktmanagement.lib.clock import BERLIN, now, today
from tests.helpers import CaseTeam, api, create_user, csrf_from, field_error, sign_in
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio

S = m.CaseStatus


async def _quartier_ids(app: Litestar) -> dict[str, str]:
    async with app.state["alchemy_config"].get_session() as session:
        return {q.code: str(q.id) for q in await session.scalars(select(m.Quartier))}


async def _patch(client: AsyncClient, case_id: UUID | str, **changes: object) -> dict:
    current = await api(client, "GET", f"/api/v1/cases/{case_id}")
    assert current.status_code == 200, current.text
    response = await api(client, "PATCH", f"/api/v1/cases/{case_id}", {"version": current.json()["version"], **changes})
    assert response.status_code == 200, response.text
    return response.json()


async def _new_case(client: AsyncClient, title: str = "Neuer Eingang", **fields: object) -> str:
    """A case created by the coordinator: in `eingegangen`, without mediators."""
    response = await api(client, "POST", "/api/v1/cases", {"title": title, **fields})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _transition(client: AsyncClient, case_id: UUID | str, **body: object) -> None:
    response = await api(client, "POST", f"/api/v1/cases/{case_id}/transitions", body)
    assert response.status_code == 200, response.text


def _section(page: str, section_id: str) -> str:
    """The HTML of one dashboard section (sections are not nested, except the closed groups at the end)."""
    start = page.index(f'<section id="{section_id}"')
    if section_id == "abgeschlossen":
        return page[start : page.index("</main>")]
    return page[start : page.index("</section>", start)]


def _count_link(page: str, href: str) -> int | None:
    """The number a link with exactly this target shows (hrefs are HTML-escaped in the page)."""
    match = re.search(rf'<a href="{re.escape(html.escape(href))}">(\d+)<', page)
    return int(match.group(1)) if match else None


async def test_counts_by_status_and_quartier_match_the_cases(app: Litestar, team: CaseTeam) -> None:
    q = await _quartier_ids(app)
    # team.case_id: eingegangen in Q01 (assigned). Add: 2 in_mediation in Q01, 1 ruhend in Q03,
    # 1 eingegangen in Q02, 1 eingegangen without quartier, 1 eingestellt in Q03.
    for _ in range(2):
        await case_in_state(app, team, S.IN_MEDIATION)
    on_hold = await case_in_state(app, team, S.RUHEND)
    await _patch(team.coordinator, on_hold, quartier_id=q["Q03"])
    await _new_case(team.coordinator, quartier_id=q["Q02"])
    await _new_case(team.coordinator)
    stopped = await case_in_state(app, team, S.IN_KLAERUNG)
    await _patch(team.coordinator, stopped, quartier_id=q["Q03"])
    await _transition(team.coordinator, stopped, to="eingestellt", reason="Parteien nicht erreichbar")

    page = (await team.coordinator.get("/dashboard")).text
    matrix = _section(page, "uebersicht")
    expected = {
        (S.EINGEGANGEN, "Q01"): 1,
        (S.IN_MEDIATION, "Q01"): 2,
        (S.RUHEND, "Q03"): 1,
        (S.EINGEGANGEN, "Q02"): 1,
        (S.EINGESTELLT, "Q03"): 1,
    }
    for (status, code), count in expected.items():
        href = f"/cases?status={status.value}&quartier_id={q[code]}"
        assert _count_link(matrix, href) == count, (status, code)
        # The link's filters are the case list's: the API answers the same number for them.
        listed = await api(team.coordinator, "GET", f"/api/v1{href}")
        assert listed.json()["total"] == count
    assert _count_link(matrix, f"/cases?status=in_mediation&quartier_id={q['Q02']}") is None  # zero: no link

    # Row totals per table link to all of the table's statuses in that quartier.
    open_statuses = "&".join(f"status={s.value}" for s in S if s in ACTIVE or s is S.RUHEND)
    ended_statuses = "&".join(f"status={s.value}" for s in S if s in CLOSED)
    for href, count in (
        (f"/cases?{open_statuses}&quartier_id={q['Q01']}", 3),
        (f"/cases?{open_statuses}&quartier_id={q['Q03']}", 1),
        (f"/cases?{ended_statuses}&quartier_id={q['Q03']}", 1),
        # Column totals (over all quartiers, incl. the case without one) and the table totals.
        ("/cases?status=eingegangen", 3),
        ("/cases?status=in_mediation", 2),
        (f"/cases?{open_statuses}", 6),
        (f"/cases?{ended_statuses}", 1),
    ):
        assert _count_link(matrix, href) == count, href
        assert (await api(team.coordinator, "GET", f"/api/v1{href}")).json()["total"] == count
    assert "7 Fälle" in matrix
    assert "ohne Quartier" in matrix
    # Quartiers without cases get no row; in each table only the quartiers with cases in it.
    assert "Stahldorf" not in matrix
    ended_table = matrix[matrix.index('id="matrix-ended"') :]
    assert "Innenstadt/St. Josef" not in ended_table


async def test_quartier_filter_narrows_every_section(app: Litestar, team: CaseTeam) -> None:
    q = await _quartier_ids(app)
    in_q02 = await _new_case(team.coordinator, title="Eingang Schinkenplatz", quartier_id=q["Q02"])
    in_q01 = await _new_case(team.coordinator, title="Eingang Innenstadt", quartier_id=q["Q01"])

    page = (await team.coordinator.get(f"/dashboard?quartier_id={q['Q02']}")).text
    assert f'<option value="{q["Q02"]}" selected>' in page
    intake = _section(page, "eingang")
    assert in_q02 in intake
    assert in_q01 not in intake
    matrix = _section(page, "uebersicht")
    assert "Innenstadt/St. Josef" not in matrix
    assert _count_link(matrix, "/cases?status=eingegangen&quartier_id=" + q["Q02"]) == 1
    # The way to the full list keeps the filter; assigning from a filtered dashboard returns to it.
    assert html.escape(f"/cases?status=eingegangen&quartier_id={q['Q02']}") in intake
    assert html.escape(f"/dashboard?quartier_id={q['Q02']}") in intake

    # The select's "all quartiers" sends an empty value; a garbled id filters nothing.
    for url in ("/dashboard?quartier_id=", "/dashboard?quartier_id=kaputt"):
        response = await team.coordinator.get(url)
        assert response.status_code == 200
        assert in_q01 in _section(response.text, "eingang")


async def test_intake_queue_lists_every_received_case(app: Litestar, team: CaseTeam) -> None:
    waiting = await _new_case(team.coordinator, title="Wartet auf Team")
    refused = await _new_case(team.coordinator, title="Nicht angenommen")
    await _transition(team.coordinator, refused, to="nicht_angenommen", reason="nicht zuständig")
    assigned_later = await case_in_state(app, team, S.IN_KLAERUNG)

    page = (await team.coordinator.get("/dashboard")).text
    intake = _section(page, "eingang")
    assert waiting in intake
    # Received with a mediator (the team's case): still the coordination's to take on, with its team.
    staffed = intake[intake.index(team.case_id) : intake.index(waiting)]
    assert "Mediationsteam: Mila Mediation" in " ".join(staffed.split())
    assert f'href="/cases/{team.case_id}/transitions/in_klaerung"' in staffed
    assert f'action="/cases/{team.case_id}/mediators"' not in staffed
    for not_waiting in (refused, str(assigned_later)):
        assert not_waiting not in intake
    assert '<span class="badge badge-warning">2</span>' in page  # the summary at the top

    # The assignment form: plain POST to the cases route, with version, mediators and the way back.
    form = re.search(rf'<form method="post" action="/cases/{waiting}/mediators".*?</form>', intake, re.S)
    assert form, intake
    form_html = form.group(0)
    assert 'name="_csrf_token"' in form_html
    assert 'name="version" value="1"' in form_html
    assert 'name="next" value="/dashboard"' in form_html
    assert form_html.count('name="mediator_ids"') == 2
    options = re.findall(r'<option value="([0-9a-f-]{36})">([^<]+)</option>', form_html)
    names = {name.split(" (")[0] for _, name in options}
    assert names == {"Mila Mediation", "Anton Anderer"}  # active mediators only, not the coordinator
    # The workload helps to pick a pair: Mila carries the team's case and one in Klärung.
    assert "Mila Mediation (2 aktive Fälle)" in form_html
    assert "Anton Anderer (0 aktive Fälle)" in form_html
    # Labels are unique per case (several forms on one page).
    assert f'for="assign-{waiting}-1"' in form_html


async def test_overdue_resubmissions_and_follow_ups(app: Litestar, team: CaseTeam) -> None:
    day = today()
    overdue_hold = await case_in_state(app, team, S.RUHEND)
    await _patch(team.mediator, overdue_hold, resubmission_date=(day - timedelta(days=3)).isoformat())
    due_today_hold = await case_in_state(app, team, S.RUHEND)
    await _patch(team.mediator, due_today_hold, resubmission_date=day.isoformat())
    later_hold = await case_in_state(app, team, S.RUHEND)
    await _patch(team.mediator, later_hold, resubmission_date=(day + timedelta(days=5)).isoformat())
    overdue_follow_up = await case_in_state(app, team, S.NACHBETREUUNG)
    await _patch(team.mediator, overdue_follow_up, follow_up_date=(day - timedelta(days=1)).isoformat())
    later_follow_up = await case_in_state(app, team, S.NACHBETREUUNG)  # follow-up in a week
    closed_with_old_date = await case_in_state(app, team, S.NACHBETREUUNG)
    await _patch(team.mediator, closed_with_old_date, follow_up_date=(day - timedelta(days=9)).isoformat())
    await _transition(team.mediator, closed_with_old_date, to="abgeschlossen", outcome="einigung_vollstaendig")

    page = (await team.coordinator.get("/dashboard")).text
    resubmissions = _section(page, "wiedervorlagen")
    assert str(overdue_hold) in resubmissions
    assert str(due_today_hold) in resubmissions
    assert str(later_hold) not in resubmissions
    assert resubmissions.index(str(overdue_hold)) < resubmissions.index(str(due_today_hold))  # oldest first
    assert "3 Tage überfällig" in resubmissions
    assert "heute fällig" in resubmissions
    open_statuses = "".join(f"&status={s.value}" for s in S if s in OPEN)
    assert html.escape(f"/cases?due=wiedervorlage{open_statuses}") in resubmissions

    follow_ups = _section(page, "nachbetreuung")
    assert str(overdue_follow_up) in follow_ups
    assert "1 Tag überfällig" in follow_ups
    assert str(later_follow_up) not in follow_ups
    assert str(closed_with_old_date) not in follow_ups  # closed: no longer a task

    on_hold = _section(page, "ruhend")
    positions = [on_hold.index(str(c)) for c in (overdue_hold, due_today_hold, later_hold)]
    assert positions == sorted(positions)  # earliest Wiedervorlage first
    assert (day + timedelta(days=5)).strftime("%d.%m.%Y") in on_hold
    assert "in Mediation" in on_hold  # where the case continues (case_in_state's resume_to)


async def test_recently_closed_grouped_by_outcome(app: Litestar, team: CaseTeam) -> None:
    no_agreement = await case_in_state(app, team, S.IN_MEDIATION)
    await _transition(team.mediator, no_agreement, to="abgeschlossen", outcome="keine_einigung")
    full = []
    for _ in range(2):
        case_id = await case_in_state(app, team, S.VEREINBARUNG)
        await _transition(
            team.mediator, case_id, to="abgeschlossen", outcome="einigung_vollstaendig", reason="keine Nachbetreuung"
        )
        full.append(case_id)
    stopped = await case_in_state(app, team, S.IN_KLAERUNG)
    await _transition(team.coordinator, stopped, to="eingestellt", reason="Parteien nicht erreichbar")
    long_ago = await case_in_state(app, team, S.IN_MEDIATION)
    await _transition(team.mediator, long_ago, to="abgeschlossen", outcome="keine_einigung")
    async with app.state["alchemy_config"].get_session() as session:  # through the ORM: `case_closed_day` follows
        (await session.get_one(m.Case, long_ago)).closed_at = now() - timedelta(days=40)
        await session.commit()

    page = (await team.coordinator.get("/dashboard")).text
    closed = _section(page, "abgeschlossen")
    groups = dict(re.findall(r'<h3 id="closed-\d+">([^<]+?)\s*<span class="badge">(\d+)</span>', closed))
    assert groups == {"Einigung vollständig": "2", "keine Einigung": "1", "eingestellt": "1"}
    # Groups in a fixed order: outcomes first (in their order), then the other ways a case ends.
    assert list(groups) == ["Einigung vollständig", "keine Einigung", "eingestellt"]
    for case_id in (*full, no_agreement, stopped):
        assert str(case_id) in closed
    assert str(long_ago) not in closed


async def test_no_party_data_and_no_private_notes_on_the_dashboard(app: Litestar, team: CaseTeam) -> None:
    case_id = await case_in_state(app, team, S.RUHEND)  # parties "Person 0" and "Person 1"
    await _patch(team.mediator, case_id, resubmission_date=today().isoformat())
    note = await api(
        team.mediator, "POST", f"/api/v1/cases/{case_id}/notes", {"tier": "mediator_private", "body": "Geheim 4711"}
    )
    assert note.status_code == 201, note.text
    page = (await team.coordinator.get("/dashboard")).text
    assert str(case_id) in page
    for secret in ("Person 0", "Person 1", "Partei A", "Geheim 4711"):
        assert secret not in page


@pytest.mark.parametrize("who", ["mediator", "other_mediator", "round_table", "admin"])
async def test_only_coordinators_reach_the_dashboard(team: CaseTeam, who: str) -> None:
    response = await getattr(team, who).get("/dashboard")
    assert response.status_code == 403
    assert '<html lang="de">' in response.text
    assert "Keine Berechtigung" in response.text


async def test_empty_dashboard_explains_itself(app: Litestar, make_client) -> None:
    await create_user(app, "leer@example.org", [m.Role.COORDINATOR])
    client = make_client()
    await sign_in(client, "leer@example.org")
    response = await client.get("/dashboard")
    assert response.status_code == 200
    assert '<html lang="de">' in response.text
    assert "Noch keine Fälle." in response.text
    assert "In den letzten 30 Tagen wurde kein Fall beendet." in response.text
    assert response.text.count("<h1>") == 1


async def test_assigning_a_pair_from_the_intake_queue(app: Litestar, team: CaseTeam) -> None:
    """The dashboard's form works without JavaScript: POST → 303 back to the dashboard."""
    waiting = await _new_case(team.coordinator, title="Wartet auf Team")
    other = await _new_case(team.coordinator, title="Wartet weiter")
    dashboard = await team.coordinator.get("/dashboard")
    form_html = re.search(rf'action="/cases/{waiting}/mediators".*?</form>', dashboard.text, re.S).group(0)
    mediators = dict(
        (name.split(" (")[0], value)
        for value, name in re.findall(r'<option value="([0-9a-f-]{36})">([^<]+)</option>', form_html)
    )
    response = await team.coordinator.post(
        f"/cases/{waiting}/mediators",
        data={
            "_csrf_token": csrf_from(dashboard),
            "version": re.search(r'name="version" value="(\d+)"', form_html).group(1),
            "next": "/dashboard",
            "mediator_ids": [mediators["Mila Mediation"], mediators["Anton Anderer"]],
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dashboard"
    after = (await team.coordinator.get("/dashboard")).text
    assert "gespeichert" in after  # the flash message
    intake = _section(after, "eingang")
    # Staffed, it waits to be taken into clarification: the team instead of the form.
    staffed = intake[intake.index(waiting) : intake.index(other)]
    assert "Mediationsteam: Anton Anderer, Mila Mediation" in " ".join(staffed.split())
    assert f'action="/cases/{waiting}/mediators"' not in staffed
    assert f'action="/cases/{other}/mediators"' in intake
    async with app.state["alchemy_config"].get_session() as session:
        assigned = set(
            await session.scalars(select(m.CaseMediator.user_id).where(m.CaseMediator.case_id == UUID(waiting)))
        )
    assert {str(i) for i in assigned} == {mediators["Mila Mediation"], mediators["Anton Anderer"]}


def _flat(markup: str) -> str:
    return " ".join(markup.split())


async def _anton(app: Litestar) -> str:
    async with app.state["alchemy_config"].get_session() as session:
        return str(await session.scalar(select(m.User.id).where(m.User.name == "Anton Anderer")))


async def _case(client: AsyncClient, case_id: str) -> dict:
    response = await api(client, "GET", f"/api/v1/cases/{case_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_overdue_wiedervorlage_of_an_active_case_is_listed(app: Litestar, team: CaseTeam) -> None:
    active = await case_in_state(app, team, S.IN_MEDIATION)
    case = await _case(team.mediator, str(active))
    two_days_ago = (today() - timedelta(days=2)).isoformat()
    patched = await api(
        team.mediator,
        "PATCH",
        f"/api/v1/cases/{active}",
        {"version": case["version"], "resubmission_date": two_days_ago, "follow_up_date": two_days_ago},
    )
    assert patched.status_code == 200, patched.text

    page = (await team.coordinator.get("/dashboard")).text
    for section in ("wiedervorlagen", "nachbetreuung"):
        listed = _flat(_section(page, section))
        assert str(active) in listed, section
        assert "2 Tage überfällig" in listed
        assert "in Mediation" in listed  # its status, not only cases on hold


async def test_a_case_recorded_by_a_mediator_waits_in_the_intake_until_the_pair_is_complete(
    app: Litestar, team: CaseTeam
) -> None:
    mila, anton = str(team.mediator_user.id), await _anton(app)
    created = await api(team.mediator, "POST", "/api/v1/cases", {"title": "Vom Platz mitgebracht"})
    assert created.status_code == 201, created.text
    recorded = created.json()["id"]
    assert [m_["id"] for m_ in created.json()["mediators"]] == [mila]

    # The workflow leaves taking it on to the coordination: the mediator is not offered the step.
    options = await api(team.mediator, "GET", f"/api/v1/cases/{recorded}/transitions")
    assert "in_klaerung" not in [o["to"] for o in options.json()]
    refused = await api(team.mediator, "POST", f"/api/v1/cases/{recorded}/transitions", {"to": "in_klaerung"})
    assert refused.status_code == 403, refused.text

    dashboard = await team.coordinator.get("/dashboard")
    intake = _section(dashboard.text, "eingang")
    entry = intake[intake.index(f"/cases/{recorded}") :]
    entry = entry[: entry.index("</li>")]
    assert "von Mediator:in erfasst" in entry
    assert "Mila Mediation hat den Fall erfasst" in _flat(entry)
    # The form completes the pair: the recorder stays, the second person is chosen.
    assert f'<input type="hidden" name="mediator_ids" value="{mila}">' in entry
    assert entry.count("<select") == 1
    assert "Paar vervollständigen" in entry

    form = {
        "_csrf_token": csrf_from(dashboard),
        "version": re.search(r'name="version" value="(\d+)"', entry).group(1),
        "next": "/dashboard",
    }
    # The same person twice is no pair: the assignment form again, the message next to the field.
    twice = await team.coordinator.post(f"/cases/{recorded}/mediators", data={**form, "mediator_ids": [mila, mila]})
    assert twice.status_code == 422, twice.text
    assert "zwei verschiedene Mediator:innen" in field_error(twice, "mediator_ids")
    paired = await team.coordinator.post(f"/cases/{recorded}/mediators", data={**form, "mediator_ids": [mila, anton]})
    assert paired.status_code == 303, paired.text

    entry = _section((await team.coordinator.get("/dashboard")).text, "eingang")
    entry = entry[entry.index(f"/cases/{recorded}") :]
    entry = _flat(entry[: entry.index("</li>")])
    assert "von Mediator:in erfasst" not in entry  # the pair is complete
    assert "Mediationsteam: Anton Anderer, Mila Mediation" in entry
    assert f'href="/cases/{recorded}/transitions/in_klaerung"' in entry  # still the coordination's step


async def test_the_same_mediator_twice_is_refused_and_the_chooser_shows_the_workload(
    app: Litestar, team: CaseTeam
) -> None:
    mila, anton = str(team.mediator_user.id), await _anton(app)
    twice = await api(
        team.coordinator,
        "PUT",
        f"/api/v1/cases/{team.case_id}/mediators",
        {"version": team.version, "mediator_ids": [anton, anton]},
    )
    assert twice.status_code == 422, twice.text
    assert twice.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in twice.json()["errors"]] == ["mediator_ids"]
    assert [x["id"] for x in (await _case(team.coordinator, team.case_id))["mediators"]] == [mila]  # unchanged

    await case_in_state(app, team, S.IN_MEDIATION)  # Mila: the team's case and this one
    await case_in_state(app, team, S.ABGESCHLOSSEN)  # closed: no workload
    chooser = await team.coordinator.get(f"/cases/{team.case_id}/mediators")
    assert chooser.status_code == 200
    assert "Mila Mediation (2 aktive Fälle)" in chooser.text
    assert "Anton Anderer (0 aktive Fälle)" in chooser.text


async def test_maintained_counts_equal_a_full_count_after_mixed_operations(app: Litestar, team: CaseTeam) -> None:
    anton = await _anton(app)
    coordinator = team.coordinator
    # Created with and without a quartier, by the coordination and by a mediator (who is on it).
    bare = (await api(coordinator, "POST", "/api/v1/cases", {"title": "Ohne Quartier"})).json()
    by_mediator = (
        await api(team.mediator, "POST", "/api/v1/cases", {"title": "Erfasst", "quartier_id": team.quartier_id})
    ).json()
    # A quartier set later, a team assigned, changed and shrunk.
    bare = (
        await api(
            coordinator,
            "PATCH",
            f"/api/v1/cases/{bare['id']}",
            {"version": bare["version"], "quartier_id": team.quartier_id, "conflict_type_id": team.conflict_type_id},
        )
    ).json()
    bare = (
        await api(
            coordinator,
            "PUT",
            f"/api/v1/cases/{bare['id']}/mediators",
            {"version": bare["version"], "mediator_ids": [str(team.mediator_user.id), anton]},
        )
    ).json()
    steps = [
        (bare["id"], {"to": "in_klaerung"}),
        (bare["id"], {"to": "ruhend", "reason": "Urlaub", "resubmission_date": str(today() + timedelta(days=9))}),
        (bare["id"], {"to": "in_klaerung"}),
        (by_mediator["id"], {"to": "nicht_angenommen", "reason": "nicht zuständig"}),
        (by_mediator["id"], {"to": "in_klaerung", "reason": "doch zuständig"}),
    ]
    for case_id, body in steps:
        response = await api(coordinator, "POST", f"/api/v1/cases/{case_id}/transitions", body)
        assert response.status_code == 200, (body, response.text)
    current = await _case(coordinator, bare["id"])
    shrunk = await api(
        coordinator,
        "PUT",
        f"/api/v1/cases/{bare['id']}/mediators",
        {"version": current["version"], "mediator_ids": [anton]},
    )
    assert shrunk.status_code == 200, shrunk.text
    assert [x["id"] for x in shrunk.json()["mediators"]] == [anton]
    await case_in_state(app, team, S.NACHBETREUUNG)
    await case_in_state(app, team, S.ABGESCHLOSSEN)  # counted, but no workload

    async with app.state["alchemy_config"].get_session() as session:
        counts = await stored_counts(session)
        assert counts == {cell: n for cell, n in (await full_counts(session)).items() if n}
        assert sum(counts.values()) == 5
        loads = await stored_loads(session)
        assert loads == await full_loads(session)
        assert loads[UUID(anton)] == 1  # only on bare, after the team shrank to them
        assert await stored_closed_days(session) == await full_closed_days(session)


async def test_closed_days_follow_closing_reopening_moving_and_archiving(app: Litestar, team: CaseTeam) -> None:
    """`case_closed_day` equals a full count after each kind of write that moves a closed case."""

    async def assert_in_step() -> dict[tuple[object, ...], int]:
        async with app.state["alchemy_config"].get_session() as session:
            stored = await stored_closed_days(session)
            assert stored == await full_closed_days(session)
            return stored

    refused = await _new_case(team.coordinator, "Abgelehnt")
    await _transition(team.coordinator, refused, to="nicht_angenommen", reason="nicht zuständig")
    agreed = await case_in_state(app, team, S.VEREINBARUNG)
    await _transition(team.mediator, agreed, to="abgeschlossen", outcome="einigung_teilweise", reason="genug")
    days = await assert_in_step()
    assert sorted((status, outcome, n) for (_day, _q, status, outcome), n in days.items()) == [
        ("abgeschlossen", "einigung_teilweise", 1),
        ("nicht_angenommen", m.NO_OUTCOME, 1),
    ]
    await _transition(team.coordinator, refused, to="in_klaerung", reason="doch zuständig")  # reopened: leaves its day
    assert len(await assert_in_step()) == 1
    closed_at = now() - timedelta(days=3)
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get_one(m.Case, agreed)
        case.closed_at = closed_at  # another day
        case.quartier_id = None  # another quartier
        await session.commit()
    ((day, quartier_key, _status, _outcome),) = await assert_in_step()
    assert (day, quartier_key) == (closed_at.astimezone(BERLIN).date(), m.NO_QUARTIER)
    closed = _section((await team.coordinator.get("/dashboard")).text, "abgeschlossen")
    groups = dict(re.findall(r'<h3 id="closed-\d+">([^<]+?)\s*<span class="badge">(\d+)</span>', closed))
    assert groups == {"Einigung teilweise": "1"}
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get_one(m.Case, agreed)
        case.status = S.ARCHIVIERT.value  # archived: no longer among the closed
        await session.commit()
    assert await assert_in_step() == {}
