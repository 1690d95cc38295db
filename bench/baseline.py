"""A raw-asyncpg ASGI baseline: the app's SQL for the benchmarked endpoints, without framework or ORM.

Every statement below is copied from what the app emits (`KM_DATABASE_ECHO=true`), in the same
order and in one transaction per request, on one connection from one pool — so the difference to
the app is what Litestar, advanced-alchemy and SQLAlchemy add on top of the same database work.
Only the two transitions the benchmark drives are implemented (active → ruhend, ruhend → resume).

    python bench/baseline.py --port 8001 --database-url postgresql://postgres@127.0.0.1:5432/km_bench_x
"""

from __future__ import annotations

import argparse
import hashlib
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID, uuid4

import asyncpg
import msgspec
from baseline_sql import (
    MEDIATOR_FILTER,
    SQL_CASE_ROWS,
    SQL_CONFLICT_TYPES,
    SQL_COUNT_BOUNDED,
    SQL_HELD_JOINT,
    SQL_INSERT_EVENT,
    SQL_ITEMS,
    SQL_LAST_EVENT,
    SQL_LINKS,
    SQL_ONE,
    SQL_OPEN_RESULTS,
    SQL_PARTICIPATIONS,
    SQL_PLACES,
    SQL_QUARTIERS,
    SQL_SUMMARIES,
    SQL_TEAMS,
    SQL_TOKEN_USED,
    SQL_TOKEN_USER,
    SQL_UPDATE_CASE,
    SQL_USERS,
)

from konfliktmanagement.domain.audit.chain import GENESIS, event_hash
from konfliktmanagement.lib.clock import today

CASE_ROLES = frozenset({"coordinator", "mediator"})
ACTIVE = frozenset({"eingegangen", "in_klaerung", "vorgespraeche", "in_mediation", "vereinbarung", "nachbetreuung"})
_CASE_PATH = re.compile(r"^/api/v1/cases/([0-9a-fA-F-]{36})(/transitions)?$")


class HttpError(Exception):
    def __init__(self, status: int, title: str) -> None:
        super().__init__(title)
        self.status, self.title = status, title


class TransitionBody(msgspec.Struct, forbid_unknown_fields=True):
    to: str
    reason: str | None = None
    resubmission_date: date | None = None
    version: int | None = None


def _in_list(values: list[Any], start: int = 1) -> str:
    return ", ".join(f"${i}::UUID" for i in range(start, start + len(values)))


class User(msgspec.Struct):
    id: UUID
    roles: frozenset[str]


async def authenticate(conn: asyncpg.Connection, header: bytes | None, *, touch: bool = True) -> User:
    """The app's bearer-token path: one statement for token, user and roles (a row per role), and the
    `last_used_at` update (unless not `touch`)."""
    if not header:
        raise HttpError(401, "Unauthorized")
    scheme, _, token = header.decode("latin-1").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith("km_"):
        raise HttpError(401, "Unauthorized")
    rows = await conn.fetch(SQL_TOKEN_USER, 1, hashlib.sha256(token.encode()).hexdigest())
    if not rows:
        raise HttpError(401, "Unauthorized")
    first = rows[0]
    roles = frozenset(r["role"] for r in rows if r["role"] is not None)
    # Like the app: record the token's use only when the last record is older than five minutes.
    if touch and (first["last_used_at"] is None or datetime.now(UTC) - first["last_used_at"] > timedelta(minutes=5)):
        moment = datetime.now(UTC)
        await conn.execute(SQL_TOKEN_USED, moment, moment, first["id"])
    return User(id=first["id_1"], roles=roles)


def _readable(user: User, param: int) -> tuple[str, list[Any]]:
    if "coordinator" in user.roles:
        return "true", []
    if "mediator" in user.roles:
        return MEDIATOR_FILTER.format(p=f"${param}"), [user.id]
    return "false", []


