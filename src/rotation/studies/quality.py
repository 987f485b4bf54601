"""Quality and earnings: the size premium with profitability controls, a profitability screen, an earnings proxy.

The studies of notebook 06's quality and earnings steps, each one call returning a result object:

* :func:`quality_study` -- the size premium's alpha with and without the profitability (RMW) and
  investment (CMA) factors, the small-minus-big operating-profitability gap at its latest reading, and the S&P 600
  (IJR, whose index requires positive earnings) against the Russell 2000 (IWM);
* :func:`earnings_proxy_study` -- does a rise in the small-minus-big profitability gap precede
  small-cap outperformance? (no free small-cap earnings or revisions history exists; operating
  profitability by size is the nearest proxy).

Conventions as in :mod:`rotation.studies.valuation`: the Ken French 2x3 tables as loaded, market-equity
weights within a size group, a month's value known at its end (the library restates history);
returns are decimal, forward returns cover ``t+1..t+h`` (summed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.hac import hac_mean
from rotation.stats.regressions import oos_r2
from rotation.stats.results import Estimates, Method, Results
from rotation.stats.units import Units
from rotation.studies.returns import percentile_of_last, relative_returns
from rotation.studies.valuation import (
    BIG,
    SMALL,
    aggregate,
    factor_alphas,
    forecast_parts,
    ordinal,
    predictive_forecast,
)

__all__ = ["CONTROL_SETS", "FULL_CONTROLS", "profitability_gap", "quality_study", "earnings_proxy_study"]

#: The label of the control set with every quality factor (the check of the quality claim).
FULL_CONTROLS = "+ HML, RMW, CMA"

#: Factor sets the size premium is regressed on: label -> columns of the Fama-French 5-factor table.
CONTROL_SETS: dict[str, list[str]] = {"market only": ["Mkt-RF"], FULL_CONTROLS: ["Mkt-RF", "HML", "RMW", "CMA"]}

_NAN = float("nan")


def profitability_gap(op: pd.DataFrame, mktcap: pd.DataFrame, nfirms: pd.DataFrame) -> pd.Series:
    """Small minus big operating profitability (market-equity weighted within each size group).

    Parameters
    ----------
    op, mktcap, nfirms : pd.DataFrame
        The Ken French 2x3 tables ``sbm_op_monthly``, ``sbm_mktcap_monthly``, ``sbm_nfirms_monthly``.

    Returns
    -------
    pd.Series
        Named ``"small minus big operating profitability"``, months with every input only; a month's
        value uses the profitability the library assigns to it (known at its end, restated history).
    """
    gap = aggregate(op, mktcap, nfirms, SMALL) - aggregate(op, mktcap, nfirms, BIG)
    return gap.dropna().rename("small minus big operating profitability")


def _gap_standing(gap: pd.Series) -> Estimates:
    if gap.empty:
        raise ParameterError("the profitability gap has no month with every input; check op, mktcap and nfirms")
    row = {"estimate": float(gap.iloc[-1]), "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN,
           "ci_upper": _NAN, "nobs": len(gap), "percentile": percentile_of_last(gap), "date": gap.index[-1]}
    return Estimates(pd.DataFrame([row], index=pd.Index(["latest"], name="month")),
                     Method(kind="descriptive", note="percentile: share of the history at or below the latest"),
                     Units.number("operating-profitability ratio, small minus big"),
                     f"Operating-profitability gap at the latest reading ({gap.index[-1]:%Y-%m})", data=gap.to_frame())


def quality_study(factors: pd.DataFrame, size_premium: pd.Series, label: str, *, op: pd.DataFrame,
                  mktcap: pd.DataFrame, nfirms: pd.DataFrame, screened: pd.Series, broad: pd.Series,
                  control_sets: Mapping[str, Sequence[str]] = CONTROL_SETS) -> Results:
    """Does quality matter for small caps? Three views.

    Parameters
    ----------
    factors : pd.DataFrame
        The Fama-French 5-factor table (``ff5_monthly``: ``Mkt-RF``, ``SMB``, ``HML``, ``RMW``, ``CMA``),
        decimal monthly returns.
    size_premium : pd.Series
        The project's monthly small-minus-large relative return, regressed beside ``SMB``.
    label : str
        Its row label (e.g. ``"ff30_vw small-minus-large"``).
    op, mktcap, nfirms : pd.DataFrame
        The Ken French 2x3 tables for the profitability gap (:func:`profitability_gap`).
    screened, broad : pd.Series
        Monthly returns of IJR (S&P 600, whose index requires positive earnings) and IWM (Russell 2000).
    control_sets : mapping
        ``{label: factor columns}`` of :func:`rotation.studies.valuation.factor_alphas`.

    Returns
    -------
    Results
        ``alphas`` (:func:`rotation.studies.valuation.factor_alphas` of SMB and the size premium, HAC
        with 12 lags), ``ijr_minus_iwm`` (:func:`rotation.stats.hac.hac_mean` of the monthly relative
        return of ``screened`` over ``broad``; ``.data``: that series) and ``op_gap`` (the latest
        profitability gap, its percentile in history and date; ``.data``: the gap).
    """
    if "SMB" not in factors:
        raise ParameterError(f"factors must have the column 'SMB' (ff5_monthly); columns: {list(factors.columns)}")
    alphas = factor_alphas({"SMB": factors["SMB"], label: size_premium}, factors,
                           {k: list(v) for k, v in control_sets.items()})
    diff = relative_returns(screened, broad).rename("IJR minus IWM")
    mean = hac_mean(diff)
    mean = Estimates(mean.table, mean.method, mean.units, mean.title, data=diff.to_frame())
    gap = _gap_standing(profitability_gap(op, mktcap, nfirms))
    first, last = list(control_sets)[0], list(control_sets)[-1]
    full, market = alphas.table.loc[("SMB", last)], alphas.table.loc[("SMB", first)]
    r, g = mean.table.iloc[0], gap.table.iloc[0]
    tilt = ""
    if "RMW loading" in full.index:
        tilt = (f" SMB's profitability (RMW) loading is {full['RMW loading']:+.2f}: small caps lean to "
                f"{'less' if full['RMW loading'] < 0 else 'more'} profitable firms.")
    sentence = (f"SMB's monthly alpha is {market['estimate']:+.2%} with the market alone and "
                f"{full['estimate']:+.2%} (95% CI {full['ci_lower']:+.2%} to {full['ci_upper']:+.2%}) with "
                f"{last.lstrip('+ ')}.{tilt} IJR minus IWM, {diff.index[0]:%Y-%m} to "
                f"{diff.index[-1]:%Y-%m}: {r['estimate']:+.2%} a month (95% CI {r['ci_lower']:+.2%} to "
                f"{r['ci_upper']:+.2%}, n = {len(diff)}); profitability gap at the latest reading "
                f"({g['date']:%Y-%m}, accounts of the fiscal year before the previous June) {g['estimate']:+.3f} "
                f"({ordinal(g['percentile'])} percentile of its history).")
    return Results({"alphas": alphas, "ijr_minus_iwm": mean, "op_gap": gap}, title="Quality and the size premium",
                   sentence=sentence)


def earnings_proxy_study(returns: pd.Series, gap: pd.Series, change_months: int, *, horizon: int,
                         min_train: int) -> Results:
    """Does a rise in the small-minus-big profitability gap precede small-cap outperformance?

    Parameters
    ----------
    returns : pd.Series
        Monthly small-minus-large relative returns (decimal).
    gap : pd.Series
        :func:`profitability_gap`.
    change_months : int
        The predictor is the gap's change over this many months, known at ``t`` (``gap.diff``).
    horizon : int
        Months of future relative return (summed) the change should predict.
    min_train : int
        Months of training pairs before the first out-of-sample forecast.

    Returns
    -------
    Results
        ``slope`` and ``forecast`` (:func:`rotation.studies.valuation.forecast_parts`, one row: the
        ``horizon``; the forecast at the latest change), ``out_of_sample`` (expanding-window R², one
        row). ``extra``: ``change_months``, and ``start``, ``end``, ``months`` where the change and the
        returns meet. ``.data``: the change (column ``op_change``).
    """
    k = check_int(change_months, "change_months", minimum=1, maximum=600)
    h = check_int(horizon, "horizon", minimum=1, maximum=600)
    change = gap.diff(k).rename("op_change")
    x_now = float(change.dropna().iloc[-1])
    fit = predictive_forecast(returns, change, h, x_now)
    oos = oos_r2(returns, change.dropna(), horizon=h, min_train=min_train)
    parts = forecast_parts({h: fit}, predictor="the change of the profitability gap",
                           slope_units=Units.number("summed relative return over the next h months per unit change "
                                                    "of the profitability gap"),
                           forecast_units=Units.returns("decimal relative return summed over the next h months"))
    table = oos.table.drop(columns="horizon").rename(index={"oos_r2": h}).rename_axis("horizon")
    parts["out_of_sample"] = Estimates(table, oos.method, oos.units, f"Out-of-sample R2 at {h} months")
    common = change.dropna().index.intersection(returns.index)
    s = parts["slope"].table.loc[h]
    sentence = (f"Slope of the next {h} months' relative return on the {k}-month change of the profitability gap: "
                f"{s['estimate']:+.3f} (t = {s['t']:+.2f}, n = {int(s['nobs'])}); out-of-sample R² "
                f"{oos.estimate:+.3f}.")
    return Results(parts, extra={"change_months": k, "start": common[0], "end": common[-1], "months": len(common)},
                   title="Profitability as an earnings proxy", sentence=sentence, data=change.to_frame())
