"""The Cell Key Method (DESIGN.md §7), as the statistical offices apply it (Zensus 2022, ABS/ONS).

Pure functions, named as in the method's descriptions so they can be checked against the
reference: `cell_key(record_keys)`, `perturb(n, ck_int, ptable)`, `load_ptable(path)`.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

KEY_SPACE = 2**32
DEFAULT_PTABLE = Path(__file__).parent / "data" / "ptable_D5_V3_js2_pstay05.csv"


@dataclass(frozen=True, slots=True)
class PTableRow:
    i: int  # the block: the original count, with every count >= `max_block` sharing the last block
    j: int  # the published count for a count of exactly i
    p: float
    v: int  # the deviation added to the original count
    p_int_lb: float
    p_int_ub: float


@dataclass(frozen=True, slots=True)
class PTable:
    blocks: dict[int, tuple[PTableRow, ...]]
    sha256: str  # recorded with every publication: a different table is a different series

    @property
    def max_block(self) -> int:
        return max(self.blocks)


def load_ptable(path: Path | str = DEFAULT_PTABLE) -> PTable:
    raw = Path(path).read_bytes()
    rows: dict[int, list[PTableRow]] = {}
    for record in csv.DictReader(raw.decode("utf-8").splitlines()):
        row = PTableRow(
            i=int(record["i"]),
            j=int(record["j"]),
            p=float(record["p"]),
            v=int(record["v"]),
            p_int_lb=float(record["p_int_lb"]),
            p_int_ub=float(record["p_int_ub"]),
        )
        rows.setdefault(row.i, []).append(row)
    blocks = {i: tuple(sorted(block, key=lambda r: r.j)) for i, block in rows.items()}
    return PTable(blocks=blocks, sha256=hashlib.sha256(raw).hexdigest())


def cell_key(record_keys: Iterable[int]) -> int:
    """The cell's key: the sum of its records' keys modulo 2^32 (the same records give the same key)."""
    return sum(record_keys) % KEY_SPACE


def perturb(n: int, ck_int: int, ptable: PTable) -> int:
    """The published value of a count `n` whose cell key is `ck_int`."""
    if n < 0:
        msg = "a count cannot be negative"
        raise ValueError(msg)
    if not 0 <= ck_int < KEY_SPACE:
        msg = "a cell key lies in [0, 2^32)"
        raise ValueError(msg)
    if n == 0:
        return 0
    ck = ck_int / KEY_SPACE
    for row in ptable.blocks[min(n, ptable.max_block)]:
        if ck < row.p_int_ub:
            return n + row.v
    msg = "the p-table's intervals do not cover [0, 1)"
    raise ValueError(msg)
