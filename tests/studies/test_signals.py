"""Tests of rotation.studies.signals: every signal at t uses data up to t only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies.signals import (
    at_all_time_high,
    blowoff_signals,
    blowoff_statistic,
    breakout_reference,
    breakout_signals,
    merge_episodes,
)

from _helpers import flags, perturb_after, series


# --------------------------------------------------------------------------- breakouts
@pytest.mark.parametrize(
    "values, lookback, rule, expected",
    [
        pytest.param([1, 2, 3, 2.5, 3.5, 3], 2, "high", [0, 0, 1, 0, 1, 0], id="prior-2-high"),
        pytest.param([1, 2, 3, 2.5, 3.5, 3], 3, "high", [0, 0, 0, 0, 1, 0], id="first-lookback-false"),
        pytest.param([3, 2, 1, 2, 3, 4], 2, "ma", [0, 0, 0, 1, 0, 0], id="ma-cross"),
        pytest.param([1, 1, 1, 1, 1, 1], 2, "high", [0, 0, 0, 0, 0, 0], id="equal-is-not-breakout"),
    ],
)
def test_breakout_signals_hand_examples(values, lookback, rule, expected):
    level = series(values, name="lrs")
    out = breakout_signals(level, lookback, rule)
    assert out.dtype == bool and out.name == "lrs"
    assert out.astype(int).tolist() == expected


def test_breakout_reference_prior_high_excludes_today():
    ref = breakout_reference(series([1, 2, 3, 2.5, 3.5, 3]), 2, "high")
    np.testing.assert_allclose(ref.to_numpy(), [np.nan, np.nan, 2, 3, 3, 3.5])


@pytest.mark.parametrize("rule", ["high", "ma"])
@pytest.mark.parametrize("t", [10, 40, 75], ids=lambda t: f"t={t}")
def test_breakout_signals_no_look_ahead(rule, t):
    rng = np.random.default_rng(1)
    level = series(np.cumsum(rng.normal(0, 1, 100)) + 50)
    base = breakout_signals(level, 5, rule)
    moved = breakout_signals(perturb_after(level, t, seed=t), 5, rule)
    assert base.sum() > 0  # the fixture does produce signals
    pd.testing.assert_series_equal(moved.iloc[: t + 1], base.iloc[: t + 1])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"lookback": 0}, r"lookback must be an integer >= 1; got 0", id="lookback0"),
        pytest.param({"lookback": 2, "rule": "low"}, r"rule must be one of 'high', 'ma'; got 'low'", id="rule"),
    ],
)
def test_breakout_signals_rejects(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        breakout_signals(series([1, 2, 3]), **kwargs)


# --------------------------------------------------------------------------- episodes
@pytest.mark.parametrize(
    "positions, gap, starts",
    [
        pytest.param([2, 3, 4, 10, 11, 20], 3, [2, 10, 20], id="three-clusters"),
        pytest.param([2, 3, 4, 10, 11, 20], 0, [2, 3, 4, 10, 11, 20], id="gap0-keeps-all"),
        pytest.param([0, 3, 6, 9, 12], 3, [0], id="chained"),
        pytest.param([0, 4, 8], 3, [0, 4, 8], id="just-outside-gap"),
        pytest.param([], 3, [], id="none"),
    ],
)
def test_merge_episodes(positions, gap, starts):
    out = merge_episodes(flags(25, positions), gap)
    assert np.flatnonzero(out.to_numpy()).tolist() == starts


def test_merge_episodes_rejects_non_boolean():
    with pytest.raises(ParameterError, match=r"signals must be a boolean Series without NA; got dtype float64"):
        merge_episodes(series([0.0, 1.0]), 2)


# --------------------------------------------------------------------------- blow-offs
def _blowoff_by_hand(r, window, threshold, method, min_history):
    """Independent loop: compounded window move vs statistics of strictly earlier moves."""
    x = r.to_numpy()
    move = np.full(len(x), np.nan)
    for t in range(window - 1, len(x)):
        move[t] = np.prod(1 + x[t - window + 1 : t + 1]) - 1
    out = np.zeros(len(x), dtype=bool)
    for t in range(len(x)):
        past = move[:t][~np.isnan(move[:t])]
        if len(past) < min_history or np.isnan(move[t]):
            continue
        if method == "quantile":
            out[t] = move[t] > np.quantile(past, threshold)
        else:
            out[t] = (move[t] - past.mean()) / past.std(ddof=1) > threshold
    return out


@pytest.mark.parametrize(
    "method, threshold", [pytest.param("quantile", 0.9, id="quantile"), pytest.param("zscore", 1.5, id="zscore")]
)
def test_blowoff_signals_match_independent_loop(method, threshold):
    rng = np.random.default_rng(11)
    r = series(rng.normal(0.0, 0.02, 150), name="rel")
    out = blowoff_signals(r, 5, threshold, method=method, min_history=20)
    expected = _blowoff_by_hand(r, 5, threshold, method, 20)
    assert out.name == "rel"
    assert out.sum() > 0
    np.testing.assert_array_equal(out.to_numpy(), expected)


def test_blowoff_excludes_current_move_from_its_reference():
    # five flat periods then a jump: with t itself in the reference the 100% quantile could never be exceeded
    r = series([0.0, 0.0, 0.0, 0.0, 0.0, 0.5])
    out = blowoff_signals(r, 1, 0.99, method="quantile", min_history=3)
    assert out.tolist() == [False, False, False, False, False, True]
    stat = blowoff_statistic(r, 1, 0.99, method="quantile", min_history=3)
    assert stat["cutoff"].iloc[5] == pytest.approx(0.0)
    assert np.isnan(stat["cutoff"].iloc[2])  # only 2 past moves at t=2 < min_history


@pytest.mark.parametrize("method, threshold", [("quantile", 0.9), ("zscore", 1.0)])
@pytest.mark.parametrize("t", [30, 60, 95], ids=lambda t: f"t={t}")
def test_blowoff_signals_no_look_ahead(method, threshold, t):
    rng = np.random.default_rng(5)
    r = series(rng.normal(0.0, 0.02, 120))
    base = blowoff_signals(r, 5, threshold, method=method, min_history=10)
    moved = blowoff_signals(perturb_after(r, t, seed=t), 5, threshold, method=method, min_history=10)
    pd.testing.assert_series_equal(moved.iloc[: t + 1], base.iloc[: t + 1])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"threshold": 1.5}, r"threshold must be > 0 and < 1; got 1\.5", id="quantile>1"),
        pytest.param({"threshold": 2.0, "method": "zscore", "min_history": 1},
                     r"min_history must be an integer >= 2; got 1", id="zscore-history"),
        pytest.param({"threshold": 0.9, "method": "mad"}, r"method must be one of 'quantile', 'zscore'; got 'mad'",
                     id="method"),
    ],
)
def test_blowoff_signals_rejects(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        blowoff_signals(series([0.01] * 10), 2, **{"min_history": 5, **kwargs})


# --------------------------------------------------------------------------- all-time highs
def test_at_all_time_high_hand_example():
    close = series([1, 2, 2, 1.5, 3, np.nan, 2.5, 3.5], name="r2000")
    out = at_all_time_high(close)
    assert out.tolist() == [False, True, True, False, True, False, False, True]
    assert out.name == "r2000"


@pytest.mark.parametrize("t", [3, 25, 48], ids=lambda t: f"t={t}")
def test_at_all_time_high_no_look_ahead(t):
    rng = np.random.default_rng(2)
    close = series(100 * np.exp(np.cumsum(rng.normal(0.002, 0.02, 50))))
    base = at_all_time_high(close)
    moved = at_all_time_high(perturb_after(close, t, seed=t))
    pd.testing.assert_series_equal(moved.iloc[: t + 1], base.iloc[: t + 1])
