"""Which periods may be published: none ahead, the current year only as provisional with a confirmation;
and a published period withdrawn with a reason (kept for the audit, shown nowhere) and published again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.settings import Settings
from tests.cli import run_cli
from tests.helpers import case_team, form_post

pytestmark = pytest.mark.anyio

CURRENT = str(clock.today().year)
LAST = str(clock.today().year - 1)
NEXT = str(clock.today().year + 1)


async def _publications(app: Litestar) -> list[m.StatisticsPublication]:
    async with app.state["alchemy_config"].get_session() as session:
        return list(await session.scalars(select(m.StatisticsPublication)))


async def _publish(client: AsyncClient, period: str, **extra: str):  # type: ignore[no-untyped-def]
    return await form_post(client, "/statistics", "/statistics/publish", {"period": period, **extra})


async def test_a_year_ahead_is_refused(
    app: Litestar, make_client: Callable[[], AsyncClient], settings: Settings
) -> None:
    team = await case_team(app, make_client)
    refused = await _publish(team.coordinator, NEXT, provisional="on")
    assert refused.status_code == 422
    assert 'id="f-period-error"' in refused.text
    assert f"nur ein Jahr, das schon begonnen hat (bis {CURRENT})" in refused.text
    cli = await run_cli(settings, ["statistics", "publish", "--period", NEXT, "--vorlaeufig"])
    assert cli.returncode == 1
    assert "schon begonnen" in cli.stderr
    assert await _publications(app) == []


async def test_the_current_year_only_as_provisional_with_confirmation(
    app: Litestar, make_client: Callable[[], AsyncClient]
) -> None:
    team = await case_team(app, make_client)
    unconfirmed = await _publish(team.coordinator, CURRENT)
    assert unconfirmed.status_code == 422
    assert 'id="f-provisional-error"' in unconfirmed.text
    assert "bitte bestätigen, dass es vorläufig veröffentlicht wird" in unconfirmed.text
    assert await _publications(app) == []

    done = await _publish(team.coordinator, CURRENT, provisional="on")
    assert done.status_code == 303, done.text
    assert {p.provisional for p in await _publications(app)} == {True}
    index = await team.round_table.get("/statistics")
    assert "vorläufig" in index.text
    assert f"Vorläufige Zahlen: Das Jahr {CURRENT}" in index.text
    table = await team.round_table.get(f"/statistics/{CURRENT}/faelle_quartier")
    assert "vorläufig" in table.text
    listed = (await team.round_table.get("/api/v1/statistics")).json()
    assert {item["provisional"] for item in listed} == {True}


async def test_a_past_year_is_final_and_the_cli_needs_the_flag_for_this_year(
    app: Litestar, make_client: Callable[[], AsyncClient], settings: Settings
) -> None:
    team = await case_team(app, make_client)
    assert (await _publish(team.coordinator, LAST)).status_code == 303
    assert {p.provisional for p in await _publications(app)} == {False}
    assert "vorläufig" not in (await team.round_table.get(f"/statistics/{LAST}/faelle_quartier")).text

    unflagged = await run_cli(settings, ["statistics", "publish", "--period", CURRENT])
    assert unflagged.returncode == 1
    assert "--vorlaeufig" in unflagged.stderr
    flagged = await run_cli(settings, ["statistics", "publish", "--period", CURRENT, "--provisional"])
    assert flagged.returncode == 0, flagged.stderr
    assert f"Statistik {CURRENT} veröffentlicht (vorläufig)" in flagged.stdout


async def test_a_withdrawn_period_is_kept_shown_nowhere_and_can_be_published_again(
    app: Litestar, make_client: Callable[[], AsyncClient]
) -> None:
    team = await case_team(app, make_client)
    assert (await _publish(team.coordinator, LAST)).status_code == 303
    assert 'action="/statistics/withdraw"' in (await team.coordinator.get("/statistics")).text

    no_reason = await form_post(
        team.coordinator, "/statistics", "/statistics/withdraw", {"withdraw_period": LAST, "reason": " "}
    )
    assert no_reason.status_code == 422
    assert 'id="f-reason-error"' in no_reason.text

    withdrawn = await form_post(
        team.coordinator,
        "/statistics",
        "/statistics/withdraw",
        {"withdraw_period": LAST, "reason": "Falsches Jahr eingetippt"},
    )
    assert withdrawn.status_code == 303, withdrawn.text
    rows = await _publications(app)
    assert len(rows) == len(c.CATALOGUE)  # kept for the audit
    assert {(p.withdrawn_by_id, p.withdrawal_reason) for p in rows} == {
        (team.coordinator_user.id, "Falsches Jahr eingetippt")
    }
    assert all(p.withdrawn_at is not None for p in rows)

    index = await team.round_table.get("/statistics")
    assert f"Jahr {LAST}" not in index.text
    assert "noch keine Statistik veröffentlicht" in index.text
    assert (await team.round_table.get(f"/statistics/{LAST}/faelle_quartier")).status_code == 404
    assert (await team.round_table.get("/api/v1/statistics")).json() == []
    assert (await team.round_table.get(f"/api/v1/statistics/{LAST}/faelle_quartier.csv")).status_code == 404

    again = await _publish(team.coordinator, LAST)
    assert again.status_code == 303, again.text
    rows = await _publications(app)
    assert len(rows) == 2 * len(c.CATALOGUE)
    assert sum(p.withdrawn_at is None for p in rows) == len(c.CATALOGUE)
    assert (await team.round_table.get(f"/statistics/{LAST}/faelle_quartier")).status_code == 200


async def test_only_coordinators_may_withdraw(app: Litestar, make_client: Callable[[], AsyncClient]) -> None:
    team = await case_team(app, make_client)
    assert (await _publish(team.coordinator, LAST)).status_code == 303
    for viewer in (team.mediator, team.round_table, team.admin):
        page = await viewer.get("/statistics")
        assert 'action="/statistics/withdraw"' not in page.text
        refused = await form_post(
            viewer, "/statistics", "/statistics/withdraw", {"withdraw_period": LAST, "reason": "x"}
        )
        assert refused.status_code == 403
    async with app.state["alchemy_config"].get_session() as session:
        live = await session.scalar(
            select(func.count())
            .select_from(m.StatisticsPublication)
            .where(m.StatisticsPublication.withdrawn_at.is_(None))
        )
    assert live == len(c.CATALOGUE)
