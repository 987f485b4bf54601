"""rotation.stats.hac: the one HAC path, against statsmodels driven directly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from rotation.errors import ParameterError
from rotation.stats.hac import hac_mean, hac_ols, newey_west_lags, newey_west_sandwich
from rotation.stats.results import Estimates


# --------------------------------------------------------------------------- HAC regression
@pytest.mark.parametrize(
    "n, expected",
    [pytest.param(100, 4, id="n100"), pytest.param(250, 4, id="n250"), pytest.param(1000, 6, id="n1000"),
     pytest.param(10_000, 11, id="n10000")],
)
def test_newey_west_lags_rule(n, expected):
    assert newey_west_lags(n) == expected == math.floor(4 * (n / 100) ** (2 / 9))


@pytest.fixture
def regression_data():
    rng = np.random.default_rng(8)
    n = 250
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n)
    y = 0.5 + 0.3 * x1 - 0.2 * x2 + rng.normal(size=n)
    X = pd.DataFrame({"x1": x1, "x2": x2}, index=pd.date_range("2000-01-31", periods=n, freq="ME"))
    y = pd.Series(y, index=X.index, name="fwd")
    y.iloc[3] = np.nan
    X.iloc[7, 1] = np.nan
    return y, X


@pytest.mark.parametrize("maxlags", [pytest.param(None, id="default-lags"), pytest.param(11, id="lags-11")])
def test_hac_ols_matches_statsmodels(regression_data, maxlags):
    y, X = regression_data
    res = hac_ols(y, X, maxlags=maxlags)
    keep = y.notna() & X.notna().all(axis=1)
    lags = maxlags if maxlags is not None else math.floor(4 * (keep.sum() / 100) ** (2 / 9))
    ref = sm.OLS(y[keep], sm.add_constant(X[keep])).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    assert isinstance(res, Estimates)
    table = res.table
    assert (table["nobs"] == 248).all() and (table["maxlags"] == lags).all() and res.method.cov_type == "HAC"
    assert res.method.lags == lags
    pd.testing.assert_series_equal(table["estimate"], ref.params, check_names=False)
    pd.testing.assert_series_equal(table["std_err"], ref.bse, check_names=False)
    pd.testing.assert_series_equal(table["p_value"], ref.pvalues, check_names=False)
    np.testing.assert_array_equal(table[["ci_lower", "ci_upper"]].to_numpy(), ref.conf_int().to_numpy())
    assert (table["rsquared"] == ref.rsquared).all()
    assert list(table.columns) == ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs", "rsquared",
                                   "maxlags"]
    assert list(table.index) == ["const", "x1", "x2"]
    text = res.summary()
    assert "HAC" in text and f"maxlags={lags}" in text


def test_hac_ols_series_regressor_without_constant(regression_data):
    y, X = regression_data
    res = hac_ols(y, X["x1"], maxlags=3, add_constant=False)
    assert list(res.table.index) == ["x1"]
    assert res.table["maxlags"].tolist() == [3] and res.method.lags == 3


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"maxlags": -1}, r"maxlags must be an integer >= 0; got -1", id="negative-lags"),
        pytest.param({"X": np.ones(5)}, r"X must be a pandas Series or DataFrame; got ndarray", id="array-X"),
    ],
)
def test_hac_ols_rejects(regression_data, kwargs, match):
    y, X = regression_data
    args = {"y": y, "X": X, **kwargs}
    with pytest.raises(ParameterError, match=match):
        hac_ols(**args)


def test_hac_mean_equals_a_regression_on_a_constant(regression_data):
    y, _ = regression_data
    res = hac_mean(y.rename("fwd"), maxlags=5)
    ref = sm.OLS(y.dropna(), np.ones(int(y.notna().sum()))).fit(cov_type="HAC", cov_kwds={"maxlags": 5})
    row = res.table.iloc[0]
    assert row["estimate"] == ref.params.iloc[0] and row["std_err"] == ref.bse.iloc[0]
    assert row["nobs"] == 249 and res.units.scale == "return" and list(res.table.index) == ["fwd"]


def test_newey_west_sandwich_is_statsmodels_hac_without_correction(regression_data):
    y, X = regression_data
    keep = y.notna() & X.notna().all(axis=1)
    Xc = sm.add_constant(X[keep])
    lags = 4
    ref = sm.OLS(y[keep], Xc).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": False})
    b, se = newey_west_sandwich(y[keep].to_numpy(), Xc.to_numpy(), 1.0 - np.arange(1, lags + 1) / (lags + 1.0))
    np.testing.assert_allclose(b, ref.params.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(se, ref.bse.to_numpy(), rtol=1e-10)
