"""An open-loop HTTP client (wrk2's idea, in Python): requests leave on a fixed schedule whether or
not earlier ones have answered, and each latency counts from the request's *scheduled* time — so a
server that stalls is charged for the queue it builds (no coordinated omission)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class OpenLoopResult:
    rate: float  # the scheduled rate, requests per second
    requests: int
    errors: int  # non-2xx answers and transport errors
    achieved_rps: float
    p50_ms: float
    p99_ms: float


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# A connection idle this long is not reused: uvicorn closes keep-alive connections after 5 s, and a
# request sent as it does so would count as an error of the server's.
IDLE_SECONDS = 2.0


class _Http11:
    """Keep-alive HTTP/1.1 GETs on raw asyncio streams: a fraction of httpx's CPU per request. The client
    shares the 2 cores with the server and the database; with httpx it could not keep 200 req/s on a slow
    machine, and its latencies then measured its own queue."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        host_port = base_url.removeprefix("http://").rstrip("/")
        self._host, port = host_port.rsplit(":", 1)
        self._port = int(port)
        self._head = "".join(f"{name}: {value}\r\n" for name, value in {"host": host_port, **headers}.items())
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []  # and when last used

    async def get(self, path: str) -> int:
        """The answer's status; the connection goes back to the pool unless the server closes it."""
        while self._idle:
            reader, writer, used = self._idle.pop()
            if time.monotonic() - used < IDLE_SECONDS:
                break
            writer.close()
        else:
            reader, writer = await asyncio.open_connection(self._host, self._port)
        try:
            writer.write(f"GET {path} HTTP/1.1\r\n{self._head}\r\n".encode("latin-1"))
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower().split("\r\n")
            status = int(head[0].split(" ", 2)[1])
            fields = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
            if fields.get("transfer-encoding") == "chunked":
                while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
                    await reader.readexactly(size + 2)
                await reader.readuntil(b"\r\n")
            else:
                await reader.readexactly(int(fields.get("content-length", "0")))
        except BaseException:
            writer.close()
            raise
        if fields.get("connection") == "close":
            writer.close()
        else:
            self._idle.append((reader, writer, time.monotonic()))
        return status

    def close(self) -> None:
        for _, writer, _ in self._idle:
            writer.close()


async def _run(
    base_url: str, path_for: Callable[[int], str], headers: dict[str, str], rate: float, duration: float
) -> OpenLoopResult:
    total = max(1, int(rate * duration))
    latencies: list[float] = []
    errors = 0
    client = _Http11(base_url, headers)

    async def one(index: int, scheduled: float) -> None:
        nonlocal errors
        try:
            if await asyncio.wait_for(client.get(path_for(index)), timeout=30) >= 300:
                errors += 1
        except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError):
            errors += 1
        latencies.append(time.perf_counter() - scheduled)

    start = time.perf_counter() + 0.05
    tasks = []
    for index in range(total):
        scheduled = start + index / rate
        if (delay := scheduled - time.perf_counter()) > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    client.close()
    return OpenLoopResult(
        rate=rate,
        requests=total,
        errors=errors,
        achieved_rps=total / elapsed,
        p50_ms=_percentile(latencies, 0.50) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
    )


def run_open_loop(
    base_url: str, path_for: Callable[[int], str], headers: dict[str, str], rate: float, duration: float
) -> OpenLoopResult:
    if not base_url.startswith("http://127.0.0.1:"):
        msg = f"benchmark traffic stays on 127.0.0.1, not {base_url}"
        raise ValueError(msg)
    return asyncio.run(_run(base_url, path_for, headers, rate, duration))
