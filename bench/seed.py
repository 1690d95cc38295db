"""The benchmark database: create, migrate with the real migrations, bulk-seed with COPY, drop."""

from __future__ import annotations

import asyncio
import hashlib
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

import asyncpg

from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.hashing import HASHER

# Share of cases per status (DESIGN.md §3), roughly what a long-running office accumulates.
STATUS_MIX: tuple[tuple[str, float], ...] = (
    ("eingegangen", 0.05),
    ("in_klaerung", 0.10),
    ("vorgespraeche", 0.08),
    ("in_mediation", 0.07),
    ("vereinbarung", 0.03),
    ("nachbetreuung", 0.05),
    ("ruhend", 0.04),
    ("abgeschlossen", 0.35),
    ("eingestellt", 0.10),
    ("weitergeleitet", 0.08),
    ("nicht_angenommen", 0.05),
)
CLOSED = frozenset({"abgeschlossen", "eingestellt", "weitergeleitet", "nicht_angenommen"})
ACTIVE = frozenset({"eingegangen", "in_klaerung", "vorgespraeche", "in_mediation", "vereinbarung", "nachbetreuung"})
OPEN = ACTIVE | {"ruhend"}
LINK_COLUMNS = ("case_id", "user_id", "assigned_at", "case_open", "next_day", "case_reference")
OUTCOMES = ("einigung_vollstaendig", "einigung_teilweise", "keine_einigung", "anderweitig_geloest")
REFERRAL_SOURCES = (
    "buerger",
    "ordnungsamt",
    "polizei",
    "quartiersbuero",
    "runder_tisch",
    "wohnungsgesellschaft",
    "jugendarbeit",
    "sonstige",
)
URGENCIES = (("niedrig", 0.2), ("normal", 0.65), ("hoch", 0.15))
PLACE_KINDS = ("Spielplatz", "Bolzplatz", "Kioskecke", "Park", "Marktplatz")
YEARS = 8  # cases spread over this many years, ending with the current one
CASE_COLUMNS = (
    "id",
    "reference",
    "year",
    "sequence",
    "title",
    "conflict_type_id",
    "quartier_id",
    "place_id",
    "referral_source",
    "urgency",
    "escalation_level",
    "status",
    "outcome",
    "reopen_count",
    "resume_to",
    "resubmission_date",
    "closed_at",
    "record_key",
    "legal_hold",
    "version",
    "created_at",
    "updated_at",
)