async def _load_related(conn: asyncpg.Connection, cases: list[asyncpg.Record]) -> list[dict[str, Any]]:
    """The selectin loads of CASE_DETAIL_LOAD and the response shape of `schemas._summary_fields`."""
    if not cases:
        return []
    places: dict[UUID, Any] = {}
    place_ids = list(dict.fromkeys(c["place_id"] for c in cases if c["place_id"]))
    if place_ids:
        rows = await conn.fetch(SQL_PLACES.format(ids=_in_list(place_ids)), *place_ids)
        places = {r["place_id"]: r for r in rows}
    case_ids = [c["id"] for c in cases]
    links = await conn.fetch(SQL_LINKS.format(ids=_in_list(case_ids)), *case_ids)
    conflict_types: dict[UUID, Any] = {}
    if type_ids := list(dict.fromkeys(c["conflict_type_id"] for c in cases if c["conflict_type_id"])):
        rows = await conn.fetch(SQL_CONFLICT_TYPES.format(ids=_in_list(type_ids)), *type_ids)
        conflict_types = {r["conflict_type_id"]: r for r in rows}
    quartiers: dict[UUID, Any] = {}
    if quartier_ids := list(dict.fromkeys(c["quartier_id"] for c in cases if c["quartier_id"])):
        rows = await conn.fetch(SQL_QUARTIERS.format(ids=_in_list(quartier_ids)), *quartier_ids)
        quartiers = {r["quartier_id"]: r for r in rows}
    users: dict[UUID, Any] = {}
    if user_ids := list(dict.fromkeys(link["case_mediator_user_id"] for link in links)):
        rows = await conn.fetch(SQL_USERS.format(ids=_in_list(user_ids)), *user_ids)
        users = {r["user_account_id"]: r for r in rows}
    mediators: dict[UUID, list[dict[str, Any]]] = {}
    for link in links:
        user = users[link["case_mediator_user_id"]]
        mediators.setdefault(link["case_mediator_case_id"], []).append(
            {"id": user["user_account_id"], "name": user["user_account_name"]}
        )
    result = []
    for case in cases:
        conflict_type, quartier, place = (
            conflict_types.get(case["conflict_type_id"]),
            quartiers.get(case["quartier_id"]),
            places.get(case["place_id"]),
        )
        result.append(
            {
                "id": case["id"],
                "reference": case["reference"],
                "title": case["title"],
                "status": case["status"],
                "phase": case["phase"],
                "urgency": case["urgency"],
                "conflict_type": {
                    "id": conflict_type["conflict_type_id"],
                    "code": conflict_type["conflict_type_code"],
                    "name": conflict_type["conflict_type_label"],
                }
                if conflict_type
                else None,
                "quartier": {
                    "id": quartier["quartier_id"],
                    "code": quartier["quartier_code"],
                    "name": quartier["quartier_name"],
                }
                if quartier
                else None,
                "place": {"id": place["place_id"], "name": place["place_name"]} if place else None,
                "mediators": sorted(mediators.get(case["id"], []), key=lambda m: m["name"]),
                "resubmission_date": case["resubmission_date"],
                "follow_up_date": case["follow_up_date"],
                "created_at": case["created_at"],
                "updated_at": case["updated_at"],
                "version": case["version"],
            }
        )
    return result


def _detail(summary: dict[str, Any], case: asyncpg.Record) -> dict[str, Any]:
    return summary | {
        name: case[name]
        for name in (
            "description",
            "referral_source",
            "escalation_level",
            "outcome",
            "closure_reason",
            "referral_recipient",
            "no_follow_up_reason",
            "reopen_count",
            "resume_to",
            "closed_at",
            "legal_hold",
        )
    }


