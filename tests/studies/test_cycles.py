"""Tests of rotation.studies.cycles.find_swings (zig-zag leadership phases)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies.cycles import PHASE_COLUMNS, find_swings


def _s(values):
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values)), dtype=float, name="lrs")


# Multiples of 1/8 keep the threshold comparisons exact in floating point.
ZIGZAG = _s([0.0, 0.25, 0.75, 0.625, 0.25, 0.125, 0.375, 0.5])


def test_find_swings_hand_example():
    out = find_swings(ZIGZAG, 0.25)
    d = ZIGZAG.index
    assert list(out.columns) == list(PHASE_COLUMNS)
    assert list(out["start"]) == [d[0], d[2], d[5]]
    assert list(out["end"]) == [d[2], d[5], d[7]]
    assert list(out["kind"]) == ["leadership", "laggard", "leadership"]
    assert list(out["periods"]) == [2, 3, 2]
    np.testing.assert_allclose(out["log_change"], [0.75, -0.625, 0.375])
    np.testing.assert_allclose(out["relative_return"], np.expm1([0.75, -0.625, 0.375]))
    assert list(out["confirmed"]) == [True, True, False]
    # peak at day 2 confirmed when the level reached 0.25 (day 4); trough at day 5 confirmed on day 6
    assert out["confirmed_at"].iloc[0] == d[4]
    assert out["confirmed_at"].iloc[1] == d[6]
    assert pd.isna(out["confirmed_at"].iloc[2])


def test_find_swings_first_phase_runs_from_first_observation_to_first_extreme():
    s = _s([0.0, -0.125, 0.25, 0.5])
    out = find_swings(s, 0.25)
    d = s.index
    assert list(out["start"]) == [d[0], d[1]]
    assert list(out["kind"]) == ["laggard", "leadership"]
    assert out["confirmed_at"].iloc[0] == d[2]  # 0.25 - (-0.125) >= 0.25
    assert list(out["confirmed"]) == [True, False]


@pytest.mark.parametrize(
    "values, kind",
    [
        pytest.param([0.0, 0.05, 0.1], "leadership", id="small-rise"),
        pytest.param([0.0, -0.05, -0.1], "laggard", id="small-fall"),
    ],
)
def test_find_swings_without_a_swing_returns_one_unconfirmed_phase(values, kind):
    out = find_swings(_s(values), 0.5)
    assert len(out) == 1
    assert out["kind"].iloc[0] == kind
    assert not out["confirmed"].iloc[0]
    assert out["end"].iloc[0] == _s(values).index[-1]


def test_find_swings_random_walk_invariants():
    rng = np.random.default_rng(7)
    s = _s(np.cumsum(rng.normal(0, 0.01, 1000)))
    out = find_swings(s, 0.05)
    assert len(out) > 3
    # contiguous phases covering the sample
    assert out["start"].iloc[0] == s.index[0] and out["end"].iloc[-1] == s.index[-1]
    assert (out["end"].iloc[:-1].to_numpy() == out["start"].iloc[1:].to_numpy()).all()
    assert out["log_change"].sum() == pytest.approx(s.iloc[-1] - s.iloc[0])
    # alternating kinds; confirmed phases (after the first) move by at least min_swing
    assert (out["kind"].to_numpy()[1:] != out["kind"].to_numpy()[:-1]).all()
    assert (out["log_change"].iloc[1:-1].abs() >= 0.05).all()
    # hindsight: a turning point is confirmed strictly after it happened
    conf = out[out["confirmed"]]
    assert (conf["confirmed_at"] > conf["end"]).all()
    # the peak of a leadership phase is the maximum between its start and its confirmation
    for _, row in out[out["confirmed"] & (out["kind"] == "leadership")].iterrows():
        assert s.loc[row["start"] : row["confirmed_at"]].max() == pytest.approx(row["end_level"])


def test_find_swings_drops_nan():
    s = ZIGZAG.copy()
    s.iloc[3] = np.nan
    out = find_swings(s, 0.25)
    assert out["end"].iloc[0] == s.index[2]


@pytest.mark.parametrize(
    "level, min_swing, match",
    [
        pytest.param(ZIGZAG, 0.0, r"min_swing must be > 0; got 0\.0", id="zero-swing"),
        pytest.param(ZIGZAG, float("nan"), r"min_swing must be a finite number; got nan", id="nan-swing"),
        pytest.param(_s([0.1]), 0.1, r"level must have at least 2 non-NaN values; got 1", id="too-short"),
        pytest.param(ZIGZAG.to_frame(), 0.1, r"level must be a pandas Series; got DataFrame", id="frame"),
    ],
)
def test_find_swings_rejects(level, min_swing, match):
    with pytest.raises(ParameterError, match=match):
        find_swings(level, min_swing)
