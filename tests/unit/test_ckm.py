"""The Cell Key Method: the shipped p-table's properties and the perturbation's guarantees."""

from __future__ import annotations

import hashlib
import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from konfliktmanagement.domain.statistics.ckm import DEFAULT_PTABLE, KEY_SPACE, cell_key, load_ptable, perturb

PTABLE = load_ptable()
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / DEFAULT_PTABLE.name
keys = st.integers(min_value=0, max_value=KEY_SPACE - 1)


def test_the_packaged_table_is_the_shared_one_unchanged() -> None:
    assert PTABLE.sha256 == hashlib.sha256(DEFAULT_PTABLE.read_bytes()).hexdigest()
    if SHARED.exists():
        assert SHARED.read_bytes() == DEFAULT_PTABLE.read_bytes()


@pytest.mark.parametrize("block", sorted(i for i in PTABLE.blocks if i >= 1))
def test_each_block_has_mean_zero_and_variance_three(block: int) -> None:
    rows = PTABLE.blocks[block]
    assert sum(r.p for r in rows) == pytest.approx(1, abs=1e-7)
    assert sum(r.v * r.p for r in rows) == pytest.approx(0, abs=1e-7)
    assert sum(r.v * r.v * r.p for r in rows) == pytest.approx(3, abs=1e-6)


@pytest.mark.parametrize("block", sorted(PTABLE.blocks))
def test_each_block_is_well_formed(block: int) -> None:
    rows = PTABLE.blocks[block]
    assert all(abs(r.v) <= 5 for r in rows)
    assert all(r.j == r.i + r.v for r in rows)
    assert not [r for r in rows if r.j in {1, 2} and r.p > 0], "no mass on published 1s and 2s"
    assert rows[0].p_int_lb == 0
    assert rows[-1].p_int_ub == 1
    for previous, current in itertools.pairwise(rows):
        assert current.p_int_lb == pytest.approx(previous.p_int_ub)


@given(n=st.integers(min_value=0, max_value=10_000), ck=keys)
def test_perturbed_counts_keep_their_guarantees(n: int, ck: int) -> None:
    published = perturb(n, ck, PTABLE)
    assert published >= 0
    assert published not in {1, 2}
    assert abs(published - n) <= 5
    if n == 0:
        assert published == 0


@given(record_keys=st.lists(keys, max_size=60), seed=st.integers())
def test_the_same_records_give_the_same_value_in_any_order(record_keys: list[int], seed: int) -> None:
    shuffled = record_keys[:]
    random.Random(seed).shuffle(shuffled)
    assert cell_key(shuffled) == cell_key(record_keys)
    n = len(record_keys)
    assert perturb(n, cell_key(shuffled), PTABLE) == perturb(n, cell_key(record_keys), PTABLE)


@pytest.mark.parametrize("n", [1, 3, 5, 8, 25, 400])
def test_noise_over_many_cells_matches_the_table(n: int) -> None:
    generator = random.Random(n)
    deviations = [perturb(n, generator.randrange(KEY_SPACE), PTABLE) - n for _ in range(40_000)]
    mean = sum(deviations) / len(deviations)
    variance = sum((d - mean) ** 2 for d in deviations) / len(deviations)
    assert mean == pytest.approx(0, abs=0.05)
    assert variance == pytest.approx(3, abs=0.15)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        perturb(-1, 0, PTABLE)
    with pytest.raises(ValueError, match="2\\^32"):
        perturb(3, KEY_SPACE, PTABLE)
