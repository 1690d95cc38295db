"""Benchmark the service: the case API next to a raw-asyncpg baseline running the same SQL, the HTML
pages against the baseline of their API counterpart, an open-loop run at half the saturation rate,
and (with --sqlite) the embedded database under eight readers and one writer.

    uv run python bench/run.py [--cases N] [--duration S] [--connections C] [--workers W] [--json]
    uv run python bench/run.py --sqlite [--cases N]

PostgreSQL mode creates a database `km_bench_<random>`, migrates it with the real migrations, seeds N
cases with COPY (10^4 … 10^6), publishes the statistics of last year, starts the real app
(`konfliktmanagement serve`, `--workers W` passed through only when given) and bench/baseline.py on
free loopback ports, and measures, each run after an unmeasured warm-up:

  api_detail, api_list_mediator, api_list_coordinator, transition
      wrk, closed loop, against the app and against the baseline (ratio = app req/s / base req/s)
  page_case, page_mine, page_cases, page_dashboard, statistics_table
      wrk with the cookie of a session signed in through the real /login form; the baseline is the
      raw-asyncpg figure of the API counterpart (detail, list mediator, list coordinator, list
      coordinator; none for the statistics table)
  half_load_detail, half_load_list
      an open-loop client (bench/openloop.py, wrk2's method) at half the saturation rate measured
      above, for app and baseline each; latency counts from each request's scheduled time

Per scenario: req/s, p50/p99, server CPU per request (utime+stime of the server process and its
workers from /proc, over the measured run, divided by the requests wrk counted) and statements per
request (counted in-process afterwards by bench/statements.py with the tests' method: SQLAlchemy's
before_cursor_execute event around each request; pg_stat_statements would need a server restart).
--json prints one JSON object per scenario with scenario, app_rps, base_rps, ratio, app_p50_ms,
app_p99_ms, cpu_ms_per_request, statements_per_request.

--sqlite migrates and seeds a SQLite file instead, starts the app on it and runs eight reader
connections (GET case detail) and one writer (transitions) at the same time; it reports errors and
p99 of each (goal: 0 errors, p99 ≤ 200 ms).

Servers are stopped by their process ids and the database dropped at the end, also on Ctrl-C.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

import httpx
from openloop import OpenLoopResult, run_open_loop
from procstat import cpu_seconds, rss_bytes
from seed import Seeded, create_database, drop_database, migrate, reset_transition_cases, seed, today, with_database
from wrkrun import WrkResult, run_wrk, wrk_binary

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
POOL_SIZE = 10  # the app's default KM_DATABASE_POOL_SIZE; the baseline uses the same
# What the Python open-loop client sends on schedule on a 2-core machine (measured: 300–500 req/s held on an
# EPYC; about 200 on a slower one); half the baseline's saturation is usually more, so the half-load runs
# are capped here. The table says when a schedule slipped (achieved below scheduled).
OPEN_LOOP_MAX_RATE = 300.0


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    mode: str  # see scenario.lua: list, detail, transition, case_page, or a path
    role: str  # whose credentials: "mediator" or "coordinator"
    cookie: bool = False  # a signed-in session (pages) instead of the API token
    baseline: str | None = None  # the API scenario whose baseline figure this one is compared with
    resets: bool = False  # put the mediator's cases back to in_klaerung before each run


API_SCENARIOS = (
    Scenario("api_detail", "detail", "mediator", baseline="api_detail"),
    Scenario("api_list_mediator", "list", "mediator", baseline="api_list_mediator"),
    Scenario("api_list_coordinator", "list", "coordinator", baseline="api_list_coordinator"),
    Scenario("transition", "transition", "mediator", baseline="transition", resets=True),
)
PAGE_SCENARIOS = (
    Scenario("page_case", "case_page", "mediator", cookie=True, baseline="api_detail"),
    Scenario("page_mine", "/cases/mine", "mediator", cookie=True, baseline="api_list_mediator"),
    Scenario("page_cases", "/cases", "coordinator", cookie=True, baseline="api_list_coordinator"),
    Scenario("page_dashboard", "/dashboard", "coordinator", cookie=True, baseline="api_list_coordinator"),
    Scenario("statistics_table", "statistics", "coordinator", cookie=True),
)


@dataclass(slots=True)
class Figures:
    """One scenario's line of the table and of --json."""

    scenario: str
    app_rps: float
    app_p50_ms: float
    app_p99_ms: float
    cpu_ms_per_request: float | None
    base_rps: float | None = None
    base_p50_ms: float | None = None
    base_p99_ms: float | None = None
    base_cpu_ms_per_request: float | None = None
    statements_per_request: float | None = None
    requests: int = 0
    failed: int = 0
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.app_rps / self.base_rps if self.base_rps else None

    def as_json(self) -> dict[str, object]:
        def rounded(value: float | None, digits: int = 2) -> float | None:
            return None if value is None or math.isnan(value) else round(value, digits)

        return {
            "scenario": self.scenario,
            "app_rps": rounded(self.app_rps, 1),
            "base_rps": rounded(self.base_rps, 1),
            "ratio": rounded(self.ratio, 3),
            "app_p50_ms": rounded(self.app_p50_ms),
            "app_p99_ms": rounded(self.app_p99_ms),
            "cpu_ms_per_request": rounded(self.cpu_ms_per_request),
            "statements_per_request": rounded(self.statements_per_request),
            "base_p99_ms": rounded(self.base_p99_ms),
            "base_cpu_ms_per_request": rounded(self.base_cpu_ms_per_request),
            "requests": self.requests,
            "failed": self.failed,
        }


