"""Policy-rate path and turning points on hand-made rate paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import fed


def steps(start: str, end: str, changes: dict[str, float], initial: float) -> pd.Series:
    """A daily step path: ``initial`` until each date in ``changes``, then that level."""
    idx = pd.date_range(start, end, freq="D", name="date")
    s = pd.Series(initial, index=idx, dtype=float)
    for d, level in sorted(changes.items()):
        s[s.index >= pd.Timestamp(d)] = level
    return s


def events(tp: pd.DataFrame, kind: str) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in tp.loc[tp["kind"] == kind, "date"]]


# --------------------------------------------------------------------------- turning points
def test_simple_cycle_last_hike_first_cut_first_hike():
    r = steps("2000-01-01", "2003-12-31",
              {"2000-03-01": 1.25, "2000-05-01": 1.5, "2000-07-01": 1.75,   # hikes
               "2001-01-15": 1.5, "2001-03-01": 1.0,                         # cuts
               "2002-06-01": 1.25}, 1.0)                                      # hike again
    tp = fed.turning_points(r, pause_months=6)
    # the hike of 2002-06 is followed by 19 flat months to the end of the data: an open cycle in a pause
    assert events(tp, "last_hike") == ["2000-07-01", "2002-06-01"]
    assert events(tp, "first_cut") == ["2001-01-15"]
    assert events(tp, "first_hike") == ["2002-06-01"]
    assert list(tp.columns) == ["date", "kind", "rate", "change", "after", "months_to_next_move"]
    row = tp[tp["kind"] == "first_cut"].iloc[0]
    assert row["rate"] == 1.5 and row["change"] == pytest.approx(-0.25)
    # the first move of the data (2000-03-01) is not a first hike: what came before is unknown
    assert "2000-03-01" not in events(tp, "first_hike")


def test_inter_meeting_cut_is_one_easing_cycle():
    # hikes, then a scheduled cut and an inter-meeting cut two weeks later, then more cuts
    r = steps("2019-01-01", "2020-12-31",
              {"2019-02-01": 2.25, "2019-04-01": 2.5,
               "2020-03-04": 2.0, "2020-03-16": 1.0, "2020-05-01": 0.25}, 2.0)
    tp = fed.turning_points(r)
    assert events(tp, "first_cut") == ["2020-03-04"]
    assert events(tp, "last_hike") == ["2019-04-01"]
    assert events(tp, "first_hike") == []


def test_long_pause_between_last_hike_and_first_cut():
    r = steps("2022-01-01", "2025-12-31",
              {"2022-03-17": 0.5, "2022-06-16": 1.75, "2022-12-15": 4.5, "2023-07-27": 5.5,   # last hike
               "2024-09-19": 5.0, "2024-11-08": 4.75}, 0.25)                # 14 flat months, then cuts
    tp = fed.turning_points(r, pause_months=12)
    assert events(tp, "last_hike") == ["2023-07-27"]
    assert events(tp, "first_cut") == ["2024-09-19"]
    pauses = tp[tp["kind"] == "pause_start"]
    # day after the last hike; and the open pause at the end
    assert events(tp, "pause_start") == ["2023-07-28", "2024-11-09"]
    assert list(pauses["after"]) == ["hike", "cut"]
    assert pauses.iloc[0]["rate"] == 5.5
    assert pauses.iloc[0]["months_to_next_move"] == pytest.approx(
        (pd.Timestamp("2024-09-19") - pd.Timestamp("2023-07-27")).days / (365.25 / 12))


def test_pause_inside_a_hiking_cycle_does_not_end_it():
    # 2015-2018: one hike, a 12-month pause, more hikes, then a cut
    r = steps("2015-01-01", "2020-01-31",
              {"2015-12-16": 0.5, "2016-12-14": 0.75, "2017-03-16": 1.0, "2018-12-20": 2.5, "2019-08-01": 2.25}, 0.25)
    tp = fed.turning_points(r, pause_months=6)
    assert events(tp, "last_hike") == ["2018-12-20"]
    assert events(tp, "first_cut") == ["2019-08-01"]
    assert "2015-12-17" in events(tp, "pause_start")
    assert "2017-03-17" in events(tp, "pause_start")  # 21 months to the next move


def test_open_cycle_at_the_end_needs_a_pause_to_call_the_last_hike():
    base = {"2020-02-01": 1.25, "2020-04-01": 1.5}
    short = steps("2020-01-01", "2020-08-31", base, 1.0)  # 5 months after the last move
    assert events(fed.turning_points(short, pause_months=6), "last_hike") == []
    long = steps("2020-01-01", "2020-12-31", base, 1.0)  # 9 months after
    assert events(fed.turning_points(long, pause_months=6), "last_hike") == ["2020-04-01"]


def test_small_changes_are_ignored_but_add_up():
    # effective-rate noise of 10 bp never makes a move; two 15 bp steps make one
    r = steps("2000-01-01", "2000-12-31", {"2000-02-01": 1.1, "2000-03-01": 1.0, "2000-04-01": 1.15,
                                           "2000-06-01": 1.3}, 1.0)
    tp = fed.turning_points(r, min_move=0.25, pause_months=3)
    assert events(tp, "pause_start") == ["2000-06-02"]
    assert tp[tp["kind"] == "pause_start"].iloc[0]["rate"] == pytest.approx(1.3)


def test_min_swing_absorbs_a_single_move_against_the_trend():
    # hikes, one 25 bp dip and back up, more hikes, then a real easing of 75 bp
    r = steps("2000-01-01", "2002-12-31",
              {"2000-02-01": 1.25, "2000-03-01": 1.5, "2000-04-01": 1.25, "2000-05-01": 1.5, "2000-06-01": 2.0,
               "2001-01-01": 1.75, "2001-02-01": 1.25}, 1.0)
    every = fed.turning_points(r, pause_months=6)
    assert events(every, "first_cut") == ["2000-04-01", "2001-01-01"]
    swing = fed.turning_points(r, pause_months=6, min_swing=0.5)
    assert events(swing, "first_cut") == ["2001-01-01"]
    assert events(swing, "last_hike") == ["2000-06-01"]
    assert events(swing, "first_hike") == []


def test_monthly_path_and_sorting():
    idx = pd.date_range("2000-01-31", periods=30, freq="ME", name="date")
    r = pd.Series([1.0] * 3 + [1.25, 1.5] + [1.5] * 10 + [1.0] * 15, index=idx)
    tp = fed.turning_points(r, pause_months=6)
    assert events(tp, "last_hike") == ["2000-05-31"]
    assert events(tp, "pause_start") == ["2000-06-30", "2001-05-31"]  # the month after the last hike; after the cut
    assert tp["date"].is_monotonic_increasing


def test_no_moves_gives_an_empty_table():
    r = steps("2000-01-01", "2000-12-31", {}, 2.0)
    tp = fed.turning_points(r)
    assert tp.empty and list(tp.columns) == ["date", "kind", "rate", "change", "after", "months_to_next_move"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_move": 0}, "min_move must be > 0"),
        ({"pause_months": 0}, "pause_months must be an integer >= 1"),
        ({"min_swing": 0.1}, "min_swing must be >= 0.25"),
    ],
)
def test_turning_points_errors(kwargs, message):
    r = steps("2000-01-01", "2000-12-31", {}, 2.0)
    with pytest.raises(ParameterError, match=message):
        fed.turning_points(r, **kwargs)


def test_turning_points_needs_a_datetime_index():
    with pytest.raises(ParameterError, match="rate must have a DatetimeIndex"):
        fed.turning_points(pd.Series([1.0, 1.25, 1.5]))


# --------------------------------------------------------------------------- policy rate
def test_quantize_with_hysteresis_suppresses_flips():
    idx = pd.date_range("2000-01-01", periods=8, freq="D")
    x = pd.Series([5.30, 5.40, 5.36, 5.42, 5.33, 5.55, 5.45, 5.20], index=idx)
    plain = fed.quantize_with_hysteresis(x, 0.25, hysteresis=0.5)
    assert list(plain) == [5.25, 5.5, 5.25, 5.5, 5.25, 5.5, 5.5, 5.25]
    sticky = fed.quantize_with_hysteresis(x, 0.25, hysteresis=0.75)
    # level 5.25 until x is >= 0.1875 away (5.45 at position 6? no: 5.55 at position 5), then 5.50
    assert list(sticky) == [5.25, 5.25, 5.25, 5.25, 5.25, 5.5, 5.5, 5.25]
    with pytest.raises(ParameterError, match="hysteresis must be >= 0.5 and <= 2"):
        fed.quantize_with_hysteresis(x, 0.25, hysteresis=0.2)


def test_policy_rate_switches_to_the_target_and_smooths_before():
    eff = steps("2008-01-01", "2009-03-31", {"2008-06-01": 1.0}, 2.0)
    rng = np.random.default_rng(0)
    eff = eff + rng.uniform(-0.08, 0.08, len(eff))  # noise well inside the band
    tgt = steps("2008-12-16", "2009-03-31", {}, 0.25)
    pr = fed.policy_rate(tgt, eff, window=21)  # odd: an even window averages the two middle values at a step
    assert pr.name == "policy_rate" and pr.attrs["switch_date"] == pd.Timestamp("2008-12-16")
    before = pr.loc[:"2008-12-15"]
    assert set(before.round(2)) == {2.0, 1.0}
    # the trailing median switches about window/2 days after the step
    switch = before[before == 1.0].index[0]
    assert pd.Timestamp("2008-06-08") <= switch <= pd.Timestamp("2008-06-14")
    assert (pr.loc["2008-12-16":] == 0.25).all()
    # centred: the step is dated where it happened (within a day or two)
    centred = fed.policy_rate(tgt, eff, window=21, center=True)
    c_switch = centred[centred == 1.0].index[0]
    assert abs((c_switch - pd.Timestamp("2008-06-01")).days) <= 2
    # target only used from its first date; without a target the effective path runs to the end
    alone = fed.policy_rate(None, eff, window=20)
    assert alone.index[-1] == eff.index[-1] and alone.attrs["switch_date"] is None


def test_policy_rate_trailing_is_known_at_t():
    eff = steps("2000-01-01", "2000-12-31", {"2000-05-01": 3.0, "2000-09-01": 2.5}, 2.0)
    full = fed.policy_rate(None, eff, window=20)
    cut = fed.policy_rate(None, eff.loc[:"2000-07-15"], window=20)
    pd.testing.assert_series_equal(full.loc[:"2000-07-15"], cut)


def test_policy_rate_errors():
    eff = steps("2000-01-01", "2000-03-31", {}, 2.0)
    with pytest.raises(ParameterError, match="window must be an integer >= 1"):
        fed.policy_rate(None, eff, window=0)
    with pytest.raises(ParameterError, match="effective must contain at least one non-NaN value"):
        fed.policy_rate(None, eff * np.nan)
    with pytest.raises(ParameterError, match="center must be True or False"):
        fed.policy_rate(None, eff, center="yes")


# --------------------------------------------------------------------------- recessions
def test_near_recession_window():
    idx = pd.date_range("2000-01-31", "2003-12-31", freq="ME")
    usrec = pd.Series(0.0, index=idx)
    usrec["2001-04-30":"2001-11-30"] = 1.0
    ev = ["2000-10-15", "2000-09-30", "2002-05-20", "2002-06-01", "2001-06-15"]
    got = fed.near_recession(ev, usrec, months=6)
    # 2000-10 +6 = 2001-04 (recession) -> True; 2000-09 +6 = 2001-03 -> False;
    # 2002-05 -6 = 2001-11 -> True; 2002-06 -6 = 2001-12 -> False; inside -> True
    assert list(got) == [True, False, True, False, True]
    assert got.name == "recession"
    assert list(fed.near_recession(ev, usrec, months=0)) == [False, False, False, False, True]


def test_a_cut_after_a_technical_adjustment_is_dated_on_its_day():
    """1989: 9.75, a 1/16 adjustment to 9.8125, then a 25 bp cut to 9.5625 (06-06) and another (07-07).

    Measured from the last move's level (9.75) the 06-06 cut is only 0.1875 and the first cut came a month
    late (07-07); measured from the target in force it is a 25 bp cut on its day.
    """
    r = steps("1988-06-01", "1990-12-31", {"1989-02-24": 9.75, "1989-05-17": 9.8125, "1989-06-06": 9.5625,
                                            "1989-07-07": 9.3125, "1989-07-27": 9.0625}, 9.3125)
    tp = fed.turning_points(r, min_move=0.25, pause_months=6, min_swing=0.25)
    assert events(tp, "last_hike") == ["1989-02-24"]
    assert events(tp, "first_cut") == ["1989-06-06"]
    cut = tp[tp["kind"] == "first_cut"].iloc[0]
    assert cut["rate"] == 9.5625 and cut["change"] == pytest.approx(-0.25)  # from the target in force
    # small changes still add up to a move: 8.125 -> 8.25 -> 8.375 is a hike on the second 1/8 step
    r = steps("1984-12-01", "1986-12-31", {"1985-01-24": 8.25, "1985-02-14": 8.375, "1985-04-25": 8.125}, 8.125)
    tp = fed.turning_points(r, min_move=0.25, pause_months=6, min_swing=0.25)
    hike = tp[tp["kind"] == "last_hike"].iloc[0]
    assert events(tp, "last_hike") == ["1985-02-14"] and hike["change"] == pytest.approx(0.25)
    assert events(tp, "first_cut") == ["1985-04-25"]


# --------------------------------------------------------------------------- the official target
def test_official_target_redates_range_moves_to_the_decision_day():
    single = steps("2008-11-01", "2008-12-15", {"2008-12-01": 1.0}, 1.5)
    upper = steps("2008-12-16", "2009-12-31", {"2009-06-18": 0.5}, 0.25)  # effective the day after a 06-17 decision
    path = fed.official_target(single, upper)
    assert path.name == "policy_target" and path.index.is_unique and path.index.is_monotonic_increasing
    assert path["2008-12-15"] == 1.0 and path["2008-12-16"] == 0.25  # the range's first day keeps its date
    assert path["2009-06-17"] == 0.5 and path["2009-06-16"] == 0.25
    assert path.index[-1] == pd.Timestamp("2009-12-30")
    with pytest.raises(ParameterError, match="decision_lag_days"):
        fed.official_target(single, upper, decision_lag_days=-1)
    with pytest.raises(ParameterError, match="DFEDTAR"):
        fed.official_target(single.iloc[:0], upper)


FOMC_FACTS = {  # the FOMC record (decision dates)
    "last_hike": ["1995-02-01", "2006-06-29", "2023-07-26"],
    "first_cut": ["1998-09-29", "2007-09-18", "2019-07-31", "2024-09-18"],
}


@pytest.mark.snapshot
def test_turning_points_of_the_official_target_match_the_fomc_record(snapshot_env):
    from rotation.data import load

    path = fed.official_target(load("DFEDTAR"), load("DFEDTARU"))
    tp = fed.turning_points(path)
    for kind, dates in FOMC_FACTS.items():
        found = set(events(tp, kind))
        assert set(dates) <= found, f"{kind}: missing {sorted(set(dates) - found)}"
    # no turning point before the published target exists
    assert tp["date"].min() >= pd.Timestamp("1982-09-27")


def test_moves_equal_a_loop_over_timestamps():
    """fed._moves walks plain floats; the moves equal those of the direct loop over (Timestamp, value) pairs."""
    from rotation.studies.fed import _EPS, _moves

    rng = np.random.default_rng(3)
    days = pd.bdate_range("1990-01-01", periods=3000)
    steps = np.where(rng.uniform(size=3000) < 0.02, rng.choice([-0.5, -0.25, 0.25, 0.5, 0.1], 3000), 0.0)
    rate = pd.Series(5.0 + np.cumsum(steps), index=days)
    rate.iloc[100:105] = np.nan
    expected, ref = [], rate.to_numpy()[0]
    valid = rate.dropna()  # the level in force is the last observation
    for d, prev, v in zip(valid.index[1:], valid.to_numpy()[:-1], valid.to_numpy()[1:], strict=True):
        if abs(v - prev) >= 0.25 - _EPS or abs(v - ref) >= 0.25 - _EPS:
            expected.append((d, float(v), float(v - prev if abs(v - prev) > abs(v - ref) else v - ref)))
            ref = v
    got = _moves(rate, 0.25)
    assert len(got) > 20 and got == expected
