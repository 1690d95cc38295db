"""A seeded benchmark database that stays, for `bench/cpu.py`: create, migrate, seed, write the plan.

`run.py` drops its database at the end; profiling a page at 10^6 cases needs one that stays, as seeding
it takes minutes. This script makes one and writes the plan file `cpu.py --plan` reads; `--drop NAME`
removes it again (only databases named `km_bench_*`).

    python bench/plan.py --cases 100000 --out /tmp/plan-1e5.json
    python bench/cpu.py --plan /tmp/plan-1e5.json -n 100
    python bench/plan.py --drop km_bench_1a2b3c4d
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import create_database, drop_database, migrate, seed, with_database

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed (default 100000)")
    parser.add_argument("--mediators", type=int, default=300, help="mediator accounts (default 300)")
    parser.add_argument("--out", type=Path, help="where to write the plan (JSON)")
    parser.add_argument("--drop", metavar="NAME", help="drop this benchmark database and stop")
    parser.add_argument("--postgres-url", default=os.environ.get("KM_BENCH_POSTGRES_URL", DEFAULT_URL))
    args = parser.parse_args()
    if args.drop:
        asyncio.run(drop_database(args.postgres_url, args.drop))
        print(f"dropped {args.drop}")
        return 0
    if args.out is None:
        parser.error("--out is required unless --drop is given")
    name = asyncio.run(create_database(args.postgres_url))
    url = with_database(args.postgres_url, name)
    with tempfile.TemporaryDirectory() as data_dir:
        migrate(url, Path(data_dir))
    seeded = asyncio.run(seed(url, args.cases, args.mediators))
    plan = {
        "url": url,
        "database": name,
        "password": seeded.password,
        "mediator_email": seeded.mediator_email,
        "coordinator_email": seeded.coordinator_email,
        "mediator_token": seeded.mediator_token,
        "coordinator_token": seeded.coordinator_token,
        "ids": [str(case_id) for case_id in seeded.mediator_case_ids],
    }
    args.out.write_text(json.dumps(plan))
    print(f"{name}: {seeded.cases:,} cases in {seeded.seconds:.0f} s; plan in {args.out}; drop with --drop {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
