"""The demo office: cases in every state, reached through the real workflow, with intact audit trails."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import verify_chain
from konfliktmanagement.domain.system.demo import DEMO_ACCOUNTS, MORE_ACCOUNTS, load_demo
from konfliktmanagement.domain.system.demo_parties import DEMO_PARTIES
from konfliktmanagement.lib.clock import now, today

pytestmark = pytest.mark.anyio

COUNTED = (m.User, m.Case, m.CaseEvent, m.Party, m.Participation, m.Place, m.MediationSession, m.Note, m.Agreement)


async def _counts(session: AsyncSession) -> dict[str, int]:
    return {
        model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0 for model in COUNTED
    }


async def test_demo_load_builds_a_consistent_office_once(app: Litestar) -> None:
    config = app.state["alchemy_config"]
    accounts = await load_demo(config)
    assert [email for email, _role, _pw in accounts] == [a[0] for a in DEMO_ACCOUNTS + MORE_ACCOUNTS]
    assert len({password for _e, _r, password in accounts}) == len(accounts)

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

    assert await load_demo(config) == []
    async with config.get_session() as session:
        assert await _counts(session) == before


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
