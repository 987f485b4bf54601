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

The studies of notebook 06's valuation steps (one call each, returning a result object with its
sentence): :func:`discount_standing` (the spreads today against their history) and
:func:`spread_predictability` (predictive regressions, out-of-sample tests, the Stambaugh bias, the
halves and :func:`top_quintile_study`). The quality and earnings steps are in
:mod:`rotation.studies.quality`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_real
from rotation.stats.hac import coefficients, hac_fit
from rotation.stats.regressions import forward_sum, oos_r2
from rotation.stats.results import Estimates, Method, Results
from rotation.stats.units import Units
from rotation.studies.economy import state_difference
from rotation.studies.returns import percentile_of_last

__all__ = ["factor_alphas", "SMALL", "BIG", "aggregate", "valuation_spread", "stambaugh_bias", "clark_west",
           "predictive_forecast", "expanding_quantile_state", "discount_standing", "forecast_parts",
           "spread_predictability", "top_quintile_study", "SPREADS", "ordinal"]

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


# ---------------------------------------------------------------------------------------------------------------
# The studies of notebook 06's valuation steps: one call each, a result object that says what it means.

_NAN = float("nan")

#: The spreads of :func:`valuation_spread` a reader compares: overall, within value, within growth.
SPREADS: tuple[str, ...] = ("overall", "value", "growth")

_SPREAD_UNITS = Units.number("log BE/ME, small minus big (higher: small caps cheaper)")


def _vocabulary_row(estimate: float, nobs: int, **extra: object) -> dict[str, object]:
    return {"estimate": estimate, "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN, "ci_upper": _NAN,
            "nobs": nobs, **extra}


def ordinal(share: float) -> str:
    """A share in [0, 1] as an ordinal percentile: ``0.8443 -> "84th"``, ``1.0 -> "100th"``, ``0.02 -> "2nd"``."""
    n = round(100 * float(share))
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _horizons(horizons: Sequence[int], horizon: int) -> list[int]:
    """``horizons`` in their order (checked), with the deciding ``horizon`` appended when missing."""
    hs = [check_int(h, "horizons item", minimum=1, maximum=600) for h in horizons]
    h = check_int(horizon, "horizon", minimum=1, maximum=600)
    return hs if h in hs else [*hs, h]


def discount_standing(spread: pd.DataFrame, columns: Sequence[str] = SPREADS) -> Estimates:
    """Where the small-minus-big valuation spreads stand today against their own history.

    Parameters
    ----------
    spread : pd.DataFrame
        :func:`valuation_spread` over the sample (columns ``overall``, ``value``, ``growth``).
    columns : sequence of str
        The spreads to report (rows).

    Returns
    -------
    Estimates
        One row per spread: ``estimate`` = the value in the sample's last month (NaN when that month
        has none), ``nobs`` = months with a value, ``percentile`` = the share of the history at or
        below the last value (:func:`rotation.studies.returns.percentile_of_last`; the whole history
        to the last month, so known then). ``extra``: ``date`` (the last month) and the sample's
        ``start``, ``end`` and ``months`` (rows of ``spread``). ``.data``: the spreads.
    """
    if not isinstance(spread, pd.DataFrame) or not isinstance(spread.index, pd.DatetimeIndex) or spread.empty:
        raise ParameterError(f"spread must be a non-empty DataFrame with a DatetimeIndex (valuation_spread); "
                             f"got {type(spread).__name__}")
    missing = [c for c in columns if c not in spread.columns]
    if missing:
        raise ParameterError(f"spread lacks the columns {missing}; columns: {list(spread.columns)}")
    latest = spread.iloc[-1]
    rows = {c: _vocabulary_row(float(latest[c]), int(spread[c].notna().sum()),
                               percentile=percentile_of_last(spread[c].dropna())) for c in columns}
    table = pd.DataFrame(rows).T.astype(float).astype({"nobs": int})
    table.index.name = "spread"
    u, t = _SPREAD_UNITS, table
    first = spread[columns[0]].first_valid_index()
    others = [f"within {c} stocks {u.format(t.loc[c, 'estimate'])} ({ordinal(t.loc[c, 'percentile'])} percentile)"
              for c in columns[1:]]
    cheap = "cheaper" if t.loc[columns[0], "percentile"] > 0.5 else "not cheaper"
    sentence = (f"In {spread.index[-1]:%Y-%m} the {columns[0]} spread was {u.format(t.loc[columns[0], 'estimate'])} "
                f"log points, at the {ordinal(t.loc[columns[0], 'percentile'])} percentile of its history since "
                f"{first:%Y}: small caps were {cheap} than usual against large caps."
                + (f" The spread {', '.join(others)}." if others else ""))
    return Estimates(table, Method(kind="descriptive", note="percentile: share of the history at or below the latest"),
                     _SPREAD_UNITS, "Valuation spread today and its percentile in history",
                     extra={"date": spread.index[-1], "start": spread.index[0], "end": spread.index[-1],
                            "months": len(spread)}, data=spread, sentence=sentence)


