"""Valuation helpers: the spread on a made-up 2x3 table, Stambaugh's bias, Clark-West, forecasts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.studies import valuation as va
from rotation.errors import ParameterError
from rotation.stats.regressions import oos_r2, predictive_regression

COLS = ["SMALL LoBM", "ME1 BM2", "SMALL HiBM", "BIG LoBM", "ME2 BM2", "BIG HiBM"]


def table(rows, n=3):
    idx = pd.date_range("2000-01-31", periods=n, freq="ME", name="date")
    return pd.DataFrame([rows] * n, index=idx, columns=COLS, dtype=float)


def test_spread_on_a_made_up_2x3_table():
    beme = table([0.5, 1.0, 2.0, 0.25, 0.5, 1.0])
    size = table([10, 10, 10, 100, 100, 100])
    nf = table([1, 2, 1, 1, 1, 2])  # weights small: 10, 20, 10; big: 100, 100, 200
    sp = va.valuation_spread(beme, size, nf)
    small = (0.5 * 10 + 1.0 * 20 + 2.0 * 10) / 40
    big = (0.25 * 100 + 0.5 * 100 + 1.0 * 200) / 400
    assert sp["small_beme"].iloc[0] == pytest.approx(small) and sp["big_beme"].iloc[0] == pytest.approx(big)
    assert sp["overall"].iloc[0] == pytest.approx(np.log(small / big))
    assert sp["value"].iloc[0] == pytest.approx(np.log(2.0)) and sp["growth"].iloc[0] == pytest.approx(np.log(2.0))
    with pytest.raises(ParameterError, match="lacks the 2x3 portfolio columns"):
        va.valuation_spread(beme.drop(columns="ME1 BM2"), size, nf)


def _predictable(n=600, b=0.05, seed=0):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1950-01-31", periods=n, freq="ME")
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = 0.95 * x[t - 1] + rng.normal(0, 0.1)
    y = np.r_[0, b * x[:-1]] + rng.normal(0, 0.02, n)
    return pd.Series(y, idx), pd.Series(x, idx, name="x")


def test_forecast_matches_the_predictive_regression():
    y, x = _predictable()
    f = va.predictive_forecast(y, x, 12, 0.3, maxlags=11)
    ref = predictive_regression(y, x, horizon=12, maxlags=11).table
    assert f["slope"] == pytest.approx(float(ref.loc["x", "estimate"]))
    assert f["slope_t"] == pytest.approx(float(ref.loc["x", "t"]))
    assert f["estimate"] == pytest.approx(float(ref.loc["const", "estimate"] + ref.loc["x", "estimate"] * 0.3))
    assert f["ci_lower"] < f["estimate"] < f["ci_upper"]


def test_clark_west_on_predictable_and_unpredictable_series():
    y, x = _predictable(b=0.05)
    cw = va.clark_west(oos_r2(y, x, horizon=1, min_train=120).data, lags=0)
    assert cw["p_value"] < 0.01
    rng = np.random.default_rng(3)
    noise = pd.Series(rng.normal(0, 0.02, len(y)), index=y.index)
    cw0 = va.clark_west(oos_r2(noise, x, horizon=1, min_train=120).data, lags=0)
    assert cw0["p_value"] > 0.05


def test_stambaugh_bias_sign_and_persistence():
    y, x = _predictable(b=0.0, seed=5)
    # make return shocks negatively correlated with predictor shocks (as with dividend yields)
    out = va.stambaugh_bias(y, x)
    assert 0.85 < out["rho"] < 1.0 and out["nobs"] == len(y) - 1
    u = pd.Series(np.r_[0, -np.diff(x.to_numpy())], index=x.index) * 0.2
    out2 = va.stambaugh_bias(y + u, x)
    assert out2["corr_uv"] < 0 and out2["bias"] > 0  # negative cov(u, v) biases the slope upward


def test_expanding_quantile_state_has_no_look_ahead():
    x = pd.Series(np.arange(200.0), index=pd.date_range("2000-01-31", periods=200, freq="ME"))
    s = va.expanding_quantile_state(x, 0.8, min_periods=10)
    assert s.iloc[:9].isna().all() and (s.iloc[9:] == 1.0).all()  # a rising series is always at its high
    y = x.copy()
    y.iloc[100:] = -1
    pd.testing.assert_series_equal(s.iloc[:100], va.expanding_quantile_state(y, 0.8, 10).iloc[:100])
