"""Tests of rotation.studies.outcomes: what followed events (looks ahead by design), incl. event_study."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.results import Estimates
from rotation.studies.outcomes import event_study, false_breakout_rate, giveback, level_episodes
from rotation.studies.returns import forward_returns
from rotation.studies.signals import breakout_reference, breakout_signals, round_levels

from _helpers import flags, series

# --------------------------------------------------------------------------- false breakouts
FB_LEVEL = series([1, 2, 3, 2.5, 3.5, 3, 2.9, 4])


def test_false_breakout_rate_hand_example():
    signals = breakout_signals(FB_LEVEL, 2)
    assert np.flatnonzero(signals).tolist() == [2, 4, 7]
    res = false_breakout_rate(FB_LEVEL, signals, k=2, lookback=2)
    # t=2 broke L=2, next two levels 2.5, 3.5 stay above -> genuine
    # t=4 broke L=3, next two levels 3, 2.9 -> 2.9 < 3 on the 2nd day -> false
    # t=7 has no follow-up -> excluded
    assert (res.estimate, res.nobs, res.table["n_excluded"].iloc[0]) == (0.5, 2, 1)
    assert res.units.scale == "share"
    ev = res.data
    assert ev["breakout_level"].tolist() == [2.0, 3.0, 3.0]
    assert ev["complete"].tolist() == [True, True, False]
    assert ev["false_breakout"].iloc[0] == False  # noqa: E712
    assert ev["false_breakout"].iloc[1] == True  # noqa: E712
    assert pd.isna(ev["false_breakout"].iloc[2])
    assert ev["first_below"].iloc[1] == FB_LEVEL.index[6]
    assert ev["periods_to_fail"].iloc[1] == 2.0


def test_false_breakout_rate_with_reference_series():
    signals = breakout_signals(FB_LEVEL, 2)
    ref = breakout_reference(FB_LEVEL, 2)
    res = false_breakout_rate(FB_LEVEL, signals, 2, reference=ref)
    assert (res.estimate, res.nobs, int(res.table["n_excluded"].iloc[0])) == (0.5, 2, 1)


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


# --------------------------------------------------------------------------- giveback
def test_giveback_hand_example():
    wealth = series([1.0, 1.0, 2.0, 1.6, 1.4, 1.5])
    events = flags(6, [1, 2, 4])
    res = giveback(wealth, events, move_window=2, horizon=3, fraction=0.5)
    ev = res.data
    # event at 2: move 2-1 = 1, target 1.5, reached at position 4 (1.4 <= 1.5)
    assert ev.loc[wealth.index[2], "move"] == pytest.approx(1.0)
    assert ev.loc[wealth.index[2], "target"] == pytest.approx(1.5)
    assert ev.loc[wealth.index[2], "date_reached"] == wealth.index[4]
    assert ev.loc[wealth.index[2], "periods_to_giveback"] == 2.0
    # event at 1: no 2-period history; event at 4: only 1 period after -> both excluded
    assert ev["complete"].tolist() == [False, True, False]
    assert (res.estimate, res.nobs, int(res.table["n_excluded"].iloc[0])) == (1.0, 1, 2)


def test_giveback_not_reached():
    wealth = series([1.0, 2.0, 1.9, 1.8, 1.7])
    res = giveback(wealth, flags(5, [1]), move_window=1, horizon=3, fraction=0.5)
    assert res.estimate == 0.0 and res.nobs == 1
    assert pd.isna(res.data["date_reached"].iloc[0])


def test_giveback_rejects_fraction():
    with pytest.raises(ParameterError, match=r"fraction must be > 0 and <= 1; got 1\.5"):
        giveback(series([1.0, 2.0]), flags(2, [1]), 1, 1, fraction=1.5)


# --------------------------------------------------------------------------- round numbers
def test_level_episodes_hand_example():
    close = series([95, 98.5, 101, 99, 97, 99, 100.5, 101, 102, 96, 97.5, 98.5, 99])
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
    close = series([99.0, 101.0, 102.0])
    assert level_episodes(close, 100.0, 0.02, 1).empty


def test_level_episodes_jump_through_counts_toward_hold():
    close = series([90.0, 101.0, 90.0])
    out = level_episodes(close, 100.0, 0.02, 1)
    assert out["outcome"].tolist() == ["break"]
    assert out["decision_date"].iloc[0] == close.index[1]


@pytest.mark.parametrize(
    "step, expected",
    [pytest.param(1000, [2000.0, 3000.0], id="thousands"), pytest.param(500, [1500.0, 2000.0, 2500.0], id="halves")],
)
def test_round_levels(step, expected):
    assert round_levels(series([1450.0, 2100.0, 1980.0]), step) == expected


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
        level_episodes(series([90.0, 99.0]), **args)


# --------------------------------------------------------------------------- event_study
# (merged with event_forward_table)
def test_event_study_descriptive_hand_example():
    r = series([0.0, 0.1, 0.0, -0.1, 0.2, 0.0])
    events = flags(6, [0, 2, 5])
    res = event_study(r, events, [1, 2], periods_per_year=12, bootstrap=False)
    assert isinstance(res, Estimates) and res.method.kind == "descriptive"
    out = res.table
    assert out.index.name == "horizon" and out.index.tolist() == [1, 2]
    h1 = out.loc[1]
    # h=1: forward at 0 -> 0.1, at 2 -> -0.1, at 5 -> NaN (incomplete)
    assert h1["nobs"] == 2 and h1["n_incomplete"] == 1
    assert h1["estimate"] == pytest.approx(0.0)
    assert h1["share_positive"] == pytest.approx(0.5)
    all_h1 = np.array([0.1, 0.0, -0.1, 0.2, 0.0])
    assert h1["nobs_all"] == 5 and h1["mean_all"] == pytest.approx(all_h1.mean())
    assert h1["diff"] == pytest.approx(0.0 - all_h1.mean())
    assert h1["mean_all_ann"] == pytest.approx((1 + all_h1.mean()) ** 12 - 1)
    assert np.isnan(h1["ci_lower"]) and np.isnan(h1["t"])
    h2 = out.loc[2]
    # h=2: at 0 -> 1.1*1.0-1 = 0.1, at 2 -> 0.9*1.2-1 = 0.08
    assert h2["estimate"] == pytest.approx(0.09)
    assert h2["estimate_ann"] == pytest.approx(1.09**6 - 1)


def test_event_study_against_hand_computation_and_arch():
    from arch.bootstrap import IIDBootstrap, StationaryBootstrap

    rng = np.random.default_rng(3)
    idx = pd.date_range("2000-01-31", periods=120, freq="ME")
    r = pd.Series(rng.normal(0.005, 0.03, 120), index=idx)
    ev = pd.Series(False, index=idx)
    ev.iloc[[5, 30, 55, 80, 110]] = True
    res = event_study(r, ev, [1, 3], reps=500, seed=1)
    table = res.table
    for i, h in enumerate((1, 3)):
        fwd = forward_returns(r, h)
        expected_events = fwd[ev].dropna()
        assert table.loc[h, "nobs"] == len(expected_events)
        assert table.loc[h, "estimate"] == pytest.approx(expected_events.mean())
        assert table.loc[h, "mean_all"] == pytest.approx(fwd.dropna().mean())
        assert table.loc[h, "diff"] == pytest.approx(expected_events.mean() - fwd.dropna().mean())
        assert table.loc[h, "diff_lower"] <= table.loc[h, "diff"] <= table.loc[h, "diff_upper"]
        ev_stats = IIDBootstrap(expected_events.to_numpy(), seed=1 + 1000 + i).apply(np.mean, reps=500).ravel()
        all_stats = StationaryBootstrap(2 * h, fwd.dropna().to_numpy(), seed=1 + i).apply(np.mean, reps=500).ravel()
        assert table.loc[h, "ci_lower"] == np.percentile(ev_stats, 2.5)
        assert table.loc[h, "ci_upper"] == np.percentile(ev_stats, 97.5)
        assert table.loc[h, "std_err"] == pytest.approx(np.std(ev_stats, ddof=1))
        assert table.loc[h, "diff_lower"] == np.percentile(ev_stats - all_stats, 2.5)
    # event at index 110 has no complete 12-period window
    assert event_study(r, ev, [12], reps=200).table.loc[12, "nobs"] == 4
    again = event_study(r, ev, [1, 3], reps=500, seed=1)
    pd.testing.assert_frame_equal(table, again.table)
    rec = json.loads(json.dumps(res.to_record()))
    assert rec["rows"]["3"]["estimate"] == table.loc[3, "estimate"]
    assert rec["method"]["bootstrap"] == "iid" and rec["method"]["reps"] == 500
    assert "iid bootstrap" in res.summary() and "seed 1" in res.summary()


def test_event_study_rejects_unknown_event_dates():
    r = series([0.0, 0.1, 0.0])
    events = pd.Series([True], index=pd.to_datetime(["2030-01-01"]))
    with pytest.raises(ParameterError, match=r"events has True dates not in the data's index"):
        event_study(r, events, [1])


def test_event_study_rejects_bad_horizons():
    with pytest.raises(ParameterError, match=r"horizons must be a non-empty sequence of integers; got \[\]"):
        event_study(series([0.0, 0.1]), flags(2, [0]), [])
    with pytest.raises(ParameterError, match="horizons"):
        event_study(series([0.0, 0.1]), flags(2, [0]), [0])


def test_block_length_for_the_mean_of_overlapping_returns_covers_more_of_their_autocorrelation():
    """The bootstrap standard error of the mean of overlapping 12-month sums, against its exact value.

    With iid returns the mean of the overlapping sums is a weighted sum of the returns, so its
    standard error is known exactly. Blocks of expected length h understate it by about a fifth;
    2h (what event_study uses) recovers much of that.
    """
    from arch.bootstrap import StationaryBootstrap

    h, n = 12, 480
    m = n - h + 1
    exact_se = float(np.sqrt(np.sum((np.convolve(np.ones(m), np.ones(h)) / m) ** 2)))
    ratios = {1: [], 2: []}
    rng = np.random.default_rng(0)
    for k in range(20):
        sums = np.convolve(rng.normal(0, 1, n), np.ones(h), mode="valid")
        for f in ratios:
            ratios[f].append(StationaryBootstrap(f * h, sums, seed=k).apply(np.mean, reps=300).std(ddof=1) / exact_se)
    assert np.mean(ratios[1]) < 0.9
    assert np.mean(ratios[2]) > np.mean(ratios[1]) + 0.03
