"""Hodrick (1992) 1B standard errors: against a direct implementation, the moment identity, and their size
under a known null (a persistent AR(1) predictor unrelated to the returns)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.signal import lfilter

from rotation.errors import ParameterError
from rotation.stats.hac import newey_west_sandwich
from rotation.stats.hodrick import HODRICK, hodrick_1b, hodrick_covariance


def _direct(r: np.ndarray, x: np.ndarray, ok: np.ndarray, h: int) -> np.ndarray:
    """Hodrick 1B written out term by term (loops, no cumulative sums): the reference."""
    n = len(r)
    rows = [t for t in range(n) if ok[t]]
    X = [np.array([1.0, x[t]]) for t in range(n)]
    T = len(rows)
    target = np.array([sum(r[t + i] for i in range(1, h + 1)) for t in rows])
    Xo = np.array([X[t] for t in rows])
    assert len(target) == T
    covered = [s for s in range(n) if any(ok[s - i] for i in range(1, h + 1) if s - i >= 0)]
    mean = sum(r[s] for s in covered) / len(covered)
    S = np.zeros((2, 2))
    for s in covered:
        w = (r[s] - mean) * sum((X[s - i] for i in range(1, h + 1) if s - i >= 0 and ok[s - i]), np.zeros(2))
        S += np.outer(w, w)
    S /= T
    Z = Xo.T @ Xo / T
    zi = np.linalg.inv(Z)
    return zi @ S @ zi / T


def _ar1(rng: np.random.Generator, n: int, rho: float) -> np.ndarray:
    v = rng.standard_normal(n)
    v[0] /= np.sqrt(1 - rho**2)
    return lfilter([1.0], [1.0, -rho], v)


@pytest.mark.parametrize("h", [1, 3, 12])
def test_equals_a_direct_implementation(h):
    rng = np.random.default_rng(h)
    n = 150
    r, x = rng.normal(0.01, 0.05, n), _ar1(rng, n, 0.9)
    ok = np.zeros(n, dtype=bool)
    ok[5:n - h] = True
    ok[40:44] = False  # a gap in the predictor
    b, cov = hodrick_covariance(r, np.column_stack([np.ones(n), x]), ok, h)
    np.testing.assert_allclose(cov, _direct(r, x, ok, h), rtol=1e-10, atol=1e-14)
    target = np.array([r[t + 1:t + h + 1].sum() for t in np.flatnonzero(ok)])
    ols = sm.OLS(target, sm.add_constant(x[ok])).fit()
    np.testing.assert_allclose(b, ols.params, rtol=1e-10)


def test_the_backward_sum_is_the_regression_moment():
    """sum_t x_t (eps_{t+1} + ... + eps_{t+h}) = sum_s eps_s (x_{s-1} + ... + x_{s-h}): the identity 1B rests on."""
    rng = np.random.default_rng(7)
    n, h = 120, 12
    eps, x = rng.standard_normal(n), rng.standard_normal(n)
    ok = np.zeros(n, dtype=bool)
    ok[: n - h] = True
    forward = sum(np.array([1.0, x[t]]) * eps[t + 1:t + h + 1].sum() for t in np.flatnonzero(ok))
    backward = sum(eps[s] * sum(np.array([1.0, x[s - i]]) for i in range(1, h + 1) if s - i >= 0 and ok[s - i])
                   for s in range(1, n))
    np.testing.assert_allclose(forward, backward, rtol=1e-12)


def test_right_size_under_the_null_where_hac_over_rejects():
    """A persistent predictor (AR(1), rho 0.98) unrelated to i.i.d. returns, 36-period targets, T = 600:
    Hodrick 1B rejects at 5% about 5% of the time; Newey-West with h - 1 lags rejects far more often."""
    rng = np.random.default_rng(2024)
    n, h, reps = 600, 36, 400
    ok = np.zeros(n, dtype=bool)
    ok[: n - h] = True
    weights = 1 - np.arange(1, h) / h
    hod = hac = 0
    for _ in range(reps):
        x, r = _ar1(rng, n, 0.98), rng.standard_normal(n)
        X = np.column_stack([np.ones(n), x])
        b, cov = hodrick_covariance(r, X, ok, h)
        hod += abs(b[1] / np.sqrt(cov[1, 1])) > 1.96
        cs = np.concatenate([[0.0], np.cumsum(r)])
        idx = np.flatnonzero(ok)
        b2, se = newey_west_sandwich(cs[idx + h + 1] - cs[idx + 1], X[ok], weights)
        hac += abs(b2[1] / se[1]) > 1.96
    assert 0.02 <= hod / reps <= 0.09, hod / reps
    assert hac / reps >= 0.12 and hac > 2 * hod, (hac / reps, hod / reps)


def test_result_uses_every_complete_window_and_the_vocabulary():
    rng = np.random.default_rng(3)
    idx = pd.date_range("1990-01-31", periods=200, freq="ME")
    y = pd.Series(rng.normal(0, 0.04, 200), idx)
    x = pd.Series(_ar1(rng, 200, 0.95), idx, name="spread").iloc[:180]  # the predictor ends 20 months early
    res = hodrick_1b(y, x, 12)
    row = res.table.loc["spread"]
    assert int(row["nobs"]) == 180  # every origin whose 12 returns are complete, not 180 - 12
    assert res.extra["end"] == idx[179]
    assert row["t"] == pytest.approx(row["estimate"] / row["std_err"])
    assert row["ci_lower"] < row["estimate"] < row["ci_upper"]
    assert res.method.cov_type == HODRICK and "Hodrick" in res.method.describe()
    target = pd.Series([y.iloc[t + 1:t + 13].sum() for t in range(180)], idx[:180])
    assert row["estimate"] == pytest.approx(sm.OLS(target, sm.add_constant(x)).fit().params["spread"], rel=1e-10)
    with pytest.raises(ParameterError, match="horizon"):
        hodrick_1b(y, x, 0)
