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
    SQL_CASE_COUNT_ADD,
    SQL_CASE_FOR_WRITE,
    SQL_CASE_ROWS,
    SQL_COUNT_BOUNDED,
    SQL_INSERT_EVENT,
    SQL_MEDIATOR_LOAD_ADD,
    SQL_NEXT_DAYS,
    SQL_SUMMARIES,
    SQL_TEAMS,
    SQL_TOKEN_USED,
    SQL_TOKEN_USER,
    SQL_TRANSITION_CASE,
)

from konfliktmanagement.domain.audit.chain import GENESIS, event_hash
from konfliktmanagement.lib.clock import today

CASE_ROLES = frozenset({"coordinator", "mediator"})
ACTIVE = frozenset({"eingegangen", "in_klaerung", "vorgespraeche", "in_mediation", "vereinbarung", "nachbetreuung"})
OPEN = ACTIVE | {"ruhend"}
NO_QUARTIER = UUID(int=0)  # `case_count`'s key of the cases without a quartier (db/models/case_count.py)
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


async def case_detail(conn: asyncpg.Connection, user: User, case_id: UUID) -> Any:
    readable, params = _readable(user, 2)
    rows = await conn.fetch(SQL_CASE_ROWS.format(readable=readable), case_id, *params)
    if not rows:
        raise HttpError(404, "Not Found")
    return _answer(rows)


def _answer(rows: list[asyncpg.Record]) -> dict[str, Any]:
    """A case's detail from its rows (one per mediator) of SQL_CASE_ROWS or SQL_CASE_FOR_WRITE."""
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
    readable, params = _readable(user, 2)
    rows = await conn.fetch(SQL_CASE_FOR_WRITE.format(readable=readable), case_id, *params)
    if not rows:
        raise HttpError(404, "Not Found")
    case = rows[0]
    mediator_ids = sorted({row["id_4"] for row in rows if row["id_4"] is not None})
    if request.version is not None and request.version != case["version"]:
        raise HttpError(409, "Conflict")
    source = case["status"]
    if "mediator" not in user.roles or user.id not in mediator_ids:
        raise HttpError(403, "Forbidden")
    # The guards of these two transitions read only the request and the case row: no further statement.
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
    row = await conn.fetchrow(
        SQL_TRANSITION_CASE,
        request.to,
        case["outcome"],
        case["closure_reason"],
        case["referral_recipient"],
        case["no_follow_up_reason"],
        case["reopen_count"],
        resume_to,
        resubmission_date,
        case["follow_up_date"],
        case["closed_at"],
        1,
        moment,
        case_id,
        case["version"],
        1,
    )
    if row is None:
        raise HttpError(409, "Conflict")
    version, head_seq, head_hash = row
    # What the transition moves: its cell of `case_count`, its mediators' workload, Meine Fälle's next days.
    cell = case["quartier_id"] or NO_QUARTIER
    await conn.executemany(SQL_CASE_COUNT_ADD, sorted([(cell, source, -1), (cell, request.to, 1)]))
    if change := (request.to in ACTIVE) - (source in ACTIVE):
        await conn.executemany(SQL_MEDIATOR_LOAD_ADD, [(mediator, change) for mediator in mediator_ids])
    await conn.execute(SQL_NEXT_DAYS, "geplant", *sorted(OPEN), case_id)
    seq, prev_hash = (head_seq + 1, head_hash) if head_seq is not None else (1, GENESIS)
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
    changed = {
        "status": request.to,
        "version": version,
        "updated_at": moment,
        "resume_to": resume_to,
        "resubmission_date": resubmission_date,
    }
    return _answer(rows) | changed


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
