"""rotation.stats.regressions: rolling HAC betas, sub-period tables, predictive regressions, OOS R², regimes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.regression.rolling import RollingOLS

from rotation.errors import ParameterError
from rotation.stats import regressions as rg
from rotation.stats.hac import newey_west_lags


@pytest.fixture
def xy() -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(42)
    idx = pd.date_range("2000-01-31", periods=160, freq="ME", name="date")
    X = pd.DataFrame({"dollar": rng.normal(0, 0.02, 160), "mkt": rng.normal(0.005, 0.04, 160)}, index=idx)
    e = rng.normal(0, 0.01, 160)
    e[1:] += 0.5 * e[:-1]  # autocorrelated errors: HAC differs from OLS
    y = pd.Series(0.001 - 0.4 * X["dollar"] + 0.2 * X["mkt"] + e, index=idx, name="rel")
    return y, X


# --------------------------------------------------------------------------- rolling_hac_betas
def wide(res):
    """A rolling result (rows term x date) as one wide frame: name, name_se, name_lower, name_upper, nobs."""
    cols = {}
    for term in res.table.index.unique(level=0):
        s = res.table.loc[term]
        cols.update({term: s["estimate"], f"{term}_se": s["std_err"], f"{term}_lower": s["ci_lower"],
                     f"{term}_upper": s["ci_upper"]})
    cols["nobs"] = s["nobs"]
    return pd.DataFrame(cols)


def test_rolling_point_estimates_match_statsmodels_rollingols(xy):
    y, X = xy
    res = rg.rolling_hac_betas(y, X, window=36)
    out = wide(res)
    ref = RollingOLS(y, sm.add_constant(X), window=36).fit().params
    np.testing.assert_allclose(out[["dollar", "mkt"]].to_numpy(), ref[["dollar", "mkt"]].to_numpy(), rtol=1e-10,
                               atol=1e-12, equal_nan=True)
    assert out["dollar"].iloc[:35].isna().all() and out["dollar"].iloc[35:].notna().all()
    assert list(out.columns) == ["dollar", "dollar_se", "dollar_lower", "dollar_upper",
                                 "mkt", "mkt_se", "mkt_lower", "mkt_upper", "nobs"]
    assert res.method.lags == newey_west_lags(36) and res.method.cov_type == "HAC"
    assert list(res.table.index.names) == ["term", "date"] and list(res.table.index.unique(0)) == ["dollar", "mkt"]
    ok = res.table.dropna(subset=["estimate"])
    np.testing.assert_allclose(ok["t"], ok["estimate"] / ok["std_err"], rtol=1e-12)


def test_rolling_hac_se_matches_one_window_refit(xy):
    y, X = xy
    out = wide(rg.rolling_hac_betas(y, X["dollar"], window=48, maxlags=5, alpha=0.1))
    t = 100  # the window ending at row 100 covers rows 53..100
    fit = sm.OLS(y.iloc[53:101], sm.add_constant(X["dollar"].iloc[53:101])).fit(cov_type="HAC", cov_kwds={"maxlags": 5})
    assert out["dollar"].iloc[t] == pytest.approx(fit.params["dollar"], rel=1e-10)
    assert out["dollar_se"].iloc[t] == pytest.approx(fit.bse["dollar"], rel=1e-10)
    lo, hi = fit.conf_int(alpha=0.1).loc["dollar"]
    assert out["dollar_lower"].iloc[t] == pytest.approx(lo) and out["dollar_upper"].iloc[t] == pytest.approx(hi)


def test_rolling_latest_is_a_result_matching_statsmodels(xy):
    y, X = xy
    res = rg.rolling_hac_betas(y, X["dollar"], window=48, maxlags=5)
    latest = rg.latest(res)
    n = len(y)
    fit = sm.OLS(y.iloc[n - 48:], sm.add_constant(X["dollar"].iloc[n - 48:])).fit(cov_type="HAC",
                                                                                  cov_kwds={"maxlags": 5})
    row = latest.table.loc["dollar"]
    assert row["estimate"] == pytest.approx(fit.params["dollar"], rel=1e-10)
    assert row["t"] == pytest.approx(fit.tvalues["dollar"], rel=1e-10)
    assert row["p_value"] == pytest.approx(fit.pvalues["dollar"], rel=1e-8)
    assert row["date"] == y.index[-1] and row["nobs"] == 48
    rec = latest.to_record()
    assert rec["method"]["lags"] == 5 and "maxlags=5" in latest.summary() and rec["rows"]["dollar"]["nobs"] == 48


def test_rolling_is_trailing_and_handles_nan(xy):
    y, X = xy
    base = wide(rg.rolling_hac_betas(y, X["dollar"], window=24))
    y2 = y.copy()
    y2.iloc[80:] = 99.0  # later data changes nothing up to row 79
    later = wide(rg.rolling_hac_betas(y2, X["dollar"], window=24))
    pd.testing.assert_frame_equal(base.iloc[:80], later.iloc[:80])
    y3 = y.copy()
    y3.iloc[50] = np.nan
    gap = wide(rg.rolling_hac_betas(y3, X["dollar"], window=24, min_nobs=20))
    assert gap["nobs"].iloc[60] == 23 and np.isfinite(gap["dollar"].iloc[60])
    strict = wide(rg.rolling_hac_betas(y3, X["dollar"], window=24))
    assert np.isnan(strict["dollar"].iloc[60]) and np.isfinite(strict["dollar"].iloc[74])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"window": 2}, "window must be an integer >= 3"),
     ({"window": 24, "min_nobs": 30}, r"min_nobs must be <= window \(24\)"),
     ({"window": 24, "maxlags": -1}, "maxlags must be an integer >= 0"),
     ({"window": 24, "alpha": 1.5}, "alpha must be > 0 and < 1")],
    ids=["short-window", "min-nobs", "negative-lags", "alpha"],
)
def test_rolling_rejects_bad_arguments(xy, kwargs, match):
    y, X = xy
    with pytest.raises(ParameterError, match=match):
        rg.rolling_hac_betas(y, X, **kwargs)


def test_rolling_rejects_non_pandas(xy):
    y, X = xy
    with pytest.raises(ParameterError, match="y must be a pandas Series"):
        rg.rolling_hac_betas(y.to_numpy(), X, window=24)
    with pytest.raises(ParameterError, match="must not contain a column named 'const'"):
        rg.rolling_hac_betas(y, X.assign(const=1.0), window=24)


# --------------------------------------------------------------------------- sensitivity_table
def test_sensitivity_table_matches_hac_refits(xy):
    y, X = xy
    periods = {"all": (None, None), "early": (None, "2005-12-31"), "late": ("2006-01-01", None)}
    res = rg.sensitivity_table(y, X["dollar"], periods)
    tab = res.table
    assert list(tab.columns) == ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs", "rsquared",
                                 "maxlags", "start", "end"]
    assert res.method.cov_type == "HAC" and "Newey-West" in res.summary()
    assert res.to_record()["rows"]["early"]["dollar"]["start"] == "2000-01-31"
    assert tab.index.names == ["period", "term"]
    early = y.loc[:"2005-12-31"]
    k = newey_west_lags(len(early))
    fit = sm.OLS(early, sm.add_constant(X["dollar"].loc[early.index])).fit(cov_type="HAC", cov_kwds={"maxlags": k})
    row = tab.loc[("early", "dollar")]
    assert row["estimate"] == pytest.approx(fit.params["dollar"]) and row["std_err"] == pytest.approx(fit.bse["dollar"])
    assert row["nobs"] == 72 and row["maxlags"] == k and row["rsquared"] == pytest.approx(fit.rsquared)
    assert row["start"] == pd.Timestamp("2000-01-31") and row["end"] == pd.Timestamp("2005-12-31")
    assert tab.loc[("late", "dollar"), "start"] == pd.Timestamp("2006-01-31")


def test_sensitivity_table_default_and_empty_period(xy):
    y, X = xy
    tab = rg.sensitivity_table(y, X, {"none": ("1990-01-01", "1990-12-31")}).table
    assert tab["estimate"].isna().all() and (tab["nobs"] == 0).all()
    full = rg.sensitivity_table(y, X).table
    assert set(full.index.get_level_values("period")) == {"full sample"}
    assert list(full.index.get_level_values("term")) == ["const", "dollar", "mkt"]
    with pytest.raises(ParameterError, match=r"start 2010-01-01 is after end 2000-01-01"):
        rg.sensitivity_table(y, X, {"bad": ("2010-01-01", "2000-01-01")})
    with pytest.raises(ParameterError, match="must be a \\(start, end\\) tuple"):
        rg.sensitivity_table(y, X, {"bad": "2000"})


# --------------------------------------------------------------------------- predictive regression
def test_forward_sum_by_hand():
    y = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=pd.date_range("2020-01-31", periods=5, freq="ME"))
    assert rg.forward_sum(y, 2).tolist()[:3] == [5.0, 7.0, 9.0]
    assert rg.forward_sum(y, 2).iloc[3:].isna().all()


def test_predictive_regression_alignment_and_overlap_lags(xy):
    y, X = xy
    x = X["dollar"]
    res = rg.predictive_regression(y, x, horizon=3, lag=2)
    target = pd.Series([y.iloc[t + 1 : t + 4].sum() if t + 3 < len(y) else np.nan for t in range(len(y))],
                       index=y.index)
    xs = x.shift(1)  # lag 2: one extra period of delay
    data = pd.concat([target, xs], axis=1).dropna()
    k = max(2, newey_west_lags(len(data)))
    fit = sm.OLS(data.iloc[:, 0], sm.add_constant(data.iloc[:, 1])).fit(cov_type="HAC", cov_kwds={"maxlags": k})
    assert res.table.loc["dollar", "estimate"] == pytest.approx(fit.params.iloc[1])
    assert res.table.loc["dollar", "std_err"] == pytest.approx(fit.bse.iloc[1])
    assert res.table.loc["dollar", "nobs"] == len(y) - 3 - 1 and res.method.lags == k
    assert rg.predictive_regression(y, x, horizon=12).method.lags == 11  # overlap correction wins over the NW rule


def test_predictive_regression_errors(xy):
    y, X = xy
    with pytest.raises(ParameterError, match="horizon must be an integer >= 1"):
        rg.predictive_regression(y, X["dollar"], horizon=0)
    with pytest.raises(ParameterError, match="lag must be an integer >= 1"):
        rg.predictive_regression(y, X["dollar"], lag=0)


# --------------------------------------------------------------------------- OOS R²
def _hand_oos(y: np.ndarray, x: np.ndarray, h: int, min_train: int):
    n = len(y)
    tgt = np.array([y[t + 1 : t + 1 + h].sum() if t + h < n else np.nan for t in range(n)])
    rows = []
    for t in range(n):
        if np.isnan(tgt[t]):
            continue
        train = np.arange(0, t - h + 1)  # s + h <= t
        if len(train) < min_train:
            continue
        A = np.column_stack([np.ones(len(train)), x[train]])
        coef = np.linalg.lstsq(A, tgt[train], rcond=None)[0]
        rows.append((tgt[t], coef[0] + coef[1] * x[t], tgt[train].mean()))
    arr = np.array(rows)
    return 1 - np.sum((arr[:, 0] - arr[:, 1]) ** 2) / np.sum((arr[:, 0] - arr[:, 2]) ** 2), arr


@pytest.mark.parametrize("h", [1, 3], ids=["h1", "h3"])
def test_oos_r2_matches_hand_loop(h):
    rng = np.random.default_rng(7)
    idx = pd.date_range("2001-01-31", periods=40, freq="ME")
    x = pd.Series(rng.normal(size=40), index=idx, name="x")
    y = pd.Series(0.3 * x.shift(1).fillna(0).to_numpy() + rng.normal(size=40), index=idx, name="y")
    res = rg.oos_r2(y, x, horizon=h, min_train=10)
    r2, arr = _hand_oos(y.to_numpy(), x.to_numpy(), h, 10)
    assert res.estimate == pytest.approx(r2, rel=1e-9)
    assert res.nobs == len(arr) and res.units.scale == "number" and res.method.kind == "descriptive"
    np.testing.assert_allclose(res.data["model"].to_numpy(), arr[:, 1], rtol=1e-9)
    np.testing.assert_allclose(res.data["mean"].to_numpy(), arr[:, 2], rtol=1e-9)


def test_oos_forecast_at_t_ignores_later_data():
    rng = np.random.default_rng(3)
    idx = pd.date_range("1990-01-31", periods=200, freq="ME")
    x = pd.Series(rng.normal(size=200), index=idx, name="x")
    y = pd.Series(rng.normal(size=200), index=idx, name="y")
    h = 3
    base = rg.oos_r2(y, x, horizon=h, min_train=50).data
    t = 120
    y2, x2 = y.copy(), x.copy()
    y2.iloc[t + 1 :] = rng.normal(size=200 - t - 1) * 10  # everything after t changes
    x2.iloc[t + 1 :] = rng.normal(size=200 - t - 1) * 10
    pert = rg.oos_r2(y2, x2, horizon=h, min_train=50).data
    upto = base.index <= idx[t]
    pd.testing.assert_series_equal(base.loc[upto, "model"], pert.loc[upto, "model"])
    pd.testing.assert_series_equal(base.loc[upto, "mean"], pert.loc[upto, "mean"])


def test_oos_r2_errors():
    idx = pd.date_range("2001-01-31", periods=20, freq="ME")
    s = pd.Series(np.arange(20.0), index=idx)
    with pytest.raises(ParameterError, match=r"min_train \(50\) leaves no out-of-sample forecasts"):
        rg.oos_r2(s, s.rename("x"), min_train=50)
    with pytest.raises(ParameterError, match="min_train must be an integer >= 3"):
        rg.oos_r2(s, s, min_train=1)


def test_rolling_hac_se_matches_statsmodels_in_every_window(xy):
    """The hand-written sandwich equals statsmodels' HAC in every window (two regressors, with a gap)."""
    y, X = xy
    y = y.copy()
    y.iloc[40] = np.nan
    out = wide(rg.rolling_hac_betas(y, X, window=30, maxlags=4, min_nobs=25))
    for t in range(29, len(y), 7):
        sl = slice(t - 29, t + 1)
        data = pd.concat([y.iloc[sl].rename("y"), X.iloc[sl]], axis=1).dropna()
        fit = sm.OLS(data["y"], sm.add_constant(data[["dollar", "mkt"]])).fit(cov_type="HAC", cov_kwds={"maxlags": 4})
        for name in ("dollar", "mkt"):
            assert out[f"{name}_se"].iloc[t] == pytest.approx(fit.bse[name], rel=1e-9)
            assert out[name].iloc[t] == pytest.approx(fit.params[name], rel=1e-9)


