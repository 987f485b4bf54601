"""The year-end studies of notebook 04: windows against all other windows, the turn of the year, January after
the prior year and the next window -- each equal to the computation it is built from, on made-up data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.results import Estimates, Results
from rotation.studies import seasonality as ss
from rotation.studies import year_end as ye


def _daily(start="1990-01-01", end="2019-12-31", seed=2, planted=0.004):
    """Business days with small/large returns; +``planted`` a day for small caps in each Santa Claus window."""
    idx = pd.bdate_range(start, end, name="date")
    rng = np.random.default_rng(seed)
    small = pd.Series(rng.normal(0.0, 0.01, len(idx)), index=idx)
    for _, row in ss.year_end_windows(idx, 5, 2).iterrows():
        small.loc[row["start"]:row["end"]] += planted
    return pd.DataFrame({"small": small, "large": pd.Series(rng.normal(0.0, 0.01, len(idx)), index=idx)})


def _monthly(n=480, seed=0, jan=0.02):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1960-01-31", periods=n, freq="ME", name="date")
    return pd.Series(rng.normal(0, 0.03, n), index=idx) + jan * (idx.month == 1)


def test_with_relative_is_the_ratio_aligned_on_the_days():
    daily = pd.DataFrame({"small": [0.10, np.nan, 0.0], "large": [0.0, 0.01, 0.25]},
                         index=pd.bdate_range("2024-01-01", periods=3))
    out = ye.with_relative(daily)
    assert out["relative"].iloc[0] == pytest.approx(0.10) and np.isnan(out["relative"].iloc[1])
    assert out["relative"].iloc[2] == pytest.approx(1 / 1.25 - 1)
    assert "relative" not in daily.columns  # a copy
    with pytest.raises(ParameterError, match="columns small and large"):
        ye.with_relative(daily[["small"]])


def test_window_study_finds_a_planted_year_end_effect_and_not_a_null_one():
    df = _daily()
    w = ss.year_end_windows(df.index, 5, 2)
    out = ye.window_study(df, w, reps=500, seed=1).table
    assert list(out.columns[:7]) == ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs"]
    assert out.loc["small", "ci_lower"] > 0.015 and out.loc["small", "nobs"] == 29
    assert out.loc["large", "ci_lower"] < 0 < out.loc["large", "ci_upper"]
    again = ye.window_study(df, w, reps=500, seed=1).table
    pd.testing.assert_frame_equal(out, again)


def test_seasonal_windows_are_the_window_studies_it_replaced():
    frame = ye.with_relative(_daily())
    eras = {"1990-2004": (None, "2004-12-31"), "2005-now": ("2005-01-01", None)}
    res = ye.seasonal_windows(frame, days_before=5, days_after=2, start_month=11, end_month=1, eras=eras,
                              reps=200, seed=3)
    assert isinstance(res, Results) and list(res) == ["santa_claus", "nov_jan", "by_era"]
    cols = ["small", "large", "relative"]
    santa_w, nj_w = ss.year_end_windows(frame.index, 5, 2), ss.calendar_windows(frame.index, 11, 1)
    assert res["santa_claus"] == ye.window_study(frame[cols], santa_w, reps=200, seed=3)
    assert res["nov_jan"] == ye.window_study(frame[cols], nj_w, reps=200, seed=3)
    # by era: the relative column alone (seed + 0), each window in the era of its January, measured as in the
    # whole sample
    by_era = res["by_era"].table
    assert list(by_era.index) == [("Santa Claus", "1990-2004"), ("Nov-Jan", "1990-2004"),
                                  ("Santa Claus", "2005-now"), ("Nov-Jan", "2005-now")]
    late = [y for y in nj_w.index if y >= 2005]
    expected = ye.window_study(frame[["relative"]], nj_w, years=late, reps=200, seed=3).row("relative")
    pd.testing.assert_series_equal(by_era.loc[("Nov-Jan", "2005-now")].astype(float), expected.astype(float),
                                   check_names=False)
    # the data start on the first business day of 1990 (inside January): that window and the last one are cut
    assert res.extra["incomplete"] == {"santa_claus": int((~santa_w["complete"]).sum()),
                                       "nov_jan": int((~nj_w["complete"]).sum())}
    assert res.extra["incomplete"]["nov_jan"] >= 1
    assert res.data is frame
    assert f"{res['santa_claus'].row('relative')['estimate']:+.2%}" in res.describe()


def test_every_year_end_window_is_in_the_era_of_its_january():
    """The eras' windows add up to the whole sample's: the window from November 2004 to January 2005 straddles the
    boundary and belongs to the era that holds its January (it was dropped from both before)."""
    frame = ye.with_relative(_daily())
    eras = {"1990-2004": (None, "2004-12-31"), "2005-now": ("2005-01-01", None)}
    res = ye.seasonal_windows(frame, eras=eras, reps=50, seed=0)
    for window, whole in (("Santa Claus", res["santa_claus"]), ("Nov-Jan", res["nov_jan"])):
        rows = res["by_era"].table.xs(window, level="window")
        assert rows["nobs"].sum() == whole.row("relative")["nobs"]
    # by hand: complete windows whose January is in 2005 or later
    nj_w = ss.calendar_windows(frame.index, 11, 1)
    late = nj_w[(nj_w.index >= 2005) & nj_w["complete"]]
    assert res["by_era"].table.loc[("Nov-Jan", "2005-now"), "nobs"] == len(late)
    assert late["start"].iloc[0] < pd.Timestamp("2005-01-01")  # the straddling window is kept
    # each era's mean of the per-year differences is the whole sample's, split: the eras partition the years
    whole = res["nov_jan"].row("relative")
    parts = res["by_era"].table.xs("Nov-Jan", level="window")
    assert (parts["estimate"] * parts["nobs"]).sum() / parts["nobs"].sum() == pytest.approx(whole["estimate"])


def test_seasonal_windows_needs_the_relative_column():
    with pytest.raises(ParameterError, match="relative column"):
        ye.seasonal_windows(_daily(), reps=10)


def test_turn_of_year_is_the_mean_path_with_a_hand_checkable_constant_return():
    frame = ye.with_relative(_daily())
    res = ye.turn_of_year(frame, 3, 2, reps=100, seed=0)
    paths = ss.turn_of_year_paths(frame["relative"], 3, 2)
    ref = ye.mean_path(paths, reps=100, seed=0)
    np.testing.assert_array_equal(res.table["estimate"].to_numpy(), ref["estimate"].to_numpy())
    np.testing.assert_array_equal(res.table["ci_lower"].to_numpy(), ref["ci_lower"].to_numpy())
    assert list(res.table.index) == [-3, -2, -1, 1, 2] and res.extra["n_years"] == len(paths)
    # a relative return of 0.1% every day: the path is 1.001^k - 1 in every year, the band collapses onto it
    idx = pd.bdate_range("2000-01-03", "2009-12-31")
    flat = pd.DataFrame({"small": 0.001, "large": 0.0}, index=idx)
    const = ye.turn_of_year(ye.with_relative(flat), 3, 2, reps=50, seed=0).table
    np.testing.assert_allclose(const["estimate"].to_numpy(), 1.001 ** np.arange(1, 6) - 1)
    np.testing.assert_allclose(const["ci_lower"].to_numpy(), const["estimate"].to_numpy())
    assert (const["nobs"] == 9).all()  # 2001..2009 (the window of January 2000 starts before the data)


def test_january_conditioning_uses_only_december_and_earlier():
    y = _monthly(600, seed=4)
    res = ye.january_after_prior_year(y, reps=200, seed=0)
    table, years = res.table, res.data
    assert isinstance(res, Estimates)
    assert list(table.index) == ["lagged", "led", "lagged minus led"]
    assert table.loc["lagged minus led", "estimate"] == pytest.approx(
        table.loc["lagged", "estimate"] - table.loc["led", "estimate"])
    assert table.loc["lagged", "nobs"] == (years["prior"] <= 0).sum()
    # perturb everything from January 2000 on: the prior for January 2000 (known in December 1999) is unchanged
    z = y.copy()
    z[z.index >= "2000-01-01"] += 0.05
    years2 = ye.january_after_prior_year(z, reps=200, seed=0).data
    assert years.loc[2000, "prior"] == years2.loc[2000, "prior"]
    assert years.loc[2000, "january"] != years2.loc[2000, "january"]
    assert f"{table.loc['lagged minus led', 'estimate']:+.2%}" in res.describe()
    with pytest.raises(ParameterError, match="prior_months"):
        ye.january_after_prior_year(y, prior_months=0)


def _outlook_by_hand(frame, monthly, prior_months=12):
    """The notebook's former computation of the outlook table, for comparison."""
    nj_w = ss.calendar_windows(frame.index, 11, 1)
    hist = ss.window_returns(frame[["relative"]], nj_w)
    hist = hist[hist["complete"]]["relative"]
    prior = ss.trailing_at(monthly, nj_w.loc[hist.index, "start"] - pd.Timedelta(days=1), prior_months)
    prior.index = hist.index
    today = float(ss.trailing_at(monthly, pd.DatetimeIndex([monthly.index[-1]]), prior_months).iloc[0])
    terc = pd.qcut(prior, 3, labels=["bottom", "middle", "top"])
    today_terc = pd.cut([today], [-np.inf, prior.quantile(1 / 3), prior.quantile(2 / 3), np.inf],
                        labels=["bottom", "middle", "top"])[0]
    return hist, hist[terc == today_terc], today, str(today_terc)


