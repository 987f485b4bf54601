"""Tests of rotation.stats.intervals against arch and statsmodels driven directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from arch.bootstrap import CircularBlockBootstrap, IIDBootstrap, StationaryBootstrap

from rotation.errors import ParameterError
from rotation.stats.intervals import block_bootstrap_mean_ci, bootstrap_diff_ci, event_mean_ci
from rotation.stats.results import Estimates


def _s(values, name="x"):
    return pd.Series(values, index=pd.date_range("2020-01-01", periods=len(values)), name=name, dtype=float)


@pytest.fixture
def ar1():
    """An autocorrelated series (AR(1), phi=0.5) with a few NaN."""
    rng = np.random.default_rng(42)
    e = rng.normal(0.001, 0.01, 300)
    x = np.empty_like(e)
    x[0] = e[0]
    for t in range(1, len(e)):
        x[t] = 0.5 * x[t - 1] + e[t]
    s = _s(x)
    s.iloc[[10, 200]] = np.nan
    return s


# --------------------------------------------------------------------------- block bootstrap
@pytest.mark.parametrize(
    "method, cls",
    [pytest.param("stationary", StationaryBootstrap, id="stationary"),
     pytest.param("circular", CircularBlockBootstrap, id="circular")],
)
def test_block_bootstrap_mean_ci_matches_arch_driven_directly(ar1, method, cls):
    res = block_bootstrap_mean_ci(ar1, block_size=7, reps=500, alpha=0.1, seed=3, method=method)
    arr = ar1.dropna().to_numpy()
    direct = cls(7, arr, seed=3).conf_int(np.mean, reps=500, method="percentile", size=0.9).ravel()
    assert isinstance(res, Estimates)
    assert res.estimate == pytest.approx(arr.mean())
    assert (res.ci_lower, res.ci_upper) == pytest.approx(tuple(direct))
    assert (res.nobs, res.reps, res.block_size, res.method.bootstrap, res.alpha) == (298, 500, 7, method, 0.1)
    assert res.ci_lower < res.estimate < res.ci_upper


def test_stationary_bootstrap_ci_matches_a_numpy_reimplementation(ar1):
    """Politis-Romano stationary bootstrap redrawn by hand from the same numpy Generator.

    Per replication: n uniform start indices, then n uniforms; position i continues the
    previous block (index + 1, wrapping) unless its uniform is <= 1/block_size.
    """
    x = ar1.dropna().to_numpy()
    n, block, reps = len(x), 6, 300
    rng = np.random.default_rng(12)
    means = np.empty(reps)
    for b in range(reps):
        idx = rng.integers(n, size=n, dtype=np.int64)
        u = rng.random(n)
        for i in range(1, n):
            if u[i] > 1.0 / block:
                idx[i] = (idx[i - 1] + 1) % n
        means[b] = x[idx].mean()
    lo, hi = np.percentile(means, [2.5, 97.5])
    res = block_bootstrap_mean_ci(ar1, block, reps=reps, seed=12)
    assert (res.ci_lower, res.ci_upper) == pytest.approx((lo, hi), rel=1e-12)


def test_block_bootstrap_mean_ci_is_deterministic_for_a_seed(ar1):
    a = block_bootstrap_mean_ci(ar1, 5, reps=300, seed=1)
    b = block_bootstrap_mean_ci(ar1, 5, reps=300, seed=1)
    c = block_bootstrap_mean_ci(ar1, 5, reps=300, seed=2)
    assert a == b
    assert (a.ci_lower, a.ci_upper) != (c.ci_lower, c.ci_upper)


def test_block_bootstrap_wider_than_iid_for_positively_autocorrelated_data(ar1):
    iid = block_bootstrap_mean_ci(ar1, 1, reps=1000, seed=0)
    block = block_bootstrap_mean_ci(ar1, 20, reps=1000, seed=0)
    assert (block.ci_upper - block.ci_lower) > (iid.ci_upper - iid.ci_lower)


def test_bootstrap_ci_is_a_one_row_result_in_the_vocabulary():
    res = block_bootstrap_mean_ci(np.array([0.01, 0.02, -0.01, 0.03]), 2, reps=50, seed=4)
    assert list(res.table.columns) == ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs"]
    assert res.to_frame().shape == (1, 7)
    rec = res.to_record()
    assert rec["method"]["bootstrap"] == "stationary" and rec["method"]["seed"] == 4
    assert rec["rows"]["estimate"]["ci_lower"] == res.ci_lower and rec["rows"]["estimate"]["t"] is None
    assert "stationary bootstrap, expected block length 2, 50 replications, seed 4" in res.summary()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"block_size": 0}, r"block_size must be an integer >= 1; got 0", id="block0"),
        pytest.param({"block_size": 2, "method": "moving"},
                     r"method must be one of 'stationary', 'circular'; got 'moving'", id="method"),
        pytest.param({"block_size": 2, "alpha": 1.5}, r"alpha must be > 0 and < 1; got 1\.5", id="alpha"),
        pytest.param({"block_size": 2, "reps": 0}, r"reps must be an integer >= 1; got 0", id="reps"),
        pytest.param({"block_size": 2, "x": [0.1, np.nan]}, r"x must have at least 2 non-NaN values; got 1",
                     id="short"),
    ],
)
def test_block_bootstrap_mean_ci_rejects(kwargs, match):
    kwargs = {"x": [0.1, 0.2, 0.3], **kwargs}
    with pytest.raises(ParameterError, match=match):
        block_bootstrap_mean_ci(**kwargs)


# --------------------------------------------------------------------------- difference of means
def test_bootstrap_diff_ci_matches_manual_seeding(ar1):
    rng = np.random.default_rng(0)
    y = _s(rng.normal(0.0, 0.01, 150))
    res = bootstrap_diff_ci(ar1, y, block_size=5, reps=400, seed=7)
    sx, sy = (int(v) for v in np.random.default_rng(7).integers(0, 2**32, size=2))
    ax, ay = ar1.dropna().to_numpy(), y.to_numpy()
    mx = StationaryBootstrap(5, ax, seed=sx).apply(np.mean, 400).ravel()
    my = StationaryBootstrap(5, ay, seed=sy).apply(np.mean, 400).ravel()
    lo, hi = np.percentile(mx - my, [2.5, 97.5])
    assert res.estimate == pytest.approx(ax.mean() - ay.mean())
    assert (res.ci_lower, res.ci_upper) == pytest.approx((lo, hi))
    assert (res.nobs, res.n_y) == (298, 150)
    assert bootstrap_diff_ci(ar1, y, 5, reps=400, seed=7) == res


# --------------------------------------------------------------------------- events
def test_event_mean_ci_matches_iid_bootstrap():
    fwd = _s([0.05, np.nan, -0.02, 0.03, 0.10, 0.01, np.nan, 0.04])
    events = pd.Series([True, True, False, True, True, False, True, True], index=fwd.index)
    res = event_mean_ci(fwd, events, reps=500, seed=4)
    sample = np.array([0.05, 0.03, 0.10, 0.04])  # events with a NaN forward return are dropped
    direct = IIDBootstrap(sample, seed=4).conf_int(np.mean, reps=500, method="percentile", size=0.95).ravel()
    assert res.estimate == pytest.approx(sample.mean())
    assert (res.ci_lower, res.ci_upper) == pytest.approx(tuple(direct))
    assert (res.nobs, res.block_size, res.method.bootstrap) == (4, 1, "iid")
    assert event_mean_ci(fwd, events, reps=500, seed=4) == res


def test_event_mean_ci_needs_two_events():
    fwd = _s([0.05, 0.01, 0.02])
    events = pd.Series([True, False, False], index=fwd.index)
    with pytest.raises(ParameterError, match=r"forward at events must have at least 2 non-NaN values; got 1"):
        event_mean_ci(fwd, events)