def _summary_row(row: asyncpg.Record) -> dict[str, Any]:
    """A row of SQL_SUMMARIES or SQL_CASE_ROWS in the answer's shape (mediators added by the caller)."""
    return {
        "id": row["id"],
        "reference": row["reference"],
        "title": row["title"],
        "status": row["status"],
        "phase": row["phase"],
        "urgency": row["urgency"],
        "conflict_type": {"id": row["id_1"], "code": row["code"], "name": row["label"]} if row["id_1"] else None,
        "quartier": {"id": row["id_2"], "code": row["code_1"], "name": row["name"]} if row["id_2"] else None,
        "place": {"id": row["id_3"], "name": row["name_1"]} if row["id_3"] else None,
        "mediators": [],
        "resubmission_date": row["resubmission_date"],
        "follow_up_date": row["follow_up_date"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "version": row["version"],
    }


COUNT_LIMIT = 10_000


async def list_cases(conn: asyncpg.Connection, user: User, query: dict[str, list[str]]) -> Any:
    if not CASE_ROLES & user.roles:
        raise HttpError(403, "Forbidden")
    page = int(query.get("page", ["1"])[0])
    page_size = int(query.get("page_size", ["25"])[0])
    if not (1 <= page <= 100000 and 1 <= page_size <= 100):
        raise HttpError(400, "Bad Request")
    readable, params = _readable(user, 1)
    n = len(params)
    sql = SQL_SUMMARIES.format(readable=readable, limit=f"${n + 1}", offset=f"${n + 2}")
    rows = await conn.fetch(sql, *params, page_size, (page - 1) * page_size)
    items = [_summary_row(row) for row in rows]
    if items:
        ids = [item["id"] for item in items]
        by_id = {item["id"]: item for item in items}
        for team in await conn.fetch(SQL_TEAMS.format(ids=_in_list(ids)), *ids):
            by_id[team["case_id"]]["mediators"].append({"id": team["id"], "name": team["name"]})
        for item in items:
            item["mediators"].sort(key=lambda mediator: mediator["name"])
    if page == 1 and len(items) < page_size:
        total = len(items)
    else:
        counted = await conn.fetchval(
            SQL_COUNT_BOUNDED.format(readable=readable, limit=f"${n + 1}"), *params, COUNT_LIMIT + 1
        )
        total = min(counted, COUNT_LIMIT)
    return {"items": items, "total": total, "page": page, "page_size": page_size, "total_exact": total < COUNT_LIMIT}


async def _one(conn: asyncpg.Connection, user: User, case_id: UUID, *, for_update: bool = False) -> asyncpg.Record:
    readable, params = _readable(user, 2)
    sql = SQL_ONE.format(readable=readable) + (" FOR UPDATE OF case_file" if for_update else "")
    case = await conn.fetchrow(sql, case_id, *params)
    if case is None:
        raise HttpError(404, "Not Found")
    return case


async def case_detail(conn: asyncpg.Connection, user: User, case_id: UUID) -> Any:
    readable, params = _readable(user, 2)
    rows = await conn.fetch(SQL_CASE_ROWS.format(readable=readable), case_id, *params)
    if not rows:
        raise HttpError(404, "Not Found")
    summary = _summary_row(rows[0])
    summary["mediators"] = sorted(
        ({"id": row["id_4"], "name": row["name_2"]} for row in rows if row["id_4"] is not None),
        key=lambda mediator: mediator["name"],
    )
    return _detail(summary, rows[0])


async def transition(conn: asyncpg.Connection, user: User, case_id: UUID, body: bytes) -> Any:
    try:
        request = msgspec.json.decode(body, type=TransitionBody)
    except msgspec.ValidationError as exc:
        raise HttpError(400, "Bad Request") from exc
    # Like the app: one locked load of the case with everything its detail shows.
    case = await _one(conn, user, case_id, for_update=True)
    summary = (await _load_related(conn, [case]))[0]
    mediator_ids = {mediator["id"] for mediator in summary["mediators"]}
    if request.version is not None and request.version != case["version"]:
        raise HttpError(409, "Conflict")
    # load_facts: what the guards look at (participations with their consents, sessions, agreements)
    await conn.fetch(SQL_PARTICIPATIONS, case_id)
    await conn.fetchval(SQL_HELD_JOINT, case_id, "gemeinsame_sitzung", "durchgefuehrt")
    await conn.fetchval(SQL_ITEMS, case_id)
    await conn.fetchval(SQL_OPEN_RESULTS, case_id)
    source = case["status"]
    if "mediator" not in user.roles or user.id not in mediator_ids:
        raise HttpError(403, "Forbidden")
    if source in ACTIVE and request.to == "ruhend":
        if not (request.reason and request.reason.strip()):
            raise HttpError(409, "Conflict")
        if request.resubmission_date is None or request.resubmission_date <= today():
            raise HttpError(409, "Conflict")
        resume_to, resubmission_date = source, request.resubmission_date
    elif source == "ruhend" and request.to == case["resume_to"]:
        resume_to, resubmission_date = None, None
    else:
        raise HttpError(409, "Conflict")
    moment = datetime.now(UTC)
    updated = await conn.execute(
        SQL_UPDATE_CASE,
        request.to,
        resume_to,
        resubmission_date,
        case["version"] + 1,
        moment,
        case_id,
        case["version"],
    )
    if updated != "UPDATE 1":
        raise HttpError(409, "Conflict")
    last = await conn.fetchrow(SQL_LAST_EVENT, case_id, 1)
    seq, prev_hash = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
    occurred_at = datetime.now(UTC)
    details = {"override": False}
    fields = {
        "case_id": case_id,
        "seq": seq,
        "occurred_at": occurred_at,
        "actor_id": user.id,
        "action": "transition",
        "from_status": source,
        "to_status": request.to,
        "reason": request.reason,
        "details": details,
        "prev_hash": prev_hash,
    }
    await conn.execute(
        SQL_INSERT_EVENT,
        uuid4(),
        case_id,
        seq,
        occurred_at,
        user.id,
        "transition",
        source,
        request.to,
        request.reason,
        msgspec.json.encode(details).decode(),
        prev_hash,
        event_hash(**fields),  # type: ignore[arg-type]
    )
    changed = {"status": request.to, "version": case["version"] + 1, "updated_at": moment}
    return _detail(summary | changed, case) | changed | {"resume_to": resume_to, "resubmission_date": resubmission_date}


class Baseline:
    """A plain ASGI callable: lifespan opens and closes one asyncpg pool; three routes plus /ready."""

    def __init__(self, database_url: str, pool_size: int, *, touch_token: bool = True) -> None:
        self.database_url, self.pool_size, self.touch_token = database_url, pool_size, touch_token
        self.pool: asyncpg.Pool | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # As the app's engine: pool_size plus as many overflow connections.
                self.pool = await asyncpg.create_pool(
                    self.database_url, min_size=1, max_size=2 * self.pool_size, timeout=10
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        try:
            status, payload = 200, await self._route(scope, body)
        except HttpError as exc:
            status, payload = exc.status, {"title": exc.title, "status": exc.status}
        content = msgspec.json.encode(payload)
        content_type = b"application/json" if status < 400 else b"application/problem+json"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(content)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": content})

    async def _user(self, conn: asyncpg.Connection, header: bytes | None) -> User:
        return await authenticate(conn, header, touch=self.touch_token)

    async def _route(self, scope: dict[str, Any], body: bytes) -> Any:
        assert self.pool is not None
        method, path = scope["method"], scope["path"]
        if path == "/ready" and method == "GET":
            async with self.pool.acquire() as conn:
                await conn.execute("SELECT 1")
            return {"status": "ready"}
        header = dict(scope["headers"]).get(b"authorization")
        if path.rstrip("/") == "/api/v1/cases" and method == "GET":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            async with self.pool.acquire() as conn, conn.transaction():
                return await list_cases(conn, await self._user(conn, header), query)
        match = _CASE_PATH.match(path)
        if match is None:
            raise HttpError(404, "Not Found")
        try:
            case_id = UUID(match.group(1))
        except ValueError as exc:
            raise HttpError(404, "Not Found") from exc
        if match.group(2) is None and method == "GET":
            async with self.pool.acquire() as conn, conn.transaction():
                return await case_detail(conn, await self._user(conn, header), case_id)
        if match.group(2) and method == "POST":
            async with self.pool.acquire() as conn, conn.transaction():
                return await transition(conn, await self._user(conn, header), case_id, body)
        raise HttpError(405, "Method Not Allowed")


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True, help="postgresql://… (plain, for asyncpg)")
    parser.add_argument("--pool-size", type=int, default=10, help="as KM_DATABASE_POOL_SIZE (max = 2 × this)")
    parser.add_argument(
        "--skip-token-update",
        action="store_true",
        help="leave out the app's `UPDATE api_token SET last_used_at` (to measure what that one row costs)",
    )
    args = parser.parse_args()
    # The same server settings as `konfliktmanagement serve`.
    uvicorn.run(
        Baseline(args.database_url, args.pool_size, touch_token=not args.skip_token_update),
        host=args.host,
        port=args.port,
        access_log=False,
        log_config=None,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
