"""Calendar windows from the data's own calendar: holidays, half years, missing days, no look-ahead.

The studies built on them (window_study, january_after_prior_year) are tested in test_year_end.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import seasonality as ss

HOLIDAYS = pd.to_datetime(["2020-12-25", "2021-01-01", "2021-12-24", "2021-12-31", "2022-12-26", "2023-01-02"])


def calendar(start="2020-06-01", end="2023-06-30"):
    """Weekdays minus a few made-up holidays: the only calendar the functions may use."""
    days = pd.bdate_range(start, end, name="date")
    return days[~days.isin(HOLIDAYS)]


def test_santa_claus_windows_follow_the_data_calendar():
    w = ss.year_end_windows(calendar(), 5, 2)
    assert list(w.index) == [2021, 2022, 2023]
    # 2020-12: last five trading days skip the 25th; January skips the 1st
    assert w.loc[2021, "start"] == pd.Timestamp("2020-12-24") and w.loc[2021, "end"] == pd.Timestamp("2021-01-05")
    # 2021-12-24 and 31 are holidays here: the last five trading days are 23, 27, 28, 29, 30
    assert w.loc[2022, "start"] == pd.Timestamp("2021-12-23") and w.loc[2022, "end"] == pd.Timestamp("2022-01-04")
    assert (w["days"] == 7).all() and w["complete"].all()


def test_half_years_are_flagged_not_shortened():
    # data that start mid-December still hold the last five December days: complete
    assert ss.year_end_windows(calendar("2020-12-21", "2023-01-03"), 5, 2).loc[2021, "complete"]
    w = ss.year_end_windows(calendar("2020-12-28", "2023-01-03"), 5, 2)
    assert not w.loc[2021, "complete"] and w.loc[2021, "days"] < 7  # only 4 December days in the data
    assert not w.loc[2023, "complete"] and w.loc[2023, "days"] == 6  # 2023-01-02 holiday; data end on the 3rd
    assert w.loc[2022, "complete"]
    # the sample ends inside December: that window is flagged
    w = ss.year_end_windows(calendar("2020-06-01", "2022-12-28"), 5, 2)
    assert not w.loc[2023, "complete"]


def test_window_returns_compound_and_flag_missing_days():
    idx = calendar()
    r = pd.DataFrame({"small": 0.01, "large": 0.0}, index=idx)
    r.loc["2022-01-03", "small"] = np.nan
    w = ss.year_end_windows(idx, 5, 2)
    out = ss.window_returns(r, w)
    assert out.loc[2021, "small"] == pytest.approx(1.01 ** 7 - 1)
    assert out.loc[2021, "complete"] and not out.loc[2022, "complete"] and np.isnan(out.loc[2022, "small"])


def test_nov_jan_windows():
    idx = calendar()
    w = ss.calendar_windows(idx, 11, 1)
    assert w.loc[2021, "start"] == pd.Timestamp("2020-11-02") and w.loc[2021, "end"] == pd.Timestamp("2021-01-29")
    assert w.loc[2021, "complete"] and w.loc[2022, "complete"]
    assert w.loc[2023, "complete"] and 2024 not in w.index
    cut = ss.calendar_windows(calendar("2020-06-01", "2022-12-15"), 11, 1)
    assert not cut.loc[2023, "complete"]  # the data end inside the window


def test_same_length_windows_exclude_the_tested_windows():
    idx = calendar()
    r = pd.Series(0.001, index=idx)
    w = ss.year_end_windows(idx, 5, 2)
    all7 = ss.same_length_windows(r, 7)
    other = ss.same_length_windows(r, 7, exclude=w)
    assert len(all7) == len(idx) - 6
    # each 7-day window overlaps 13 rolling windows (6 before + itself + 6 after)
    assert len(all7) - len(other) == 13 * len(w)
    assert other.index.intersection(w["end"]).empty


def test_turn_of_year_paths_offsets():
    idx = calendar()
    r = pd.Series(np.arange(len(idx), dtype=float), index=idx)
    p = ss.turn_of_year_paths(r, 3, 2)
    assert list(p.columns) == [-3, -2, -1, 1, 2]
    last_dec = idx.get_loc(pd.Timestamp("2020-12-31"))
    assert p.loc[2021, -1] == last_dec and p.loc[2021, 1] == last_dec + 1


def test_trailing_at_uses_only_data_up_to_the_date():
    idx = pd.date_range("2000-01-31", periods=36, freq="ME")
    r = pd.Series(0.01, index=idx)
    dates = pd.DatetimeIndex(["2001-12-31", "2002-12-31"])
    a = ss.trailing_at(r, dates, 12)
    perturbed = r.copy()
    perturbed[perturbed.index > "2001-12-31"] = 0.5  # changes after the first split date
    b = ss.trailing_at(perturbed, dates, 12)
    assert a.iloc[0] == b.iloc[0] == pytest.approx(1.01 ** 12 - 1)
    assert a.iloc[1] != b.iloc[1]
    assert np.isnan(ss.trailing_at(r, pd.DatetimeIndex(["2000-06-30"]), 12).iloc[0])


@pytest.mark.parametrize("kw,match", [
    ({"days_before": 0, "days_after": 0}, "both 0"),
    ({"days_before": -1}, "days_before must be a whole number"),
    ({"days_after": 2.5}, "days_after must be a whole number"),
    ({"days_before": 100}, "from 0 to 60"),
])
def test_bad_window_definitions(kw, match):
    with pytest.raises(ParameterError, match=match):
        ss.year_end_windows(calendar(), **kw)


def _monthly(n=480, seed=0, jan=0.02):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1960-01-31", periods=n, freq="ME", name="date")
    return pd.Series(rng.normal(0, 0.03, n), index=idx) + jan * (idx.month == 1)


def test_month_dummy_regression_matches_statsmodels_and_group_means():
    import statsmodels.api as sm

    y = _monthly()
    res = ss.month_of_year_means(y, maxlags=6)
    table, joint = res.table, res.extra["joint_test"]
    np.testing.assert_allclose(table["estimate"].to_numpy(), y.groupby(y.index.month).mean().to_numpy())
    X = pd.get_dummies(y.index.month).astype(float).set_index(y.index)
    ref = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": 6})
    np.testing.assert_allclose(table["std_err"].to_numpy(), ref.bse.to_numpy())
    # the joint test by hand: R b ~ chi2(11) with the HAC covariance
    R = np.hstack([np.eye(11), -np.ones((11, 1))])
    rb = R @ ref.params.to_numpy()
    stat = float(rb @ np.linalg.solve(R @ ref.cov_params().to_numpy() @ R.T, rb))
    assert joint["statistic"] == pytest.approx(stat) and joint["df"] == 11 and joint["p_value"] < 1e-3
    assert list(table.columns[:7]) == ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs"]


def test_january_dummy_and_eras():
    y = _monthly(jan=0.03)
    jan = pd.Series((y.index.month == 1).astype(float), index=y.index)
    row = ss.dummy_effect(y, jan, maxlags=6)
    assert row["estimate"] == pytest.approx(y[y.index.month == 1].mean() - y[y.index.month != 1].mean())
    assert row["ci_lower"] > 0 and row["n_dummy"] == 40
    eras = ss.by_era(y, jan, {"early": (None, "1979-12-31"), "late": ("1980-01-01", None)}, maxlags=6).table
    assert list(eras.index) == ["full sample", "early", "late"] and (eras["nobs"].iloc[1:] == 240).all()
    with pytest.raises(ParameterError, match="constant"):
        ss.dummy_effect(y, jan * 0, maxlags=6)


def _year_differences_by_mask(window, others, window_ends):
    """The benchmark by boolean masks over every window end (the definition, without bisection)."""
    out = {}
    for y, end in window_ends.items():
        if y not in window.index or not np.isfinite(window.loc[y]):
            continue
        seg = others[(others.index > end - pd.DateOffset(years=1)) & (others.index <= end)]
        if len(seg):
            out[y] = float(window.loc[y]) - float(seg.mean())
    return pd.Series(out, name="window minus other windows", dtype=float).rename_axis("year")


@pytest.mark.parametrize("shuffled", [False, True], ids=["sorted", "shuffled"])
def test_year_differences_equal_the_masked_definition(shuffled):
    rng = np.random.default_rng(4)
    days = pd.bdate_range("1990-01-01", "2004-12-31")
    r = pd.Series(rng.normal(0.0004, 0.01, len(days)), index=days)
    wins = ss.year_end_windows(days, 5, 2)
    wr = ss.window_returns(r, wins)[0]
    others = ss.same_length_windows(r, 7, exclude=wins)
    if shuffled:
        others = others.sample(frac=1.0, random_state=1)
    ends = wins["end"].copy()
    ends.loc[1990] = pd.Timestamp("1989-06-30")  # no other window in the year before: dropped by both
    got = ss.year_differences(wr, others, ends)
    expected = _year_differences_by_mask(wr, others, ends)
    assert len(got) > 10
    pd.testing.assert_series_equal(got, expected, check_exact=True)


def test_year_end_windows_match_a_per_year_scan():
    days = pd.bdate_range("1995-12-15", "2003-01-10").delete([40, 41, 300])
    got = ss.year_end_windows(days, 5, 2)
    for y, row in got.iterrows():
        dec = days[(days.year == y - 1) & (days.month == 12)][-5:]
        jan = days[(days.year == y) & (days.month == 1)][:2]
        both = dec.append(jan)
        assert (row["start"], row["end"], row["days"]) == (both[0], both[-1], len(both))