def test_a_predictor_that_ends_before_the_returns_keeps_every_complete_window():
    """Issue 27: the target was summed after joining y to x, so a predictor ending before the returns lost the
    last h windows although their returns were complete (06's valuation series ends 2024-12, returns 2026-02)."""
    rng = np.random.default_rng(11)
    idx = pd.date_range("1990-01-31", periods=120, freq="ME")
    y = pd.Series(rng.normal(size=120), index=idx, name="y")
    x = pd.Series(rng.normal(size=120), index=idx, name="x").iloc[:110]  # ends 10 months before y
    h = 6
    pairs = rg.predictive_pairs(y, x, h).dropna()
    expect = pd.DataFrame({"target": [y.iloc[t + 1:t + 1 + h].sum() for t in range(110)], "x": x.to_numpy()},
                          index=idx[:110])
    pd.testing.assert_frame_equal(pairs, expect, check_freq=False)
    assert int(rg.predictive_regression(y, x, horizon=h).table.loc["x", "nobs"]) == 110
    oos = rg.oos_r2(y, x, horizon=h, min_train=20)
    assert oos.data.index[-1] == idx[109]  # the last origin with a known predictor and complete returns
    r2, arr = _hand_oos(y.to_numpy()[:110 + h], np.r_[x.to_numpy(), np.full(h, np.nan)], h, 20)
    assert oos.nobs == len(arr) and oos.estimate == pytest.approx(r2, rel=1e-9)
