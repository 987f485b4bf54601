"""OLS with HAC (Newey-West) standard errors: the one HAC path of the package.

Every regression with autocorrelation-robust errors goes through :func:`hac_fit` (statsmodels
``OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L})``: Bartlett kernel, statsmodels' default
small-sample correction, normal-based p-values and intervals) and comes back in the result
vocabulary (:func:`coefficients`, :func:`hac_ols` -> :class:`~rotation.stats.results.Estimates`).
Rolling windows, where a statsmodels fit per window would dominate a notebook's run time, use
:func:`newey_west_sandwich`, the same estimator in numpy (tested equal to statsmodels).

Lags: pass them explicitly. :func:`newey_west_lags` is the Newey-West (1994) rule of thumb;
overlapping ``h``-period forward returns need at least ``h - 1`` lags (their errors are MA(h-1)
under the null).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_real
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units

__all__ = ["hac_fit", "coefficients", "hac_ols", "hac_mean", "newey_west_lags", "newey_west_sandwich",
           "BY_REGRESSOR"]

#: Units of a regression's coefficients when the caller does not say more.
BY_REGRESSOR = Units.number("units of y per unit of each regressor")


def newey_west_lags(nobs: int) -> int:
    """Newey-West (1994) rule of thumb: ``floor(4 * (nobs / 100) ** (2 / 9))``."""
    n = check_int(nobs, "nobs", minimum=1)
    return int(math.floor(4 * (n / 100.0) ** (2.0 / 9.0)))


def hac_fit(y: pd.Series, X: pd.DataFrame | np.ndarray, maxlags: int) -> Any:
    """``statsmodels`` ``OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags})``: the one HAC fit.

    ``X`` is used as given (add the constant yourself); rows must already be complete.
    Returns statsmodels' results object (``params``, ``bse``, ``tvalues``, ``pvalues``, ``conf_int``,
    ``wald_test``, ``nobs``, ``rsquared``).
    """
    import statsmodels.api as sm

    lags = check_int(maxlags, "maxlags", minimum=0)
    return sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": lags})


def coefficients(fit: Any, alpha: float = 0.05) -> pd.DataFrame:
    """A statsmodels fit's coefficients in the vocabulary: ``estimate, std_err, t, p_value, ci_lower,
    ci_upper`` (intervals at level ``1 - alpha``), one row per term."""
    ci = fit.conf_int(alpha)
    return pd.DataFrame({"estimate": fit.params, "std_err": fit.bse, "t": fit.tvalues, "p_value": fit.pvalues,
                         "ci_lower": ci.iloc[:, 0], "ci_upper": ci.iloc[:, 1]})


def hac_ols(
    y: pd.Series,
    X: pd.Series | pd.DataFrame,
    maxlags: int | None = None,
    add_constant: bool = True,
    alpha: float = 0.05,
    *,
    units: Units = BY_REGRESSOR,
    title: str = "OLS coefficients",
) -> Estimates:
    """OLS of ``y`` on ``X`` with HAC (Newey-West) standard errors, as one result.

    Parameters
    ----------
    y : pd.Series
        Dependent variable (e.g. relative returns, decimal), stamped like ``X``.
    X : pd.Series or pd.DataFrame
        Regressors known at ``t`` (a Series becomes one column named after it). ``y`` and ``X`` are
        aligned on their index (inner join) and rows with a NaN in any of them are dropped jointly.
    maxlags : int, optional
        Lags of the Bartlett kernel (>= 0). Default: :func:`newey_west_lags` of the rows used.
        **For overlapping** ``h``-**period forward returns** pass ``maxlags >= h - 1``.
    add_constant : bool, default True
        Add an intercept column named ``"const"``.
    alpha : float, default 0.05
        Intervals at level ``1 - alpha``.
    units, title
        Stored on the result.

    Returns
    -------
    Estimates
        One row per term (``const`` first), the vocabulary plus ``rsquared`` and ``maxlags``.
    """
    if not isinstance(y, pd.Series):
        raise ParameterError(f"y must be a pandas Series; got {type(y).__name__}")
    if not isinstance(X, (pd.Series, pd.DataFrame)):
        raise ParameterError(f"X must be a pandas Series or DataFrame; got {type(X).__name__}")
    a = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    Xf = X.to_frame(name=X.name if X.name is not None else "x") if isinstance(X, pd.Series) else X
    yname = y.name if y.name is not None else "y"
    if yname in Xf.columns:
        yname = "__y__"
    data = pd.concat([y.rename(yname), Xf], axis=1, join="inner").dropna()
    Xd = data.drop(columns=[yname]).astype(float)
    yd = data[yname].astype(float)
    if add_constant:
        import statsmodels.api as sm

        Xd = sm.add_constant(Xd, has_constant="add")
    k = Xd.shape[1]
    if len(data) <= k:
        raise ParameterError(f"y and X must have more complete rows than regressors ({k}); got {len(data)}")
    lags = newey_west_lags(len(data)) if maxlags is None else check_int(maxlags, "maxlags", minimum=0)
    fit = hac_fit(yd, Xd, lags)
    table = coefficients(fit, a)
    table["nobs"] = int(fit.nobs)
    table["rsquared"] = float(fit.rsquared)
    table["maxlags"] = lags
    table.index.name = "term"
    return Estimates(table, Method(kind="HAC", cov_type="HAC", lags=lags, alpha=a), units, title)


def hac_mean(x: pd.Series, maxlags: int = 12, alpha: float = 0.05, *,
             units: Units = Units.returns("decimal return per period")) -> Estimates:
    """Mean of a series with a HAC (Newey-West) interval, plus ``median``, ``share_positive``, ``start``,
    ``end`` (one row, labelled by the series' name)."""
    y = x.dropna().astype(float)
    if len(y) < 3:
        raise ParameterError(f"{x.name or 'series'} has {len(y)} observations; need at least 3")
    fit = hac_fit(y, np.ones(len(y)), maxlags)
    row = {**{k: float(v.iloc[0]) for k, v in coefficients(fit, alpha).items()}, "nobs": int(len(y)),
           "median": float(y.median()), "share_positive": float((y > 0).mean()),
           "start": y.index[0], "end": y.index[-1]}
    return Estimates(pd.DataFrame([row], index=[str(x.name or "mean")]),
                     Method(kind="HAC", cov_type="HAC", lags=int(maxlags), alpha=alpha),
                     units, title=f"mean of {x.name or 'the series'}")


def newey_west_sandwich(y: np.ndarray, X: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and Newey-West standard errors in numpy, for many small windows.

    :math:`b = (X'X)^{-1}X'y` and the sandwich :math:`(X'X)^{-1} S (X'X)^{-1}` with
    :math:`S = \\sum_{|l| \\le L} w_l \\sum_t g_t g_{t-l}'`, :math:`g_t = x_t u_t` and the Bartlett
    ``weights`` :math:`w_l = 1 - l/(L+1)`, ``l = 1..L``: what :func:`hac_fit` reports for the same
    rows (no small-sample correction), without a statsmodels fit per window.
    """
    xtx_inv = np.linalg.pinv(X.T @ X)
    b = xtx_inv @ (X.T @ y)
    g = X * (y - X @ b)[:, None]
    S = g.T @ g
    for lag, wl in enumerate(weights, start=1):
        if lag >= len(g):
            break
        G = g[lag:].T @ g[:-lag]
        S += wl * (G + G.T)
    cov = xtx_inv @ S @ xtx_inv
    return b, np.sqrt(np.maximum(np.diag(cov), 0.0))
