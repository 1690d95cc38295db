"""Meine Fälle's maintained values on `case_mediator` (`domain/cases/next_days.py`): after every kind of
change they equal the values computed from the live rows, and the page reads its order from them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID

import anyio
import pytest
from advanced_alchemy.alembic.commands import AlembicCommands
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import column, func, insert, select, update
from sqlalchemy import table as sql_table
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.next_days import renew, stale_links
from konfliktmanagement.domain.system.demo import load_demo
from konfliktmanagement.lib.clock import BERLIN, today
from konfliktmanagement.server.app import alchemy_config
from tests import databases
from tests.helpers import CaseTeam, api, case_team, csrf_header
from tests.workflow_fixtures import case_in_state

pytestmark = pytest.mark.anyio

Stored = dict[UUID, tuple[bool, date | None, str | None]]


async def _stored(app: Litestar, case_id: object) -> Stored:
    """The case's links as stored: {mediator: (case_open, next_day, case_reference)}."""
    async with app.state["alchemy_config"].get_session() as session:
        rows = await session.execute(
            select(
                m.CaseMediator.user_id, m.CaseMediator.case_open, m.CaseMediator.next_day, m.CaseMediator.case_reference
            ).where(m.CaseMediator.case_id == UUID(str(case_id)))
        )
        return {user_id: (bool(is_open), day, reference) for user_id, is_open, day, reference in rows}


async def _consistent(app: Litestar) -> None:
    async with app.state["alchemy_config"].get_session() as session:
        assert await stale_links(session) == []


async def _reference(app: Litestar, case_id: object) -> str:
    async with app.state["alchemy_config"].get_session() as session:
        return str(await session.scalar(select(m.Case.reference).where(m.Case.id == UUID(str(case_id)))))


async def _set(app: Litestar, case_id: object, **values: object) -> None:
    async with app.state["alchemy_config"].get_session() as session:
        case = await session.get(m.Case, UUID(str(case_id)))
        assert case is not None
        for name, value in values.items():
            setattr(case, name, value)
        await session.commit()


async def _other_mediator_id(app: Litestar) -> UUID:
    async with app.state["alchemy_config"].get_session() as session:
        found = await session.scalar(select(m.User.id).where(m.User.email == "andere@example.org"))
        assert found is not None
        return found


async def _version(client: AsyncClient, path: str) -> int:
    return int((await client.get(path)).json()["version"])


async def _plan(team: CaseTeam, case_id: object, at: datetime) -> dict[str, object]:
    response = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{case_id}/sessions",
        {"kind": "vorgespraech", "scheduled_at": at.isoformat()},
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def _revise(team: CaseTeam, meeting: dict[str, object], **changes: object) -> dict[str, object]:
    path = f"/api/v1/sessions/{meeting['id']}"
    response = await api(team.mediator, "PATCH", path, {"version": await _version(team.mediator, path), **changes})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=BERLIN).astimezone(UTC)


async def test_assigning_and_removing_mediators(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    case_id = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)  # follow-up in 7 days
    reference = await _reference(app, case_id)
    expected = (True, today() + timedelta(days=7), reference)
    assert await _stored(app, case_id) == {team.mediator_user.id: expected}

    other = await _other_mediator_id(app)
    path = f"/api/v1/cases/{case_id}"
    both = [str(team.mediator_user.id), str(other)]
    response = await api(
        team.coordinator,
        "PUT",
        f"{path}/mediators",
        {"version": await _version(team.coordinator, path), "mediator_ids": both},
    )
    assert response.status_code == 200, response.text
    assert await _stored(app, case_id) == {team.mediator_user.id: expected, other: expected}

    only_other = {"version": await _version(team.coordinator, path), "mediator_ids": [str(other)]}
    response = await api(team.coordinator, "PUT", f"{path}/mediators", only_other)
    assert response.status_code == 200, response.text
    assert await _stored(app, case_id) == {other: expected}
    await _consistent(app)


