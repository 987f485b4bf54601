"""Sector helpers: rotation quadrants on a made-up ratio path, episodes without look-ahead, breadth with
missing early history, Friday closes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import sectors as se


def weeks(n, start="2010-01-01"):
    return pd.date_range(start, periods=n, freq="W-FRI", name="date")


def test_quadrant_transitions_follow_level_and_momentum():
    assert se.quadrant(101, 101) == "leading" and se.quadrant(101, 99) == "weakening"
    assert se.quadrant(99, 99) == "lagging" and se.quadrant(99, 101) == "improving"
    assert se.quadrant(np.nan, 100) is None
    # a ratio that rises, tops, falls and recovers walks leading -> weakening -> lagging -> improving
    t = np.arange(600)
    ratio = pd.Series(np.exp(0.3 * np.sin(2 * np.pi * t / 156)), index=weeks(600))
    co = se.rotation_coordinates(ratio, level_window=26, momentum_window=6, z_window=156)
    seq = [q for q in co["quadrant"].dropna()]
    order = {"leading": 0, "weakening": 1, "lagging": 2, "improving": 3}
    changes = [(a, b) for a, b in zip(seq, seq[1:], strict=False) if a != b]
    assert changes, "the quadrant never changes"
    assert all((order[b] - order[a]) % 4 == 1 for a, b in changes), changes  # clockwise, one step at a time


def test_rotation_coordinates_use_no_future_data():
    rng = np.random.default_rng(0)
    ratio = pd.Series(np.exp(np.cumsum(rng.normal(0, 0.02, 400))), index=weeks(400))
    a = se.rotation_coordinates(ratio)
    b_ratio = ratio.copy()
    b_ratio.iloc[300:] *= 3
    b = se.rotation_coordinates(b_ratio)
    pd.testing.assert_frame_equal(a.iloc[:300], b.iloc[:300])


def test_drawdown_episodes_need_a_new_high_and_no_look_ahead():
    r = pd.Series([1.0, 1.1, 1.2, 1.05, 1.0, 1.1, 1.15, 1.3, 1.1, 1.0], index=weeks(10))
    ep = se.drawdown_episodes(r, 0.10)
    assert list(ep["date"]) == [r.index[3], r.index[8]]  # 1.05/1.2 = -12.5%; then a new high at 1.3, 1.1/1.3
    assert ep["peak_date"].iloc[0] == r.index[2]
    cut = se.drawdown_episodes(r.iloc[:6], 0.10)
    assert list(cut["date"]) == [r.index[3]]
    with pytest.raises(ParameterError, match="threshold"):
        se.drawdown_episodes(r, 10)
    # with a 3-week peak window the old high drops out: a fall from the recent high counts again
    r2 = pd.Series([1.2, 1.0, 1.0, 1.0, 1.0, 0.85, 0.8], index=weeks(7))
    assert list(se.drawdown_episodes(r2, 0.10)["date"]) == [r2.index[1]]
    assert list(se.drawdown_episodes(r2, 0.10, window=3)["date"]) == [r2.index[1], r2.index[5]]


def test_breadth_with_missing_early_history():
    idx = weeks(4)
    sec = pd.DataFrame({"A": [0.1, 0.1, 0.1, 0.1], "B": [0.0, 0.0, 0.2, 0.2], "C": [np.nan, np.nan, 0.0, 0.3]},
                       index=idx)
    b = se.breadth(sec, pd.Series(0.05, index=idx), min_sectors=2)
    assert list(b["n_sectors"]) == [2, 2, 3, 3]
    assert b["share_beating"].tolist() == [0.5, 0.5, pytest.approx(2 / 3), 1.0]
    assert b["ew_minus_bench"].iloc[2] == pytest.approx(0.1 - 0.05)
    b3 = se.breadth(sec, pd.Series(0.05, index=idx), min_sectors=3)
    assert b3["share_beating"].iloc[:2].isna().all()


def test_friday_closes_and_single_name():
    days = pd.bdate_range("2020-01-01", periods=400)
    rng = np.random.default_rng(1)
    idx_px = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, 400))), index=days)
    stock = idx_px * np.exp(np.cumsum(rng.normal(0, 0.03, 400)))
    w = se.friday_closes(pd.concat({"i": idx_px, "s": stock}, axis=1))
    assert (w.index.day_of_week == 4).all()
    assert w["i"].iloc[0] == idx_px.loc[:w.index[0]].iloc[-1]
    prof = se.single_name_profile(w["s"], w["i"])
    assert 0 < prof["r_squared"] < 1 and prof["idiosyncratic_share"] == pytest.approx(1 - prof["r_squared"])
    assert prof["max_drawdown"] < 0


def test_event_forward_table_against_all_dates():
    idx = weeks(300)
    fwd = pd.Series(0.0, index=idx)
    events = idx[[20, 60, 100, 140, 180]]
    fwd[events] = 0.05
    tab = se.event_forward_table({13: fwd}, events, reps=200).table
    assert tab.loc[13, "nobs"] == 5 and tab.loc[13, "mean_events"] == pytest.approx(0.05)
    assert tab.loc[13, "estimate"] == pytest.approx(0.05 - fwd.mean())


def test_event_forward_table_drops_events_before_the_forward_series_begins():
    idx = weeks(300)
    fwd = pd.Series(0.0, index=idx[50:])  # the returns start at week 50
    events = idx[[20, 60, 100]]
    fwd[events[1:]] = 0.05
    est = se.event_forward_table({13: fwd}, events, reps=200)
    tab = est.table
    assert tab.loc[13, "nobs"] == 2 and tab.loc[13, "mean_events"] == pytest.approx(0.05)  # not week 50's 0.0
    assert est.extra["dropped"] == [idx[20]] and est.extra["first_date"] == idx[50]
    assert (tab.loc[13, "start"], tab.loc[13, "end"]) == (idx[50], idx[-1])
