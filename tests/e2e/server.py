"""The real app served by uvicorn on a free port of 127.0.0.1, in a background thread of the test process."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import uvicorn
from litestar import Litestar

from konfliktmanagement.lib.settings import Settings
from konfliktmanagement.server.app import create_app
from tests import databases

T = TypeVar("T")
START_TIMEOUT_SECONDS = 30


class LiveServer:
    """One app instance with its own event loop; test set-up runs coroutines on that loop (`run`).

    Running set-up on the server's loop means one engine and one connection pool for the app and the
    tests: aiosqlite and asyncpg connections belong to the loop that opened them.
    """

    def __init__(self, settings: Settings) -> None:
        self.app: Litestar = create_app(settings)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Binding port 0 and handing the socket to uvicorn avoids the race of "find a free port, then bind".
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._server = uvicorn.Server(
            uvicorn.Config(self.app, lifespan="on", log_config=None, access_log=False, timeout_graceful_shutdown=5)
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="e2e-live-server", daemon=True)
        self._error: BaseException | None = None

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._server.serve(sockets=[self._socket]))
        except BaseException as exc:  # reported by start() or stop(), not lost in the thread
            self._error = exc

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                msg = f"the app did not start at {self.url}: {self._error!r}"
                raise RuntimeError(msg)
            time.sleep(0.02)
        return self

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run set-up code (services, fixtures) on the app's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=120)

    def empty_database(self) -> None:
        self.run(databases.empty_all_tables(self.app.state["alchemy_config"].get_engine()))

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._loop.close()
        self._socket.close()
        if self._error is not None:
            raise RuntimeError("the live server stopped with an error") from self._error