def forecast_parts(fits: Mapping[int, Mapping[str, Any]], *, slope_units: Units, forecast_units: Units,
                   predictor: str) -> dict[str, Estimates]:
    """The slope and forecast tables of predictive regressions fitted by :func:`predictive_forecast`.

    Parameters
    ----------
    fits : mapping
        ``{horizon: predictive_forecast(...)}``, one fit per horizon (months).
    slope_units, forecast_units : Units
        What a slope and a forecast are (a forecast is a summed decimal return).
    predictor : str
        The predictor in words, for the titles.

    Returns
    -------
    dict
        ``slope``: rows horizon, the slope in the vocabulary (HAC) plus ``maxlags``; ``forecast``: the
        predicted summed return at the predictor's latest value (``estimate, std_err, ci_lower,
        ci_upper, nobs``) plus ``x``, that value.
    """
    if not fits:
        raise ParameterError("fits must hold at least one horizon; got none")
    slope = pd.DataFrame({h: {**f["slope_row"], "maxlags": f["lags"]} for h, f in fits.items()}).T
    fc = pd.DataFrame({h: {**_vocabulary_row(f["estimate"], f["nobs"], x=f["x"]), "std_err": f["std_err"],
                           "ci_lower": f["ci_lower"], "ci_upper": f["ci_upper"]} for h, f in fits.items()}).T
    out = {}
    for name, table in (("slope", slope), ("forecast", fc)):
        table = table.astype(float).astype({"nobs": int} | ({"maxlags": int} if "maxlags" in table else {}))
        table.index.name = "horizon"
        out[name] = table
    method = Method(kind="HAC", cov_type="HAC", lag_rule="max(h - 1, 12) per row, see maxlags")
    return {
        "slope": Estimates(out["slope"], method, slope_units, f"Slope of the next h months' relative return on "
                                                              f"{predictor} (rows: h months)"),
        "forecast": Estimates(out["forecast"], Method(kind="HAC", cov_type="HAC", lag_rule="as the slope's",
                                                      note="interval of the fitted mean a + b x (delta method)"),
                              forecast_units, f"Relative return predicted at the latest value of {predictor} "
                                              "(rows: h months)"),
    }


def _out_of_sample(returns: pd.Series, predictor: pd.Series, horizons: Sequence[int], min_train: int) -> Estimates:
    rows = {}
    for h in horizons:
        oos = oos_r2(returns, predictor, horizon=h, min_train=min_train)
        cw = clark_west(oos.data, lags=max(h - 1, 1))
        rows[h] = {**_vocabulary_row(oos.estimate, oos.nobs), "t": cw["statistic"], "p_value": cw["p_value"],
                   "maxlags": cw["lags"]}
    table = pd.DataFrame(rows).T.astype(float).astype({"nobs": int, "maxlags": int})
    table.index.name = "horizon"
    method = Method(kind="HAC", cov_type="HAC", lag_rule="max(h - 1, 1) per row, see maxlags",
                    note=f"estimate: out-of-sample R2 of expanding-window forecasts against the historical mean "
                         f"(first after {min_train} months); t, p_value: Clark-West test that the regression "
                         "beats the mean (one-sided)")
    return Estimates(table, method, Units.number("out-of-sample R2 (> 0: beats the historical mean)"),
                     "Out-of-sample R2 and the Clark-West test (rows: h months)")


