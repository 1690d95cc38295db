"""The demo office, loaded once per lane through the real command (`demo load`): cases in every state,
reached through the real workflow, with intact audit trails; one account per role; the round tables.

Loading it is the most expensive thing the suite does, so the tests of this module share one load
(a module fixture on the module's app) and only read; the tables are emptied when the module ends."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from httpx import ASGITransport, AsyncClient
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import verify_chain
from konfliktmanagement.domain.system.demo import DEMO_ACCOUNTS, MORE_ACCOUNTS
from konfliktmanagement.domain.system.demo_parties import DEMO_PARTIES
from konfliktmanagement.lib.clock import BERLIN, now, today
from konfliktmanagement.lib.settings import Settings
from tests import databases
from tests.cli import CliResult, run_cli
from tests.helpers import sign_in

pytestmark = pytest.mark.anyio

COUNTED = (m.User, m.Case, m.CaseEvent, m.Party, m.Participation, m.Place, m.MediationSession, m.Note, m.Agreement)


@dataclass(frozen=True)
class DemoOffice:
    app: Litestar
    settings: Settings
    output: CliResult

    def accounts(self) -> list[tuple[str, str, str]]:
        """(role, e-mail, password) as the command printed them, once."""
        return [
            (role, email, password)
            for line in self.output.stdout.splitlines()
            if line.startswith("  ") and len(parts := line.split()) == 3
            for role, email, password in [parts]
        ]


@pytest.fixture(scope="module")
async def demo(
    shared_app: Litestar, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DemoOffice]:
    settings = databases.settings_for(database_url, tmp_path_factory.mktemp("demo"))
    first = await run_cli(settings, ["demo", "load"])
    assert first.returncode == 0, first.stderr
    try:
        yield DemoOffice(shared_app, settings, first)
    finally:
        await databases.empty_all_tables(shared_app.state["alchemy_config"].get_engine())


async def _counts(session: AsyncSession) -> dict[str, int]:
    return {
        model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0 for model in COUNTED
    }


async def test_demo_load_builds_a_consistent_office_once(demo: DemoOffice) -> None:
    config = demo.app.state["alchemy_config"]
    accounts = demo.accounts()
    assert [email for _role, email, _pw in accounts] == [a[0] for a in DEMO_ACCOUNTS + MORE_ACCOUNTS]
    assert len({password for _r, _e, password in accounts}) == len(accounts)

    async with config.get_session() as session:
        cases = list(await session.scalars(select(m.Case)))
        assert len(cases) >= 35
        statuses = Counter(c.status for c in cases)
        assert set(statuses) == {s.value for s in m.CaseStatus} - {m.CaseStatus.ARCHIVIERT.value}, statuses
        assert {c.outcome for c in cases if c.status == m.CaseStatus.ABGESCHLOSSEN} == {o.value for o in m.Outcome}

        report = await verify_chain(session)
        assert report.first_broken is None, report.problem
        assert report.cases_checked == len(cases)

        # Each case got where it is through transitions: its last status change ends in its status.
        last_status: dict[object, str] = {}
        for case_id, to_status in (
            await session.execute(
                select(m.CaseEvent.case_id, m.CaseEvent.to_status)
                .where(m.CaseEvent.to_status.is_not(None))
                .order_by(m.CaseEvent.case_id, m.CaseEvent.seq)
            )
        ).tuples():
            last_status[case_id] = to_status
        assert all(last_status[c.id] == c.status for c in cases)

        _assert_realistic(cases)
        await _assert_spread_over_two_years(session, cases)
        assert (
            await session.scalar(
                select(func.count())
                .select_from(m.Case)
                .join(m.Place, m.Place.id == m.Case.place_id)
                .where(m.Place.name == "Platz an St. Josef")
            )
            or 0
        ) >= 5
        await _assert_domain_dates_in_the_past(session)
        await _assert_no_personal_data_in_events(session)
        before = await _counts(session)

    second = await run_cli(demo.settings, ["demo", "load"])
    assert second.returncode == 0
    assert "bereits vorhanden" in second.stdout
    async with config.get_session() as session:
        assert await _counts(session) == before


async def test_demo_load_creates_one_account_per_role_and_the_seed_quartiers(demo: DemoOffice) -> None:
    for role in m.Role:
        assert role.value in demo.output.stdout
    async with demo.app.state["alchemy_config"].get_session() as session:
        names = set(await session.scalars(select(m.Quartier.name)))
        assert await session.scalar(select(func.count()).select_from(m.User)) == len(DEMO_ACCOUNTS + MORE_ACCOUNTS)
        assert await session.scalar(select(func.count()).select_from(m.Stadtbezirk)) == 4
    assert {
        "Innenstadt/St. Josef",
        "Lehmheide",
        "Bleichpfad",
        "Hardenberg",
        "Gatherhof",
        "Schinkenplatz",
        "Stahldorf",
        "Süd",
    } == names


async def test_demo_has_round_tables(demo: DemoOffice) -> None:
    async with demo.app.state["alchemy_config"].get_session() as session:
        tables = {
            t.name: t
            for t in await session.scalars(
                select(m.RoundTable).options(
                    selectinload(m.RoundTable.quartiers),
                    selectinload(m.RoundTable.members).selectinload(m.RoundTableMember.user),
                )
            )
        }
    assert set(tables) == {"Runder Tisch St. Josef", "Runder Tisch Nord"}
    josef = tables["Runder Tisch St. Josef"]
    assert "Innenstadt/St. Josef" in {q.name for q in josef.quartiers}
    assert [(mb.user.email, mb.organisation) for mb in josef.members] == [
        ("runder-tisch@demo.invalid", "Anwohnerverein")
    ]
    password = next(pw for _role, email, pw in demo.accounts() if email == "runder-tisch@demo.invalid")
    async with AsyncClient(transport=ASGITransport(app=demo.app), base_url="http://testserver") as client:  # type: ignore[arg-type]
        await sign_in(client, "runder-tisch@demo.invalid", password)
        page = (await client.get("/round-tables")).text
    assert "Runder Tisch St. Josef" in page
    assert "Runder Tisch Nord" not in page
    # St. Josef has met: a past meeting with approved minutes and its sent report, a draft for the next one.
    async with demo.app.state["alchemy_config"].get_session() as session:
        meetings = (await session.scalars(select(m.RoundTableMeeting).order_by(m.RoundTableMeeting.starts_at))).all()
        reports = {r.meeting_id: r for r in await session.scalars(select(m.RoundTableReport))}
    assert [x.minutes_state for x in meetings] == ["freigegeben", "entwurf"]
    assert [reports[x.id].state for x in meetings] == ["versendet", "entwurf"]
    assert reports[meetings[1].id].covers_from == meetings[0].starts_at.astimezone(BERLIN).date()
    assert reports[meetings[0].id].reviewed_by_id != reports[meetings[0].id].created_by_id
    assert "Runder Tisch St. Josef" in page
    assert f"/reports/{reports[meetings[0].id].id}" in page


def _assert_realistic(cases: list[m.Case]) -> None:
    ruhend = [c for c in cases if c.status == m.CaseStatus.RUHEND]
    assert all(c.resume_to and c.resubmission_date for c in ruhend)
    assert any(c.resubmission_date < today() for c in ruhend)  # type: ignore[operator]
    assert any(c.resubmission_date > today() for c in ruhend)  # type: ignore[operator]
    follow_ups = [c.follow_up_date for c in cases if c.status == m.CaseStatus.NACHBETREUUNG]
    assert any(d < today() for d in follow_ups if d)
    assert any(d > today() for d in follow_ups if d)
    assert any(c.reopen_count == 1 for c in cases)
    assert len({c.conflict_type_id for c in cases}) >= 8
    assert len({c.quartier_id for c in cases}) == 8
    assert len({c.referral_source for c in cases}) >= 6


async def _assert_spread_over_two_years(session: AsyncSession, cases: list[m.Case]) -> None:
    """Cases came in, moved and closed over the last two years, each event at its own time."""
    moment = now()
    quarters = {(c.created_at.year, (c.created_at.month - 1) // 3) for c in cases}
    assert len(quarters) >= 6, quarters
    assert min(c.created_at for c in cases) >= moment - timedelta(days=2 * 366)
    assert max(c.created_at for c in cases) < moment
    assert {c.year for c in cases} == {c.created_at.astimezone(BERLIN).year for c in cases}
    assert len({c.year for c in cases}) >= 2
    closed = [c for c in cases if c.closed_at is not None]
    assert len({c.closed_at.date() for c in closed if c.closed_at}) >= len(closed) - 2  # not all on one day
    assert all(c.closed_at < moment - timedelta(hours=1) for c in closed if c.closed_at)
    assert any(c.closed_at < moment - timedelta(days=365) for c in closed if c.closed_at)
    durations = [(c.closed_at - c.created_at).days for c in closed if c.closed_at]
    assert min(durations) <= 60 < 90 < max(durations), durations
    assert all(c.updated_at < moment for c in cases)
    # The trail: each case's events in time order, the first one when the case came in.
    events = (
        await session.execute(
            select(m.CaseEvent.case_id, m.CaseEvent.occurred_at).order_by(m.CaseEvent.case_id, m.CaseEvent.seq)
        )
    ).tuples()
    times: dict[object, list[datetime]] = {}
    for case_id, occurred_at in events:
        times.setdefault(case_id, []).append(occurred_at)
    assert all(t == sorted(t) for t in times.values())
    assert all(times[c.id][0] == c.created_at for c in cases)
    assert len({t.date() for trail in times.values() for t in trail}) >= 100
    # Something is due in the coming weeks: sessions planned and follow-ups ahead.
    planned = list(
        await session.scalars(
            select(m.MediationSession.scheduled_at).where(m.MediationSession.status == m.SessionStatus.GEPLANT)
        )
    )
    assert any(moment < at < moment + timedelta(weeks=3) for at in planned)


async def _assert_domain_dates_in_the_past(session: AsyncSession) -> None:
    held = m.MediationSession.status == m.SessionStatus.DURCHGEFUEHRT
    assert await session.scalar(select(func.max(m.MediationSession.held_at)).where(held)) <= now()
    assert await session.scalar(select(func.max(m.Consent.given_on))) <= today()
    assert await session.scalar(select(func.max(m.Agreement.concluded_on))) <= today()
    tiers = set(await session.scalars(select(m.Note.tier)))
    assert tiers == {t.value for t in m.NoteTier}
    kinds = set(await session.scalars(select(m.Party.kind)))
    assert kinds == {k.value for k in m.PartyKind}
    item_statuses = set(await session.scalars(select(m.AgreementItem.status)))
    assert item_statuses == {s.value for s in m.ItemStatus}


async def _assert_no_personal_data_in_events(session: AsyncSession) -> None:
    rows = (await session.execute(select(m.CaseEvent.reason, m.CaseEvent.details, m.CaseEvent.action))).all()
    trail = json.dumps([list(row) for row in rows], ensure_ascii=False, default=str)
    for party in DEMO_PARTIES.values():
        for value in (party.name, party.phone, party.email, party.address):
            if value:
                assert value not in trail, value