@dataclass(slots=True)
class Seeded:
    """What the benchmark needs to know about the seeded data."""

    mediator_token: str
    coordinator_token: str
    mediator_id: UUID
    mediator_case_ids: list[UUID] = field(default_factory=list)
    password: str = ""  # of the benchmark mediator and the coordinator, for the pages' sign-in
    mediator_email: str = "mediator0000@bench.invalid"
    coordinator_email: str = "koordination@bench.invalid"
    cases: int = 0
    mediators: int = 0
    seconds: float = 0.0


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def create_database(admin_url: str) -> str:
    name = f"km_bench_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(admin_url, timeout=10)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def drop_database(admin_url: str, name: str) -> None:
    if not name.startswith("km_bench_"):  # never drop anything this script did not create
        msg = f"refusing to drop {name!r}"
        raise ValueError(msg)
    connection = await asyncpg.connect(admin_url, timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def migrate(database_url: str, data_dir: Path) -> None:
    """The schema comes from the real migrations, exactly as in tests/databases.py."""
    from advanced_alchemy.alembic.commands import AlembicCommands

    from konfliktmanagement.lib.settings import Environment, Settings
    from konfliktmanagement.server.app import alchemy_config

    settings = Settings(
        environment=Environment.DEVELOPMENT,
        database_url=database_url,
        data_dir=data_dir,
        secret_key="bench-secret-" + "x" * 32,
        encryption_key="bench-encryption-" + "y" * 32,
    )
    AlembicCommands(sqlalchemy_config=alchemy_config(settings)).upgrade(revision="head")


async def seed_quartiers(database_url: str) -> None:
    """The seed quartiers through the app's own service (eight rows; the ORM is fine here)."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from konfliktmanagement.db.engine import create_engine
    from konfliktmanagement.domain.quartiers.services import ensure_seed_quartiers
    from konfliktmanagement.lib.settings import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    try:
        async with AsyncSession(engine) as session:
            await ensure_seed_quartiers(session)
            await session.commit()
    finally:
        await engine.dispose()


def uuid7_at(moment: datetime, rng: random.Random) -> UUID:
    """A UUIDv7 whose timestamp is `moment`, like the app's primary keys (time-ordered)."""
    millis = int(moment.timestamp() * 1000)
    rand_a, rand_b = rng.getrandbits(12), rng.getrandbits(62)
    return UUID(int=(millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


async def _users(
    connection: asyncpg.Connection, mediators: int, now: datetime, rng: random.Random
) -> tuple[list[UUID], UUID]:
    mediator_ids = [uuid7_at(now, rng) for _ in range(mediators)]
    coordinator_id = uuid7_at(now, rng)
    users = [
        (uid, f"mediator{i:04d}@bench.invalid", f"Mediator:in {i:04d}", None, True, 1, now, now)
        for i, uid in enumerate(mediator_ids)
    ]
    users.append((coordinator_id, "koordination@bench.invalid", "Koordination", None, True, 1, now, now))
    await connection.copy_records_to_table(
        "user_account",
        records=users,
        columns=("id", "email", "name", "password", "is_active", "version", "created_at", "updated_at"),
    )
    roles = [(uid, "mediator") for uid in mediator_ids] + [(coordinator_id, "coordinator")]
    await connection.copy_records_to_table("user_role", records=roles, columns=("user_id", "role"))
    return mediator_ids, coordinator_id


async def _token(connection: asyncpg.Connection, user_id: UUID, label: str, now: datetime, rng: random.Random) -> str:
    token = "km_" + secrets.token_urlsafe(32)
    await connection.execute(
        "INSERT INTO api_token (id, user_id, label, token_hash, hint, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $6)",
        uuid7_at(now, rng),
        user_id,
        label,
        _digest(token),
        token[-4:],
        now,
    )
    return token


async def _places(
    connection: asyncpg.Connection, quartier_ids: list[UUID], now: datetime, rng: random.Random
) -> dict[UUID, list[UUID]]:
    rows, by_quartier = [], {}
    for q_index, quartier_id in enumerate(quartier_ids):
        ids = [uuid7_at(now, rng) for _ in PLACE_KINDS]
        by_quartier[quartier_id] = ids
        rows += [
            (pid, quartier_id, f"{kind} {q_index + 1}", now, now) for pid, kind in zip(ids, PLACE_KINDS, strict=True)
        ]
    await connection.copy_records_to_table(
        "place", records=rows, columns=("id", "quartier_id", "name", "created_at", "updated_at")
    )
    return by_quartier


def _case_rows(
    count: int,
    mediator_ids: list[UUID],
    bench_mediator: UUID,
    quartier_ids: list[UUID],
    places: dict[UUID, list[UUID]],
    conflict_type_ids: list[UUID],
    now: datetime,
    rng: random.Random,
) -> tuple[list[tuple], list[tuple], list[UUID], dict[int, int]]:
    cases, links, bench_cases = [], [], []
    first_year = now.year - YEARS + 1
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    span = (now - start).total_seconds()
    per_year = -(-count // YEARS)
    digits = max(4, len(str(per_year)))
    # Creation times in ascending order so that sequences per year follow them.
    moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count))
    sequences: dict[int, int] = {}
    for moment in moments:
        year = moment.year
        sequence = sequences[year] = sequences.get(year, 0) + 1
        pair = rng.sample(mediator_ids, 2)
        status = _pick(rng, STATUS_MIX)
        if bench_mediator in pair:
            status = "in_klaerung"  # the transition scenario toggles these: in_klaerung ↔ ruhend
        quartier = rng.choice(quartier_ids)
        place = rng.choice(places[quartier]) if rng.random() < 0.6 else None
        closed_at = moment + timedelta(days=rng.randint(14, 400)) if status in CLOSED else None
        closed_at = min(closed_at, now) if closed_at else None
        case_id = uuid7_at(moment, rng)
        updated = closed_at or moment
        cases.append(
            (
                case_id,
                f"KM-{year}-{sequence:0{digits}d}",
                year,
                sequence,
                f"Konflikt {sequence} in Quartier {quartier_ids.index(quartier) + 1}",
                rng.choice(conflict_type_ids),
                quartier,
                place,
                rng.choice(REFERRAL_SOURCES),
                _pick(rng, URGENCIES),
                rng.randint(1, 9) if rng.random() < 0.7 else None,
                status,
                rng.choice(OUTCOMES) if status == "abgeschlossen" else None,
                0,
                "in_mediation" if status == "ruhend" else None,
                (now + timedelta(days=rng.randint(1, 90))).date() if status == "ruhend" else None,
                closed_at,
                rng.getrandbits(32),
                False,
                1,
                moment,
                updated,
            )
        )
        # What Meine Fälle orders by, kept on the links by the app (domain/cases/next_days.py): the bench
        # seeds no sessions and no follow-ups, so a case's next day is its Wiedervorlage.
        resubmission = cases[-1][CASE_COLUMNS.index("resubmission_date")]
        reference = cases[-1][CASE_COLUMNS.index("reference")]
        links += [(case_id, uid, moment, status in OPEN, resubmission, reference) for uid in pair]
        if bench_mediator in pair:
            bench_cases.append(case_id)
    return cases, links, bench_cases, sequences


def _count_rows(case_rows: list[tuple], links: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """`case_count` and `mediator_load` for the seeded rows: the app keeps them in step with every flush,
    bulk inserts bypass it (domain/cases/counts.py)."""
    quartier, status = CASE_COLUMNS.index("quartier_id"), CASE_COLUMNS.index("status")
    cells = Counter((row[quartier] or UUID(int=0), row[status]) for row in case_rows)
    active = {row[0] for row in case_rows if row[status] in ACTIVE}
    loads = Counter(link[1] for link in links if link[0] in active)
    return [(q, s, n) for (q, s), n in cells.items()], list(loads.items())


CLOSED_DAY_COLUMNS = ("day", "quartier_key", "status", "outcome", "n")


def _closed_day_rows(case_rows: list[tuple]) -> list[tuple]:
    """`case_closed_day` for the seeded rows (domain/cases/counts.py keeps it in the app)."""
    closed_at, quartier = CASE_COLUMNS.index("closed_at"), CASE_COLUMNS.index("quartier_id")
    status, outcome = CASE_COLUMNS.index("status"), CASE_COLUMNS.index("outcome")
    days = Counter(
        (row[closed_at].astimezone(BERLIN).date(), row[quartier] or UUID(int=0), row[status], row[outcome] or "")
        for row in case_rows
        if row[status] in CLOSED and row[closed_at] is not None
    )
    return [(*key, n) for key, n in sorted(days.items())]


async def seed(database_url: str, cases: int, mediators: int, seed_value: int = 20260101) -> Seeded:
    started = time.perf_counter()
    await seed_quartiers(database_url)
    rng = random.Random(seed_value)  # noqa: S311 - reproducible test data, not a secret
    now = datetime.now(UTC)
    connection = await asyncpg.connect(database_url, timeout=10)
    try:
        quartier_ids = [r["id"] for r in await connection.fetch("SELECT id FROM quartier ORDER BY code")]
        conflict_type_ids = [r["id"] for r in await connection.fetch("SELECT id FROM conflict_type ORDER BY code")]
        if not quartier_ids or not conflict_type_ids:
            msg = "the migrations did not provide quartiers or conflict types"
            raise RuntimeError(msg)
        async with connection.transaction():
            mediator_ids, coordinator_id = await _users(connection, mediators, now, rng)
            bench_mediator = mediator_ids[0]
            places = await _places(connection, quartier_ids, now, rng)
            case_rows, links, bench_cases, sequences = _case_rows(
                cases, mediator_ids, bench_mediator, quartier_ids, places, conflict_type_ids, now, rng
            )
            await connection.copy_records_to_table("case_file", records=case_rows, columns=CASE_COLUMNS)
            await connection.copy_records_to_table("case_mediator", records=links, columns=LINK_COLUMNS)
            await connection.copy_records_to_table(
                "case_reference_counter", records=sorted(sequences.items()), columns=("year", "last_value")
            )
            cells, loads = _count_rows(case_rows, links)
            await connection.copy_records_to_table("case_count", records=cells, columns=("quartier_key", "status", "n"))
            await connection.copy_records_to_table("mediator_load", records=loads, columns=("user_id", "active_cases"))
            await connection.copy_records_to_table(
                "case_closed_day", records=_closed_day_rows(case_rows), columns=CLOSED_DAY_COLUMNS
            )
            mediator_token = await _token(connection, bench_mediator, "bench mediator", now, rng)
            coordinator_token = await _token(connection, coordinator_id, "bench coordinator", now, rng)
            # The pages are measured with a signed-in cookie session: the two users sign in through
            # the real login form, so they get a password (hashed as the app's column type does).
            password = secrets.token_urlsafe(18)
            await connection.execute(
                "UPDATE user_account SET password = $1 WHERE id = ANY($2::uuid[])",
                HASHER.hash(password),
                [bench_mediator, coordinator_id],
            )
        # As autovacuum leaves a settled database: statistics and the visibility map (index-only scans).
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return Seeded(
        mediator_token=mediator_token,
        coordinator_token=coordinator_token,
        mediator_id=bench_mediator,
        mediator_case_ids=bench_cases,
        password=password,
        cases=cases,
        mediators=mediators,
        seconds=time.perf_counter() - started,
    )


async def _wait_until_quiet(connection: asyncpg.Connection, max_seconds: float = 30.0) -> None:
    """Wait until no other session of this database is busy: wrk has stopped, but the servers may still
    be finishing requests it sent last (their transactions would commit after the reset)."""
    deadline, quiet = time.monotonic() + max_seconds, 0
    while quiet < 3 and time.monotonic() < deadline:
        busy = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"
        )
        quiet = quiet + 1 if busy == 0 else 0
        await asyncio.sleep(0.25)


async def reset_transition_cases(database_url: str, case_ids: list[UUID]) -> None:
    """Put the mediator's cases back to in_klaerung, so the next transition run starts from a known state."""
    connection = await asyncpg.connect(database_url, timeout=10)
    try:
        await _wait_until_quiet(connection)
        await connection.execute(
            "UPDATE case_file SET status = 'in_klaerung', resume_to = NULL, resubmission_date = NULL"
            " WHERE id = ANY($1::uuid[])",
            case_ids,
        )
        # The raw update bypasses the app's flush: the links' next day follows as the app would write it.
        await connection.execute(
            "UPDATE case_mediator SET case_open = true, next_day = LEAST("
            " (SELECT min(CAST(s.scheduled_at AT TIME ZONE 'Europe/Berlin' AS DATE)) FROM mediation_session s"
            "  WHERE s.case_id = c.id AND s.status = 'geplant' AND s.scheduled_at IS NOT NULL),"
            " c.resubmission_date, c.follow_up_date)"
            " FROM case_file c WHERE c.id = case_mediator.case_id AND c.id = ANY($1::uuid[])",
            case_ids,
        )
        await connection.execute("VACUUM ANALYZE case_file")
        await connection.execute("VACUUM ANALYZE case_event")
        await connection.execute("VACUUM ANALYZE case_mediator")
    finally:
        await connection.close()


def today() -> date:
    return datetime.now(UTC).date()


async def seed_sqlite(database_url: str, cases: int, mediators: int, seed_value: int = 20260101) -> Seeded:
    """The same data as `seed` in a SQLite file, through SQLAlchemy Core (the column types store UUIDs,
    dates and the password hash as the app does; SQLite has no COPY)."""
    from sqlalchemy import insert, select
    from sqlalchemy.ext.asyncio import AsyncSession

    from konfliktmanagement.db import models as m
    from konfliktmanagement.db.engine import create_engine
    from konfliktmanagement.domain.quartiers.services import ensure_seed_quartiers

    started = time.perf_counter()
    rng = random.Random(seed_value)  # noqa: S311 - reproducible test data, not a secret
    now = datetime.now(UTC)
    password = secrets.token_urlsafe(18)
    engine = create_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            await ensure_seed_quartiers(session)
            await session.commit()
        async with engine.begin() as connection:
            quartier_ids = list(await connection.scalars(select(m.Quartier.id).order_by(m.Quartier.code)))
            conflict_type_ids = list(await connection.scalars(select(m.ConflictType.id).order_by(m.ConflictType.code)))
            mediator_ids = [uuid7_at(now, rng) for _ in range(mediators)]
            coordinator_id = uuid7_at(now, rng)
            users = [
                {"id": uid, "email": f"mediator{i:04d}@bench.invalid", "name": f"Mediator:in {i:04d}", "password": None}
                for i, uid in enumerate(mediator_ids)
            ]
            users.append({"id": coordinator_id, "email": "koordination@bench.invalid", "name": "Koordination"})
            users[0]["password"] = password
            users[-1]["password"] = password
            for user in users:
                user.update(is_active=True, version=1, created_at=now, updated_at=now)
            await connection.execute(insert(m.User.__table__), users)
            roles = [{"user_id": uid, "role": "mediator"} for uid in mediator_ids]
            roles.append({"user_id": coordinator_id, "role": "coordinator"})
            await connection.execute(insert(m.UserRole.__table__), roles)
            places, place_rows = {}, []
            for q_index, quartier_id in enumerate(quartier_ids):
                ids = [uuid7_at(now, rng) for _ in PLACE_KINDS]
                places[quartier_id] = ids
                place_rows += [
                    {
                        "id": pid,
                        "quartier_id": quartier_id,
                        "name": f"{kind} {q_index + 1}",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for pid, kind in zip(ids, PLACE_KINDS, strict=True)
                ]
            await connection.execute(insert(m.Place.__table__), place_rows)
            case_rows, links, bench_cases, sequences = _case_rows(
                cases, mediator_ids, mediator_ids[0], quartier_ids, places, conflict_type_ids, now, rng
            )
            for chunk in range(0, len(case_rows), 5000):
                rows = [dict(zip(CASE_COLUMNS, row, strict=True)) for row in case_rows[chunk : chunk + 5000]]
                await connection.execute(insert(m.Case.__table__), rows)
            link_rows = [dict(zip(LINK_COLUMNS, link, strict=True)) for link in links]
            for chunk in range(0, len(link_rows), 5000):
                await connection.execute(insert(m.CaseMediator.__table__), link_rows[chunk : chunk + 5000])
            await connection.execute(
                insert(m.CaseReferenceCounter.__table__),
                [{"year": year, "last_value": value} for year, value in sorted(sequences.items())],
            )
            cells, loads = _count_rows(case_rows, links)
            await connection.execute(
                insert(m.CaseCount.__table__), [{"quartier_key": q, "status": s, "n": n} for q, s, n in cells]
            )
            if loads:
                await connection.execute(
                    insert(m.MediatorLoad.__table__), [{"user_id": u, "active_cases": n} for u, n in loads]
                )
            if closed_days := _closed_day_rows(case_rows):
                await connection.execute(
                    insert(m.CaseClosedDay.__table__),
                    [dict(zip(CLOSED_DAY_COLUMNS, r, strict=True)) for r in closed_days],
                )
            tokens = []
            for uid, label in ((mediator_ids[0], "bench mediator"), (coordinator_id, "bench coordinator")):
                token = "km_" + secrets.token_urlsafe(32)
                tokens.append(token)
                await connection.execute(
                    insert(m.ApiToken.__table__),
                    [
                        {
                            "id": uuid7_at(now, rng),
                            "user_id": uid,
                            "label": label,
                            "token_hash": _digest(token),
                            "hint": token[-4:],
                            "created_at": now,
                            "updated_at": now,
                        }
                    ],
                )
    finally:
        await engine.dispose()
    return Seeded(
        mediator_token=tokens[0],
        coordinator_token=tokens[1],
        mediator_id=mediator_ids[0],
        mediator_case_ids=bench_cases,
        password=password,
        cases=cases,
        mediators=mediators,
        seconds=time.perf_counter() - started,
    )
