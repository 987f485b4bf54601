"""The month-of-year studies of notebook 04: the calendar with its grid, eras, the January effect across pairs and
its rolling mean -- on made-up monthly returns, against the computations they are built from or by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import calendar as cal
from rotation.studies import seasonality as ss
from rotation.studies.returns import relative_returns


def _monthly(n=480, seed=0, jan=0.02, start="1960-01-31"):
    rng = np.random.default_rng(seed)
    idx = pd.date_range(start, periods=n, freq="ME", name="date")
    return pd.Series(rng.normal(0, 0.03, n), index=idx) + jan * (idx.month == 1)


def _pair(seed, jan=0.02, n=480):
    """Monthly small/large returns whose ratio has a January effect."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1960-01-31", periods=n, freq="ME", name="date")
    large = pd.Series(rng.normal(0.005, 0.03, n), index=idx)
    small = (1 + large) * (1 + rng.normal(0, 0.02, n) + jan * (idx.month == 1)) - 1
    return pd.DataFrame({"small": small, "large": large})


def test_month_of_year_study_is_the_dummy_regression_with_its_grid():
    y = _monthly()
    res = cal.month_of_year_study(y, maxlags=6)
    assert res == ss.month_of_year_means(y, maxlags=6)  # same table, method, units, title, extra
    assert res.data.shape == (12, 40) and list(res.data.index) == list(ss.MONTHS)
    assert res.data.loc["Jan", 1960] == y.loc["1960-01-31"] and res.data.loc["Dec", 1999] == y.loc["1999-12-31"]
    assert res.describe().startswith("Small minus large caps, 1960-01 to 1999-12: the strongest calendar month is Jan")
    with pytest.raises(ParameterError, match="DatetimeIndex"):
        cal.month_of_year_study(y.to_numpy())


def test_era_bounds_label_eras_by_their_years():
    idx = pd.date_range("1926-07-31", periods=12, freq="ME")
    eras = cal.era_bounds(["1981-12-31", "1999-12-31"], idx)
    # an era starts the day after the previous one ends: no month is in two eras
    assert eras == {"1926-1981": (None, "1981-12-31"), "1982-1999": ("1982-01-01", "1999-12-31"),
                    "2000-now": ("2000-01-01", None)}
    assert cal.era_bounds([], idx) == {"1926-now": (None, None)}
    with pytest.raises(ParameterError, match="increasing"):
        cal.era_bounds(["1999-12-31", "1981-12-31"], idx)
    with pytest.raises(ParameterError, match="list of dates"):
        cal.era_bounds("1981-12-31", idx)
    with pytest.raises(ParameterError, match="must be dates"):
        cal.era_bounds(["the eighties"], idx)
    with pytest.raises(ParameterError, match=r"month ends.*1981-12-15"):
        cal.era_bounds(["1981-12-15"], idx)


def test_january_study_stacks_by_era_for_each_pair():
    pairs = {"a": _pair(1, jan=0.03), "b": _pair(2, jan=0.0)}
    eras = cal.era_bounds(["1979-12-31"], pairs["a"].index)
    assert eras == {"1960-1979": (None, "1979-12-31"), "1980-now": ("1980-01-01", None)}
    res = cal.january_study(pairs, eras, maxlags=6)
    assert list(res.table.index.get_level_values("proxy").unique()) == ["a", "b"]
    for name, m in pairs.items():
        r = relative_returns(m["small"], m["large"])
        ref = ss.by_era(r, pd.Series((r.index.month == 1).astype(float), index=r.index), eras, maxlags=6)
        pd.testing.assert_frame_equal(res.table.xs(name, level="proxy"), ref.table)
        assert res.method == ref.method and res.units == ref.units and res.title == ref.title
    full = res.table.loc[("a", "full sample")]
    assert full["ci_lower"] > 0 and full["n_dummy"] == 40
    assert "a +" in res.describe() and "in 1980-now" in res.describe()
    with pytest.raises(ParameterError, match="columns small and large"):
        cal.january_study({"a": pairs["a"][["small"]]}, eras)


