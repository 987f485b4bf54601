"""Interest rates, credit and small caps (notebook 03): how small-minus-large returns move with rates.

Each study is one call returning a result object (:class:`rotation.stats.results.Estimates` or
:class:`~rotation.stats.results.Results`) that records itself and says what it means in a sentence:

* :func:`rate_betas` -- the beta of the relative return on each rate's change, one factor at a time, by period;
* :func:`joint_betas` -- the 10-year, 2-year, Baa spread and fed funds changes together, monthly and weekly;
* :func:`rolling_rate_betas` -- trailing-window betas on the 10-year yield and the Baa spread;
* :func:`rate_regime_study` -- next month's relative return when the fed funds rate is rising, falling or flat;
* :func:`credit_betas` -- the beta on credit spreads and financial conditions (NFCI);
* :func:`conditions_study` -- relative returns when financial conditions tighten or ease (NFCI regimes), also
  with the values published by each month end;
* :func:`controlled_yield_beta` -- the 10-year beta with market and value factors as controls.

Conventions: returns are decimal; the relative return is ``(1 + r_small) / (1 + r_large) - 1``; FRED yields
and spreads are in percent as published, so changes are in percentage points (pp) and a beta is the relative
return per 1 pp change. Month-end (weekly: Friday) levels; a label at month ``t`` uses data up to ``t`` and is
compared with the return of month ``t + 1``. Every standard error is HAC (Newey-West, Bartlett kernel).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_choice
from rotation.stats.regressions import sensitivity_table
from rotation.stats.results import VOCABULARY, Estimates, Results
from rotation.stats.units import Units
from rotation.studies import betas, regimes

__all__ = ["FRED_SERIES", "LABELS", "PERIODS", "RATE_FACTORS", "JOINT", "CREDIT", "ROLLING", "RATE_PAIRS",
           "rate_levels", "changes", "coverage", "rate_betas", "joint_betas", "rolling_rate_betas",
           "rate_regime_study", "credit_betas", "conditions_study", "yield_and_factors", "controlled_yield_beta"]

#: FRED series by key: yields, the slope, the Baa spread, the real yield, fed funds, high-yield OAS, NFCI.
FRED_SERIES: dict[str, str] = {"dgs10": "DGS10", "dgs2": "DGS2", "slope": "T10Y2Y", "baa10y": "BAA10Y",
                               "dfii10": "DFII10", "fedfunds": "DFF", "hy_oas": "BAMLH0A0HYM2", "nfci": "NFCI"}
#: What each key is, in words.
LABELS: dict[str, str] = {"dgs10": "10-year yield", "dgs2": "2-year yield", "slope": "10y-2y slope",
                          "baa10y": "Baa-10y spread", "dfii10": "10-year real yield", "fedfunds": "fed funds rate",
                          "hy_oas": "high-yield OAS", "nfci": "NFCI"}
#: Sub-periods of every beta table: ``{label: (start, end)}``.
PERIODS: dict[str, tuple[str | None, str | None]] = {
    "full sample": (None, None), "before 2008": (None, "2007-12-31"),
    "zero rates 2009-2015": ("2009-01-01", "2015-12-31"), "2016 onward": ("2016-01-01", None)}
#: The rates regressed one at a time, the rates regressed jointly, the credit measures, the rolling betas.
RATE_FACTORS: tuple[str, ...] = ("dgs10", "dgs2", "slope", "dfii10", "fedfunds", "baa10y")
JOINT: tuple[str, ...] = ("dgs10", "dgs2", "baa10y", "fedfunds")
CREDIT: tuple[str, ...] = ("baa10y", "hy_oas", "nfci")
ROLLING: tuple[str, ...] = ("dgs10", "baa10y")
#: The fed funds regimes compared pairwise (first minus second).
RATE_PAIRS: tuple[tuple[str, str], ...] = (("high and flat", "rising"), ("high and flat", "falling"),
                                           ("falling", "rising"))

_RET = Units.returns("decimal return")
_FULL = "full sample"


def _check_keys(frame: pd.DataFrame, keys: Sequence[str], name: str) -> None:
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise ParameterError(f"{name} must have a column for each of {list(keys)} (rates.rate_levels); "
                             f"missing {missing}")


def rate_levels(daily: Mapping[str, pd.Series], freq: str, fedfunds: pd.Series | None = None) -> pd.DataFrame:
    """Levels at a period end (the last value of each period), one column per key of ``daily``.

    Parameters
    ----------
    daily : mapping
        Daily (or weekly) FRED series by key (:data:`FRED_SERIES`), percent as published.
    freq : str
        ``"ME"`` (month end) or ``"W-FRI"`` (Friday).
    fedfunds : pd.Series, optional
        A monthly fed funds series (FRED FEDFUNDS, the month's average, known at the month end) that replaces
        the column ``fedfunds`` on the dates the other columns have (it runs past the end of daily DFF).

    Returns
    -------
    pd.DataFrame
        One column per key, indexed by the period ends any series reaches; a level stamped ``t`` is known at
        the close of ``t``.
    """
    if not daily:
        raise ParameterError("daily must map keys to FRED series (rates.FRED_SERIES); got none")
    check_choice(freq, "freq", ("ME", "W-FRI"))
    levels = pd.DataFrame({k: s.resample(freq).last() for k, s in daily.items()})
    if fedfunds is not None:
        levels["fedfunds"] = fedfunds
    return levels


def changes(levels: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Changes of the levels over one period, on the returns' dates.

    Parameters
    ----------
    levels : pd.DataFrame
        :func:`rate_levels` (percent).
    index : pd.Index
        The returns' dates (month or Friday ends).

    Returns
    -------
    pd.DataFrame
        ``level_t - level_{t-1}`` in percentage points (consecutive period ends of ``levels``), reindexed to
        ``index`` (NaN where a date has no change); known at the close of ``t``.
    """
    if not isinstance(levels, pd.DataFrame):
        raise ParameterError(f"levels must be a DataFrame (rates.rate_levels); got {type(levels).__name__}")
    return levels.diff().reindex(index)


def coverage(daily: Mapping[str, pd.Series]) -> pd.DataFrame:
    """What the data cover.

    Parameters
    ----------
    daily : mapping
        FRED series by key (:data:`FRED_SERIES`).

    Returns
    -------
    pd.DataFrame
        Columns ``first`` and ``last`` (the first and last date with a value), indexed by the FRED id.
    """
    return pd.DataFrame({"first": [s.dropna().index[0] for s in daily.values()],
                         "last": [s.dropna().index[-1] for s in daily.values()]},
                        index=[FRED_SERIES.get(k, k) for k in daily])


def _per_pp(frequency: str) -> Units:
    return Units.returns(f"decimal {frequency} relative return per 1 pp change")


def _one_factor(rel: pd.Series, chg: pd.DataFrame, factors: Sequence[str], periods: Mapping, frequency: str,
                units: Units, title: str) -> dict[str, Estimates]:
    _check_keys(chg, factors, "chg")
    if _FULL not in periods:
        raise ParameterError(f"periods must include {_FULL!r} (the sentence describes it); got {list(periods)}")
    fits = {k: sensitivity_table(rel, chg[k], dict(periods), units=units,
                                 title=f"{frequency.capitalize()} relative return on {LABELS.get(k, k)} changes, "
                                       "by period")
            for k in factors}
    return {**fits, "slopes": betas.slopes(fits, ["factor"], units=units, title=title)}


def _sign_flips(slopes: pd.DataFrame, factors: Sequence[str]) -> list[str]:
    """The factors whose beta changes sign across the periods."""
    return [LABELS.get(k, k) for k in factors
            if np.nanmin(np.sign(slopes.loc[k, "estimate"].dropna()))
            != np.nanmax(np.sign(slopes.loc[k, "estimate"].dropna()))]


def rate_betas(rel: pd.Series, chg: pd.DataFrame, *, factors: Sequence[str] = RATE_FACTORS,
               periods: Mapping[str, tuple[str | None, str | None]] = PERIODS, frequency: str = "monthly") -> Results:
    """The beta of the relative return on each rate's same-period change, one factor at a time, by period.

    Parameters
    ----------
    rel : pd.Series
        Relative returns (decimal), monthly or weekly.
    chg : pd.DataFrame
        Rate changes in pp on the same dates (:func:`changes`), a column per factor.
    factors : sequence of str
        Keys of :data:`LABELS` (default :data:`RATE_FACTORS`).
    periods : mapping
        ``{label: (start, end)}`` (default :data:`PERIODS`).
    frequency : str
        ``"monthly"`` or ``"weekly"``: the words of the titles and units.

    Returns
    -------
    Results
        One :func:`rotation.stats.regressions.sensitivity_table` per factor (rows ``(period, term)``, each
        over the factor's own history, HAC lags by the Newey-West rule), and ``slopes``: the factor rows of
        all of them (rows ``(factor, period)``). The sentence: the 10-year, 2-year and Baa betas, the factors
        whose beta is significantly negative (the commentary's sign) or positive (the slope left out: it has
        no predicted sign), and those whose sign changes across periods.
    """
    check_choice(frequency, "frequency", ("monthly", "weekly"))
    units = _per_pp(frequency)
    parts = _one_factor(rel, chg, factors, periods, frequency, units,
                        f"{frequency.capitalize()} relative return per 1 pp change (one factor at a time)")
    t = parts["slopes"].table
    full = t.xs(_FULL, level="period")
    signed = [k for k in factors if k != "slope"]
    neg = [LABELS.get(k, k) for k in signed if full.loc[k, "ci_upper"] < 0]
    pos = [LABELS.get(k, k) for k in signed if full.loc[k, "ci_lower"] > 0]
    span = "months" if frequency == "monthly" else "weeks"
    words = {"dgs10": f"A 1 pp rise in the 10-year yield has gone with a {frequency} relative return of ",
             "dgs2": "the 2-year: ", "baa10y": "a 1 pp wider Baa spread: "}
    said = [
        f"{text}"
        f"{betas.interval_phrase(units, full.loc[k, 'estimate'], full.loc[k, 'ci_lower'], full.loc[k, 'ci_upper'])}"
        f" (t = {full.loc[k, 't']:+.2f}" + (f", {int(full.loc[k, 'nobs'])} {span})" if k == "dgs10" else ")")
        for k, text in words.items() if k in factors
    ]
    flips = _sign_flips(t, factors)
    sentence = ("; ".join(said) + (". " if said else "")
                + f"Significantly negative betas (the commentary's sign): {', '.join(neg) if neg else 'none'}; "
                f"significantly positive: {', '.join(pos) if pos else 'none'}. Betas whose sign changes across "
                f"sub-periods: {', '.join(flips) if flips else 'none'}.")
    return Results(parts, title=f"{frequency.capitalize()} rate betas, one factor at a time", sentence=sentence)


def joint_betas(rel_m: pd.Series, chg_m: pd.DataFrame, rel_w: pd.Series, chg_w: pd.DataFrame, *,
                factors: Sequence[str] = JOINT, periods: Mapping[str, tuple[str | None, str | None]] = PERIODS
                ) -> Results:
    """The rates together: the relative return on the changes of ``factors`` in one regression, by period.

    Each coefficient is the effect of one rate holding the others fixed, so the sample starts with the
    shortest of them (the Baa spread, 1986, by default).

    Returns
    -------
    Results
        ``monthly`` and ``weekly``: :func:`rotation.stats.regressions.sensitivity_table` results (rows
        ``(period, term)``).
    """
    _check_keys(chg_m, factors, "chg_m")
    _check_keys(chg_w, factors, "chg_w")
    cols = list(factors)
    monthly = sensitivity_table(rel_m, chg_m[cols], dict(periods), units=_per_pp("monthly"),
                                title="Monthly, joint regression")
    weekly = sensitivity_table(rel_w, chg_w[cols], dict(periods), units=_per_pp("weekly"),
                               title="Weekly, joint regression")
    if _FULL not in periods:
        raise ParameterError(f"periods must include {_FULL!r} (the sentence describes it); got {list(periods)}")
    t = monthly.table.xs(_FULL, level="period")
    u = monthly.units
    said = [f"the {'10-year' if k == 'dgs10' else 'Baa-spread'} beta is {u.format(t.loc[k, 'estimate'])} "
            f"(t = {t.loc[k, 't']:+.2f})" for k in ("dgs10", "baa10y") if k in cols]
    sentence = (f"Jointly, {' and '.join(said)}; " if said else "Jointly: ") + (
        f"R² = {t.loc['const', 'rsquared']:.3f} on {int(t.loc['const', 'nobs'])} months.")
    return Results({"monthly": monthly, "weekly": weekly}, title="Joint rate betas", sentence=sentence)


def rolling_rate_betas(rel: pd.Series, chg: pd.DataFrame, *, window: int, factors: Sequence[str] = ROLLING
                       ) -> Estimates:
    """Trailing ``window``-month betas of the relative return on each factor's change, one factor at a time.

    Returns
    -------
    Estimates
        One row per factor (:func:`rotation.studies.betas.rolling_summary`): the latest window's beta and
        95% HAC band, its ``date``, its ``percentile`` among all windows, the shares of windows with a
        negative and a significantly negative beta. ``.data``: the rolling betas and bands.
    """
    _check_keys(chg, factors, "chg")
    out = betas.rolling_summary({k: (rel, chg[k], window) for k in factors}, units=_per_pp("monthly"),
                                title=f"Latest rolling {window}-month beta of the relative return")
    u = out.units
    lines = [f"* **{LABELS.get(k, k)}**: latest ({r['date']:%Y-%m}) "
             f"{betas.interval_phrase(u, r['estimate'], r['ci_lower'], r['ci_upper'], digits=2)} per pp, at the "
             f"{r['percentile']:.0%} percentile of its history; the rolling beta was negative in "
             f"{r['share_negative']:.0%} of windows and significantly negative in "
             f"{r['share_significant_negative']:.0%}."
             for k, r in out.table.iterrows()]
    return Estimates(out.table, out.method, out.units, out.title, data=out.data, sentence="\n".join(lines))


def _pairs_table(diffs: Mapping[str, Estimates]) -> pd.DataFrame:
    if not diffs:
        return pd.DataFrame(columns=[*VOCABULARY, "nobs_y"], index=pd.Index([], name="difference"), dtype=float)
    return pd.concat({k: d.table for k, d in diffs.items()}, names=["difference"]).droplevel(-1)


def rate_regime_study(rel: pd.Series, fedfunds: pd.Series, *, change_months: int, high_level: float,
                      flat_band: float, reps: int, seed: int, pairs: Sequence[tuple[str, str]] = RATE_PAIRS) -> Results:
    """Next month's relative return when the fed funds rate is rising, falling, high and flat or low and flat.

    Parameters
    ----------
    rel : pd.Series
        Monthly relative returns.
    fedfunds : pd.Series
        The monthly fed funds rate (percent; FEDFUNDS, the month's average, known at the month end).
    change_months, high_level, flat_band
        :func:`rotation.studies.regimes.rate_regimes`: the change over ``change_months`` months beyond
        ``±flat_band`` pp is rising / falling, else high and flat at or above ``high_level`` percent.
    reps, seed : int
        Stationary block bootstrap (expected block 3 months) of the differences.
    pairs : sequence of (str, str)
        Regimes compared (first minus second) when both have at least 2 months.

    Returns
    -------
    Results
        ``table``: mean, HAC t and interval, hit rate per regime (label at ``t``, return at ``t+1``);
        ``diff``: one row per pair (``"high and flat vs rising"``) with a bootstrap interval. ``extra``:
        ``latest`` regime and its date (``latest_date``).
    """
    labels = regimes.rate_regimes(fedfunds.dropna(), change_months, high_level, flat_band)
    table = regimes.regime_stats(rel, labels, lag=1, title="Next month's relative return by fed funds regime")
    t = table.table
    diffs = {f"{a} vs {b}": regimes.regime_diff_ci(rel, labels, a, b, lag=1, block_size=3, reps=reps, seed=seed)
             for a, b in pairs if (t.loc[[a, b], "nobs"] >= 2).all()}
    first = next(iter(diffs.values()), None)
    diff = Estimates(_pairs_table(diffs), first.method if first is not None else table.method,
                     first.units if first is not None else table.units,
                     "Differences of next month's mean relative return between fed funds regimes")
    known = labels.dropna()
    u = table.units
    sentence = (f"In high-and-flat months the next month's relative return averaged "
                f"{u.format(t.loc['high and flat', 'estimate'])} "
                f"(t = {t.loc['high and flat', 't']:+.2f}, n = {int(t.loc['high and flat', 'nobs'])}), against "
                f"{u.format(t.loc['rising', 'estimate'])} when rates were rising "
                f"(n = {int(t.loc['rising', 'nobs'])}) and "
                f"{u.format(t.loc['falling', 'estimate'])} when falling (n = {int(t.loc['falling', 'nobs'])}). "
                + " ".join(f"{k}: {betas.interval_phrase(u, d.estimate, d.ci_lower, d.ci_upper, digits=2)}."
                           for k, d in diffs.items())
                + f" The latest regime ({known.index[-1]:%Y-%m}) is **{known.iloc[-1]}**.")
    return Results({"table": table, "diff": diff},
                   extra={"latest": str(known.iloc[-1]), "latest_date": known.index[-1]},
                   title="Fed funds regimes", sentence=sentence, data=labels.to_frame())


def credit_betas(rel: pd.Series, chg: pd.DataFrame, *, factors: Sequence[str] = CREDIT,
                 periods: Mapping[str, tuple[str | None, str | None]] = PERIODS) -> Results:
    """The beta of the monthly relative return on credit spreads and financial conditions, by period.

    Returns
    -------
    Results
        As :func:`rate_betas`: one :func:`rotation.stats.regressions.sensitivity_table` per factor (default
        :data:`CREDIT`: the Baa-10y spread, the high-yield OAS, NFCI) and ``slopes`` (rows ``(factor,
        period)``). Betas are per 1 pp of spread or per NFCI point.
    """
    units = Units.returns("decimal monthly relative return per 1-unit change (pp of spread, NFCI points)")
    parts = _one_factor(rel, chg, factors, periods, "monthly", units,
                        "Monthly relative return per 1-unit change (pp of spread, NFCI points)")
    full = parts["slopes"].table.xs(_FULL, level="period")
    words = {"baa10y": ("A 1 pp wider Baa spread went with ", " the same month"),
             "hy_oas": ("a 1 pp wider high-yield spread with ", ""), "nfci": ("a 1-point rise in the NFCI with ", "")}
    said = [
        f"{a}"
        f"{betas.interval_phrase(units, full.loc[k, 'estimate'], full.loc[k, 'ci_lower'], full.loc[k, 'ci_upper'])}"
        f"{b}"
        for k, (a, b) in words.items() if k in factors
    ]
    return Results(parts, title="Credit betas", sentence="; ".join(said) + ".")


def _nfci_labels(level: pd.Series, change_months: int, band: float) -> pd.Series:
    return regimes.label_by_thresholds(regimes.trailing_change(level, change_months, "diff"), -band, band,
                                       labels=("easing", "stable", "tightening"))


def conditions_study(rel: pd.Series, nfci: pd.Series, nfci_known: pd.Series, *, change_months: int, band: float,
                     reps: int, seed: int) -> Results:
    """Relative returns when financial conditions tighten, stay stable or ease (the change of NFCI).

    The NFCI change over ``change_months`` months above ``band`` is **tightening**, below ``-band``
    **easing**, else **stable**; compared with the same month's return (does stress coincide with
    underperformance?) and the next month's (does it predict it?).

    Parameters
    ----------
    rel : pd.Series
        Monthly relative returns.
    nfci : pd.Series
        Month-end NFCI (today's vintage: its whole history is re-estimated every week).
    nfci_known : pd.Series
        NFCI release-timed at each month end (``rotation.data.load_known("NFCI", "ME")``): the labels of
        the release-timed comparison use only values dated as published by then (still today's vintage).
    change_months, band
        The regime rule.
    reps, seed : int
        Stationary block bootstrap (expected block 3 months) of the differences.

    Returns
    -------
    Results
        ``same_month`` and ``next_month``: :func:`rotation.studies.regimes.regime_stats` with lag 0 and 1;
        ``diff``: tightening minus easing, rows ``same month`` and ``next month``; ``realtime_next_month``:
        the same difference, next month, with the release-timed labels (latest vintage). ``extra``: the
        ``latest`` regime and its date. ``.data``: both regime tables stacked (rows ``(return, regime)``) for a chart.
    """
    labels = _nfci_labels(nfci.dropna(), change_months, band)
    same = regimes.regime_stats(rel, labels, lag=0, title="Same month's relative return by NFCI regime")
    nxt = regimes.regime_stats(rel, labels, lag=1, title="Next month's relative return by NFCI regime")
    diffs = {name: regimes.regime_diff_ci(rel, labels, "tightening", "easing", lag=lag, block_size=3, reps=reps,
                                          seed=seed) for name, lag in (("same month", 0), ("next month", 1))}
    diff = Estimates(_pairs_table(diffs), diffs["next month"].method, diffs["next month"].units,
                     "Tightening minus easing financial conditions: difference of mean relative returns")
    realtime = regimes.regime_diff_ci(rel, _nfci_labels(nfci_known, change_months, band), "tightening", "easing",
                                      lag=1, block_size=3, reps=reps, seed=seed)
    u = same.units
    said = {k: betas.interval_phrase(u, d.estimate, d.ci_lower, d.ci_upper, digits=2) for k, d in diffs.items()}
    sentence = (f"Tightening minus easing months: same month {said['same month']}, next month {said['next month']}. "
                "Release-timed NFCI (latest vintage; dated by publication at each month end): tightening minus easing, "
                "next month "
                f"{betas.interval_phrase(u, realtime.estimate, realtime.ci_lower, realtime.ci_upper, digits=2)}. "
                "The history is still today's vintage: NFCI is re-estimated every week, a look-ahead no lag removes.")
    known = labels.dropna()
    chart = pd.concat({"same month": same.table, "next month": nxt.table}, names=["return"])
    return Results({"same_month": same, "next_month": nxt, "diff": diff, "realtime_next_month": realtime},
                   extra={"latest": str(known.iloc[-1]), "latest_date": known.index[-1]},
                   title="Financial-conditions regimes", sentence=sentence, data=chart)


def yield_and_factors(dgs10_change: pd.Series, factors: pd.DataFrame) -> pd.DataFrame:
    """The regressors of the controlled 10-year beta.

    Parameters
    ----------
    dgs10_change : pd.Series
        Monthly 10-year yield changes in pp (:func:`changes`, column ``dgs10``).
    factors : pd.DataFrame
        Ken French monthly factors with columns ``Mkt-RF`` and ``HML`` (decimal).

    Returns
    -------
    pd.DataFrame
        Columns ``10y yield change (pp)``, ``market``, ``value`` on the union of the dates (align them to the
        returns afterwards, as :func:`controlled_yield_beta` does).
    """
    _check_keys(factors, ("Mkt-RF", "HML"), "factors")
    return pd.concat([dgs10_change.rename("10y yield change (pp)"), factors["Mkt-RF"].rename("market"),
                      factors["HML"].rename("value")], axis=1)


def controlled_yield_beta(rel: pd.Series, regressors: pd.DataFrame, *, units: Units = _RET) -> Estimates:
    """The 10-year beta with market and value controls.

    Parameters
    ----------
    rel : pd.Series
        Monthly relative returns.
    regressors : pd.DataFrame
        :func:`yield_and_factors`, reindexed here to ``rel``'s dates (months it lacks are dropped).
    units : Units
        Stored on the result.

    Returns
    -------
    Estimates
        The full-sample HAC regression (:func:`rotation.stats.regressions.sensitivity_table`), rows
        ``(full sample, term)``.
    """
    return sensitivity_table(rel, regressors.reindex(rel.index), {"full sample": (None, None)}, units=units)
