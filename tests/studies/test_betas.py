"""Stacked sub-period slopes, rolling-beta summaries and interval phrases (studies.betas)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.regressions import rolling_hac_betas, sensitivity_table
from rotation.stats.units import Units
from rotation.studies import betas
from rotation.studies.returns import percentile_of_last

PERIODS = {"full sample": (None, None), "first half": (None, "2004-12-31"), "second half": ("2005-01-01", None)}


def _made_up(n: int = 120, seed: int = 1) -> tuple[pd.Series, pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2000-01-31", periods=n, freq="ME", name="date")
    x1 = pd.Series(rng.normal(0, 0.02, n), index=idx, name="x1")
    x2 = pd.Series(rng.normal(0, 0.02, n), index=idx, name="x2")
    y = pd.Series(0.5 * x1 - 0.3 * x2 + rng.normal(0, 0.01, n), index=idx, name="y")
    return y, x1, x2


def test_periods_are_the_decades_and_the_split():
    idx = pd.date_range("1999-01-31", "2014-05-31", freq="ME")
    assert betas.split_periods("2008-01-01") == {"full sample": (None, None), "before 2008-01": (None, "2007-12-31"),
                                           "2008-01 on": ("2008-01-01", None)}
    assert list(betas.decade_periods(idx, "2008-01-01")) == ["full sample", "1990s", "2000s", "2010s", "before 2008-01",
                                                       "2008-01 on"]
    assert betas.decade_periods(idx, "2008-01-01")["2000s"] == ("2000-01-01", "2009-12-31")


def test_periods_check_their_inputs():
    with pytest.raises(ParameterError, match="split_date must be a date like '2008-01-01'; got 'soon'"):
        betas.split_periods("soon")
    with pytest.raises(ParameterError, match="index must be a non-empty DatetimeIndex"):
        betas.decade_periods(pd.DatetimeIndex([]), "2008-01-01")


def test_slopes_stack_the_factor_rows_of_each_regression():
    y, x1, x2 = _made_up()
    fits = {k: sensitivity_table(y, x, PERIODS) for k, x in (("x1", x1), ("x2", x2))}
    out = betas.slopes(fits, ["factor"], units=Units.number("beta"), title="slopes")
    assert list(out.table.index.names) == ["factor", "period"]
    assert list(out.table.index) == [(k, p) for k in ("x1", "x2") for p in PERIODS]
    for k in ("x1", "x2"):
        for p in PERIODS:
            pd.testing.assert_series_equal(out.table.loc[(k, p)], fits[k].table.loc[(p, k)], check_names=False)
    assert out.method == fits["x1"].method and out.title == "slopes"
    # the full-sample slopes are near the made-up betas
    assert out.table.loc[("x1", "full sample"), "estimate"] == pytest.approx(0.5, abs=0.15)
    assert out.table.loc[("x2", "full sample"), "estimate"] == pytest.approx(-0.3, abs=0.15)


def test_slopes_take_tuple_keys():
    y, x1, _ = _made_up()
    out = betas.slopes({("monthly", "a"): sensitivity_table(y, x1, PERIODS)}, ["frequency", "measure"],
                       units=Units.number("beta"), title="t")
    assert list(out.table.index.names) == ["frequency", "measure", "period"]


def test_slopes_refuse_what_is_not_a_sensitivity_table():
    y, x1, _ = _made_up()
    with pytest.raises(ParameterError, match="fits must hold at least one"):
        betas.slopes({}, ["factor"], units=Units.number("beta"), title="t")
    with pytest.raises(ParameterError, match="fits must be sensitivity_table results"):
        betas.slopes({"x": rolling_hac_betas(y, x1, 24)}, ["factor"], units=Units.number("beta"), title="t")


def test_rolling_summary_is_the_last_window_and_its_history():
    y, x1, x2 = _made_up()
    y = y.copy()
    y.iloc[-3:] = np.nan  # the last windows have no estimate: the latest is the last one that has
    out = betas.rolling_summary({"one": (y, x1, 24), "two": (y, x2, 36)}, units=Units.number("beta"), title="r")
    assert list(out.table.index) == ["one", "two"] and out.table.index.name == "beta"
    for label, x, w in (("one", x1, 24), ("two", x2, 36)):
        ref = rolling_hac_betas(y, x, w).table.loc[x.name].dropna(subset=["estimate"])
        row = out.table.loc[label]
        assert row["date"] == ref.index[-1] == y.index[-4]
        for col in ("estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper"):
            assert row[col] == ref[col].iloc[-1]
        assert row["nobs"] == w and row["window"] == w
        assert row["percentile"] == percentile_of_last(ref["estimate"])
        assert row["share_negative"] == float((ref["estimate"] < 0).mean())
        assert row["share_significant_negative"] == float((ref["ci_upper"] < 0).mean())
        assert row["share_significant_positive"] == float((ref["ci_lower"] > 0).mean())
        assert (row["min"], row["max"]) == (ref["estimate"].min(), ref["estimate"].max())
        pd.testing.assert_frame_equal(out.data[label].dropna(), ref[["estimate", "ci_lower", "ci_upper"]],
                                      check_freq=False, check_names=False)
    assert out.method.lags is None and list(out.table["maxlags"]) == [2, 3]  # floor(4 (n/100)^(2/9)) for n = 24, 36


def test_rolling_summary_checks_its_specs():
    y, x1, _ = _made_up(20)
    with pytest.raises(ParameterError, match="specs must hold at least one"):
        betas.rolling_summary({}, units=Units.number("beta"), title="r")
    with pytest.raises(ParameterError, match=r"specs\['a'\] must be a \(y, x, window\) tuple"):
        betas.rolling_summary({"a": (y, x1)}, units=Units.number("beta"), title="r")
    with pytest.raises(ParameterError, match=r"specs\['a'\]: no window of 30 rows has an estimate"):
        betas.rolling_summary({"a": (y, x1, 30)}, units=Units.number("beta"), title="r")


def test_interval_phrase_hand_examples():
    u = Units.returns("decimal return")
    assert betas.interval_phrase(u, 0.012, -0.004, 0.03) == "+1.2% (95% CI -0.4% to +3.0%; not significant)"
    assert betas.interval_phrase(u, -0.0123, -0.02, -0.001, digits=2) == (
        "-1.23% (95% CI -2.00% to -0.10%; significant)")
    assert betas.interval_phrase(u, 0.05, np.nan, np.nan) == "+5.0% (too few observations for an interval)"
    assert betas.interval_phrase(Units.number("beta"), 0.5, 0.1, 0.9, digits=2) == (
        "+0.5 (95% CI +0.1 to +0.9; significant)")
