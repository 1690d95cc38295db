"""Issue 15's dashboard: overdue dates whatever the status, cases recorded by mediators in the intake,
pairs of two different people, the workload wherever mediators are chosen; and issue 10's counts
(`case_count`, `mediator_load`) equal to a full count after a mixed sequence of operations."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.counts import full_counts, full_loads, stored_counts, stored_loads
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, csrf_from, field_error
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio

S = m.CaseStatus


def _section(page: str, section_id: str) -> str:
    start = page.index(f'<section id="{section_id}"')
    return page[start : page.index("</section>", start)]


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
