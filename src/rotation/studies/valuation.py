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
from rotation.stats.hodrick import HODRICK, hodrick_1b
from rotation.stats.regressions import predictive_pairs
from rotation.stats.results import VOCABULARY, Estimates, Method, Results
from rotation.stats.units import Units, format_p
from rotation.studies.economy import state_difference
from rotation.studies.predictability import clark_west, out_of_sample, stambaugh_bias, stambaugh_table
from rotation.studies.returns import percentile_of_last

__all__ = ["factor_alphas", "SMALL", "BIG", "aggregate", "valuation_spread", "stambaugh_bias", "clark_west",
           "predictive_forecast", "expanding_quantile_state", "discount_standing", "reading_age", "forecast_parts",
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


def predictive_forecast(y: pd.Series, x: pd.Series, horizon: int, x_now: float, *, maxlags: int | None = None,
                        alpha: float = 0.05) -> dict[str, Any]:
    """Fit ``sum(y[t+1..t+h]) = a + b x[t]`` with HAC and Hodrick 1B errors and predict the target at ``x_now``.

    The rows are every ``t`` whose ``h`` returns are complete and whose predictor is known
    (:func:`rotation.stats.regressions.predictive_pairs`: the returns are summed before the predictor
    is joined, so a predictor that ends before the returns keeps its last windows). HAC with at least
    ``h - 1`` lags (default ``max(h - 1, 12)``) and Hodrick (1992) 1B
    (:func:`rotation.stats.hodrick.hodrick_1b`). Returns the predicted mean with its HAC interval
    (``estimate, std_err, ci_lower, ci_upper``) and its Hodrick interval (``hodrick_ci_lower``,
    ``hodrick_ci_upper``), ``slope``, ``slope_t``, ``slope_p``, ``slope_row`` (the slope in the
    vocabulary, HAC), ``hodrick_row`` (the same slope with Hodrick 1B errors), ``nobs``, ``lags``,
    ``start`` and ``end`` (first and last regression row).
    """
    import statsmodels.api as sm
    from scipy.stats import norm

    h = int(horizon)
    if h < 1:
        raise ParameterError(f"horizon must be >= 1 month; got {horizon!r}")
    pairs = predictive_pairs(y.astype(float), x.astype(float).rename("x"), h)
    data = pairs.dropna()
    if len(data) < 3 * h:
        raise ParameterError(f"only {len(data)} complete months for a {h}-month horizon; need at least {3 * h}")
    lags = max(h - 1, 12) if maxlags is None else int(maxlags)
    fit = hac_fit(data["target"], sm.add_constant(data["x"]), lags)
    hod = hodrick_1b(y.astype(float), x.astype(float).rename("x"), h, alpha=alpha)
    g = np.array([1.0, float(x_now)])
    est = float(fit.params.to_numpy() @ g)
    se = float(np.sqrt(g @ fit.cov_params().to_numpy() @ g))
    hse = float(np.sqrt(g @ hod.extra["cov"] @ g))
    z = norm.ppf(1 - alpha / 2)
    ci = fit.conf_int(alpha).loc["x"]
    slope_row = {"estimate": float(fit.params["x"]), "std_err": float(fit.bse["x"]), "t": float(fit.tvalues["x"]),
                 "p_value": float(fit.pvalues["x"]), "ci_lower": float(ci.iloc[0]), "ci_upper": float(ci.iloc[1]),
                 "nobs": int(fit.nobs)}
    hodrick_row = {k: float(v) for k, v in hod.table.loc["x", list(VOCABULARY)].items()}
    hodrick_row["nobs"] = int(hodrick_row["nobs"])
    return {"estimate": est, "std_err": se, "ci_lower": est - z * se, "ci_upper": est + z * se, "x": float(x_now),
            "hodrick_ci_lower": est - z * hse, "hodrick_ci_upper": est + z * hse,
            "slope": slope_row["estimate"], "slope_t": slope_row["t"], "slope_p": slope_row["p_value"],
            "slope_row": slope_row, "hodrick_row": hodrick_row, "nobs": int(fit.nobs), "lags": lags,
            "start": data.index[0], "end": data.index[-1]}


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


def reading_age(month: pd.Timestamp, as_of: pd.Timestamp | None = None) -> dict[str, Any]:
    """How old a BE/ME reading is: the month of its market values, and its age at ``as_of``.

    A month from July of year t to June of t+1 divides book equity of fiscal year t-1 by market equity
    of **December t-1** (the library's timing; the month's own market equity only weights the
    portfolios), so the reading of 2024-12 prices the firms at 2023-12.

    Returns
    -------
    dict
        ``date`` (the reading's month), ``prices_of`` (the December whose market equity it uses),
        ``as_of`` (default: ``date``) and ``age_months`` (months from ``prices_of`` to ``as_of``),
        ``sentence``: the same in words.
    """
    m = pd.Timestamp(month)
    prices = pd.Timestamp(year=m.year - (1 if m.month >= 7 else 2), month=12, day=31)
    at = m if as_of is None else pd.Timestamp(as_of)
    age = (at.year - prices.year) * 12 + at.month - prices.month
    return {"date": m, "prices_of": prices, "as_of": at, "age_months": int(age),
            "sentence": f"the reading of {m:%Y-%m} values firms at their market equity of {prices:%Y-%m} "
                        f"({age} months before {at:%Y-%m})"}


def discount_standing(spread: pd.DataFrame, columns: Sequence[str] = SPREADS, *,
                      as_of: pd.Timestamp | str | None = None) -> Estimates:
    """Where the small-minus-big valuation spreads stood at their latest reading against their own history.

    Parameters
    ----------
    spread : pd.DataFrame
        :func:`valuation_spread` over the sample (columns ``overall``, ``value``, ``growth``).
    columns : sequence of str
        The spreads to report (rows).
    as_of : date, optional
        "Now" for the reading's age (e.g. the last month of the returns studied beside it);
        default the reading's own month.

    Returns
    -------
    Estimates
        One row per spread: ``estimate`` = the value in the sample's last month (NaN when that month
        has none), ``nobs`` = months with a value, ``percentile`` = the share of the history at or
        below the last value (:func:`rotation.studies.returns.percentile_of_last`; the whole history
        to the last month, so known then). ``extra``: ``date`` (the last month), ``prices_of``,
        ``as_of`` and ``age_months`` (:func:`reading_age`: the December whose market equity the reading
        uses and its age at ``as_of``) and the sample's ``start``, ``end`` and ``months`` (rows of
        ``spread``). ``.data``: the spreads.
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
    age = reading_age(spread.index[-1], as_of)
    sentence = (f"In {spread.index[-1]:%Y-%m}, the latest reading, the {columns[0]} spread was "
                f"{u.format(t.loc[columns[0], 'estimate'])} log points, at the "
                f"{ordinal(t.loc[columns[0], 'percentile'])} percentile of its history since {first:%Y}: small "
                f"caps were {cheap} than usual against large caps."
                + (f" The spread {', '.join(others)}." if others else "")
                + f" How old this is: {age['sentence']}.")
    return Estimates(table, Method(kind="descriptive", note="percentile: share of the history at or below the latest"),
                     _SPREAD_UNITS, f"Valuation spread at the latest reading ({spread.index[-1]:%Y-%m}, market "
                                    f"values of {age['prices_of']:%Y-%m}) and its percentile in history",
                     extra={"date": spread.index[-1], "prices_of": age["prices_of"], "as_of": age["as_of"],
                            "age_months": age["age_months"], "start": spread.index[0], "end": spread.index[-1],
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
        ``slope``: rows horizon, the slope in the vocabulary (HAC) plus ``maxlags`` and the regression's
        first and last window (``start``, ``end``: the predictor's month); ``slope_hodrick``:
        the same slopes with Hodrick (1992) 1B errors (the vocabulary) beside the HAC ``hac_std_err`` and
        ``hac_t``; ``forecast``: the predicted summed return at the predictor's latest value
        (``estimate, std_err, ci_lower, ci_upper, nobs``, HAC) plus ``x``, that value, and the interval
        with Hodrick 1B errors (``hodrick_ci_lower``, ``hodrick_ci_upper``).
    """
    if not fits:
        raise ParameterError("fits must hold at least one horizon; got none")
    slope = pd.DataFrame({h: {**f["slope_row"], "maxlags": f["lags"]} for h, f in fits.items()}).T
    fc = pd.DataFrame({h: {**_vocabulary_row(f["estimate"], f["nobs"], x=f["x"]), "std_err": f["std_err"],
                           "ci_lower": f["ci_lower"], "ci_upper": f["ci_upper"],
                           "hodrick_ci_lower": f["hodrick_ci_lower"], "hodrick_ci_upper": f["hodrick_ci_upper"]}
                       for h, f in fits.items()}).T
    hod = pd.DataFrame({h: {**f["hodrick_row"], "hac_std_err": f["slope_row"]["std_err"],
                            "hac_t": f["slope_row"]["t"]} for h, f in fits.items()}).T
    out = {}
    for name, table in (("slope", slope), ("forecast", fc), ("hodrick", hod)):
        table = table.astype(float).astype({"nobs": int} | ({"maxlags": int} if "maxlags" in table else {}))
        table.index.name = "horizon"
        if name != "forecast":
            table["start"] = [fits[h]["start"] for h in table.index]
            table["end"] = [fits[h]["end"] for h in table.index]
        out[name] = table
    method = Method(kind="HAC", cov_type="HAC", lag_rule="max(h - 1, 12) per row, see maxlags")
    return {
        "slope": Estimates(out["slope"], method, slope_units, f"Slope of the next h months' relative return on "
                                                              f"{predictor} (rows: h months)"),
        "forecast": Estimates(out["forecast"], Method(kind="HAC", cov_type="HAC", lag_rule="as the slope's",
                                                      note="interval of the fitted mean a + b x (delta method)"),
                              forecast_units, f"Relative return predicted at the latest value of {predictor} "
                                              "(rows: h months)"),
        "slope_hodrick": Estimates(out["hodrick"], Method(kind="OLS", cov_type=HODRICK, note=(
            "Hodrick (1992) 1B errors (regressor summed backwards, residuals under the null); hac_t: the HAC t of "
            "the same slope")), slope_units, f"Slope on {predictor} with Hodrick 1B errors (rows: h months)"),
    }


def _predictability_sentence(parts: Mapping[str, Estimates], horizon: int, age: Mapping[str, Any]) -> str:
    s, f, o, hod = (parts[k].table.loc[horizon] for k in ("slope", "forecast", "out_of_sample", "slope_hodrick"))
    halves, b = parts["halves"].table, parts["stambaugh"].table.iloc[0]
    recent = parts["out_of_sample_since"].table.loc[horizon]

    def sig(r: pd.Series) -> str:
        return "significant" if r["ci_lower"] > 0 or r["ci_upper"] < 0 else "not significant"

    since = "; ".join(f"since {y}: {r['estimate']:+.3f} ({int(r['nobs'])} forecasts)" for y, r in recent.iterrows()
                      if r["nobs"] > 0) or "none since the recent dates"
    first, last = age["date"] + pd.offsets.MonthEnd(1), age["date"] + pd.offsets.MonthEnd(horizon)
    passed = max(0, min(horizon, (age["as_of"].year - age["date"].year) * 12 + age["as_of"].month
                        - age["date"].month))
    return (
        f"Over {int(s['nobs']):,} monthly windows ({s['start']:%Y-%m} to {s['end']:%Y-%m}: every window whose "
        f"{horizon} months of returns are complete), the slope of the next {horizon} months' relative return on "
        f"the spread is {s['estimate']:+.3f} per log point: t = {s['t']:+.2f} with HAC errors ({int(s['maxlags'])} "
        f"lags; {sig(s)}), t = {hod['t']:+.2f} with Hodrick (1992) 1B errors ({sig(hod)}), which keep their size "
        f"with overlapping windows and a persistent predictor. {halves.iloc[0]['estimate']:+.3f} in the first half "
        f"and {halves.iloc[1]['estimate']:+.3f} in the second. Out of sample (walk-forward) the regression "
        f"{'beat' if o['estimate'] > 0 else 'did not beat'} the historical mean (R² {o['estimate']:+.3f}, Clark-West "
        f"{format_p(o['p_value'])}); forecasts made {since}. The latest spread implies {f['estimate']:+.1%} over the "
        f"next {horizon} months (95% CI {f['ci_lower']:+.1%} to {f['ci_upper']:+.1%} HAC, "
        f"{f['hodrick_ci_lower']:+.1%} to {f['hodrick_ci_upper']:+.1%} Hodrick) from {first:%Y-%m} to {last:%Y-%m}, "
        f"{passed} months of which had passed by {age['as_of']:%Y-%m}: {age['sentence']}. Persistence of the "
        f"spread (monthly AR(1)): {b['rho']:.3f}; correlation of return and spread shocks {b['corr_uv']:+.2f}; "
        f"Stambaugh bias of the one-month slope {b['bias']:+.4f} against an estimate of {b['estimate']:+.4f}.")


def spread_predictability(returns: pd.Series, spread: pd.Series, horizons: Sequence[int], *, horizon: int,
                          min_train: int, q: float = 0.8) -> Results:
    """Does the valuation spread known at a month's end predict small-minus-large returns over the next years?

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
        ``slope``, ``slope_hodrick`` and ``forecast`` (:func:`forecast_parts`: HAC and Hodrick 1B errors;
        the forecast at the spread's last value; every window whose returns are complete),
        ``out_of_sample`` and ``out_of_sample_since``
        (:func:`rotation.studies.predictability.out_of_sample`: walk-forward R² over all forecasts,
        with the Clark-West test, and over those made since 1990 and 2015), ``stambaugh`` (the
        one-month slope and its small-sample bias), ``halves`` and ``halves_hodrick`` (the deciding
        horizon's slope in each half of the months where spread and returns meet, split at the middle
        month, which both halves include; HAC and Hodrick 1B), ``top_quintile``
        (:func:`top_quintile_study` at ``horizons``). ``extra``: ``horizon``; ``start``, ``end``,
        ``months`` of those common months; ``returns`` (first and last month of ``returns`` and its
        length); ``prices_of`` and ``age_months`` of the latest reading at the returns' last month
        (:func:`reading_age`). ``.data``: the predictor (column ``spread``).
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
    per_half = {}
    for key, maxlags in (("slope_row", True), ("hodrick_row", False)):
        t = pd.DataFrame({k: {**f[key], **({"maxlags": f["lags"]} if maxlags else {}), "start": a, "end": b}
                          for k, (f, a, b) in halves.items()}).T
        t = t.astype({c: float for c in t.columns if c not in ("start", "end")}).astype(
            {"nobs": int} | ({"maxlags": int} if maxlags else {}))
        t.index.name = "half"
        per_half[key] = t
    units = Units.number("summed relative return over the next h months per log point of spread")
    parts = forecast_parts(fits, slope_units=units, predictor="the valuation spread",
                           forecast_units=Units.returns("decimal relative return summed over the next h months"))
    parts.update(out_of_sample(returns, spread, hs, min_train))
    parts["stambaugh"] = stambaugh_table(returns, spread)
    parts["halves"] = Estimates(per_half["slope_row"], parts["slope"].method, units,
                                f"Slope at {horizon} months in each half of the sample")
    parts["halves_hodrick"] = Estimates(per_half["hodrick_row"], parts["slope_hodrick"].method, units,
                                        f"Slope at {horizon} months in each half of the sample, Hodrick 1B errors")
    parts["top_quintile"] = top_quintile_study(returns, spread, horizons, q)
    age = reading_age(spread.dropna().index[-1], returns.index[-1])
    sentence = _predictability_sentence(parts, horizon, age) + f"\n\n{parts['top_quintile'].sentence}"
    extra = {"horizon": int(horizon), "start": common[0], "end": common[-1], "months": len(common),
             "returns": [returns.index[0], returns.index[-1], len(returns)],
             "prices_of": age["prices_of"], "age_months": age["age_months"]}
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
