"""The dollar and small caps (notebook 02): how small-minus-large returns move with the dollar.

Each study is one call returning a result object (:class:`rotation.stats.results.Estimates` or
:class:`~rotation.stats.results.Results`) that records itself and says what it means in a sentence:

* :func:`dollar_index` -- one long dollar series chained from FRED's broad and major-currency indexes,
  checked against DXY;
* :func:`monthly_sensitivity` -- the beta of small-minus-large (and of small and large caps) on the
  dollar's monthly change, by decade and before/after a split date;
* :func:`dollar_measures` -- the same beta weekly and on other dollar measures (DXY, the UUP fund);
* :func:`rolling_betas` -- trailing-window betas, monthly and weekly, summed up by their latest value;
* :func:`dollar_regimes` -- next month's relative return after a weakening, neutral or strengthening dollar;
* :func:`dollar_predictive` -- whether past dollar changes predict relative returns (in and out of sample);
* :func:`dollar_controls` -- the beta with the market and the 10-year yield as controls.

Conventions: returns and dollar changes are decimals; the relative return is ``(1+rs)/(1+rl)-1``
(:func:`rotation.studies.returns.relative_returns`), named ``small-minus-large``; the dollar index rising
means a stronger dollar, so a **negative** beta means small caps do relatively better when it weakens.
Month-end (weekly: Friday) levels; a value stamped ``t`` is known at the close of ``t``. Every standard
error is HAC (Newey-West, Bartlett kernel) with its lags reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.regressions import oos_r2, predictive_regression, sensitivity_table
from rotation.stats.results import VOCABULARY, Estimates, Method, Results
from rotation.stats.units import Units
from rotation.studies import betas, regimes, returns, series

__all__ = ["DAILY", "REBASED", "BETA_UNITS", "RETURNS", "monthly_data",
           "weekly_data", "dollar_index", "monthly_sensitivity", "dollar_measures", "rolling_betas",
           "dollar_regimes", "dollar_predictive", "dollar_controls"]

#: The daily series a study takes, by key: the broad index (FRED DTWEXBGS), DXY and the UUP fund.
DAILY: tuple[str, ...] = ("dollar", "DXY", "UUP")
#: Columns of :func:`dollar_index`'s ``.data`` with the levels rebased to January 2006 = 100, by level.
REBASED: dict[str, str] = {"dollar": "chained broad dollar index", "DXY": "ICE dollar index (DXY)"}
#: The returns regressed on the dollar, in display order.
RETURNS: tuple[str, ...] = ("small-minus-large", "small", "large")
#: Units of a beta on the dollar's change.
BETA_UNITS = Units.number("return per unit (decimal) change of the dollar index")

_REL = "small-minus-large"
_BASE = pd.Timestamp("2006-01-31")
_CONTROLS = ["dollar", "market excess return", "10y yield change (pp)"]


def _relative(rets: pd.DataFrame) -> pd.Series:
    if not isinstance(rets, pd.DataFrame) or not {"small", "large"} <= set(rets.columns):
        raise ParameterError("rets must be a DataFrame with columns 'small' and 'large' (rotation.data.small_large); "
                             f"got {type(rets).__name__} {list(getattr(rets, 'columns', []))}")
    return returns.relative_returns(rets["small"], rets["large"]).rename(_REL)


def _daily(daily: Mapping[str, pd.Series]) -> Mapping[str, pd.Series]:
    missing = [k for k in DAILY if k not in daily]
    if missing:
        raise ParameterError(f"daily must map {list(DAILY)} to daily levels (DTWEXBGS, DX-Y.NYB, UUP); "
                             f"missing {missing}")
    return daily


def _month_end(level: pd.Series) -> pd.Series:
    """Month-end levels, without a last month the daily data do not reach the end of (not a month-end level)."""
    out = series.period_levels(level, "ME")
    return out.loc[out.index <= level.index[-1] + pd.offsets.BDay(1)]


def monthly_data(rets: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """The months every monthly dollar study uses.

    Parameters
    ----------
    rets : pd.DataFrame
        Monthly ``small``/``large`` decimal returns.
    levels : pd.DataFrame
        ``.data`` of :func:`dollar_index` (column ``dollar``: month-end levels of the chained index).

    Returns
    -------
    pd.DataFrame
        Columns ``small-minus-large``, ``small``, ``large`` and ``dollar`` (the index's percentage change over
        the month, known at its end), on the months that have all of them.
    """
    change = levels["dollar"].dropna().pct_change().rename("dollar")
    return pd.concat([_relative(rets), rets, change], axis=1, join="inner").dropna()


def weekly_data(rets_w: pd.DataFrame, daily: Mapping[str, pd.Series]) -> pd.DataFrame:
    """The weeks every weekly dollar study uses.

    Parameters
    ----------
    rets_w : pd.DataFrame
        Weekly (Friday-stamped) ``small``/``large`` decimal returns.
    daily : mapping
        Daily levels by key (:data:`DAILY`); ``dollar`` (DTWEXBGS) is used.

    Returns
    -------
    pd.DataFrame
        Columns ``small-minus-large`` and ``dollar`` (the broad index's change between Friday levels, known
        on the Friday), on the weeks that have both (2006 on).
    """
    change = series.period_levels(_daily(daily)["dollar"], "W-FRI").pct_change().rename("dollar")
    return pd.concat([_relative(rets_w), change], axis=1, join="inner").dropna()


def dollar_index(daily: Mapping[str, pd.Series], broad_monthly: pd.Series, majors_monthly: pd.Series, *,
                 broad_monthly_from: str, how: str = "last") -> Estimates:
    """One long dollar series: the daily broad index extended back by two monthly indexes, checked against DXY.

    Parameters
    ----------
    daily : mapping
        Daily levels by key (:data:`DAILY`): ``dollar`` (FRED DTWEXBGS, 2006 on), ``DXY`` (ICE dollar index)
        and ``UUP`` (the dollar fund).
    broad_monthly, majors_monthly : pd.Series
        FRED TWEXBMTH (old broad index) and TWEXMMTH (major currencies, 1973 on), monthly averages.
    broad_monthly_from : str
        The month from which the old broad index is used (before it, the major-currencies index).
    how : {"last", "mean"}
        DTWEXBGS to monthly: month-end level or monthly mean (:func:`rotation.studies.series.chain_indexes`).

    Returns
    -------
    Estimates
        Rows ``before 2006`` and ``2006 on``: the correlation of the chained index's monthly changes with
        DXY's (``nobs`` months, ``start``, ``end``). ``extra``: ``splices`` (``[series, used from, used to]``,
        newest first), ``start`` and ``end`` of the chained index (a last month the daily data do not reach
        the end of is dropped). ``.data``: month-end levels ``dollar``, ``DXY``, ``UUP`` and the
        :data:`REBASED` columns.
    """
    daily = _daily(daily)
    chained = series.chain_indexes([daily["dollar"], broad_monthly.loc[broad_monthly_from:], majors_monthly],
                                   freq="ME", how=how, name="dollar")
    splices = chained.attrs["splices"]
    level = chained.loc[chained.index <= daily["dollar"].index[-1] + pd.offsets.BDay(1)]
    dxy, uup = _month_end(daily["DXY"]), _month_end(daily["UUP"])
    chg = pd.concat([level.pct_change().rename("dollar"), dxy.pct_change().rename("DXY")], axis=1,
                    join="inner").dropna()
    rows = {}
    for label, part in (("before 2006", chg.loc[:"2005-12-31"]), ("2006 on", chg.loc["2006-01-01":])):
        rows[label] = {"estimate": float(part.corr().iloc[0, 1]), **{c: float("nan") for c in VOCABULARY[1:-1]},
                       "nobs": len(part), "start": part.index[0], "end": part.index[-1]}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("months")
    pre, post = table["estimate"]
    sentence = (f"The chained index runs from {level.index[0]:%Y-%m} to {level.index[-1]:%Y-%m}: "
                + "; ".join(f"{s} {a:%Y-%m} to {b:%Y-%m}" for s, a, b in splices)
                + f". Its monthly changes correlate with DXY's at {pre:.2f} before 2006 (monthly averages against "
                f"month-end levels, and a broader basket) and {post:.2f} from 2006 (both month-end).")
    data = pd.DataFrame({"dollar": level, "DXY": dxy, "UUP": uup})
    for col, name in REBASED.items():
        data[name] = data[col] / data[col].loc[_BASE] * 100
    method = Method(kind="descriptive", note="Pearson correlation of monthly percentage changes; before 2006 the "
                                             "chained index is of monthly averages")
    return Estimates(table, method, Units.number("correlation of monthly changes with DXY's"),
                     "Chained dollar index: its monthly changes against DXY's",
                     extra={"splices": [[s, a, b] for s, a, b in splices], "start": level.index[0],
                            "end": level.index[-1]}, data=data, sentence=sentence)


def monthly_sensitivity(rets: pd.DataFrame, levels: pd.DataFrame, *, split_date: str) -> Results:
    """The beta of monthly small-minus-large, small and large returns on the dollar's change, by period.

    Parameters
    ----------
    rets : pd.DataFrame
        Monthly ``small``/``large`` decimal returns (:func:`rotation.data.small_large`).
    levels : pd.DataFrame
        Month-end dollar levels (``.data`` of :func:`dollar_index`; column ``dollar`` is used).
    split_date : str
        Sub-periods before this date and from it on (:func:`rotation.studies.betas.decade_periods`: also the
        full sample and each decade).

    Returns
    -------
    Results
        ``sensitivity``: the HAC regression of small-minus-large on the dollar's change in each period
        (rows ``(period, term)``, :func:`rotation.stats.regressions.sensitivity_table`); ``by_return``: the
        dollar slope of each return (small-minus-large, small, large) in each period. ``extra``:
        ``split_date``. ``.data``: the months (:func:`monthly_data`).
    """
    mdata = monthly_data(rets, levels)
    periods = betas.decade_periods(mdata.index, split_date)
    fits = {name: sensitivity_table(mdata[name], mdata["dollar"], periods, units=BETA_UNITS,
                                    title=f"Monthly {name} return on the dollar's change, by period")
            for name in RETURNS}
    by_return = betas.slopes(fits, ["return"], units=BETA_UNITS,
                             title="Beta on the dollar's monthly change, by return and period")
    t = fits[_REL].table
    before, after = list(betas.split_periods(split_date))[1:]
    full, pre, post = (t.loc[(p, "dollar")] for p in ("full sample", before, after))
    small, large = (by_return.table.loc[(r, "full sample"), "estimate"] for r in ("small", "large"))
    sentence = (
        f"Over {int(full['nobs'])} months ({mdata.index[0]:%Y-%m} to {mdata.index[-1]:%Y-%m}) a 1% rise in the dollar "
        f"went with a small-minus-large return of {full['estimate']:+.2f}% (95% CI {full['ci_lower']:+.2f} to "
        f"{full['ci_upper']:+.2f}, t = {full['t']:+.2f}, HAC with {int(full['maxlags'])} lags, R² = "
        f"{full['rsquared']:.3f}). Small caps' own beta is {small:+.2f} and large caps' {large:+.2f}: "
        + ("both fall when the dollar rises, small caps more." if small < large < 0
           else "large caps are the more dollar-sensitive of the two." if large < small
           else "small caps are the more dollar-sensitive of the two.")
        + f" {before[0].upper()}{before[1:]} the relative beta is {pre['estimate']:+.2f} ({pre['ci_lower']:+.2f} to "
        f"{pre['ci_upper']:+.2f}); from {after.removesuffix(' on')} on it is {post['estimate']:+.2f} "
        f"({post['ci_lower']:+.2f} to {post['ci_upper']:+.2f}). R² never exceeds "
        f"{by_return.table.loc[_REL, 'rsquared'].max():.2f} in any period: the dollar explains little of the "
        "month-to-month small/large spread.")
    return Results({"sensitivity": fits[_REL], "by_return": by_return}, extra={"split_date": split_date},
                   title="Monthly betas on the dollar", sentence=sentence, data=mdata)


def dollar_measures(rets_m: pd.DataFrame, rets_w: pd.DataFrame, levels: pd.DataFrame,
                    daily: Mapping[str, pd.Series], *, split_date: str) -> Estimates:
    """The beta of small-minus-large on the dollar, monthly and weekly, on three dollar measures.

    Monthly: the chained index, DXY (month-end) and the UUP fund's return; weekly (weeks ending Friday):
    the broad index DTWEXBGS (from 2006), DXY (from 1971) and UUP (from 2007). Each over the full sample
    and before/after ``split_date`` (:func:`rotation.studies.betas.split_periods`).

    Parameters
    ----------
    rets_m, rets_w : pd.DataFrame
        Monthly and weekly ``small``/``large`` returns.
    levels : pd.DataFrame
        ``.data`` of :func:`dollar_index` (month-end ``dollar``, ``DXY``, ``UUP``).
    daily : mapping
        Daily levels by key (:data:`DAILY`).
    split_date : str

    Returns
    -------
    Estimates
        Rows ``(frequency, dollar measure, period)``: the dollar slope of each regression, with the
        columns of :func:`rotation.stats.regressions.sensitivity_table`.
    """
    daily = _daily(daily)
    sub = betas.split_periods(split_date)
    rel_m, rel_w = _relative(rets_m), _relative(rets_w)
    mdata, wdata = monthly_data(rets_m, levels), weekly_data(rets_w, daily)
    week = {k: series.period_levels(daily[k], "W-FRI").pct_change().rename("dollar") for k in ("DXY", "UUP")}
    fits = {
        ("monthly", "chained broad index"): sensitivity_table(mdata[_REL], mdata["dollar"], sub),
        ("monthly", "DXY"): sensitivity_table(rel_m, levels["DXY"].dropna().pct_change().rename("dollar"), sub),
        ("monthly", "UUP fund return"): sensitivity_table(rel_m, levels["UUP"].dropna().pct_change().rename("dollar"),
                                                          sub),
        ("weekly", "broad index (DTWEXBGS)"): sensitivity_table(wdata[_REL], wdata["dollar"], sub),
        ("weekly", "DXY"): sensitivity_table(rel_w, week["DXY"], sub),
        ("weekly", "UUP fund return"): sensitivity_table(rel_w, week["UUP"], sub),
    }
    out = betas.slopes(fits, ["frequency", "dollar measure"], units=BETA_UNITS,
                       title="Beta of small-minus-large on the dollar's change, by frequency, measure and period")
    t = out.table
    wk, wk_dxy, m_dxy = (t.loc[(f, m, "full sample")] for f, m in (("weekly", "broad index (DTWEXBGS)"),
                                                                     ("weekly", "DXY"), ("monthly", "DXY")))
    est = t["estimate"].dropna()
    sentence = (
        f"Weekly, on the broad index ({wk['start']:%Y-%m} to {wk['end']:%Y-%m}, {int(wk['nobs'])} weeks): beta "
        f"{wk['estimate']:+.2f} (95% CI {wk['ci_lower']:+.2f} to {wk['ci_upper']:+.2f}, t = {wk['t']:+.2f}). On DXY "
        f"since {wk_dxy['start']:%Y}: {wk_dxy['estimate']:+.2f} (t = {wk_dxy['t']:+.2f}, {int(wk_dxy['nobs'])} weeks). "
        f"Monthly on DXY: {m_dxy['estimate']:+.2f} (t = {m_dxy['t']:+.2f}). "
        + ("The sign agrees across frequencies and measures." if (est < 0).all() or (est > 0).all()
           else "The sign is not the same across frequencies, measures and sub-periods."))
    return Estimates(t, out.method, out.units, out.title, sentence=sentence)


def rolling_betas(rets_m: pd.DataFrame, rets_w: pd.DataFrame, levels: pd.DataFrame,
                  daily: Mapping[str, pd.Series], *, months: int, weeks: int) -> Estimates:
    """Trailing-window betas of small-minus-large on the dollar: ``months`` months and ``weeks`` weeks.

    Each estimate uses the window ending at its date (known then); bands are 95% HAC with Newey-West
    lags on the window length (:func:`rotation.studies.betas.rolling_summary`).

    Returns
    -------
    Estimates
        Rows ``monthly`` (the chained index) and ``weekly`` (the broad index, Friday levels): the latest
        window's beta and band, its ``date``, its ``percentile`` in the history of the rolling beta, the
        shares of windows whose band lies wholly below / above zero, ``min`` and ``max``. ``.data``: the
        rolling betas and bands (columns ``(monthly | weekly, estimate | ci_lower | ci_upper)``).
    """
    mdata, wdata = monthly_data(rets_m, levels), weekly_data(rets_w, daily)
    out = betas.rolling_summary({"monthly": (mdata[_REL], mdata["dollar"], months),
                                 "weekly": (wdata[_REL], wdata["dollar"], weeks)},
                                units=BETA_UNITS, title="Latest rolling beta of small-minus-large on the dollar")
    m, w = out.table.loc["monthly"], out.table.loc["weekly"]
    sentence = (f"The {months}-month beta has ranged from {m['min']:+.2f} to {m['max']:+.2f}. Its band lies wholly "
                f"below zero in {m['share_significant_negative']:.0%} of windows and wholly above zero in "
                f"{m['share_significant_positive']:.0%}. The latest ({m['date']:%Y-%m}) is {m['estimate']:+.2f} (95% "
                f"CI {m['ci_lower']:+.2f} to {m['ci_upper']:+.2f}), at the {m['percentile']:.0%} percentile of its "
                f"history. The latest {weeks}-week beta ({w['date']:%Y-%m-%d}) is {w['estimate']:+.2f}, at the "
                f"{w['percentile']:.0%} percentile.")
    return Estimates(out.table, out.method, out.units, out.title, data=out.data, sentence=sentence)


def dollar_regimes(rets_m: pd.DataFrame, levels: pd.DataFrame, *, window: int, weak: float, strong: float,
                   block: int, reps: int, seed: int) -> Results:
    """Next month's small-minus-large return after a weakening, neutral or strengthening dollar.

    Each month ``t`` is labelled by the dollar's change over the ``window`` months ending at ``t`` (known at
    ``t``): **weakening** below ``weak``, **strengthening** above ``strong`` (strictly), else neutral
    (:func:`rotation.studies.regimes.label_by_thresholds`); compared with the return of month ``t+1``.

    Parameters
    ----------
    rets_m : pd.DataFrame
    levels : pd.DataFrame
        ``.data`` of :func:`dollar_index`.
    window : int
    weak, strong : float
        Decimal thresholds of the trailing change.
    block, reps, seed : int
        Stationary block bootstrap (expected block ``block`` months) of the intervals.

    Returns
    -------
    Results
        ``table``: the mean, HAC t, hit rate and bootstrap interval per regime
        (:func:`rotation.studies.regimes.regime_stats`); ``diff``: weakening minus strengthening with a
        bootstrap interval (one row, ``weakening minus strengthening``). ``extra``: the ``current``
        regime and its date (``current_date``).
    """
    rel = _relative(rets_m)
    change = regimes.trailing_change(levels["dollar"].dropna(), window, "pct")
    labels = regimes.label_by_thresholds(change, weak, strong, labels=("weakening", "neutral", "strengthening")
                                         ).rename("regime")
    table = regimes.regime_stats(rel, labels, lag=1, interval="bootstrap", block_size=block, reps=reps, seed=seed,
                                 title="Next month's small-minus-large return by dollar regime")
    diff = regimes.regime_diff_ci(rel, labels, "weakening", "strengthening", lag=1, block_size=block, reps=reps,
                                  seed=seed)
    diff = Estimates(diff.table.set_axis(pd.Index(["weakening minus strengthening"], name="difference")), diff.method,
                     diff.units, "Weakening minus strengthening dollar: difference of next month's means")
    known = labels.dropna()
    t, u = table.table, table.units

    def regime(r: str) -> str:
        return (f"{u.format(t.loc[r, 'estimate'])} (t = {t.loc[r, 't']:+.2f}, "
                f"hit rate {t.loc[r, 'share_positive']:.0%}, "
                f"n = {int(t.loc[r, 'nobs'])})")

    sentence = (f"After a weakening dollar the next month's small-minus-large return averaged {regime('weakening')}; "
                f"after a strengthening dollar {regime('strengthening')}. Weakening minus strengthening: "
                f"{betas.interval_phrase(u, diff.estimate, diff.ci_lower, diff.ci_upper, digits=2)} per month. "
                f"The regime in {known.index[-1]:%Y-%m} is **{known.iloc[-1]}**.")
    return Results({"table": table, "diff": diff}, extra={"current": known.iloc[-1], "current_date": known.index[-1]},
                   title="Dollar regimes", sentence=sentence, data=labels.to_frame())


def dollar_predictive(rets_m: pd.DataFrame, levels: pd.DataFrame, *, windows: Sequence[int],
                      horizons: Sequence[int], min_train: int) -> Estimates:
    """Does the dollar's change over the last ``w`` months predict the next ``h`` months' relative return?

    For each ``w`` in ``windows`` and ``h`` in ``horizons``: the predictive regression of the summed
    small-minus-large return over ``t+1..t+h`` on the dollar's change over ``t-w..t`` (both known at the end
    of month ``t``; :func:`rotation.stats.regressions.predictive_regression`, at least ``h-1`` HAC lags) and
    its expanding-window out-of-sample R² against the historical mean (:func:`rotation.stats.regressions.oos_r2`,
    first forecast after ``min_train`` months).

    Returns
    -------
    Estimates
        Rows ``(predictor (months), horizon (months))``: the slope in the vocabulary, ``rsquared``,
        ``maxlags``, ``oos_r2`` and ``n_forecasts``. ``extra``: the first combination (``window``,
        ``horizon``), which the sentence and ``.data`` describe: its forecasts and the cumulative
        squared-error gain of the dollar model over the mean.
    """
    ws = [check_int(w, "windows[]", minimum=1) for w in windows]
    hs = [check_int(h, "horizons[]", minimum=1) for h in horizons]
    if not ws or not hs:
        raise ParameterError(f"windows and horizons must each hold at least one month; got {windows!r}, {horizons!r}")
    mdata = monthly_data(rets_m, levels)
    level = levels["dollar"].dropna()
    rows, forecasts = {}, {}
    for w in ws:
        x = level.pct_change(w).rename(f"dollar change, last {w}m").reindex(mdata.index)
        for h in hs:
            b = predictive_regression(mdata[_REL], x, horizon=h).table.iloc[1]
            oos = oos_r2(mdata[_REL], x, horizon=h, min_train=min_train)
            forecasts[(w, h)] = oos.data
            rows[(w, h)] = {**{c: b[c] for c in VOCABULARY}, "rsquared": b["rsquared"], "maxlags": int(b["maxlags"]),
                            "oos_r2": oos.estimate, "n_forecasts": oos.nobs}
    table = pd.DataFrame.from_dict(rows, orient="index").astype({"nobs": int})
    table.index.names = ["predictor (months)", "horizon (months)"]
    head, (w0, h0) = table.iloc[0], table.index[0]
    best = table["oos_r2"].idxmax()
    sentence = (
        f"Last month's dollar change and next month's small-minus-large return: coefficient {head['estimate']:+.3f} "
        f"(95% CI {head['ci_lower']:+.3f} to {head['ci_upper']:+.3f}, t = {head['t']:+.2f}, {int(head['maxlags'])} HAC "
        f"lags), in-sample R² {head['rsquared']:.4f}, out-of-sample R² {head['oos_r2']:+.4f} over "
        f"{int(head['n_forecasts'])} forecasts. Largest |t| across the {len(table)} combinations: "
        f"{table['t'].abs().max():.2f}; best out-of-sample R²: {table['oos_r2'].max():+.4f} (last {best[0]}m, next "
        f"{best[1]}m). "
        + ("None of the combinations beats the historical mean out of sample." if (table["oos_r2"] <= 0).all()
           else "Some combinations beat the mean out of sample, but by little; with several combinations tried, "
                "treat a single positive value with care."))
    fc = forecasts[(w0, h0)]
    gain = ((fc["actual"] - fc["mean"]) ** 2 - (fc["actual"] - fc["model"]) ** 2).cumsum()
    method = Method(kind="HAC", cov_type="HAC", lag_rule="at least h-1 lags (the Newey-West rule when larger), "
                    "column maxlags", note=f"oos_r2: expanding-window forecasts against the expanding historical mean, "
                    f"first forecast after {min_train} months")
    units = Units.number("slope: summed relative return over the next h months per unit (decimal) dollar change "
                         "over the last w months")
    return Estimates(table, method, units, "Predictive regressions of small-minus-large on past dollar changes",
                     extra={"window": int(w0), "horizon": int(h0)}, sentence=sentence,
                     data=fc.assign(**{"cumulative SSE(mean) - SSE(dollar model)": gain}))


def dollar_controls(rets_m: pd.DataFrame, rets_w: pd.DataFrame, levels: pd.DataFrame,
                    daily: Mapping[str, pd.Series], *, market_monthly: pd.Series, market_daily: pd.Series,
                    dgs10: pd.Series, split_date: str) -> Results:
    """The dollar beta alone and with the market and the 10-year yield as controls, monthly and weekly.

    Monthly: small-minus-large on the dollar's change, then also on the market excess return (Ken French
    ``Mkt-RF``) and the change of the month-end 10-year yield (FRED DGS10, percentage points), on the same
    months. Weekly (the broad index, from 2006): ``Mkt-RF`` compounded over the Friday-ending week and the
    change in the Friday DGS10 level. Full sample and before/after ``split_date``.

    Returns
    -------
    Results
        ``monthly``: rows ``(model, period, term)`` with models ``dollar only`` and ``with controls``;
        ``weekly``: the weekly regression with controls (rows ``(period, term)``). ``extra``:
        ``sample_start`` (the first month with every regressor) and ``weekly_dollar_only`` (the weekly
        full-sample beta without controls, for comparison).
    """
    sub = betas.split_periods(split_date)
    mdata, wdata = monthly_data(rets_m, levels), weekly_data(rets_w, daily)
    mkt = market_monthly.rename(_CONTROLS[1])
    d10 = series.period_levels(dgs10, "ME").diff().rename(_CONTROLS[2])
    cdata = pd.concat([mdata[[_REL, "dollar"]], mkt, d10], axis=1, join="inner").dropna()
    fits = {"dollar only": sensitivity_table(cdata[_REL], cdata[["dollar"]], sub),
            "with controls": sensitivity_table(cdata[_REL], cdata[_CONTROLS], sub)}
    monthly = Estimates(pd.concat({k: f.table for k, f in fits.items()}, names=["model"]), fits["with controls"].method,
                        Units.number("monthly return per unit change of each regressor (yield: per pp)"),
                        "Monthly small-minus-large return on the dollar, alone and with market and 10-year yield "
                        "controls")
    mkt_w = returns.to_period_returns(market_daily, "W").rename(_CONTROLS[1])
    d10_w = series.period_levels(dgs10, "W-FRI").diff().rename(_CONTROLS[2])
    cw = pd.concat([wdata, mkt_w, d10_w], axis=1, join="inner").dropna()
    weekly = sensitivity_table(cw[_REL], cw[_CONTROLS], sub,
                               units=Units.number("weekly return per unit change of each regressor"),
                               title="Weekly small-minus-large return on the dollar with controls")
    alone = sensitivity_table(wdata[_REL], wdata["dollar"], sub).table.loc[("full sample", "dollar"), "estimate"]
    t = monthly.table
    b, c = t.loc[("dollar only", "full sample", "dollar")], t.loc[("with controls", "full sample", "dollar")]
    after = list(sub)[2]
    post, cw_full = t.loc[("with controls", after, "dollar")], weekly.table.loc[("full sample", "dollar")]
    sentence = (
        f"On the {int(c['nobs'])} months from {cdata.index[0]:%Y-%m} the dollar beta is {b['estimate']:+.2f} "
        f"(t = {b['t']:+.2f}) alone and {c['estimate']:+.2f} (95% CI {c['ci_lower']:+.2f} to {c['ci_upper']:+.2f}, "
        f"t = {c['t']:+.2f}) with the market and the 10-year yield change (R² {b['rsquared']:.3f} -> "
        f"{c['rsquared']:.3f}). From {after.removesuffix(' on')} on, with controls: {post['estimate']:+.2f} "
        f"(t = {post['t']:+.2f}). The market coefficient is "
        f"{t.loc[('with controls', 'full sample', _CONTROLS[1]), 'estimate']:+.2f} (small caps' higher market beta) "
        f"and the yield coefficient {t.loc[('with controls', 'full sample', _CONTROLS[2]), 'estimate']:+.4f} per "
        f"percentage point. Weekly ({int(cw_full['nobs'])} weeks from {cw.index[0]:%Y-%m}), the dollar beta with "
        f"controls is {cw_full['estimate']:+.2f} (95% CI {cw_full['ci_lower']:+.2f} to {cw_full['ci_upper']:+.2f}, "
        f"t = {cw_full['t']:+.2f}) against {alone:+.2f} without.")
    return Results({"monthly": monthly, "weekly": weekly},
                   extra={"sample_start": cdata.index[0], "weekly_dollar_only": float(alone)},
                   title="The dollar beta with controls", sentence=sentence, data=cdata)
