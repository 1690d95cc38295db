"""CPU per request in-process: a profiling aid next to `run.py`, for a machine shared with others.

The real app (`create_app`) is driven through a bare ASGI call (no HTTP client, no sockets), N times
per scenario, one request at a time; `time.process_time()` around the loop is the app's CPU (plus a
few microseconds of the driver), so the figure holds on a busy machine where req/s does not.
At the end it prints the process's RSS: the app runs in this one process, as one worker would.
`--cprofile DIR` writes one pstats file per scenario for `python -m pstats` or snakeviz.
`--baseline` also drives bench/baseline.py's ASGI app in this process with the same requests of the
API scenarios and prints the CPU ratio baseline/app: load inflates both sides alike, so the ratio holds
on a busy machine better than the req/s of two servers.

    python bench/cpu.py --plan plan.json -n 300 [--scenario api_detail …] [--cprofile /tmp/prof] [--baseline]

The plan (JSON) is what `bench/seed.py`'s `Seeded` holds: database "url", "password",
"mediator_email", "coordinator_email", "mediator_token", "coordinator_token", "ids" (the benchmark
mediator's case ids, all `in_klaerung`).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import re
import time
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path

from procstat import rss_bytes
from typing import Any
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')
# The scenarios bench/baseline.py answers too (the pages' counterparts are these).
BASELINE_SCENARIOS = ("api_detail", "api_list_mediator", "api_list_coordinator", "transition")
SCENARIOS = (
    "api_detail",
    "api_list_mediator",
    "api_list_coordinator",
    "transition",
    "page_case",
    "page_mine",
    "page_cases",
    "page_dashboard",
)


class Driver:
    """One ASGI request at a time against the app, headers and cookies as a client would send them."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        raw_path, _, query = path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": raw_path,
            "raw_path": raw_path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [
                (k.lower().encode(), v.encode())
                for k, v in {
                    "host": "127.0.0.1",
                    **headers,
                    **({"content-length": str(len(body))} if body else {}),
                }.items()
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        sent = False
        status = 0
        answer: dict[str, str] = {}
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for key, value in message.get("headers", []):
                    name = key.decode().lower()
                    answer[name] = answer[name] + "; " + value.decode() if name in answer else value.decode()
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, answer, b"".join(chunks)

    async def sign_in(self, email: str, password: str) -> str:
        _, headers, page = await self.request("GET", "/login", {})
        token = CSRF_INPUT.search(page.decode())
        if token is None:
            raise RuntimeError("the login page has no CSRF field")
        cookie = _cookies(headers)
        form = urlencode({"email": email, "password": password, "_csrf_token": token.group(1)}).encode()
        status, answer, _ = await self.request(
            "POST", "/login", {"cookie": cookie, "content-type": "application/x-www-form-urlencoded"}, form
        )
        if status != 303:
            raise RuntimeError(f"sign-in failed: {status}")
        return _cookies(answer) or cookie


def _cookies(headers: dict[str, str]) -> str:
    found = re.findall(r"(?:^|; |, )([A-Za-z_][\w-]*)=([^;,]*)", headers.get("set-cookie", ""))
    return "; ".join(f"{k}={v}" for k, v in found if k.lower() not in {"path", "max-age", "expires", "samesite"})


def _requests(
    plan: dict[str, Any], scenario: str, n: int, cookies: dict[str, str]
) -> list[tuple[str, str, dict[str, str], bytes]]:
    from konfliktmanagement.lib.clock import today

    med = {"authorization": f"Bearer {plan['mediator_token']}"}
    coord = {"authorization": f"Bearer {plan['coordinator_token']}"}
    ids: list[str] = plan["ids"]
    if scenario == "api_detail":
        return [("GET", f"/api/v1/cases/{ids[i % len(ids)]}", med, b"") for i in range(n)]
    if scenario == "api_list_mediator":
        return [("GET", "/api/v1/cases?page_size=25", med, b"")] * n
    if scenario == "api_list_coordinator":
        return [("GET", "/api/v1/cases?page_size=25", coord, b"")] * n
    if scenario == "page_case":
        return [("GET", f"/cases/{ids[i % len(ids)]}", {"cookie": cookies["mediator"]}, b"") for i in range(n)]
    if scenario == "page_mine":
        return [("GET", "/cases/mine", {"cookie": cookies["mediator"]}, b"")] * n
    if scenario == "page_cases":
        return [("GET", "/cases", {"cookie": cookies["coordinator"]}, b"")] * n
    if scenario == "page_dashboard":
        return [("GET", "/dashboard", {"cookie": cookies["coordinator"]}, b"")] * n
    if scenario == "transition":
        resubmission = (today() + timedelta(days=30)).isoformat()
        away = json.dumps({"to": "ruhend", "reason": "Benchmark", "resubmission_date": resubmission}).encode()
        back = b'{"to":"in_klaerung"}'
        headers = {**med, "content-type": "application/json"}
        out = []
        for i in range(n):  # each case away and back: the pairs keep the cases in_klaerung
            case_id = ids[(i // 2) % len(ids)]
            out.append(("POST", f"/api/v1/cases/{case_id}/transitions", headers, away if i % 2 == 0 else back))
        return out
    raise ValueError(scenario)


async def _measure(driver: Driver, label: str, requests: list[Any], args: argparse.Namespace) -> float:
    """Warm up, then CPU per measured request (ms); one line of figures, and a pstats file with --cprofile."""
    for method, path, headers, body in requests[: args.warmup]:
        status, _, text = await driver.request(method, path, headers, body)
        if status >= 300:
            raise RuntimeError(f"{label}: {status} {text[:300]!r}")
    measured = requests[args.warmup :]
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None  # CPU, not wall: the machine is shared
    size = 0
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for method, path, headers, body in measured:
        status, _, text = await driver.request(method, path, headers, body)
        size += len(text)
        if status >= 300:
            raise RuntimeError(f"{label}: {status} {text[:300]!r}")
    if profiler:
        profiler.disable()
        Path(args.cprofile).mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(Path(args.cprofile) / f"{label.strip().replace(' ', '_')}.pstats"))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(measured)
    print(
        f"{label:22} cpu {1000 * cpu / n:7.2f} ms/req  wall {1000 * wall / n:7.2f} ms/req  "
        f"{size / n / 1024:7.1f} KiB/resp",
        flush=True,
    )
    return cpu / n


def _baseline(plan: dict[str, Any]) -> Any:
    """bench/baseline.py's ASGI app in this process, on the plan's database, as run.py starts it."""
    from asgi_lifespan import LifespanManager
    from baseline import Baseline

    return LifespanManager(Baseline(plan["url"].replace("postgresql+asyncpg://", "postgresql://"), 10))


async def main(args: argparse.Namespace) -> None:
    from asgi_lifespan import LifespanManager

    from konfliktmanagement.lib.settings import Settings
    from konfliktmanagement.server.app import create_app

    plan = json.loads(Path(args.plan).read_text())
    app = create_app(Settings())
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(LifespanManager(app))  # type: ignore[arg-type]
        driver = Driver(app)
        cookies = {
            "mediator": await driver.sign_in(plan["mediator_email"], plan["password"]),
            "coordinator": await driver.sign_in(plan["coordinator_email"], plan["password"]),
        }
        if args.statements:
            await _time_statements(app, driver, plan, args, cookies)
            return
        baseline = Driver((await stack.enter_async_context(_baseline(plan))).app) if args.baseline else None
        for scenario in args.scenario or SCENARIOS:
            n = args.n if scenario != "transition" else args.n - args.n % 2
            requests = _requests(plan, scenario, n + args.warmup, cookies)
            cpu = await _measure(driver, scenario, requests, args)
            if baseline is not None and scenario in BASELINE_SCENARIOS:
                base_cpu = await _measure(baseline, f"  baseline ({scenario})", requests, args)
                print(f"  CPU ratio baseline/app {base_cpu / cpu:.2f}", flush=True)
        # The memory figure is per worker after the whole bench; in-process, this one process is it.
        print(f"RSS after the scenarios: {rss_bytes(os.getpid()) / 2**20:.0f} MB", flush=True)


async def _time_statements(
    app: Any, driver: Driver, plan: dict[str, Any], args: argparse.Namespace, cookies: dict[str, str]
) -> None:
    """One request per scenario (after a warm-up one) with each statement's time, slowest first."""
    from sqlalchemy import event

    engine = app.state["alchemy_config"].get_engine().sync_engine
    timings: list[tuple[float, str, Any]] = []
    started: list[float] = []

    def before(_c: object, _cur: object, statement: str, parameters: Any, *_: object) -> None:
        started.append(time.perf_counter())

    def after(_c: object, _cur: object, statement: str, parameters: Any, *_: object) -> None:
        timings.append((time.perf_counter() - started.pop(), statement, parameters))

    for scenario in args.scenario or SCENARIOS:
        pair = _requests(plan, scenario, 2, cookies)  # a transition's pair leaves the case as it was
        for method, path, headers, body in pair:
            await driver.request(method, path, headers, body)
        method, path, headers, body = pair[0]
        timings.clear()
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        wall = time.perf_counter()
        await driver.request(method, path, headers, body)
        wall = time.perf_counter() - wall
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        await driver.request(*pair[1])
        print(
            f"== {scenario}: {len(timings)} statements, {1000 * sum(t for t, *_ in timings):.1f} ms of {1000 * wall:.1f} ms"
        )
        if args.dump:
            dumped = [{"ms": 1000 * t, "sql": st, "params": [str(p) for p in pa]} for t, st, pa in timings]
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            (Path(args.dump) / f"{scenario}.json").write_text(json.dumps(dumped, indent=1))
        for seconds, statement, parameters in sorted(timings, key=lambda t: -t[0]):
            print(f"{1000 * seconds:8.1f} ms  {' '.join(statement.split())[: args.width]}  {str(parameters)[:200]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", required=True, help="JSON: url, password, emails, tokens, ids")
    parser.add_argument("-n", type=int, default=200, help="measured requests per scenario")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS, help="repeatable; default all")
    parser.add_argument("--cprofile", help="directory for one .pstats file per scenario")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also drive bench/baseline.py in-process for the API scenarios and print the CPU ratio",
    )
    parser.add_argument("--statements", action="store_true", help="time each statement of one request instead")
    parser.add_argument("--width", type=int, default=160, help="characters of SQL shown with --statements")
    parser.add_argument("--dump", help="with --statements: a directory for each scenario's statements as JSON")
    arguments = parser.parse_args()
    url = json.loads(Path(arguments.plan).read_text())["url"]
    os.environ.update(
        KM_DATABASE_URL=url,
        # As in production, like run.py (templates are not checked for changes on each use).
        KM_ENVIRONMENT="production",
        KM_COOKIE_SECURE="true",
        KM_LOG_LEVEL="WARNING",
        KM_SECRET_KEY="bench-secret-" + "x" * 32,
        KM_ENCRYPTION_KEY="bench-encryption-" + "y" * 32,
        KM_DATA_DIR=os.environ.get("KM_DATA_DIR", "/tmp/km-profile-data"),  # noqa: S108
        # No background jobs: at 10^6 cases the retention run alone costs seconds of this process's CPU.
        KM_RETENTION_INTERVAL_HOURS="0",
        KM_OUTBOX_INTERVAL_SECONDS="0",
    )
    asyncio.run(main(arguments))
