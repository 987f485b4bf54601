"""Regime labels (no look-ahead) and returns by regime."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.hac import hac_ols
from rotation.stats.intervals import bootstrap_diff_ci
from rotation.studies import regimes


def monthly(values, start="2000-01-31", name=None) -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="ME", name="date"), name=name,
                     dtype=float)


# --------------------------------------------------------------------------- labels
def test_label_by_thresholds_hand_example():
    s = monthly([-1.0, 0.0, 0.5, 1.0, 2.0, np.nan], name="nfci")
    lab = regimes.label_by_thresholds(s, 0.0, 1.0)
    assert list(lab.astype(object).fillna("NA")) == ["low", "neutral", "neutral", "neutral", "high", "NA"]
    assert list(lab.cat.categories) == ["low", "neutral", "high"] and lab.cat.ordered
    assert lab.name == "nfci" and lab.index.equals(s.index)
    custom = regimes.label_by_thresholds(s, 0.0, 1.0, labels=("easy", "normal", "tight"))
    assert custom.iloc[0] == "easy" and custom.iloc[4] == "tight"


@pytest.mark.parametrize(
    ("lower", "upper", "labels", "message"),
    [
        (1.0, 0.0, ("a", "b", "c"), "lower must be <= upper"),
        (0.0, 1.0, ("a", "a", "c"), "labels must be three distinct strings"),
        (0.0, 1.0, ("a", "b"), "labels must be three distinct strings"),
        (np.nan, 1.0, ("a", "b", "c"), "lower must be a finite number"),
    ],
)
def test_label_by_thresholds_errors(lower, upper, labels, message):
    with pytest.raises(ParameterError, match=message):
        regimes.label_by_thresholds(monthly([0.0, 1.0]), lower, upper, labels)


def test_trailing_change_diff_and_pct():
    x = monthly([1.0, 2.0, 4.0, 3.0])
    d = regimes.trailing_change(x, 2, "diff")
    assert np.isnan(d.iloc[0]) and np.isnan(d.iloc[1])
    assert list(d.iloc[2:]) == [3.0, 1.0]
    p = regimes.trailing_change(x, 1, "pct")
    assert list(p.iloc[1:]) == pytest.approx([1.0, 1.0, -0.25])
    with pytest.raises(ParameterError, match="kind must be one of 'diff', 'pct'"):
        regimes.trailing_change(x, 1, "log")
    with pytest.raises(ParameterError, match="periods must be an integer >= 1"):
        regimes.trailing_change(x, 0)


def test_rate_regimes_rule():
    # level:        1    1    2    4    4   4.1   3    3
    level = monthly([1.0, 1.0, 2.0, 4.0, 4.0, 4.1, 3.0, 3.0])
    lab = regimes.rate_regimes(level, change_periods=1, high_level=3.5, flat_band=0.25)
    expected = ["NA", "low and flat", "rising", "rising", "high and flat", "high and flat", "falling", "low and flat"]
    assert list(lab.astype(object).fillna("NA")) == expected
    assert list(lab.cat.categories) == list(regimes.RATE_REGIMES)
    # the band is inclusive: a change of exactly flat_band is flat
    edge = regimes.rate_regimes(monthly([4.0, 4.25]), 1, high_level=3.0, flat_band=0.25)
    assert edge.iloc[1] == "high and flat"
    with pytest.raises(ParameterError, match="flat_band must be >= 0"):
        regimes.rate_regimes(level, 1, 3.0, -0.1)


@pytest.mark.parametrize("cut", [10, 25, 40])
def test_labels_do_not_look_ahead(cut):
    rng = np.random.default_rng(1)
    level = monthly(np.cumsum(rng.normal(0, 0.3, 60)) + 4)
    bumped = level.copy()
    bumped.iloc[cut + 1:] += rng.normal(0, 2.0, len(level) - cut - 1)  # change everything after t
    for f in (lambda s: regimes.rate_regimes(s, 6, 4.0, 0.25),
              lambda s: regimes.label_by_thresholds(regimes.trailing_change(s, 3), -0.2, 0.2),
              lambda s: regimes.trailing_change(s, 6, "pct")):
        a, b = f(level), f(bumped)
        pd.testing.assert_series_equal(a.iloc[: cut + 1], b.iloc[: cut + 1])
        assert not a.iloc[cut + 1:].equals(b.iloc[cut + 1:])


# --------------------------------------------------------------------------- returns by regime
def test_lagged_pairs_compare_next_period_with_the_label():
    r = monthly([0.01, 0.02, 0.03, 0.04])
    lab = pd.Series(["a", "b", "a", "b"], index=r.index)
    p1 = regimes.lagged_pairs(r, lab, lag=1)
    assert list(p1["ret"]) == [0.02, 0.03, 0.04] and list(p1["label"]) == ["a", "b", "a"]
    p0 = regimes.lagged_pairs(r, lab, lag=0)
    assert list(p0["label"]) == ["a", "b", "a", "b"]


def test_regime_stats_matches_independent_computation():
    rng = np.random.default_rng(3)
    r = monthly(rng.normal(0.002, 0.03, 120), name="rel")
    level = monthly(np.cumsum(rng.normal(0, 0.3, 120)) + 4)
    lab = regimes.rate_regimes(level, 3, 4.0, 0.2)
    table = regimes.regime_stats(r, lab, lag=1).table
    assert list(table.index) == list(regimes.RATE_REGIMES)
    nxt = r.shift(-1)  # the return after the label's month
    for name in regimes.RATE_REGIMES:
        y = nxt[(lab == name).to_numpy()].dropna()
        assert table.loc[name, "nobs"] == len(y)
        assert table.loc[name, "estimate"] == pytest.approx(y.mean())
        assert table.loc[name, "share_positive"] == pytest.approx((y > 0).mean())
        if len(y) < 3:
            assert np.isnan(table.loc[name, "t"])
            continue
        ref = hac_ols(y.rename("y"), pd.Series(1.0, index=y.index, name="c"), add_constant=False).table.iloc[0]
        assert table.loc[name, "t"] == pytest.approx(ref["t"])
        assert table.loc[name, "maxlags"] == ref["maxlags"]
    assert table["nobs"].sum() == len(regimes.lagged_pairs(r, lab, 1))


def test_regime_stats_std_err_and_interval_match_statsmodels_hac():
    import statsmodels.api as sm
    from scipy import stats

    rng = np.random.default_rng(8)
    r = monthly(rng.normal(0.002, 0.03, 150), name="rel")
    lab = pd.Series(np.where(np.arange(150) % 20 < 12, "a", "b"), index=r.index)
    res = regimes.regime_stats(r, lab, lag=1, maxlags=4)
    assert res.method.kind == "HAC" and res.method.lags == 4 and "maxlags=4" in res.summary()
    pairs = regimes.lagged_pairs(r, lab, 1)
    for name in ("a", "b"):
        y = pairs.loc[pairs["label"] == name, "ret"].to_numpy()
        fit = sm.OLS(y, np.ones_like(y)).fit(cov_type="HAC", cov_kwds={"maxlags": 4})
        row = res.table.loc[name]
        assert row["std_err"] == pytest.approx(fit.bse[0], rel=1e-12)
        assert row["t"] == pytest.approx(fit.tvalues[0], rel=1e-12)
        z = stats.norm.ppf(0.975)
        assert row["ci_lower"] == pytest.approx(y.mean() - z * fit.bse[0], rel=1e-10)
        assert row["ci_upper"] == pytest.approx(y.mean() + z * fit.bse[0], rel=1e-10)


def test_regime_stats_small_and_empty_regimes():
    r = monthly([0.01, -0.02, 0.03, 0.04, 0.05])
    lab = pd.Series(pd.Categorical(["x", "x", "x", "x", "y"], categories=["x", "y", "z"]), index=r.index)
    t = regimes.regime_stats(r, lab, lag=0).table
    assert t.loc["z", "nobs"] == 0 and np.isnan(t.loc["z", "estimate"])
    assert t.loc["y", "nobs"] == 1 and np.isnan(t.loc["y", "t"])
    assert t.loc["x", "share_positive"] == pytest.approx(0.75)


def test_regime_diff_ci_equals_bootstrap_diff_ci():
    rng = np.random.default_rng(4)
    r = monthly(rng.normal(0, 0.03, 80))
    lab = regimes.label_by_thresholds(monthly(rng.normal(0, 1, 80)), -0.5, 0.5)
    got = regimes.regime_diff_ci(r, lab, "high", "low", lag=1, block_size=2, reps=300, seed=7)
    pairs = regimes.lagged_pairs(r, lab, 1)
    ref = bootstrap_diff_ci(pairs.loc[pairs["label"] == "high", "ret"], pairs.loc[pairs["label"] == "low", "ret"],
                            block_size=2, reps=300, seed=7)
    assert got == ref
    assert got == regimes.regime_diff_ci(r, lab, "high", "low", lag=1, block_size=2, reps=300, seed=7)
    with pytest.raises(ParameterError, match="a must be a regime present in labels"):
        regimes.regime_diff_ci(r, lab, "medium", "low")


def test_regime_stats_errors():
    r = monthly([0.01, 0.02, 0.03])
    with pytest.raises(ParameterError, match="labels must be a pandas Series"):
        regimes.regime_stats(r, ["a", "b", "c"])
    with pytest.raises(ParameterError, match="lag must be an integer >= 0"):
        regimes.regime_stats(r, pd.Series(["a"] * 3, index=r.index), lag=-1)


def test_regime_stats_bootstrap_intervals_come_from_block_bootstrap_mean_ci():
    from rotation.stats.intervals import block_bootstrap_mean_ci

    rng = np.random.default_rng(9)
    r = monthly(rng.normal(0.002, 0.03, 120), name="rel")
    lab = pd.Series(np.where(np.arange(120) % 10 < 6, "a", "b"), index=r.index)
    res = regimes.regime_stats(r, lab, lag=1, interval="bootstrap", block_size=4, reps=300, seed=2)
    pairs = regimes.lagged_pairs(r, lab, 1)
    for name in ("a", "b"):
        ci = block_bootstrap_mean_ci(pairs.loc[pairs["label"] == name, "ret"], 4, reps=300, seed=2)
        assert (res.table.loc[name, "ci_lower"], res.table.loc[name, "ci_upper"]) == (ci.ci_lower, ci.ci_upper)
    assert res.method.bootstrap == "stationary" and "block length 4, 300 replications, seed 2" in res.summary()