def test_window_outlook_equals_the_notebook_computation_it_replaced():
    frame = ye.with_relative(_daily(end="2019-02-28"))
    monthly = frame["relative"].groupby(frame.index.to_period("M")).apply(lambda r: (1 + r).prod() - 1)
    monthly.index = monthly.index.to_timestamp(how="end").normalize()
    res = ye.window_outlook(frame, monthly, start_month=11, end_month=1, prior_months=12)
    hist, similar, today, terc = _outlook_by_hand(frame, monthly)
    rows = res.table
    assert rows.loc["all years", "estimate"] == hist.median() and rows.loc["all years", "nobs"] == len(hist)
    assert rows.loc["all years", "q25"] == hist.quantile(0.25) and rows.loc["all years", "q75"] == hist.quantile(0.75)
    label = f"similar prior year ({terc} tercile)"
    assert rows.loc[label, "estimate"] == similar.median() and rows.loc[label, "nobs"] == len(similar)
    assert rows.loc[label, "share_positive"] == (similar > 0).mean()
    assert res.extra["trailing_prior"] == today and res.extra["tercile"] == terc
    # data ending in February 2019: the next window runs from November 2019 to January 2020
    assert (res.extra["next_window_start_year"], res.extra["next_window_end_year"]) == (2019, 2020)
    assert "month 11 of 2019 to month 1 of 2020" in res.describe()
    december = ye.window_outlook(ye.with_relative(_daily(end="2018-12-14")), monthly.loc[:"2018-11-30"])
    assert (december.extra["next_window_start_year"], december.extra["next_window_end_year"]) == (2018, 2019)


def test_window_outlook_names_a_bad_monthly_argument():
    with pytest.raises(ParameterError, match="monthly must be a non-empty Series"):
        ye.window_outlook(ye.with_relative(_daily(end="1995-12-31")), [0.01, 0.02])
