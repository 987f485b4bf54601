"""Hodrick (1992) 1B standard errors for long-horizon predictive regressions.

A regression of the next ``h`` periods' summed return on a predictor known at ``t`` has
overlapping targets: consecutive errors share ``h - 1`` periods. Newey-West (HAC) errors with
``h - 1`` lags allow for that, but with a persistent predictor and few non-overlapping windows they
are far too small (Hodrick 1992; Ang and Bekaert 2007). Hodrick's estimator "1B" imposes the null of
no predictability and sums the **regressor** backwards instead of the error forwards: the moment of
the regression,

.. math::  \\sum_t x_t (\\varepsilon_{t+1} + \\dots + \\varepsilon_{t+h})
           = \\sum_s \\varepsilon_s \\, (x_{s-1} + \\dots + x_{s-h}),

is a sum of terms ``w_s = eps_s * (x_{s-1} + ... + x_{s-h})`` that are serially uncorrelated under
the null, so their covariance needs no lags:

.. math::  \\widehat{V}(b) = \\frac{1}{T} Z^{-1} S Z^{-1},\\quad Z = \\frac{1}{T}\\sum_t x_t x_t',
           \\quad S = \\frac{1}{T}\\sum_s w_s w_s',

with ``x_t = (1, predictor_t)``, ``T`` the regression rows and ``eps`` the one-period return minus
its mean (the residual under the null) over the periods the windows cover. :func:`hodrick_1b` is the
one implementation; it returns the same vocabulary as :func:`rotation.stats.hac.hac_ols`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_real
from rotation.stats.hac import BY_REGRESSOR
from rotation.stats.regressions import predictive_pairs
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units

__all__ = ["hodrick_1b", "hodrick_covariance", "HODRICK"]

#: The covariance name results and verdicts use for these errors.
HODRICK = "Hodrick 1B"


def hodrick_covariance(r: np.ndarray, X: np.ndarray, ok: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and the Hodrick 1B covariance, in numpy.

    Parameters
    ----------
    r : ndarray, shape (n,)
        One-period returns, in time order (NaN allowed outside the windows used).
    X : ndarray, shape (n, k)
        Regressors at each period (a constant column included), known at its end.
    ok : ndarray of bool, shape (n,)
        The regression rows: ``t`` whose window ``r[t+1..t+h]`` is complete and whose ``X[t]`` is
        known.
    horizon : int
        ``h``: the target at ``t`` is ``r[t+1] + ... + r[t+h]``.

    Returns
    -------
    (b, cov)
        The OLS coefficients of the summed target on ``X[ok]`` and their Hodrick 1B covariance.
    """
    h = check_int(horizon, "horizon", minimum=1)
    ok = np.asarray(ok, dtype=bool)
    n, k = X.shape
    T = int(ok.sum())
    if T <= k:
        raise ParameterError(f"need more regression rows than regressors ({k}); got {T}")
    csum = np.concatenate([[0.0], np.cumsum(np.nan_to_num(r, nan=0.0))])
    idx = np.flatnonzero(ok)
    target = csum[idx + h + 1] - csum[idx + 1]
    Xo = X[ok]
    b, *_ = np.linalg.lstsq(Xo, target, rcond=None)
    Z = Xo.T @ Xo / T
    # Periods s covered by some window: s in t+1..t+h for a regression row t.
    Xz = np.where(ok[:, None], X, 0.0)
    cx = np.concatenate([np.zeros((1, k)), np.cumsum(Xz, axis=0)])
    s = np.arange(n)
    lagged = cx[s] - cx[np.maximum(s - h, 0)]  # x_{s-1} + ... + x_{s-h} over regression rows
    cover = np.concatenate([[0], np.cumsum(ok)])
    covered = (cover[s] - cover[np.maximum(s - h, 0)]) > 0
    eps = r[covered] - np.mean(r[covered])
    w = eps[:, None] * lagged[covered]
    S = w.T @ w / T
    zi = np.linalg.inv(Z)
    return b, zi @ S @ zi / T


def hodrick_1b(y: pd.Series, x: pd.Series, horizon: int, *, alpha: float = 0.05, units: Units = BY_REGRESSOR,
               title: str | None = None) -> Estimates:
    """Does ``x`` known at ``t`` predict the sum of ``y`` over ``t+1..t+h``? OLS with Hodrick 1B errors.

    Parameters
    ----------
    y : pd.Series
        One-period returns (decimal), sorted by date.
    x : pd.Series
        The predictor, known at the close of its date (read at ``y``'s dates).
    horizon : int
        ``h`` >= 1 periods of summed return. Every window whose returns are complete counts
        (:func:`rotation.stats.regressions.predictive_pairs`).
    alpha : float, default 0.05
        Intervals at level ``1 - alpha`` (normal critical values).
    units, title
        Stored on the result.

    Returns
    -------
    Estimates
        Rows ``const`` and the predictor (named after ``x``), the vocabulary (``std_err`` Hodrick 1B,
        normal ``p_value`` and interval) plus ``rsquared`` and ``horizon``; ``extra``: ``start`` and
        ``end`` (first and last regression row) and ``cov`` (the covariance matrix of ``const`` and the
        predictor, for forecast intervals).
    """
    h = check_int(horizon, "horizon", minimum=1)
    a = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    data = predictive_pairs(y, x, h)
    xname = str(data.columns[1])
    ok = data.notna().all(axis=1).to_numpy()
    if ok.sum() <= 2:
        raise ParameterError(f"y and x give {int(ok.sum())} complete {h}-period windows; need at least 3")
    X = np.column_stack([np.ones(len(data)), data[xname].to_numpy(dtype=float)])
    _, cov = hodrick_covariance(y.to_numpy(dtype=float), X, ok, h)
    # the coefficients by the same statsmodels OLS as every HAC fit (identical to hac_fit's on these rows)
    b = sm.OLS(data["target"].to_numpy()[ok], X[ok]).fit().params
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    t = np.divide(b, se, out=np.full(len(b), np.nan), where=se > 0)
    z = float(stats.norm.ppf(1 - a / 2))
    target = data["target"].to_numpy()[ok]
    resid = target - X[ok] @ b
    r2 = 1.0 - float(resid @ resid) / float(((target - target.mean()) ** 2).sum())
    table = pd.DataFrame({"estimate": b, "std_err": se, "t": t, "p_value": 2 * stats.norm.sf(np.abs(t)),
                          "ci_lower": b - z * se, "ci_upper": b + z * se, "nobs": int(ok.sum()),
                          "rsquared": r2, "horizon": h}, index=pd.Index(["const", xname], name="term"))
    rows = data.index[ok]
    return Estimates(table, Method(kind="OLS", cov_type=HODRICK, alpha=a,
                                   note=f"Hodrick (1992) 1B: regressor summed over the {h} periods before each "
                                        "return, residuals under the null (returns minus their mean), no lags"),
                     units, title or f"next {h}-period return on {xname}, Hodrick 1B errors",
                     extra={"start": rows[0], "end": rows[-1], "cov": cov})
