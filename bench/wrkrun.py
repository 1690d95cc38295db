"""Running wrk with bench/scenario.lua and reading its report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "scenario.lua"
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_STATUS = re.compile(r"^STATUS ?(.*)$", re.MULTILINE)
_FIRST_ERROR = re.compile(r"^FIRST_ERROR (.*)$", re.MULTILINE)


@dataclass(slots=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    first_error: str | None = None

    @property
    def failed(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if path is None:
        msg = "wrk is not installed (Debian: apt-get install -y wrk)"
        raise SystemExit(msg)
    return path


def parse(output: str) -> WrkResult:
    latencies = {int(p): float(v) * _UNITS_MS[u] for p, v, u in _LATENCY.findall(output)}
    rps, total = _RPS.search(output), _TOTAL.search(output)
    if rps is None or total is None or set(latencies) != {50, 99}:
        msg = f"could not read wrk's report:\n{output}"
        raise RuntimeError(msg)
    result = WrkResult(
        requests_per_second=float(rps.group(1)),
        p50_ms=latencies[50],
        p99_ms=latencies[99],
        requests=int(total.group(1)),
    )
    if non_2xx := _NON_2XX.search(output):
        result.non_2xx = int(non_2xx.group(1))
    if socket := _SOCKET.search(output):
        names = ("connect", "read", "write", "timeout")
        result.socket_errors = {n: int(v) for n, v in zip(names, socket.groups(), strict=True) if int(v)}
    if statuses := _STATUS.search(output):
        for part in statuses.group(1).split():
            code, _, count = part.partition("=")
            result.statuses[int(code)] = int(count)
    if first_error := _FIRST_ERROR.search(output):
        result.first_error = first_error.group(1)
    return result


def run_wrk(
    *,
    url: str,
    mode: str,
    token: str,
    ids_file: Path,
    resubmission_date: str,
    duration: float,
    connections: int,
    threads: int,
    cookie: str | None = None,
) -> WrkResult:
    """One bounded wrk run on loopback; raises if wrk fails or overruns its duration by far."""
    if not url.startswith("http://127.0.0.1:"):
        msg = f"benchmark traffic stays on 127.0.0.1, not {url}"
        raise ValueError(msg)
    command = [
        wrk_binary(),
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        "--timeout=10s",
        "--latency",
        f"--script={SCRIPT}",
        url,
        "--",
        mode,
        str(ids_file),
        str(threads),
        resubmission_date,
    ]
    # The token goes through the environment, not the command line (which `ps` shows to everyone).
    env = os.environ | ({"KM_BENCH_COOKIE": cookie} if cookie else {"KM_BENCH_TOKEN": token})
    completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        command, env=env, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    if completed.returncode != 0:
        msg = f"wrk failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
        raise RuntimeError(msg)
    return parse(completed.stdout)
