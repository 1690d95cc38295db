"""What every `konfliktmanagement` command needs: the loaded app and one event loop for its database work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio
import click
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar import Litestar

T = TypeVar("T")


def current_app() -> Litestar:
    # Litestar's CLI keeps the loaded app on the click context.
    app: Litestar = click.get_current_context().obj.app
    return app


def run_with_database(work: Callable[[SQLAlchemyAsyncConfig], Awaitable[T]]) -> T:
    """Run a command's database work on an event loop of its own, then close the pool's connections.

    A pooled asyncpg connection belongs to the loop that opened it: closing them before that loop ends
    lets a command finish cleanly instead of leaving the interpreter's exit to drop them."""
    config: SQLAlchemyAsyncConfig = current_app().state["alchemy_config"]

    async def main() -> T:
        try:
            return await work(config)
        finally:
            await config.get_engine().dispose()

    return anyio.run(main)