def test_january_study_counts_each_month_in_one_era():
    """The months of the eras add up to the full sample; with a break as the end of one era and the start of the
    next (inclusive .loc on both sides), the break month was counted twice."""
    pairs = {"a": _pair(1, jan=0.03)}
    r = relative_returns(pairs["a"]["small"], pairs["a"]["large"])
    eras = cal.era_bounds(["1979-12-31", "1989-12-31"], r.index)
    t = cal.january_study(pairs, eras, maxlags=6).table.xs("a", level="proxy")
    assert t.loc[list(eras), "nobs"].sum() == t.loc["full sample", "nobs"] == len(r)
    assert t.loc[list(eras), "n_dummy"].sum() == t.loc["full sample", "n_dummy"]
    by_hand = [len(r[:"1979-12-31"]), len(r["1980-01-01":"1989-12-31"]), len(r["1990-01-01":])]
    assert t.loc[list(eras), "nobs"].tolist() == by_hand == [240, 120, 120]
    with pytest.raises(ParameterError, match="eras overlap"):  # the old bounds: 1979-12 in both eras
        cal.january_study(pairs, {"early": (None, "1979-12-31"), "late": ("1979-12-31", None)}, maxlags=6)


def test_rolling_january_by_hand():
    idx = pd.date_range("2000-01-31", periods=25 * 12, freq="ME")
    y = pd.Series(np.where(idx.month == 1, 0.03, 0.01), index=idx)  # January beats the others by 2 points
    res = cal.rolling_january(y, years=20, cost=0.015)
    assert res.estimate == pytest.approx(0.02) and res.nobs == 20
    assert res.extra["share_above_cost"] == 1.0 and len(res.data) == 6  # windows ending 2019..2024
    assert res.extra["first_year"] == 2019 and res.extra["last_year"] == 2024
    assert res.data.index[0] == pd.Timestamp("2019-12-31")
    assert cal.rolling_january(y, years=20, cost=0.025).extra["share_above_cost"] == 0.0
    z = _monthly(600, seed=5)
    ref = ss.rolling_month_effect(z, 20, month=1)
    got = cal.rolling_january(z, years=20, cost=0.005)
    assert got.estimate == ref.iloc[-1] and got.extra["share_above_cost"] == float((ref > 0.005).mean())
    with pytest.raises(ParameterError, match="cost must be >= 0"):
        cal.rolling_january(y, cost=-0.01)
    with pytest.raises(ParameterError, match="fewer than years=30"):
        cal.rolling_january(y.iloc[:24], years=30)


def _daily_january(seed=4, planted=0.003):
    """Business days 1990-2019; small caps +``planted`` a day in January only."""
    from rotation.studies import year_end as ye

    idx = pd.bdate_range("1990-01-01", "2019-12-31", name="date")
    rng = np.random.default_rng(seed)
    small = rng.normal(0.0, 0.01, len(idx)) + planted * (idx.month == 1)
    return ye.with_relative(pd.DataFrame({"small": small, "large": rng.normal(0.0, 0.01, len(idx))}, index=idx))


def test_window_split_is_the_window_study_of_each_part():
    from rotation.studies import year_end as ye

    daily = _daily_january()
    eras = cal.era_bounds(["2004-12-31"], daily.index)
    res = cal.window_split(daily, start_month=11, end_month=1, eras=eras, reps=200, seed=5)
    t = res.table
    assert list(t.index) == [("Nov-Dec", "full sample"), ("Nov-Dec", "1990-2004"), ("Nov-Dec", "2005-now"),
                             ("Jan", "full sample"), ("Jan", "1990-2004"), ("Jan", "2005-now")]
    frame = daily[["relative"]]
    for label, (a, b) in (("Nov-Dec", (11, 12)), ("Jan", (1, 1))):
        wins = ss.calendar_windows(daily.index, a, b)
        ref = ye.window_study(frame, wins, reps=200, seed=5)
        pd.testing.assert_series_equal(t.loc[(label, "full sample")], ref.row("relative").astype(float),
                                       check_names=False)
        assert t.xs(label, level="window").loc[list(eras), "nobs"].sum() == t.loc[(label, "full sample"), "nobs"]
    # the planted effect is January's: the part before it shows none
    assert t.loc[("Jan", "full sample"), "ci_lower"] > 0
    assert t.loc[("Nov-Dec", "full sample"), "ci_lower"] < 0 < t.loc[("Nov-Dec", "full sample"), "ci_upper"]
    assert res.describe().startswith("The Nov-Jan window in two parts, each against all other windows of its length: "
                                     "Nov-Dec alone")
    # a window from October to February: the part before is October-January
    other = cal.window_split(daily, start_month=10, end_month=2, reps=20, seed=0)
    assert list(other.table.index.get_level_values("window")) == ["Oct-Jan", "Feb"]
    with pytest.raises(ParameterError, match="must differ"):
        cal.window_split(daily, start_month=1, end_month=1)
    with pytest.raises(ParameterError, match="relative column"):
        cal.window_split(daily[["small", "large"]])
