"""Valuation and quality: the small-vs-big valuation spread, long-horizon predictability, profitability.

Conventions
-----------
* Inputs are the Ken French 2x3 size x book-to-market tables as loaded (``sbm_beme_monthly``,
  ``sbm_mktcap_monthly``, ``sbm_nfirms_monthly``, ``sbm_op_monthly``): six portfolios, columns
  ``SMALL LoBM, ME1 BM2, SMALL HiBM, BIG LoBM, ME2 BM2, BIG HiBM``.
* **Timing.** The BE/ME of a month from July of year t to June of t+1 uses book equity of fiscal
  year t-1 (which Fama and French assume is public by June of year t) over market equity of
  December t-1, weighted by the month's market equity: every ingredient is known by the end of
  that month. The library restates history when it updates (a look-ahead no lag removes) and
  publishes with a delay of about a month; notebooks say so.
* The **spread** is ``log(BE/ME small) - log(BE/ME big)``: positive and rising when small caps
  are cheap relative to big ones. Aggregates across the three book-to-market portfolios of a
  size group weight each portfolio by its total market equity (average firm size x number of
  firms), the library's own value weighting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.hac import coefficients, hac_fit
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units
from rotation.stats.regressions import forward_sum

__all__ = ["factor_alphas", "SMALL", "BIG", "aggregate", "valuation_spread", "stambaugh_bias", "clark_west",
           "predictive_forecast", "expanding_quantile_state"]

SMALL = ("SMALL LoBM", "ME1 BM2", "SMALL HiBM")
BIG = ("BIG LoBM", "ME2 BM2", "BIG HiBM")


def _frame(x: object, name: str) -> pd.DataFrame:
    if not isinstance(x, pd.DataFrame) or not isinstance(x.index, pd.DatetimeIndex):
        raise ParameterError(f"{name} must be a DataFrame with a DatetimeIndex (a Ken French 2x3 table); "
                             f"got {type(x).__name__}")
    missing = [c for c in (*SMALL, *BIG) if c not in x.columns]
    if missing:
        raise ParameterError(f"{name} lacks the 2x3 portfolio columns {missing}; load e.g. 'sbm_beme_monthly'")
    return x.astype(float)


def aggregate(values: pd.DataFrame, mktcap: pd.DataFrame, nfirms: pd.DataFrame, group: tuple[str, ...]) -> pd.Series:
    """Market-equity-weighted average of ``values`` over the portfolios in ``group``.

    Weights are average firm size x number of firms (total market equity) of each portfolio in the
    same month. Months with any missing input are NaN.
    """
    v, m, n = _frame(values, "values"), _frame(mktcap, "mktcap"), _frame(nfirms, "nfirms")
    cols = list(group)
    w = (m[cols] * n[cols]).reindex(v.index)
    out = (v[cols] * w).sum(axis=1, min_count=len(cols)) / w.sum(axis=1, min_count=len(cols))
    return out.where(v[cols].notna().all(axis=1) & w.notna().all(axis=1))


def valuation_spread(beme: pd.DataFrame, mktcap: pd.DataFrame, nfirms: pd.DataFrame) -> pd.DataFrame:
    """Small-minus-big log BE/ME spreads: overall, within value and within growth.

    Returns
    -------
    pd.DataFrame
        ``overall`` (value-weighted BE/ME of the three small portfolios vs the three big ones),
        ``value`` (SMALL HiBM vs BIG HiBM), ``growth`` (SMALL LoBM vs BIG LoBM), ``small_beme``,
        ``big_beme``. The within-style spreads show whether a change in the overall spread is
        cheapness or a shift in the mix of value and growth firms.
    """
    b = _frame(beme, "beme")
    small = aggregate(b, mktcap, nfirms, SMALL)
    big = aggregate(b, mktcap, nfirms, BIG)
    return pd.DataFrame({
        "overall": np.log(small) - np.log(big),
        "value": np.log(b["SMALL HiBM"]) - np.log(b["BIG HiBM"]),
        "growth": np.log(b["SMALL LoBM"]) - np.log(b["BIG LoBM"]),
        "small_beme": small, "big_beme": big,
    })


def stambaugh_bias(y: pd.Series, x: pd.Series) -> dict[str, float]:
    """Stambaugh's (1999) small-sample bias of a one-period predictive slope with a persistent predictor.

    With ``x_t = c + rho x_{t-1} + v_t`` and ``y_t = a + b x_{t-1} + u_t``, OLS of ``b`` is biased by
    about ``-(1 + 3 rho) / T * cov(u, v) / var(v)``. Returns ``rho``, ``corr_uv``, ``bias`` and ``nobs``
    (``y`` one-period returns, ``x`` the predictor, same index).
    """
    import statsmodels.api as sm

    data = pd.concat({"y": y, "x": x}, axis=1).dropna()
    data["x_lag"] = data["x"].shift(1)
    data = data.dropna()
    if len(data) < 24:
        raise ParameterError(f"y and x share {len(data)} complete months; need at least 24")
    ar = sm.OLS(data["x"], sm.add_constant(data["x_lag"])).fit()
    pr = sm.OLS(data["y"], sm.add_constant(data["x_lag"])).fit()
    u, v = pr.resid, ar.resid
    rho = float(ar.params["x_lag"])
    t = len(data)
    bias = -(1 + 3 * rho) / t * float(np.cov(u, v)[0, 1] / np.var(v, ddof=1))
    return {"rho": rho, "corr_uv": float(np.corrcoef(u, v)[0, 1]), "bias": bias, "nobs": t,
            "slope_one_period": float(pr.params["x_lag"])}


def clark_west(forecasts: pd.DataFrame, lags: int) -> dict[str, float]:
    """Clark and West (2007) test that a nested model's forecasts beat the historical mean.

    Parameters
    ----------
    forecasts : pd.DataFrame
        Columns ``actual``, ``model``, ``mean`` (e.g. ``rotation.stats.regressions.oos_r2(...).forecasts``).
    lags : int
        Newey-West lags for the mean of the adjusted loss difference (at least ``h - 1`` for
        overlapping ``h``-period targets).

    Returns
    -------
    dict
        ``statistic`` (t of the mean of ``f_t = (a - m)^2 - [(a - p)^2 - (m - p)^2]``), one-sided
        ``p_value`` (H1: the model is better), ``nobs``.
    """
    from scipy.stats import norm

    for col in ("actual", "model", "mean"):
        if col not in forecasts:
            raise ParameterError(f"forecasts must have columns actual, model, mean; missing {col!r}")
    a, p, m = (forecasts[c].astype(float) for c in ("actual", "model", "mean"))
    f = ((a - m) ** 2 - ((a - p) ** 2 - (m - p) ** 2)).dropna()
    fit = hac_fit(f, np.ones(len(f)), lags)
    stat = float(fit.tvalues.iloc[0])
    return {"statistic": stat, "p_value": float(norm.sf(stat)), "nobs": int(len(f)), "lags": int(lags)}


def predictive_forecast(y: pd.Series, x: pd.Series, horizon: int, x_now: float, *, maxlags: int | None = None,
                        alpha: float = 0.05) -> dict[str, float]:
    """Fit ``sum(y[t+1..t+h]) = a + b x[t]`` with HAC errors and predict the target at ``x_now``.

    The same regression as :func:`rotation.stats.regressions.predictive_regression` (summed simple returns,
    predictor known at ``t``, HAC with at least ``h - 1`` lags); returns the slope and the predicted
    mean with its interval (``estimate, std_err, ci_lower, ci_upper``), ``slope``, ``slope_t``,
    ``slope_p``, ``slope_row`` (the slope in the vocabulary), ``nobs``, ``lags``.
    """
    import statsmodels.api as sm
    from scipy.stats import norm

    h = int(horizon)
    if h < 1:
        raise ParameterError(f"horizon must be >= 1 month; got {horizon!r}")
    both = pd.concat({"y": y.astype(float), "x": x.astype(float)}, axis=1, join="inner")
    both["target"] = forward_sum(both["y"], h)
    data = both[["target", "x"]].dropna()
    if len(data) < 3 * h:
        raise ParameterError(f"only {len(data)} complete months for a {h}-month horizon; need at least {3 * h}")
    lags = max(h - 1, 12) if maxlags is None else int(maxlags)
    fit = hac_fit(data["target"], sm.add_constant(data["x"]), lags)
    g = np.array([1.0, float(x_now)])
    est = float(fit.params.to_numpy() @ g)
    se = float(np.sqrt(g @ fit.cov_params().to_numpy() @ g))
    z = norm.ppf(1 - alpha / 2)
    ci = fit.conf_int(alpha).loc["x"]
    slope_row = {"estimate": float(fit.params["x"]), "std_err": float(fit.bse["x"]), "t": float(fit.tvalues["x"]),
                 "p_value": float(fit.pvalues["x"]), "ci_lower": float(ci.iloc[0]), "ci_upper": float(ci.iloc[1]),
                 "nobs": int(fit.nobs)}
    return {"estimate": est, "std_err": se, "ci_lower": est - z * se, "ci_upper": est + z * se, "x": float(x_now),
            "slope": slope_row["estimate"], "slope_t": slope_row["t"], "slope_p": slope_row["p_value"],
            "slope_row": slope_row, "nobs": int(fit.nobs), "lags": lags}


def expanding_quantile_state(x: pd.Series, q: float = 0.8, min_periods: int = 120) -> pd.Series:
    """``True`` where ``x_t`` is at or above the ``q`` quantile of ``x`` up to ``t`` (no look-ahead); NaN
    before ``min_periods`` observations."""
    s = x.astype(float)
    cut = s.expanding(min_periods=min_periods).quantile(q)
    return (s >= cut).astype(float).where(cut.notna())


def factor_alphas(series: dict[str, pd.Series], factors: pd.DataFrame, control_sets: dict[str, list[str]],
                  maxlags: int = 12, alpha: float = 0.05) -> Estimates:
    """Intercepts (alphas) of each series regressed on each set of factors, HAC errors.

    Rows ``(series, controls)`` in the vocabulary, plus one ``<factor> loading`` column per factor used.
    Each regression uses the months where the series and all its factors exist.
    """
    import statsmodels.api as sm

    rows = {}
    for name, y in series.items():
        for label, cols in control_sets.items():
            missing = [c for c in cols if c not in factors]
            if missing:
                raise ParameterError(f"control set {label!r} names factors {missing} not in the factor table "
                                     f"(columns: {list(factors.columns)})")
            d = pd.concat([y.rename("__y__"), factors[cols]], axis=1).dropna()
            fit = hac_fit(d["__y__"], sm.add_constant(d[cols]), maxlags)
            rows[(name, label)] = {**coefficients(fit, alpha).loc["const"].astype(float).to_dict(),
                                   "nobs": int(fit.nobs), **{f"{c} loading": float(fit.params[c]) for c in cols}}
    out = pd.DataFrame(rows).T
    out.index.names = ["series", "controls"]
    out = out.astype(float).astype({"nobs": int})
    return Estimates(out, Method(kind="HAC", cov_type="HAC", lags=int(maxlags), alpha=alpha),
                     units=Units.returns("decimal return per month (alpha); loadings are betas"),
                     title="alphas with and without controls")
