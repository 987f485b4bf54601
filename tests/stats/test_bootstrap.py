"""rotation.stats.bootstrap: the bulk iid bootstrap of a mean gives arch's numbers exactly."""

from __future__ import annotations

import numpy as np
import pytest
from arch.bootstrap import IIDBootstrap

from rotation.errors import ParameterError
from rotation.stats import bootstrap as _bootstrap
from rotation.stats.bootstrap import iid_bootstrap_means


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 40, 129, 1000, 2**16 + 3], ids=lambda n: f"n={n}")
@pytest.mark.parametrize("seed", [0, 1, 1003])
def test_equals_arch_on_a_series(n, seed):
    x = np.random.default_rng(n).normal(0.01, 0.05, n)
    reps = 57
    expected = IIDBootstrap(x, seed=seed).apply(np.mean, reps=reps).ravel()
    got = iid_bootstrap_means(x, reps, seed)
    assert got.shape == (reps,)
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("shape", [(5, 1), (30, 4), (12, 260)], ids=str)
def test_equals_arch_on_columns(shape):
    x = np.random.default_rng(7).normal(0.0, 0.02, shape)
    expected = IIDBootstrap(x, seed=11).apply(lambda a: a.mean(axis=0), reps=41)
    got = iid_bootstrap_means(x, 41, 11)
    assert got.shape == (41, shape[1])
    assert np.array_equal(got, expected)


def test_chunks_do_not_change_the_draws(monkeypatch):
    x = np.random.default_rng(3).normal(size=50)
    whole = iid_bootstrap_means(x, 103, 5)
    monkeypatch.setattr(_bootstrap, "_CHUNK_VALUES", 120)  # two replications per chunk
    assert np.array_equal(iid_bootstrap_means(x, 103, 5), whole)
    assert np.array_equal(whole, IIDBootstrap(x, seed=5).apply(np.mean, reps=103).ravel())


@pytest.mark.parametrize("kw,match", [
    ({"data": np.array([]), "reps": 10, "seed": 0}, "at least one row"),
    ({"data": np.zeros((2, 2, 2)), "reps": 10, "seed": 0}, "1-D or 2-D"),
    ({"data": np.ones(3), "reps": 0, "seed": 0}, "reps must be an integer >= 1"),
    ({"data": np.ones(3), "reps": 10, "seed": -1}, "seed must be an integer >= 0"),
], ids=["empty", "3-D", "reps", "seed"])
def test_bad_arguments(kw, match):
    with pytest.raises(ParameterError, match=match):
        iid_bootstrap_means(**kw)


@pytest.mark.parametrize("n", [1, 5, 64, 333])
def test_indices_are_the_rows_arch_draws(n):
    bs = IIDBootstrap(np.arange(n), seed=21)
    expected = np.array([pos[0] for pos, _ in bs.bootstrap(30)])
    got = _bootstrap.iid_bootstrap_indices(n, 30, 21)
    assert got.dtype == np.int64 and np.array_equal(got, expected)


@pytest.mark.parametrize("n", [2, 3, 6, 7, 30, 101, 200, 800, 801], ids=lambda n: f"n={n}")
@pytest.mark.parametrize("block", [1, 3, 24], ids=lambda b: f"block={b}")
def test_stationary_equals_arch(n, block):
    from arch.bootstrap import StationaryBootstrap

    x = np.random.default_rng(n).normal(0.005, 0.04, n)
    for seed in (0, 7):
        expected = StationaryBootstrap(block, x, seed=seed).apply(np.mean, reps=101).ravel()
        assert np.array_equal(_bootstrap.stationary_bootstrap_means(x, block, 101, seed), expected)


@pytest.mark.parametrize("n", [100_000, 100_001], ids=["even", "odd"])
def test_stationary_bulk_through_rejected_draws(n, monkeypatch):
    """Long series make numpy reject some integer draws (about 40 here): those replications are redone by
    arch from the exact generator state, and the bulk draws resume after them with the spare half."""
    from arch.bootstrap import StationaryBootstrap

    monkeypatch.setattr(_bootstrap, "_CHUNK_VALUES", 3 * n * 4)  # four replications per chunk
    x = np.random.default_rng(1).normal(size=n)
    expected = StationaryBootstrap(5, x, seed=2).apply(np.mean, reps=25).ravel()
    assert np.array_equal(_bootstrap._stationary_bulk(x, 5, 25, 2), expected)


def test_stationary_checks_itself_and_its_arguments():
    assert _bootstrap._bulk_matches_arch()
    one = _bootstrap.stationary_bootstrap_means(np.array([0.5]), 3, 4, 0)
    assert np.array_equal(one, np.full(4, 0.5))
    with pytest.raises(ParameterError, match="block_size must be an integer >= 1"):
        _bootstrap.stationary_bootstrap_means(np.ones(5), 0, 10, 0)
    with pytest.raises(ParameterError, match="1-D array"):
        _bootstrap.stationary_bootstrap_means(np.ones((5, 2)), 2, 10, 0)
