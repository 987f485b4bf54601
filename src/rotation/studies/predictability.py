"""Predictive regressions of long-horizon returns: out-of-sample tests and the small-sample bias.

The pieces notebook 06's predictability step shares with its earnings proxy: :func:`clark_west`
(Clark and West 2007), :func:`stambaugh_bias` (Stambaugh 1999) and :func:`stambaugh_table`, and
:func:`out_of_sample` (walk-forward forecasts, their R² against the historical mean over all
forecasts and over the forecasts made since given dates, with the Clark-West test). Every forecast
is made from a fit on the pairs whose windows have ended by its date
(:func:`rotation.stats.regressions.oos_r2`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.hac import hac_fit
from rotation.stats.regressions import oos_r2
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units

__all__ = ["stambaugh_bias", "clark_west", "out_of_sample", "stambaugh_table", "OOS_SINCE"]

_NAN = float("nan")

#: The dates from which out-of-sample R² is also shown (forecasts made since then).
OOS_SINCE: tuple[str, ...] = ("1990-01-01", "2015-01-01")


def _vocabulary_row(estimate: float, nobs: int, **extra: object) -> dict[str, object]:
    return {"estimate": estimate, "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN, "ci_upper": _NAN,
            "nobs": nobs, **extra}


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


def _r2(fc: pd.DataFrame) -> float:
    mse_b = float(np.mean((fc["actual"] - fc["mean"]) ** 2))
    return 1.0 - float(np.mean((fc["actual"] - fc["model"]) ** 2)) / mse_b if mse_b > 0 else _NAN


def out_of_sample(returns: pd.Series, predictor: pd.Series, horizons: Sequence[int], min_train: int,
                  since: Sequence[str] = OOS_SINCE) -> dict[str, Estimates]:
    """Walk-forward out-of-sample R² of the predictive regression, over all forecasts and recent ones.

    Parameters
    ----------
    returns, predictor : pd.Series
        Monthly relative returns and the predictor known at each month's end
        (:func:`rotation.stats.regressions.oos_r2`: the forecast made at ``t`` comes from a fit on
        the pairs whose windows ended by ``t``, and is compared with the expanding historical mean).
    horizons : sequence of int
        Months of summed future return.
    min_train : int
        Training pairs before the first forecast.
    since : sequence of str
        Dates: the R² is also computed over the forecasts made on or after each (the same forecasts,
        a later first one).

    Returns
    -------
    dict
        ``out_of_sample``: rows horizon, ``estimate`` the R² over all forecasts, the Clark-West test as
        ``t`` and one-sided ``p_value`` (``maxlags`` its lags), ``nobs`` the forecasts, ``start`` and
        ``end`` the first and last forecast's date. ``out_of_sample_since``: rows ``(horizon, since)``
        (``"1990"``...), the R² over the forecasts made since that date, ``nobs``, ``start``, ``end``.
    """
    starts = [pd.Timestamp(d) for d in since]
    rows, recent = {}, {}
    for h in horizons:
        oos = oos_r2(returns, predictor, horizon=h, min_train=min_train)
        fc = oos.data
        cw = clark_west(fc, lags=max(h - 1, 1))
        rows[h] = {**_vocabulary_row(oos.estimate, oos.nobs), "t": cw["statistic"], "p_value": cw["p_value"],
                   "maxlags": cw["lags"], "start": fc.index[0], "end": fc.index[-1]}
        for d in starts:
            part = fc.loc[d:]
            recent[(h, f"{d:%Y}")] = {**_vocabulary_row(_r2(part) if len(part) else _NAN, len(part)),
                                      "start": part.index[0] if len(part) else pd.NaT,
                                      "end": part.index[-1] if len(part) else pd.NaT}
    out = {}
    for name, t in (("out_of_sample", pd.DataFrame(rows).T), ("out_of_sample_since", pd.DataFrame(recent).T)):
        t = t.astype({c: float for c in t.columns if c not in ("start", "end")})
        out[name] = t.astype({"nobs": int} | ({"maxlags": int} if "maxlags" in t else {}))
    out["out_of_sample"].index.name = "horizon"
    out["out_of_sample_since"].index.names = ["horizon", "since"]
    units = Units.number("out-of-sample R2 (> 0: beats the historical mean)")
    walk = (f"walk-forward forecasts (each from a fit on the windows ended by its date, first after {min_train} "
            "months) against the expanding historical mean")
    return {
        "out_of_sample": Estimates(out["out_of_sample"], Method(
            kind="HAC", cov_type="HAC", lag_rule="max(h - 1, 1) per row, see maxlags",
            note=f"estimate: out-of-sample R2 of {walk}; t, p_value: Clark-West test that the regression beats "
                 "the mean (one-sided)"), units, "Out-of-sample R2 and the Clark-West test (rows: h months)"),
        "out_of_sample_since": Estimates(out["out_of_sample_since"], Method(
            kind="descriptive", note=f"out-of-sample R2 of the same {walk}, over the forecasts made since each "
                                     "date"), units, "Out-of-sample R2 of recent forecasts (rows: h months, since)"),
    }


def stambaugh_table(returns: pd.Series, predictor: pd.Series) -> Estimates:
    b = stambaugh_bias(returns, predictor)
    row = _vocabulary_row(b["slope_one_period"], b["nobs"], bias=b["bias"], rho=b["rho"], corr_uv=b["corr_uv"])
    table = pd.DataFrame([row], index=pd.Index(["one-month slope"], name="statistic")).astype({"nobs": int})
    method = Method(kind="descriptive", note="Stambaugh (1999): bias about -(1 + 3 rho) / T cov(u, v) / var(v), "
                                             "rho the predictor's AR(1) coefficient")
    return Estimates(table, method, Units.number("monthly relative return per log point of spread"),
                     "One-month slope and its Stambaugh small-sample bias")


