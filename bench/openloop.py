"""An open-loop HTTP client (wrk2's idea, in Python): requests leave on a fixed schedule whether or
not earlier ones have answered, and each latency counts from the request's *scheduled* time — so a
server that stalls is charged for the queue it builds (no coordinated omission)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx


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


async def _run(
    base_url: str, path_for: Callable[[int], str], headers: dict[str, str], rate: float, duration: float
) -> OpenLoopResult:
    total = max(1, int(rate * duration))
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:

        async def one(index: int, scheduled: float) -> None:
            nonlocal errors
            try:
                response = await client.get(path_for(index))
                if response.status_code >= 300:
                    errors += 1
            except httpx.HTTPError:
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