async def test_sessions_move_the_next_day(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    case_id = await case_in_state(app, team, m.CaseStatus.VORGESPRAECHE)  # follow-up in 7 days
    follow_up = today() + timedelta(days=7)

    async def next_day() -> date | None:
        (values,) = (await _stored(app, case_id)).values()
        return values[1]

    meeting = await _plan(team, case_id, _noon(today() + timedelta(days=3)))
    assert await next_day() == today() + timedelta(days=3)
    # Rescheduled to a late Berlin evening: 22:30 UTC in winter, 23:30 in Berlin — still its Berlin day.
    evening = datetime.combine(today() + timedelta(days=1), time(23, 30), tzinfo=BERLIN)
    meeting = await _revise(team, meeting, scheduled_at=evening.astimezone(UTC).isoformat())
    assert await next_day() == today() + timedelta(days=1)
    await _consistent(app)
    held = datetime.now(UTC) - timedelta(hours=1)
    meeting = await _revise(team, meeting, status="durchgefuehrt", held_at=held.isoformat())
    assert await next_day() == follow_up  # held: no longer planned

    second = await _plan(team, case_id, _noon(today() + timedelta(days=2)))
    assert await next_day() == today() + timedelta(days=2)
    await _revise(team, second, status="abgesagt")
    assert await next_day() == follow_up

    third = await _plan(team, case_id, _noon(today() - timedelta(days=4)))  # planned, now overdue
    assert await next_day() == today() - timedelta(days=4)
    async with app.state["alchemy_config"].get_session() as session:
        found = await session.get(m.MediationSession, UUID(str(third["id"])))
        assert found is not None
        await session.delete(found)
        await session.commit()
    assert await next_day() == follow_up
    await _consistent(app)


async def test_case_dates_and_status(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    case_id = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
    reference = await _reference(app, case_id)
    mediator = team.mediator_user.id

    path = f"/api/v1/cases/{case_id}"
    earlier = today() + timedelta(days=2)
    response = await api(
        team.mediator,
        "PATCH",
        path,
        {"version": await _version(team.mediator, path), "resubmission_date": str(earlier)},
    )
    assert response.status_code == 200, response.text
    assert await _stored(app, case_id) == {mediator: (True, earlier, reference)}

    await _set(app, case_id, resubmission_date=None, follow_up_date=None)
    assert await _stored(app, case_id) == {mediator: (True, None, reference)}

    await _set(app, case_id, status=m.CaseStatus.ABGESCHLOSSEN.value, follow_up_date=today())
    assert await _stored(app, case_id) == {mediator: (False, today(), reference)}
    await _set(app, case_id, status=m.CaseStatus.NACHBETREUUNG.value)  # reopened
    assert await _stored(app, case_id) == {mediator: (True, today(), reference)}
    await _set(app, case_id, status=m.CaseStatus.RUHEND.value)  # on hold: still open
    assert await _stored(app, case_id) == {mediator: (True, today(), reference)}
    await _consistent(app)


async def test_a_transition_through_the_api_closes_the_link(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    case_id = await case_in_state(app, team, m.CaseStatus.IN_KLAERUNG)
    path = f"/api/v1/cases/{case_id}"
    response = await team.coordinator.post(
        f"{path}/transitions",
        json={"to": "nicht_angenommen", "version": await _version(team.coordinator, path), "reason": "Kein Fall"},
        headers=csrf_header(team.coordinator),
    )
    assert response.status_code < 300, response.text
    assert [values[0] for values in (await _stored(app, case_id)).values()] == [False]
    await _consistent(app)
    assert await _reference(app, case_id) not in (await team.mediator.get("/cases/mine")).text


async def test_core_updates_are_seen_by_the_check_and_renewed(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client)
    kept = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
    # A Core update bypasses the flush: the check sees it, `renew` repairs it.
    async with app.state["alchemy_config"].get_session() as session:
        await session.execute(update(m.Case).where(m.Case.id == kept).values(resubmission_date=today()))
        assert await stale_links(session) == [(kept, team.mediator_user.id)]
        await renew(session, [kept])
        assert await stale_links(session) == []
        await session.commit()
    assert (await _stored(app, kept))[team.mediator_user.id][1] == today()


async def test_mine_sorted_by_a_column_and_backwards(app: Litestar, make_client) -> None:
    team = await case_team(app, make_client, title="M ohne Termin")
    dated = {}
    for days, title in ((5, "Z fünf"), (1, "A eins"), (3, "B drei")):
        case_id = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
        await _set(app, case_id, title=title, follow_up_date=today() + timedelta(days=days))
        dated[days] = await _reference(app, case_id)
    undated = await _reference(app, team.case_id)

    def refs(page: str) -> list[str]:
        return re.findall(r">(KM-[\d-]+)</a>", page)

    assert refs((await team.mediator.get("/cases/mine")).text) == [dated[1], dated[3], dated[5], undated]
    backwards = (await team.mediator.get("/cases/mine?sort=dates&order=desc")).text
    assert refs(backwards) == [dated[5], dated[3], dated[1], undated]  # undated last either way
    by_title = (await team.mediator.get("/cases/mine?sort=title")).text
    assert refs(by_title) == [dated[1], dated[3], undated, dated[5]]
    assert "Fällig oder überfällig" not in by_title  # nothing due


async def test_the_migration_fills_existing_links(tmp_path: Path, backend: str) -> None:
    """Rows written before migration 0023 get the values the application would have written."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'before.sqlite3'}"
    if backend == "postgresql":
        url = await anyio.to_thread.run_sync(databases.create_postgres_database)
    try:
        config = alchemy_config(databases.settings_for(url, tmp_path))
        commands = AlembicCommands(sqlalchemy_config=config)
        await anyio.to_thread.run_sync(lambda: commands.upgrade(revision="c4e8a1f3d920"))
        # Its own engine without a pool: the migrations run on other event loops (threads).
        engine = create_async_engine(config.get_engine().url, poolclass=NullPool)
        now = datetime.now(UTC)
        user_id = UUID("01900000-0000-7000-8000-000000000001")
        cases = {
            "planned": (m.CaseStatus.IN_MEDIATION, today() + timedelta(days=9)),
            "closed": (m.CaseStatus.ABGESCHLOSSEN, None),
            "undated": (m.CaseStatus.EINGEGANGEN, None),
        }
        ids = {name: UUID(f"01900000-0000-7000-8000-00000000010{i}") for i, name in enumerate(cases)}
        async with engine.begin() as connection:
            stamp = {"created_at": now, "updated_at": now}
            await connection.execute(
                insert(m.User.__table__).values(id=user_id, email="m@example.org", name="M", is_active=True, **stamp)
            )
            for index, (name, (status, follow_up)) in enumerate(cases.items()):
                await connection.execute(
                    insert(m.Case.__table__).values(
                        id=ids[name],
                        reference=f"KM-1990-{index:04d}",
                        year=1990,
                        sequence=index,
                        title=name,
                        status=status.value,
                        follow_up_date=follow_up,
                        **stamp,
                    )
                )
            key = m.CaseMediator.__table__.c
            links = sql_table(
                "case_mediator",
                column("case_id", key.case_id.type),
                column("user_id", key.user_id.type),
                column("assigned_at", key.assigned_at.type),
            )
            await connection.execute(
                insert(links), [{"case_id": i, "user_id": user_id, "assigned_at": now} for i in ids.values()]
            )
            session_day = today() + timedelta(days=2)
            for status in (m.SessionStatus.GEPLANT, m.SessionStatus.ABGESAGT):
                await connection.execute(
                    insert(m.MediationSession.__table__).values(
                        case_id=ids["planned"],
                        kind=m.SessionKind.VORGESPRAECH.value,
                        status=status.value,
                        scheduled_at=_noon(
                            session_day - timedelta(days=1 if status is m.SessionStatus.ABGESAGT else 0)
                        ),
                        phases=[],
                        **stamp,
                    )
                )
        await anyio.to_thread.run_sync(lambda: commands.upgrade(revision="head"))
        async with AsyncSession(engine) as session:
            assert await stale_links(session) == []
            rows = await session.execute(
                select(m.CaseMediator.case_id, m.CaseMediator.case_open, m.CaseMediator.next_day)
            )
            stored = {case_id: (bool(is_open), day) for case_id, is_open, day in rows}
        assert stored == {
            ids["planned"]: (True, session_day),
            ids["closed"]: (False, None),
            ids["undated"]: (True, None),
        }
        await engine.dispose()
    finally:
        if backend == "postgresql":
            await anyio.to_thread.run_sync(databases.drop_postgres_database, url)


async def test_the_demo_office_is_consistent(app: Litestar) -> None:
    """The demo's cases, sessions, transitions and backdated history, all through the ORM."""
    await load_demo(app.state["alchemy_config"])
    async with app.state["alchemy_config"].get_session() as session:
        assert await stale_links(session) == []
        dated = await session.scalar(
            select(func.count()).select_from(m.CaseMediator).where(m.CaseMediator.next_day.is_not(None))
        )
        assert dated, "the demo has dated open cases"
