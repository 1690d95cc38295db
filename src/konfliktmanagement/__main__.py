"""The `konfliktmanagement` command: Litestar's CLI (incl. `database upgrade`) plus our commands."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("LITESTAR_APP", "konfliktmanagement.server.app:create_app")
    from litestar.cli.main import litestar_group

    sys.exit(litestar_group())


if __name__ == "__main__":
    main()
