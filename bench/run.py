"""Benchmark the case API against a raw-asyncpg baseline running the same SQL.

    uv run python bench/run.py [--cases N] [--duration S] [--connections C]

Creates a PostgreSQL database `km_bench_<random>`, migrates it with the real migrations, seeds N
cases with COPY, starts the real app (`konfliktmanagement serve`) and bench/baseline.py on free
loopback ports, drives both with wrk and prints one table. The servers are stopped and the
database is dropped at the end, also on Ctrl-C and on errors. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from seed import Seeded, create_database, drop_database, migrate, reset_transition_cases, seed, today, with_database
from wrkrun import WrkResult, run_wrk, wrk_binary

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
POOL_SIZE = 10  # the app's default KM_DATABASE_POOL_SIZE; the baseline uses the same


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    mode: str  # see scenario.lua
    role: str  # whose token: "mediator" or "coordinator"
    resets: bool = False  # put the mediator's cases back to in_klaerung before each run


SCENARIOS = (
    Scenario("list (mediator)", "list", "mediator"),
    Scenario("detail (mediator)", "detail", "mediator"),
    Scenario("transition (mediator)", "transition", "mediator", resets=True),
    Scenario("list (coordinator)", "list", "coordinator"),
)
# The HTML pages people work in; no baseline renders HTML, so these are the app's figures alone.
PAGE_SCENARIOS = (
    Scenario("case page (mediator)", "case_page", "mediator"),
    Scenario("Meine Fälle (mediator)", "/cases/mine", "mediator"),
    Scenario("case list page (coordinator)", "/cases", "coordinator"),
    Scenario("dashboard (coordinator)", "/dashboard", "coordinator"),
)


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
        KM_ENVIRONMENT="development",
        KM_LOG_LEVEL="WARNING",
        KM_HOST=LOOPBACK,
        KM_PORT=str(port),
        KM_DATA_DIR=str(workdir / "data"),
        KM_SECRET_KEY="bench-secret-" + "x" * 32,
        KM_ENCRYPTION_KEY="bench-encryption-" + "y" * 32,
        KM_DATABASE_POOL_SIZE=str(POOL_SIZE),
    )
    return env


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def print_table(rows: list[tuple[str, WrkResult, WrkResult]]) -> None:
    header = ("scenario", "app req/s", "app p50", "app p99", "base req/s", "base p50", "base p99", "app/base")
    lines = [header]
    for name, app, base in rows:
        ratio = app.requests_per_second / base.requests_per_second if base.requests_per_second else float("nan")
        unreliable = any(r.failed > 0.05 * max(r.requests, 1) or r.requests < 50 for r in (app, base))
        lines.append(
            (
                name,
                f"{app.requests_per_second:,.1f}",
                _ms(app.p50_ms),
                _ms(app.p99_ms),
                f"{base.requests_per_second:,.1f}",
                _ms(base.p50_ms),
                _ms(base.p99_ms),
                f"{ratio:.2f}" + (" !" if unreliable else ""),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        cells = [line[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(line[1:], widths[1:], strict=True))]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * w for w in widths))
    if any(line[-1].endswith("!") for line in lines[1:]):
        print("! fewer than 50 requests or more than 5 % failed (timeouts, non-2xx): that ratio is not reliable")


def _responses(result: WrkResult) -> str:
    statuses = " ".join(f"{code}={count}" for code, count in sorted(result.statuses.items())) or "-"
    text = f"{result.requests} requests, {statuses}, non-2xx {result.non_2xx}"
    if result.socket_errors:
        text += ", socket errors " + ", ".join(f"{k} {v}" for k, v in result.socket_errors.items())
    if result.first_error:
        text += f"\n      first error: {result.first_error[:200]}"
    return text


def print_responses(rows: list[tuple[str, WrkResult, WrkResult]]) -> None:
    width = max(len(name) for name, _, _ in rows)
    for name, app, base in rows:
        print(f"{name.ljust(width)}  app:      {_responses(app)}")
        print(f"{''.ljust(width)}  baseline: {_responses(base)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed (default 100000)")
    parser.add_argument("--mediators", type=int, default=300, help="mediator accounts, 2 per case (default 300)")
    parser.add_argument("--duration", type=float, default=15, help="seconds per measured wrk run (default 15)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured wrk load before each run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: the 2 cores serve the app)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("KM_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help=f"an existing database to connect to for CREATE/DROP DATABASE (default {DEFAULT_POSTGRES})",
    )
    parser.add_argument(
        "--no-token-check",
        action="store_true",
        help="skip the extra baseline run without the api_token UPDATE (see README, 'Findings')",
    )
    args = parser.parse_args()
    if args.cases < 10 or args.mediators < 2 or args.duration < 1 or args.connections < 1 or args.threads < 1:
        parser.error("need --cases ≥ 10, --mediators ≥ 2, --duration ≥ 1, --connections ≥ 1, --threads ≥ 1")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    if urlsplit(args.postgres_url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("the benchmark database must be on this machine (127.0.0.1)")
    return args


def measure(
    server: Server, scenario: Scenario, seeded: Seeded, database_url: str, ids_file: Path, args: argparse.Namespace
) -> WrkResult:
    token = seeded.mediator_token if scenario.role == "mediator" else seeded.coordinator_token
    options = {
        "url": server.url,
        "mode": scenario.mode,
        "token": token,
        "ids_file": ids_file,
        "resubmission_date": (today() + timedelta(days=30)).isoformat(),
        "connections": args.connections,
        "threads": args.threads,
    }
    if args.warmup > 0:
        if scenario.resets:
            asyncio.run(reset_transition_cases(database_url, seeded.mediator_case_ids))
        run_wrk(duration=args.warmup, **options)
    if scenario.resets:
        asyncio.run(reset_transition_cases(database_url, seeded.mediator_case_ids))
    result = run_wrk(duration=args.duration, **options)
    print(f"  {scenario.name:<24} {server.name:<26} {result.requests_per_second:9,.1f} req/s", flush=True)
    return result


def verify_audit_trail(database_url: str, workdir: Path) -> str:
    command = [str(ROOT / ".venv" / "bin" / "konfliktmanagement"), "audit", "verify"]
    completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        command, env=app_env(database_url, 8000, workdir), cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    lines = (completed.stdout + completed.stderr).strip().splitlines()
    return lines[-1] if lines else f"exit code {completed.returncode}"


def main() -> int:
    args = parse_args()
    wrk_binary()
    signal.signal(signal.SIGTERM, _terminate)
    # Started in the background by a shell, SIGINT may arrive ignored; Ctrl-C must still clean up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    workdir = Path(tempfile.mkdtemp(prefix="km_bench_"))
    database: str | None = None
    servers: list[Server] = []
    try:
        database = asyncio.run(create_database(args.postgres_url))
        database_url = with_database(args.postgres_url, database)
        print(
            f"database {database} (dropped at the end); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        started = time.perf_counter()
        migrate(database_url, workdir / "data")
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        seeded = asyncio.run(seed(database_url, args.cases, args.mediators))
        print(
            f"seeded {seeded.cases:,} cases, {seeded.mediators} mediators, 1 coordinator in {seeded.seconds:.1f} s; "
            f"the benchmark mediator is on {len(seeded.mediator_case_ids)} cases (all in_klaerung)",
            flush=True,
        )
        ids_file = workdir / "mediator_case_ids.txt"
        ids_file.write_text("".join(f"{case_id}\n" for case_id in seeded.mediator_case_ids))

        app_port = free_port()
        servers.append(
            start_server(
                "app",
                [str(ROOT / ".venv" / "bin" / "konfliktmanagement"), "serve"],
                app_env(database_url, app_port, workdir),
                app_port,
                workdir,
            )
        )
        baseline_command = [sys.executable, str(ROOT / "bench" / "baseline.py"), "--database-url", database_url]
        baseline_command += ["--pool-size", str(POOL_SIZE)]
        base_port = free_port()
        servers.append(
            start_server(
                "baseline", [*baseline_command, "--port", str(base_port)], dict(os.environ), base_port, workdir
            )
        )
        if not args.no_token_check:
            port = free_port()
            command = [*baseline_command, "--port", str(port), "--skip-token-update"]
            servers.append(start_server("baseline-no-token-update", command, dict(os.environ), port, workdir))
        for server in servers:
            wait_ready(server)
        app, base = servers[0], servers[1]

        print(
            f"wrk: {args.connections} connections, {args.threads} thread(s), {args.duration:g} s per run "
            f"after {args.warmup:g} s warm-up, on {LOOPBACK}",
            flush=True,
        )
        rows = []
        for scenario in SCENARIOS:
            app_result = measure(app, scenario, seeded, database_url, ids_file, args)
            base_result = measure(base, scenario, seeded, database_url, ids_file, args)
            rows.append((scenario.name, app_result, base_result))
        pages = [(s.name, measure(app, s, seeded, database_url, ids_file, args)) for s in PAGE_SCENARIOS]
        extra = None
        if not args.no_token_check:
            extra = measure(servers[2], SCENARIOS[0], seeded, database_url, ids_file, args)
        load = os.getloadavg()[0]

        for server in servers:
            stop_server(server)
        print()
        print_table(rows)
        print()
        print("responses (non-2xx must stay near 0; 409 = transition collisions):")
        print_responses(rows)
        if extra is not None:
            print()
            print(
                f"baseline without the per-request `UPDATE api_token SET last_used_at` ({SCENARIOS[0].name}): "
                f"{extra.requests_per_second:,.1f} req/s, p50 {_ms(extra.p50_ms)}, p99 {_ms(extra.p99_ms)} "
                f"({_responses(extra)})"
            )
        print()
        print("HTML pages (app only):")
        for name, result in pages:
            print(
                f"  {name:<30} {result.requests_per_second:8,.1f} req/s  p50 {_ms(result.p50_ms)}  "
                f"p99 {_ms(result.p99_ms)}  ({_responses(result)})"
            )
        print()
        print(f"audit trail check: {verify_audit_trail(database_url, workdir)}")
        print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores (other processes skew the figures)")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the cleanup finish
        for server in servers:
            stop_server(server)
        if database is not None:
            asyncio.run(drop_database(args.postgres_url, database))
            print(f"dropped database {database}")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; servers stopped, database dropped", file=sys.stderr)
        sys.exit(130)