def _stambaugh(returns: pd.Series, predictor: pd.Series) -> Estimates:
    b = stambaugh_bias(returns, predictor)
    row = _vocabulary_row(b["slope_one_period"], b["nobs"], bias=b["bias"], rho=b["rho"], corr_uv=b["corr_uv"])
    table = pd.DataFrame([row], index=pd.Index(["one-month slope"], name="statistic")).astype({"nobs": int})
    method = Method(kind="descriptive", note="Stambaugh (1999): bias about -(1 + 3 rho) / T cov(u, v) / var(v), "
                                             "rho the predictor's AR(1) coefficient")
    return Estimates(table, method, Units.number("monthly relative return per log point of spread"),
                     "One-month slope and its Stambaugh small-sample bias")


def spread_predictability(returns: pd.Series, spread: pd.Series, horizons: Sequence[int], *, horizon: int,
                          min_train: int, q: float = 0.8) -> Results:
    """Does the valuation spread known today predict small-minus-large returns over the next years?

    Parameters
    ----------
    returns : pd.Series
        Monthly small-minus-large relative returns (decimal; value at ``t`` known at the close of ``t``).
    spread : pd.Series
        The predictor: the overall spread of :func:`valuation_spread`, known at the end of its month.
    horizons : sequence of int
        Months of future relative return (summed) to predict.
    horizon : int
        The horizon that decides the claim (always computed, added after ``horizons`` when missing);
        the sample is split in halves at this horizon.
    min_train : int
        Months of training pairs before the first out-of-sample forecast.
    q : float
        The top-quintile state of :func:`top_quintile_study` (at or above this expanding quantile).

    Returns
    -------
    Results
        ``slope`` and ``forecast`` (:func:`forecast_parts`; the forecast at the spread's last value),
        ``out_of_sample`` (R² of expanding-window forecasts, with the Clark-West test as ``t`` and
        ``p_value``), ``stambaugh`` (the one-month slope and its small-sample bias), ``halves`` (the
        deciding horizon's slope in each half of the months where spread and returns meet, split at
        the middle month, which both halves include), ``top_quintile`` (:func:`top_quintile_study` at
        ``horizons``). ``extra``: ``horizon``; ``start``, ``end``, ``months`` of those common months;
        ``returns`` (first and last month of ``returns`` and its length). ``.data``: the predictor
        (column ``spread``).
    """
    hs = _horizons(horizons, horizon)
    x_now = float(spread.iloc[-1])
    fits = {h: predictive_forecast(returns, spread, h, x_now) for h in hs}
    common = spread.dropna().index.intersection(returns.index)
    if len(common) < 2:
        raise ParameterError(f"spread and returns share {len(common)} months; need at least 2")
    mid = common[len(common) // 2]
    halves = {"first half": (predictive_forecast(returns.loc[:mid], spread, horizon, x_now), common[0], mid),
              "second half": (predictive_forecast(returns.loc[mid:], spread, horizon, x_now), mid, common[-1])}
    per_half = pd.DataFrame({k: {**f["slope_row"], "maxlags": f["lags"], "start": a, "end": b}
                             for k, (f, a, b) in halves.items()}).T
    per_half = per_half.astype({c: float for c in per_half.columns if c not in ("start", "end")}).astype(
        {"nobs": int, "maxlags": int})
    per_half.index.name = "half"
    units = Units.number("summed relative return over the next h months per log point of spread")
    parts = forecast_parts(fits, slope_units=units, predictor="the valuation spread",
                           forecast_units=Units.returns("decimal relative return summed over the next h months"))
    parts["out_of_sample"] = _out_of_sample(returns, spread, hs, min_train)
    parts["stambaugh"] = _stambaugh(returns, spread)
    parts["halves"] = Estimates(per_half, parts["slope"].method, units,
                                f"Slope at {horizon} months in each half of the sample")
    parts["top_quintile"] = top_quintile_study(returns, spread, horizons, q)
    s, f, o = (parts[k].table.loc[horizon] for k in ("slope", "forecast", "out_of_sample"))
    b = parts["stambaugh"].table.iloc[0]
    sig = "significant" if s["ci_lower"] > 0 or s["ci_upper"] < 0 else "not significant"
    sentence = (
        f"Over {len(common):,} months ({common[0]:%Y}-{common[-1]:%Y}), the slope of the next {horizon} months' "
        f"relative return on the spread is {s['estimate']:+.3f} per log point (t = {s['t']:+.2f}, HAC with "
        f"{int(s['maxlags'])} lags; {sig}); {per_half.iloc[0]['estimate']:+.3f} in the first half and "
        f"{per_half.iloc[1]['estimate']:+.3f} in the second. Out of sample the regression "
        f"{'beat' if o['estimate'] > 0 else 'did not beat'} the historical mean (R² {o['estimate']:+.3f}, Clark-West "
        f"p = {o['p_value']:.3f}). Today's spread implies {f['estimate']:+.1%} over the next {horizon} months (95% CI "
        f"{f['ci_lower']:+.1%} to {f['ci_upper']:+.1%}). Persistence of the spread (monthly AR(1)): {b['rho']:.3f}; "
        f"correlation of return and spread shocks {b['corr_uv']:+.2f}; Stambaugh bias of the one-month slope "
        f"{b['bias']:+.4f} against an estimate of {b['estimate']:+.4f}.\n\n{parts['top_quintile'].sentence}")
    extra = {"horizon": int(horizon), "start": common[0], "end": common[-1], "months": len(common),
             "returns": [returns.index[0], returns.index[-1], len(returns)]}
    return Results(parts, extra=extra,
                   title="Does the valuation spread predict relative returns?", sentence=sentence,
                   data=pd.DataFrame({"spread": spread}))


def top_quintile_study(returns: pd.Series, spread: pd.Series, horizons: Sequence[int], q: float = 0.8) -> Estimates:
    """Relative returns after a top-quintile discount, against the other months, per horizon.

    Parameters
    ----------
    returns : pd.Series
        Monthly small-minus-large relative returns (decimal).
    spread : pd.Series
        The overall valuation spread (known at the end of its month).
    horizons : sequence of int
        Months after the state (returns compounded over ``t+1..t+h``).
    q : float
        The state: the spread at or above the ``q`` quantile of its own history to date
        (:func:`expanding_quantile_state`, 120 months first; no look-ahead).

    Returns
    -------
    Estimates
        Rows horizon: :func:`rotation.studies.economy.state_difference` (in the state minus other
        months, HAC with ``max(h - 1, 12)`` lags) with ``n_state``, ``n_spells``, ``median_state``,
        ``share_positive_state`` and ``maxlags``. ``.data``: the state (1 in it, 0 not, NaN before).
    """
    qq = check_real(q, "q", low=0, high=1, low_open=True, high_open=True)
    hs = [check_int(h, "horizons item", minimum=1, maximum=600) for h in horizons]
    if not hs:
        raise ParameterError("horizons must name at least one horizon (months); got none")
    top = expanding_quantile_state(spread, qq)
    table = pd.DataFrame({h: state_difference(returns, top, horizon=h).table.iloc[0] for h in hs}).T
    table["maxlags"] = [max(h - 1, 12) for h in hs]
    table = table.astype(float).astype({"nobs": int, "n_state": int, "n_spells": int, "maxlags": int})
    table.index.name = "horizon"
    units = Units.returns("decimal relative return compounded over the next h months, top-quintile months minus "
                          "the others")
    pct = {h: {c: units.format(r[c], digits=1) for c in ("estimate", "ci_lower", "ci_upper")}
           for h, r in table.iterrows()}
    words = "; ".join(f"{h} months {pct[h]['estimate']} (95% CI {pct[h]['ci_lower']} to {pct[h]['ci_upper']}; "
                      f"{int(r['n_state'])} months in {int(r['n_spells'])} spells)" for h, r in table.iterrows())
    sentence = (f"After a top-quintile discount (the spread at or above the {qq:.0%} quantile of its history to "
                f"date), small minus large caps returned, against the other months: {words}. Few spells make "
                "these intervals rough.")
    method = Method(kind="HAC", cov_type="HAC", lag_rule="max(h - 1, 12) per row, see maxlags")
    return Estimates(table, method, units, "Top-quintile discount: next h months, in the state minus other months",
                     data=top.to_frame("top_quintile"), sentence=sentence)
