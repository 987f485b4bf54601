"""Tests of rotation.events: signals without look-ahead, forward returns, outcome studies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.events import (
    at_all_time_high,
    blowoff_signals,
    blowoff_statistic,
    breakout_reference,
    breakout_signals,
    event_forward_table,
    false_breakout_rate,
    forward_relative_returns,
    forward_returns,
    giveback,
    level_episodes,
    merge_episodes,
    round_levels,
)
from rotation.returns import relative_returns


def _s(values, name="x", dtype=float):
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values)), name=name, dtype=dtype)


def _flags(n, positions):
    out = _s([False] * n, dtype=bool)
    out.iloc[list(positions)] = True
    return out


def _perturb_after(s, t, seed):
    """Multiply every value strictly after position t by random noise."""
    rng = np.random.default_rng(seed)
    out = s.copy()
    out.iloc[t + 1 :] = out.iloc[t + 1 :] * rng.uniform(0.3, 3.0, size=len(s) - t - 1)
    return out


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
    level = _s(values, name="lrs")
    out = breakout_signals(level, lookback, rule)
    assert out.dtype == bool and out.name == "lrs"
    assert out.astype(int).tolist() == expected


def test_breakout_reference_prior_high_excludes_today():
    ref = breakout_reference(_s([1, 2, 3, 2.5, 3.5, 3]), 2, "high")
    np.testing.assert_allclose(ref.to_numpy(), [np.nan, np.nan, 2, 3, 3, 3.5])


@pytest.mark.parametrize("rule", ["high", "ma"])
@pytest.mark.parametrize("t", [10, 40, 75], ids=lambda t: f"t={t}")
def test_breakout_signals_no_look_ahead(rule, t):
    rng = np.random.default_rng(1)
    level = _s(np.cumsum(rng.normal(0, 1, 100)) + 50)
    base = breakout_signals(level, 5, rule)
    moved = breakout_signals(_perturb_after(level, t, seed=t), 5, rule)
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
        breakout_signals(_s([1, 2, 3]), **kwargs)


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
    out = merge_episodes(_flags(25, positions), gap)
    assert np.flatnonzero(out.to_numpy()).tolist() == starts


def test_merge_episodes_rejects_non_boolean():
    with pytest.raises(ParameterError, match=r"signals must be a boolean Series without NA; got dtype float64"):
        merge_episodes(_s([0.0, 1.0]), 2)


# --------------------------------------------------------------------------- forward returns
def test_forward_returns_start_at_t_plus_one():
    r = _s([0.10, 0.20, -0.10, 0.05], name="r")
    out = forward_returns(r, 2)
    # at t=0: (1+r1)(1+r2)-1, r0 itself is excluded
    expected = [1.2 * 0.9 - 1, 0.9 * 1.05 - 1, np.nan, np.nan]
    np.testing.assert_allclose(out.to_numpy(), expected)
    assert out.name == "r"


def test_forward_returns_horizon_one_is_next_return():
    r = _s([0.10, 0.20, -0.10])
    np.testing.assert_allclose(forward_returns(r, 1).to_numpy(), [0.20, -0.10, np.nan])


def test_forward_returns_nan_inside_window_gives_nan():
    r = _s([0.1, np.nan, 0.1, 0.1, 0.1])
    out = forward_returns(r, 2)
    # t=0 covers positions 1..2 (NaN inside); t=1 covers 2..3 (its own NaN return is not used)
    assert np.isnan(out.iloc[0])
    assert out.iloc[1] == pytest.approx(0.21) and out.iloc[2] == pytest.approx(0.21)
    assert out.iloc[3:].isna().all()


def test_forward_returns_dataframe():
    df = pd.DataFrame({"a": [0.1, 0.1, 0.1], "b": [0.0, -0.5, 1.0]}, index=pd.date_range("2024-01-01", periods=3))
    out = forward_returns(df, 2)
    assert out.loc[df.index[0], "a"] == pytest.approx(0.21)
    assert out.loc[df.index[0], "b"] == pytest.approx(0.0)


def test_forward_relative_returns_matches_composition():
    rng = np.random.default_rng(3)
    small, large = _s(rng.normal(0, 0.02, 30)), _s(rng.normal(0, 0.01, 30))
    out = forward_relative_returns(small, large, 5)
    pd.testing.assert_series_equal(out, forward_returns(relative_returns(small, large), 5))
    # independent check at t=0: ratio of compounded returns over t+1..t+5
    exp0 = (1 + small.iloc[1:6]).prod() / (1 + large.iloc[1:6]).prod() - 1
    assert out.iloc[0] == pytest.approx(exp0)


# --------------------------------------------------------------------------- false breakouts
FB_LEVEL = _s([1, 2, 3, 2.5, 3.5, 3, 2.9, 4])


def test_false_breakout_rate_hand_example():
    signals = breakout_signals(FB_LEVEL, 2)
    assert np.flatnonzero(signals).tolist() == [2, 4, 7]
    res = false_breakout_rate(FB_LEVEL, signals, k=2, lookback=2)
    # t=2 broke L=2, next two levels 2.5, 3.5 stay above -> genuine
    # t=4 broke L=3, next two levels 3, 2.9 -> 2.9 < 3 on the 2nd day -> false
    # t=7 has no follow-up -> excluded
    assert (res.rate, res.n, res.n_excluded) == (0.5, 2, 1)
    ev = res.events
    assert ev["breakout_level"].tolist() == [2.0, 3.0, 3.0]
    assert ev["complete"].tolist() == [True, True, False]
    assert ev["false_breakout"].iloc[0] == False  # noqa: E712
    assert ev["false_breakout"].iloc[1] == True  # noqa: E712
    assert pd.isna(ev["false_breakout"].iloc[2])
    assert ev["first_below"].iloc[1] == FB_LEVEL.index[6]
    assert ev["periods_to_fail"].iloc[1] == 2.0
    rate, n, frame = res  # unpacks as a (rate, n, events) triple
    assert rate == 0.5 and n == 2 and frame is ev


def test_false_breakout_rate_with_reference_series():
    signals = breakout_signals(FB_LEVEL, 2)
    ref = breakout_reference(FB_LEVEL, 2)
    res = false_breakout_rate(FB_LEVEL, signals, 2, reference=ref)
    assert res.to_dict() == {"rate": 0.5, "n": 2, "n_excluded": 1}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({}, r"give exactly one of lookback or reference", id="neither"),
        pytest.param({"lookback": 2, "reference": FB_LEVEL}, r"give exactly one of lookback or reference", id="both"),
        pytest.param({"lookback": 2, "k": 0}, r"k must be an integer >= 1; got 0", id="k0"),
    ],
)
def test_false_breakout_rate_rejects(kwargs, match):
    kwargs = {"k": 2, **kwargs}
    with pytest.raises(ParameterError, match=match):
        false_breakout_rate(FB_LEVEL, breakout_signals(FB_LEVEL, 2), **kwargs)


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
    r = _s(rng.normal(0.0, 0.02, 150), name="rel")
    out = blowoff_signals(r, 5, threshold, method=method, min_history=20)
    expected = _blowoff_by_hand(r, 5, threshold, method, 20)
    assert out.name == "rel"
    assert out.sum() > 0
    np.testing.assert_array_equal(out.to_numpy(), expected)


def test_blowoff_excludes_current_move_from_its_reference():
    # five flat periods then a jump: with t itself in the reference the 100% quantile could never be exceeded
    r = _s([0.0, 0.0, 0.0, 0.0, 0.0, 0.5])
    out = blowoff_signals(r, 1, 0.99, method="quantile", min_history=3)
    assert out.tolist() == [False, False, False, False, False, True]
    stat = blowoff_statistic(r, 1, 0.99, method="quantile", min_history=3)
    assert stat["cutoff"].iloc[5] == pytest.approx(0.0)
    assert np.isnan(stat["cutoff"].iloc[2])  # only 2 past moves at t=2 < min_history


@pytest.mark.parametrize("method, threshold", [("quantile", 0.9), ("zscore", 1.0)])
@pytest.mark.parametrize("t", [30, 60, 95], ids=lambda t: f"t={t}")
def test_blowoff_signals_no_look_ahead(method, threshold, t):
    rng = np.random.default_rng(5)
    r = _s(rng.normal(0.0, 0.02, 120))
    base = blowoff_signals(r, 5, threshold, method=method, min_history=10)
    moved = blowoff_signals(_perturb_after(r, t, seed=t), 5, threshold, method=method, min_history=10)
    pd.testing.assert_series_equal(moved.iloc[: t + 1], base.iloc[: t + 1])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"threshold": 1.5}, r"threshold must be > 0 and < 1; got 1\.5", id="quantile>1"),
        pytest.param({"threshold": 2.0, "method": "zscore", "min_history": 1}, r"min_history must be an integer >= 2; got 1", id="zscore-history"),
        pytest.param({"threshold": 0.9, "method": "mad"}, r"method must be one of 'quantile', 'zscore'; got 'mad'", id="method"),
    ],
)
def test_blowoff_signals_rejects(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        blowoff_signals(_s([0.01] * 10), 2, **{"min_history": 5, **kwargs})


# --------------------------------------------------------------------------- giveback
def test_giveback_hand_example():
    wealth = _s([1.0, 1.0, 2.0, 1.6, 1.4, 1.5])
    events = _flags(6, [1, 2, 4])
    res = giveback(wealth, events, move_window=2, horizon=3, fraction=0.5)
    ev = res.events
    # event at 2: move 2-1 = 1, target 1.5, reached at position 4 (1.4 <= 1.5)
    assert ev.loc[wealth.index[2], "move"] == pytest.approx(1.0)
    assert ev.loc[wealth.index[2], "target"] == pytest.approx(1.5)
    assert ev.loc[wealth.index[2], "date_reached"] == wealth.index[4]
    assert ev.loc[wealth.index[2], "periods_to_giveback"] == 2.0
    # event at 1: no 2-period history; event at 4: only 1 period after -> both excluded
    assert ev["complete"].tolist() == [False, True, False]
    assert (res.rate, res.n, res.n_excluded) == (1.0, 1, 2)


def test_giveback_not_reached():
    wealth = _s([1.0, 2.0, 1.9, 1.8, 1.7])
    res = giveback(wealth, _flags(5, [1]), move_window=1, horizon=3, fraction=0.5)
    assert res.rate == 0.0 and res.n == 1
    assert pd.isna(res.events["date_reached"].iloc[0])


def test_giveback_rejects_fraction():
    with pytest.raises(ParameterError, match=r"fraction must be > 0 and <= 1; got 1\.5"):
        giveback(_s([1.0, 2.0]), _flags(2, [1]), 1, 1, fraction=1.5)


# --------------------------------------------------------------------------- round numbers
def test_level_episodes_hand_example():
    close = _s([95, 98.5, 101, 99, 97, 99, 100.5, 101, 102, 96, 97.5, 98.5, 99])
    out = level_episodes(close, 100.0, within=0.02, hold=2)
    d = close.index
    assert out["start"].tolist() == [d[1], d[5], d[11]]
    assert out["outcome"].tolist() == ["fail", "break", "pending"]
    # fail known when the close fell back below 98 (day 4); break known on the 2nd close above 100 (day 7)
    assert out["decision_date"].iloc[0] == d[4]
    assert out["decision_date"].iloc[1] == d[7]
    assert pd.isna(out["decision_date"].iloc[2])
    assert out["max_close"].tolist() == [101.0, 101.0, 99.0]
    np.testing.assert_allclose(out["max_vs_level"], [0.01, 0.01, -0.01])
    assert out["periods"].iloc[:2].tolist() == [3.0, 2.0]


def test_level_episodes_first_close_in_band_is_not_an_approach():
    close = _s([99.0, 101.0, 102.0])
    assert level_episodes(close, 100.0, 0.02, 1).empty


def test_level_episodes_jump_through_counts_toward_hold():
    close = _s([90.0, 101.0, 90.0])
    out = level_episodes(close, 100.0, 0.02, 1)
    assert out["outcome"].tolist() == ["break"]
    assert out["decision_date"].iloc[0] == close.index[1]


@pytest.mark.parametrize(
    "step, expected",
    [pytest.param(1000, [2000.0, 3000.0], id="thousands"), pytest.param(500, [1500.0, 2000.0, 2500.0], id="halves")],
)
def test_round_levels(step, expected):
    assert round_levels(_s([1450.0, 2100.0, 1980.0]), step) == expected


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"within": 0.0}, r"within must be > 0 and < 1; got 0\.0", id="within0"),
        pytest.param({"level": -1.0}, r"level must be > 0; got -1\.0", id="negative-level"),
        pytest.param({"hold": 0}, r"hold must be an integer >= 1; got 0", id="hold0"),
    ],
)
def test_level_episodes_rejects(kwargs, match):
    args = {"level": 100.0, "within": 0.02, "hold": 2, **kwargs}
    with pytest.raises(ParameterError, match=match):
        level_episodes(_s([90.0, 99.0]), **args)


# --------------------------------------------------------------------------- all-time highs
def test_at_all_time_high_hand_example():
    close = _s([1, 2, 2, 1.5, 3, np.nan, 2.5, 3.5], name="r2000")
    out = at_all_time_high(close)
    assert out.tolist() == [False, True, True, False, True, False, False, True]
    assert out.name == "r2000"


@pytest.mark.parametrize("t", [3, 25, 48], ids=lambda t: f"t={t}")
def test_at_all_time_high_no_look_ahead(t):
    rng = np.random.default_rng(2)
    close = _s(100 * np.exp(np.cumsum(rng.normal(0.002, 0.02, 50))))
    base = at_all_time_high(close)
    moved = at_all_time_high(_perturb_after(close, t, seed=t))
    pd.testing.assert_series_equal(moved.iloc[: t + 1], base.iloc[: t + 1])


# --------------------------------------------------------------------------- summary table
def test_event_forward_table_hand_example():
    r = _s([0.0, 0.1, 0.0, -0.1, 0.2, 0.0])
    events = _flags(6, [0, 2, 5])
    out = event_forward_table(r, events, [1, 2], periods_per_year=12)
    assert out.index.name == "horizon" and out.index.tolist() == [1, 2]
    h1 = out.loc[1]
    # h=1: forward at 0 -> 0.1, at 2 -> -0.1, at 5 -> NaN (incomplete)
    assert h1["n_events"] == 2 and h1["n_incomplete"] == 1
    assert h1["mean_event"] == pytest.approx(0.0)
    assert h1["hit_rate_event"] == pytest.approx(0.5)
    all_h1 = np.array([0.1, 0.0, -0.1, 0.2, 0.0])
    assert h1["n_all"] == 5 and h1["mean_all"] == pytest.approx(all_h1.mean())
    assert h1["diff"] == pytest.approx(0.0 - all_h1.mean())
    assert h1["mean_all_ann"] == pytest.approx((1 + all_h1.mean()) ** 12 - 1)
    h2 = out.loc[2]
    # h=2: at 0 -> 1.1*1.0-1 = 0.1, at 2 -> 0.9*1.2-1 = 0.08
    assert h2["mean_event"] == pytest.approx(0.09)
    assert h2["mean_event_ann"] == pytest.approx(1.09**6 - 1)


def test_event_forward_table_rejects_unknown_event_dates():
    r = _s([0.0, 0.1, 0.0])
    events = pd.Series([True], index=pd.to_datetime(["2030-01-01"]))
    with pytest.raises(ParameterError, match=r"events has True dates not in the data's index"):
        event_forward_table(r, events, [1])


def test_event_forward_table_rejects_bad_horizons():
    with pytest.raises(ParameterError, match=r"horizons must be a non-empty sequence of integers; got \[\]"):
        event_forward_table(_s([0.0, 0.1]), _flags(2, [0]), [])
