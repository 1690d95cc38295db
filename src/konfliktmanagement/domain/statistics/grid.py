"""From counted cells to published ones: the full grid, the perturbation and the publication rules.

Every combination of dimension values appears, margins included; a cell no record falls into is 0.
The rules of DESIGN.md §7 work on the perturbed values n' only:
- sensitive tables (a breakdown by status or outcome below city level) show 0 < n' < 5 as "<5";
- a cell along the status/outcome dimension is shown only when its parent (the same cell with
  that dimension's margin) has n' >= 10, otherwise it is suppressed (".");
- medians and means would need n' >= 15; the catalogue publishes none.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.ckm import PTable, perturb
from konfliktmanagement.domain.statistics.counting import RawCounts

SMALL = 5  # in sensitive tables, 0 < n' < SMALL is shown as "<5"
PARENT_MINIMUM = 10  # a breakdown by status/outcome only under a parent with at least this n'
SUPPRESSED = "."
BELOW_FIVE = "<5"

STATE_PUBLISHED = "veroeffentlicht"
STATE_BELOW_FIVE = "kleiner_5"
STATE_SUPPRESSED = "gesperrt"

CodeList = Sequence[tuple[str, str]]  # (code, label) in display order


@dataclass(frozen=True, slots=True)
class PublishedValue:
    """A cell as it may be stored and shown: no original count, no key."""

    values: tuple[str, ...]
    labels: tuple[str, ...]
    value: int | None  # n', or None when withheld
    display: str
    state: str


def _grid(spec: c.TableSpec, code_lists: Mapping[str, CodeList], counts: RawCounts) -> list[tuple[str, ...]]:
    codes = [d.code for d in spec.dimensions]
    lists: dict[str, list[str]] = {d: [code for code, _ in code_lists[d]] for d in codes}
    for key in counts:  # a value missing from the code list still gets its row, never dropped
        for d, value in zip(codes, key, strict=True):
            if value != c.TOTAL and value not in lists[d]:
                lists[d].append(value)
    grid: list[tuple[str, ...]] = []
    for grouping in spec.grouping_sets:
        axes = [lists[d] if d in grouping else [c.TOTAL] for d in codes]
        grid.extend(itertools.product(*axes))
    return grid


def _rule(
    spec: c.TableSpec, key: tuple[str, ...], perturbed: Mapping[tuple[str, ...], int]
) -> tuple[int | None, str, str]:
    n_published = perturbed[key]
    for index, dimension in enumerate(spec.dimensions):
        if dimension.breakdown and key[index] != c.TOTAL:
            parent = (*key[:index], c.TOTAL, *key[index + 1 :])
            if perturbed[parent] < PARENT_MINIMUM:
                return None, SUPPRESSED, STATE_SUPPRESSED
    if spec.sensitive and 0 < n_published < SMALL:
        return None, BELOW_FIVE, STATE_BELOW_FIVE
    return n_published, str(n_published), STATE_PUBLISHED


def publish_cells(
    spec: c.TableSpec, code_lists: Mapping[str, CodeList], counts: RawCounts, ptable: PTable
) -> list[PublishedValue]:
    grid = _grid(spec, code_lists, counts)
    perturbed = {key: perturb(*counts.get(key, (0, 0)), ptable) for key in grid}
    labels = {d.code: dict(code_lists[d.code]) for d in spec.dimensions}
    cells = []
    for key in grid:
        value, display, state = _rule(spec, key, perturbed)
        names = tuple(
            "Insgesamt" if v == c.TOTAL else labels[d.code].get(v, v) for d, v in zip(spec.dimensions, key, strict=True)
        )
        cells.append(PublishedValue(values=key, labels=names, value=value, display=display, state=state))
    return cells