@dataclass(slots=True)
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def start_server(name: str, command: list[str], env: dict[str, str], port: int, workdir: Path) -> Server:
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        # A session of its own: Ctrl-C reaches only this script, which then stops the server itself.
        process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Server(name, process, port, log)


def wait_ready(server: Server, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{server.url}/ready", timeout=2) as response:  # noqa: S310 - loopback http
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    tail = server.log.read_text(errors="replace")[-3000:]
    msg = f"{server.name} did not become ready (exit code {server.process.poll()}):\n{tail}"
    raise RuntimeError(msg)


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)  # by its own pid, never by name
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)


def app_env(database_url: str, port: int, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KM_")}
    env.update(
        KM_DATABASE_URL=database_url,
        # As in production (templates are not checked for changes on each use); production insists on
        # secure cookies, which the benchmark's clients send back over plain HTTP all the same.
        KM_ENVIRONMENT="production",
        KM_COOKIE_SECURE="true",
        KM_LOG_LEVEL="WARNING",
        KM_HOST=LOOPBACK,
        KM_PORT=str(port),
        KM_DATA_DIR=str(workdir / "data"),
        KM_SECRET_KEY="bench-secret-" + "x" * 32,
        KM_ENCRYPTION_KEY="bench-encryption-" + "y" * 32,
        KM_DATABASE_POOL_SIZE=str(POOL_SIZE),
        # The daily retention run starts a minute after the server and, at 10^6 cases, costs the server
        # seconds of CPU: it would land in whichever scenario runs then and inflate its CPU per request.
        KM_RETENTION_INTERVAL_HOURS="0",
    )
    return env


def _ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _num(value: float | None, fmt: str) -> str:
    return "–" if value is None or math.isnan(value) else format(value, fmt)


def print_table(rows: list[Figures]) -> None:
    header = (
        "scenario",
        "app req/s",
        "p50",
        "p99",
        "CPU/req",
        "stmts/req",
        "base req/s",
        "base p99",
        "base CPU/req",
        "app/base",
    )
    lines = [header]
    for row in rows:
        lines.append(
            (
                row.scenario,
                _num(row.app_rps, ",.1f"),
                _ms(row.app_p50_ms),
                _ms(row.app_p99_ms),
                _ms(row.cpu_ms_per_request),
                _num(row.statements_per_request, ".1f"),
                _num(row.base_rps, ",.1f"),
                _ms(row.base_p99_ms),
                _ms(row.base_cpu_ms_per_request),
                _num(row.ratio, ".2f") + (" !" if row.failed > 0.05 * max(row.requests, 1) else ""),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        cells = [line[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(line[1:], widths[1:], strict=True))]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * w for w in widths))
    for row in rows:
        if row.note:
            print(f"  {row.scenario}: {row.note}")


def _responses(result: WrkResult) -> str:
    statuses = " ".join(f"{code}={count}" for code, count in sorted(result.statuses.items())) or "-"
    text = f"{result.requests} requests, {statuses}, non-2xx {result.non_2xx}"
    if result.socket_errors:
        text += ", socket errors " + ", ".join(f"{k} {v}" for k, v in result.socket_errors.items())
    if result.first_error:
        text += f"; first error: {result.first_error[:200]}"
    return text


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed, 10^4 … 10^6 (default 100000)")
    parser.add_argument("--mediators", type=int, default=300, help="mediator accounts, 2 per case (default 300)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per measured run (default 10)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured load before each run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: the 2 cores serve the app)")
    parser.add_argument(
        "--workers", type=int, default=None, help="passed to `konfliktmanagement serve --workers` (only when given)"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON object per scenario")
    parser.add_argument(
        "--sqlite", action="store_true", help="the embedded database: 8 readers and 1 writer at once (see above)"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("KM_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help=f"an existing database to connect to for CREATE/DROP DATABASE (default {DEFAULT_POSTGRES})",
    )
    args = parser.parse_args()
    if args.cases < 10 or args.mediators < 2 or args.duration < 1 or args.connections < 1 or args.threads < 1:
        parser.error("need --cases ≥ 10, --mediators ≥ 2, --duration ≥ 1, --connections ≥ 1, --threads ≥ 1")
    if args.cases > 1_000_000:
        parser.error("--cases goes up to 10^6")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    if urlsplit(args.postgres_url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("the benchmark database must be on this machine (127.0.0.1)")
    return args


@dataclass(slots=True)
class Bench:
    """What every measurement needs: the seeded data, the servers, the sessions."""

    args: argparse.Namespace
    seeded: Seeded
    database_url: str
    ids_file: Path
    cookies: dict[str, str]
    statistics_path: str | None

    def credentials(self, scenario: Scenario) -> dict[str, str | None]:
        if scenario.cookie:
            return {"token": "", "cookie": self.cookies[scenario.role]}
        token = self.seeded.mediator_token if scenario.role == "mediator" else self.seeded.coordinator_token
        return {"token": token, "cookie": None}


def measure(bench: Bench, server: Server, scenario: Scenario) -> tuple[WrkResult, float]:
    """One wrk run after its warm-up; returns wrk's result and the server's CPU ms per request."""
    mode = scenario.mode
    if mode == "statistics":
        if bench.statistics_path is None:
            msg = "no statistics were published"
            raise RuntimeError(msg)
        mode = bench.statistics_path
    options = {
        "url": server.url,
        "mode": mode,
        "ids_file": bench.ids_file,
        "resubmission_date": (today() + timedelta(days=30)).isoformat(),
        "connections": bench.args.connections,
        "threads": bench.args.threads,
        **bench.credentials(scenario),
    }
    if bench.args.warmup > 0:
        if scenario.resets:
            asyncio.run(reset_transition_cases(bench.database_url, bench.seeded.mediator_case_ids))
        run_wrk(duration=bench.args.warmup, **options)  # type: ignore[arg-type]
    if scenario.resets:
        asyncio.run(reset_transition_cases(bench.database_url, bench.seeded.mediator_case_ids))
    cpu_before = cpu_seconds(server.process.pid)
    result = run_wrk(duration=bench.args.duration, **options)  # type: ignore[arg-type]
    cpu = (cpu_seconds(server.process.pid) - cpu_before) * 1000 / max(result.requests, 1)
    print(
        f"  {scenario.name:<22} {server.name:<9} {result.requests_per_second:9,.1f} req/s  "
        f"p99 {_ms(result.p99_ms):>8}  CPU {cpu:6.2f} ms/req  ({_responses(result)})",
        flush=True,
    )
    return result, cpu


def half_load(bench: Bench, server: Server, name: str, mode: str, saturation: float) -> tuple[OpenLoopResult, float]:
    """The open-loop client at half the measured saturation rate (detail rotates over the cases)."""
    ids = bench.seeded.mediator_case_ids

    def path_for(index: int) -> str:
        return f"/api/v1/cases/{ids[index % len(ids)]}" if mode == "detail" else "/api/v1/cases?page_size=25"

    headers = {"Authorization": f"Bearer {bench.seeded.mediator_token}"}
    rate = min(max(saturation / 2, 1.0), OPEN_LOOP_MAX_RATE)
    if bench.args.warmup > 0:  # unmeasured, as before each wrk run: its client opens its connections here
        run_open_loop(server.url, path_for, headers, rate, bench.args.warmup)
    cpu_before = cpu_seconds(server.process.pid)
    result = run_open_loop(server.url, path_for, headers, rate, bench.args.duration)
    cpu = (cpu_seconds(server.process.pid) - cpu_before) * 1000 / max(result.requests, 1)
    print(
        f"  {name:<22} {server.name:<9} {result.achieved_rps:9,.1f} req/s (scheduled {rate:,.1f})  "
        f"p50 {_ms(result.p50_ms)}  p99 {_ms(result.p99_ms)}  errors {result.errors}",
        flush=True,
    )
    return result, cpu


def sign_in(base_url: str, email: str, password: str) -> str:
    """A session through the real login form; returns the Cookie header a browser would send."""
    # The cookies are carried by hand: the app runs as in production, so they are `Secure`, and a cookie
    # jar would not send them back over the benchmark's plain HTTP on loopback.
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/login")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        if token is None:
            msg = "the login page has no CSRF field"
            raise RuntimeError(msg)
        cookies = _set_cookies(page)
        response = client.post(
            "/login",
            data={"email": email, "password": password, "_csrf_token": token.group(1)},
            headers={"cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())},
        )
        if response.status_code != 303:
            msg = f"sign-in as {email} failed: {response.status_code}"
            raise RuntimeError(msg)
        cookies.update(_set_cookies(response))
        return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    pairs = (header.split(";", 1)[0].partition("=") for header in response.headers.get_list("set-cookie"))
    return {name.strip(): value for name, _, value in pairs}


def publish_statistics(database_url: str, workdir: Path) -> str | None:
    """Last year's statistics through the CLI; returns the page of the table with the most cells."""
    period = str(today().year - 1)
    command = [str(ROOT / ".venv" / "bin" / "konfliktmanagement"), "statistics", "publish", "--period", period]
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        command, env=app_env(database_url, 8000, workdir), cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    cells = {code: int(n) for code, n in re.findall(r"^\s+(\S+)\s+(\d+) Zellen$", completed.stdout, re.MULTILINE)}
    if completed.returncode != 0 or not cells:
        print(f"statistics not published: {(completed.stdout + completed.stderr).strip()[-500:]}")
        return None
    largest = max(cells, key=lambda code: cells[code])
    print(
        f"published statistics {period} in {time.perf_counter() - started:.1f} s; "
        f"largest table {largest} ({cells[largest]} cells)",
        flush=True,
    )
    return f"/statistics/{period}/{largest}"


def count_statements(bench: Bench, workdir: Path) -> dict[str, float]:
    """Statements per request of every scenario, in-process (bench/statements.py); servers stopped."""
    seeded, ids = bench.seeded, bench.seeded.mediator_case_ids
    asyncio.run(reset_transition_cases(bench.database_url, ids))
    requests: list[list[object]] = []
    for n in range(6):
        requests.append(["api_detail", "mediator", "GET", f"/api/v1/cases/{ids[n % len(ids)]}", None])
        requests.append(["api_list_mediator", "mediator", "GET", "/api/v1/cases?page_size=25", None])
        requests.append(["api_list_coordinator", "coordinator", "GET", "/api/v1/cases?page_size=25", None])
        requests.append(["page_case", "mediator_cookie", "GET", f"/cases/{ids[n % len(ids)]}", None])
        requests.append(["page_mine", "mediator_cookie", "GET", "/cases/mine", None])
        requests.append(["page_cases", "coordinator_cookie", "GET", "/cases", None])
        requests.append(["page_dashboard", "coordinator_cookie", "GET", "/dashboard", None])
        if bench.statistics_path:
            requests.append(["statistics_table", "coordinator_cookie", "GET", bench.statistics_path, None])
    resubmission = (today() + timedelta(days=30)).isoformat()
    for case_id in ids[:3]:
        path = f"/api/v1/cases/{case_id}/transitions"
        requests.append(
            [
                "transition",
                "mediator",
                "POST",
                path,
                {"to": "ruhend", "reason": "Bench", "resubmission_date": resubmission},
            ]
        )
        requests.append(["transition", "mediator", "POST", path, {"to": "in_klaerung"}])
    plan = {
        "requests": requests,
        "password": seeded.password,
        "mediator_email": seeded.mediator_email,
        "coordinator_email": seeded.coordinator_email,
        "mediator_token": seeded.mediator_token,
        "coordinator_token": seeded.coordinator_token,
    }
    completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, str(ROOT / "bench" / "statements.py")],
        input=json.dumps(plan),
        env=app_env(bench.database_url, 8000, workdir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0:
        print(f"statement count failed: {completed.stderr.strip()[-1500:]}")
        return {}
    counts: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    counts["half_load_detail"] = counts.get("api_detail", float("nan"))
    counts["half_load_list"] = counts.get("api_list_mediator", float("nan"))
    return counts


def verify_audit_trail(database_url: str, workdir: Path) -> str:
    command = [str(ROOT / ".venv" / "bin" / "konfliktmanagement"), "audit", "verify"]
    completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        command, env=app_env(database_url, 8000, workdir), cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    lines = (completed.stdout + completed.stderr).strip().splitlines()
    return lines[-1] if lines else f"exit code {completed.returncode}"


def app_command(args: argparse.Namespace) -> list[str]:
    command = [str(ROOT / ".venv" / "bin" / "konfliktmanagement"), "serve"]
    return [*command, "--workers", str(args.workers)] if args.workers is not None else command


def uptime() -> str:
    completed = subprocess.run(["uptime"], capture_output=True, text=True, check=False)  # noqa: S607
    return completed.stdout.strip()


def run_postgres(args: argparse.Namespace, workdir: Path, servers: list[Server], cleanup: list[str]) -> list[Figures]:
    database = asyncio.run(create_database(args.postgres_url))
    cleanup.append(database)
    database_url = with_database(args.postgres_url, database)
    print(f"database {database} (dropped at the end)")
    started = time.perf_counter()
    migrate(database_url, workdir / "data")
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
    seeded = asyncio.run(seed(database_url, args.cases, args.mediators))
    print(
        f"seeded {seeded.cases:,} cases, {seeded.mediators} mediators, 1 coordinator in {seeded.seconds:.1f} s; "
        f"the benchmark mediator is on {len(seeded.mediator_case_ids)} cases (all in_klaerung)",
        flush=True,
    )
    statistics_path = publish_statistics(database_url, workdir)
    ids_file = workdir / "mediator_case_ids.txt"
    ids_file.write_text("".join(f"{case_id}\n" for case_id in seeded.mediator_case_ids))

    app_port, base_port = free_port(), free_port()
    servers.append(start_server("app", app_command(args), app_env(database_url, app_port, workdir), app_port, workdir))
    baseline_command = [sys.executable, str(ROOT / "bench" / "baseline.py"), "--database-url", database_url]
    baseline_command += ["--pool-size", str(POOL_SIZE), "--port", str(base_port)]
    servers.append(start_server("baseline", baseline_command, dict(os.environ), base_port, workdir))
    for server in servers:
        wait_ready(server)
    app, base = servers
    cookies = {
        "mediator": sign_in(app.url, seeded.mediator_email, seeded.password),
        "coordinator": sign_in(app.url, seeded.coordinator_email, seeded.password),
    }
    bench = Bench(args, seeded, database_url, ids_file, cookies, statistics_path)
    print(
        f"wrk: {args.connections} connections, {args.threads} thread(s), {args.duration:g} s per run "
        f"after {args.warmup:g} s warm-up, on {LOOPBACK}; workers: {args.workers or 'the serve default'}",
        flush=True,
    )
    rows: dict[str, Figures] = {}
    for scenario in API_SCENARIOS:
        app_result, app_cpu = measure(bench, app, scenario)
        base_result, base_cpu = measure(bench, base, scenario)
        rows[scenario.name] = Figures(
            scenario.name,
            app_result.requests_per_second,
            app_result.p50_ms,
            app_result.p99_ms,
            app_cpu,
            base_rps=base_result.requests_per_second,
            base_p50_ms=base_result.p50_ms,
            base_p99_ms=base_result.p99_ms,
            base_cpu_ms_per_request=base_cpu,
            requests=app_result.requests,
            failed=app_result.failed,
        )
    for scenario in PAGE_SCENARIOS:
        if scenario.mode == "statistics" and statistics_path is None:
            continue
        result, cpu = measure(bench, app, scenario)
        counterpart = rows.get(scenario.baseline) if scenario.baseline else None
        rows[scenario.name] = Figures(
            scenario.name,
            result.requests_per_second,
            result.p50_ms,
            result.p99_ms,
            cpu,
            base_rps=counterpart.base_rps if counterpart else None,
            base_p50_ms=counterpart.base_p50_ms if counterpart else None,
            base_p99_ms=counterpart.base_p99_ms if counterpart else None,
            base_cpu_ms_per_request=counterpart.base_cpu_ms_per_request if counterpart else None,
            requests=result.requests,
            failed=result.failed,
            note=(
                f"CPU/req {cpu / counterpart.cpu_ms_per_request:.1f}× its API counterpart ({scenario.baseline})"
                if counterpart and counterpart.cpu_ms_per_request
                else ""
            ),
        )
    for name, mode, saturated in (
        ("half_load_detail", "detail", rows["api_detail"]),
        ("half_load_list", "list", rows["api_list_mediator"]),
    ):
        app_result, app_cpu = half_load(bench, app, name, mode, saturated.app_rps)
        base_result, base_cpu = half_load(bench, base, name, mode, saturated.base_rps or 0)
        rows[name] = Figures(
            name,
            app_result.achieved_rps,
            app_result.p50_ms,
            app_result.p99_ms,
            app_cpu,
            base_rps=base_result.achieved_rps,
            base_p50_ms=base_result.p50_ms,
            base_p99_ms=base_result.p99_ms,
            base_cpu_ms_per_request=base_cpu,
            requests=app_result.requests,
            failed=app_result.errors,
            note=f"open loop at {app_result.rate:,.1f} req/s (app) and {base_result.rate:,.1f} req/s (baseline)"
            + "".join(
                f"; the client could not keep the {who}'s schedule ({r.achieved_rps:,.0f} of {r.rate:,.0f} req/s): "
                f"its latencies include the client's own queue"
                for who, r in (("app", app_result), ("baseline", base_result))
                if r.achieved_rps < 0.9 * r.rate
            ),
        )
    print(f"RSS of the app after the run: {rss_mb(app.process.pid):.0f} MB (all its processes)")
    for server in servers:
        stop_server(server)
    counts = count_statements(bench, workdir)
    for name, figures in rows.items():
        figures.statements_per_request = counts.get(name)
    print(f"audit trail check: {verify_audit_trail(database_url, workdir)}")
    return list(rows.values())


def rss_mb(root: int) -> float:
    return rss_bytes(root) / 2**20


def run_sqlite(args: argparse.Namespace, workdir: Path, servers: list[Server]) -> list[Figures]:
    from seed import seed_sqlite

    database_url = f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    migrate(database_url, workdir / "data")
    seeded = asyncio.run(seed_sqlite(database_url, args.cases, args.mediators))
    print(f"seeded SQLite with {seeded.cases:,} cases in {seeded.seconds:.1f} s", flush=True)
    ids_file = workdir / "mediator_case_ids.txt"
    ids_file.write_text("".join(f"{case_id}\n" for case_id in seeded.mediator_case_ids))
    port = free_port()
    servers.append(start_server("app", app_command(args), app_env(database_url, port, workdir), port, workdir))
    wait_ready(servers[0])
    app = servers[0]
    readers = Scenario("sqlite_readers", "detail", "mediator")
    writer = Scenario("sqlite_writer", "transition", "mediator")
    resubmission = (today() + timedelta(days=30)).isoformat()

    def run(scenario: Scenario, connections: int) -> WrkResult:
        return run_wrk(
            url=app.url,
            mode=scenario.mode,
            token=seeded.mediator_token,
            ids_file=ids_file,
            resubmission_date=resubmission,
            duration=args.duration,
            connections=connections,
            threads=1,
        )

    print("SQLite: 8 reader connections (case detail) and 1 writer (transitions) at the same time", flush=True)
    cpu_before = cpu_seconds(app.process.pid)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reading = pool.submit(run, readers, 8)
        writing = pool.submit(run, writer, 1)
        read_result, write_result = reading.result(), writing.result()
    cpu = (cpu_seconds(app.process.pid) - cpu_before) * 1000 / max(read_result.requests + write_result.requests, 1)
    rows = []
    for scenario, result in ((readers, read_result), (writer, write_result)):
        print(f"  {scenario.name}: {_responses(result)}")
        rows.append(
            Figures(
                scenario.name,
                result.requests_per_second,
                result.p50_ms,
                result.p99_ms,
                cpu,
                requests=result.requests,
                failed=result.failed,
                note=(
                    f"{result.failed} errors (goal 0), p99 {_ms(result.p99_ms)} (goal ≤ 200 ms); "
                    "CPU is per request of readers and writer together"
                ),
            )
        )
    return rows


def main() -> int:
    args = parse_args()
    wrk_binary()
    signal.signal(signal.SIGTERM, _terminate)
    # Started in the background by a shell, SIGINT may arrive ignored; Ctrl-C must still clean up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    workdir = Path(tempfile.mkdtemp(prefix="km_bench_"))
    databases: list[str] = []
    servers: list[Server] = []
    try:
        print(f"uptime before: {uptime()} ({os.cpu_count()} cores)", flush=True)
        rows = run_sqlite(args, workdir, servers) if args.sqlite else run_postgres(args, workdir, servers, databases)
        for server in servers:
            stop_server(server)
        print()
        print_table(rows)
        print(f"uptime after: {uptime()} (a load above the core count skews the figures)")
        if args.json:
            print()
            for row in rows:
                print(json.dumps(row.as_json()))
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the cleanup finish
        for server in servers:
            stop_server(server)
        for database in databases:
            asyncio.run(drop_database(args.postgres_url, database))
            print(f"dropped database {database}")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; servers stopped, database dropped", file=sys.stderr)
        sys.exit(130)
