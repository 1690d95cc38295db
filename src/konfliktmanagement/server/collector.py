"""Keep the garbage collector's full passes short while the app serves.

A worker holds about 300,000 objects that live as long as the process: modules, classes, functions,
mappers, the app's routes. CPython's full (generation 2) collection walks all of them; measured
in-process at 10^5 cases (bench/cpu.py with gc callbacks), each pass stopped the event loop for
150–290 ms, once every few thousand requests, and every request waiting at that moment took that
long: the service's p99. `gc.freeze()` once the app has started moves what is alive then into the permanent
generation, which the collector no longer walks; a full pass then covers only what came later (the same
measurement: 8 ms instead of 170).

Reference counting still frees frozen objects that are dropped; only cycles among them would wait until
`gc.unfreeze()`, which shutdown calls (tests start and stop many apps in one process).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar


@asynccontextmanager
async def frozen_startup_objects(app: Litestar) -> AsyncIterator[None]:  # a lifespan hook's signature
    # No collection first: a full one costs as much as the pauses avoided, on every start (tests start
    # many apps); the start-up's few thousand objects of garbage are freed at shutdown instead.
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
