"""The `konfliktmanagement` command, run in the test process.

The commands, their options and output, exit codes and database work are the real ones (registered on a
click group exactly as `server/cli.py` registers them on Litestar's); only the interpreter start and its
imports (4–8 s a call on the 2-core CI machine) are saved. `test_cli.py` still runs the console script
as a real process once."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import anyio
import click
from click.testing import CliRunner

from konfliktmanagement.lib.settings import Settings
from konfliktmanagement.server.app import create_app
from konfliktmanagement.server.cli import CLIPlugin


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def _invoke(settings: Settings, args: list[str], stdin: str) -> CliResult:
    group = click.Group(name="konfliktmanagement")
    CLIPlugin().on_cli_init(group)
    app = create_app(settings)  # what Litestar's CLI does with LITESTAR_APP before it runs a command
    result = CliRunner().invoke(group, args, input=stdin, obj=SimpleNamespace(app=app))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash, not an answer: show its traceback
    return CliResult(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


async def run_cli(settings: Settings, args: list[str], stdin: str = "") -> CliResult:
    # In a thread: each command runs its database work on an event loop of its own (lib/cli.py).
    return await anyio.to_thread.run_sync(_invoke, settings, args, stdin)
