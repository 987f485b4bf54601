"""The year end: the Santa Claus and November-January windows, the turn of the year, January after the prior year.

The studies of notebook 04's daily questions, each one call returning a result object that records
itself and says what it found in a sentence (:meth:`~rotation.stats.results.Estimates.describe`):

* :func:`seasonal_windows` -- the Santa Claus window and the wider November-January window against
  every other window of the same length (:func:`window_study`), in the whole sample and by era;
* :func:`turn_of_year` -- the mean cumulative relative return around the year end, with a band;
* :func:`january_after_prior_year` -- January after a year in which small caps lagged or led;
* :func:`window_outlook` -- the next window, and what it returned in years like this one.

Conventions as in :mod:`rotation.studies.seasonality` (windows from the data's own calendar,
incomplete windows left out, decimal returns; small-minus-large returns are
``(1+small)/(1+large)-1``, :func:`rotation.studies.returns.relative_returns`). Years are the
independent units: every interval here is a bootstrap over years.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.bootstrap import iid_bootstrap_means
from rotation.stats.checks import check_int
from rotation.stats.results import Estimates, Method, Results
from rotation.stats.units import Units
from rotation.studies.eras import Eras, era_of_years
from rotation.studies.returns import relative_returns
from rotation.studies.seasonality import (
    calendar_windows,
    same_length_windows,
    trailing_at,
    turn_of_year_paths,
    window_returns,
    year_differences,
    year_end_windows,
)

__all__ = ["with_relative", "window_study", "windows_by_era", "seasonal_windows", "mean_path", "turn_of_year",
           "january_after_prior_year", "window_outlook"]

_NAN = float("nan")
#: Returns shown as signed percent in sentences.
_RETURN = Units.returns("decimal relative return")


def with_relative(daily: pd.DataFrame) -> pd.DataFrame:
    """``daily`` (columns ``small`` and ``large``) with a ``relative`` column: ``(1+small)/(1+large)-1``.

    Parameters
    ----------
    daily : pd.DataFrame
        Daily decimal returns of the pair (:func:`rotation.data.small_large`).

    Returns
    -------
    pd.DataFrame
        A copy with ``relative`` added, aligned on ``daily``'s index (NaN where either return is
        missing, so the windows that hold such a day are flagged incomplete).
    """
    if not isinstance(daily, pd.DataFrame) or not {"small", "large"} <= set(daily.columns):
        got = list(daily.columns) if isinstance(daily, pd.DataFrame) else type(daily).__name__
        raise ParameterError(f"daily must be a DataFrame with columns small and large; got {got}")
    out = daily.copy()
    out["relative"] = relative_returns(out["small"], out["large"])
    return out


def _relative_frame(daily: object, name: str = "daily") -> pd.DataFrame:
    if not isinstance(daily, pd.DataFrame) or "relative" not in daily.columns:
        got = list(daily.columns) if isinstance(daily, pd.DataFrame) else type(daily).__name__
        raise ParameterError(f"{name} must be a DataFrame with a relative column (with_relative(daily)); got {got}")
    return daily


def _normal_p(t: float) -> float:
    from scipy.stats import norm

    return float(2 * norm.sf(abs(t))) if np.isfinite(t) else float("nan")


def window_study(
    returns: pd.DataFrame,
    windows: pd.DataFrame,
    *,
    years: Iterable[int] | None = None,
    reps: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
) -> Estimates:
    """Each column's return in the calendar windows against all other windows of the same length.

    For every complete window (year) ``y``: ``d_y`` = the window's compounded return minus the mean
    return of the other same-length windows ending in the 12 months up to it
    (:func:`rotation.studies.seasonality.year_differences`). The estimate is the mean of ``d_y`` over
    years with an iid bootstrap over years (``arch.bootstrap.IIDBootstrap``, seeded): years are the
    independent units, the daily windows inside a year are not.

    Parameters
    ----------
    returns : pd.DataFrame
        Daily decimal returns, e.g. columns ``small``, ``large``, ``relative``.
    windows : pd.DataFrame
        :func:`~rotation.studies.seasonality.year_end_windows` or
        :func:`~rotation.studies.seasonality.calendar_windows`; incomplete windows are left out.
    years : iterable of int, optional
        Only these windows (``windows`` index years, e.g. one era's: :func:`rotation.studies.eras.era_of_years`),
        each measured as in the whole sample; ``share_positive_other`` over the other windows in their
        benchmarks. None: every complete window.

    Returns
    -------
    Estimates
        One row per column of ``returns``, in the vocabulary ``estimate, std_err, t, p_value,
        ci_lower, ci_upper, nobs`` (years) for the difference, plus ``mean_window``,
        ``median_window``, ``share_positive`` (years with a positive window return) and
        ``share_positive_other`` (the same share over all other same-length windows: the rate noise
        alone would give).
    """
    if not isinstance(returns, pd.DataFrame):
        raise ParameterError(f"returns must be a DataFrame of daily returns; got {type(returns).__name__}")
    wr = window_returns(returns, windows)
    ok = wr["complete"].astype(bool)
    if ok.sum() < 5:
        raise ParameterError(f"only {int(ok.sum())} complete windows in the data; need at least 5 years")
    length = int(windows.loc[ok, "days"].mode().iloc[0])  # the usual window, over the whole sample
    if years is not None:
        ok &= wr.index.isin(list(years))
        if ok.sum() < 5:
            raise ParameterError(f"only {int(ok.sum())} complete windows in the years chosen; need at least 5")
    wr, wins = wr[ok], windows[ok]
    rows = {}
    for i, col in enumerate(returns.columns):
        others = same_length_windows(returns[col].dropna(), length, exclude=windows)
        d = year_differences(wr[col], others, wins["end"]).dropna()
        if years is not None:  # the other windows that enter these years' benchmarks
            ends = others.index
            near = np.zeros(len(others), dtype=bool)
            for end in wins["end"]:
                near |= np.asarray((ends > end - pd.DateOffset(years=1)) & (ends <= end))
            others = others[near]
        # = arch IIDBootstrap.apply(np.mean)
        stats = iid_bootstrap_means(d.to_numpy(dtype=float), int(reps), int(seed) + i)
        est, se = float(d.mean()), float(stats.std(ddof=1))
        rows[col] = {
            "estimate": est, "std_err": se, "t": est / se if se > 0 else np.nan,
            "p_value": _normal_p(est / se) if se > 0 else np.nan,
            "ci_lower": float(np.percentile(stats, 100 * alpha / 2)),
            "ci_upper": float(np.percentile(stats, 100 * (1 - alpha / 2))),
            "nobs": int(len(d)),
            "mean_window": float(wr[col].mean()), "median_window": float(wr[col].median()),
            "share_positive": float((wr[col] > 0).mean()), "share_positive_other": float((others > 0).mean()),
        }
    out = pd.DataFrame(rows).T
    out.index.name = "series"
    out = out.astype(float).astype({"nobs": int})
    return Estimates(out, Method(kind="bootstrap", bootstrap="iid", reps=int(reps), seed=int(seed), alpha=alpha,
                                 note="years resampled; p-value from the bootstrap standard error (normal)"),
                     units=Units.returns(f"decimal return over the {length}-day window minus other "
                                         f"{length}-day windows"),
                     title="window minus other windows of the same length")


def january_after_prior_year(
    monthly: pd.Series,
    *,
    prior_months: int = 12,
    split: float = 0.0,
    reps: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
) -> Estimates:
    """January relative returns conditioned on the trailing relative return at the end of December.

    The conditioning variable for January of year ``y`` is the compounded relative return over the
    ``prior_months`` months ending in December ``y-1``
    (:func:`rotation.studies.seasonality.trailing_at`): known before January starts, so the split uses
    no data from January or later.

    Parameters
    ----------
    monthly : pd.Series
        Monthly decimal relative returns (small minus large), month-end dates.
    prior_months : int, default 12
        Months of the trailing relative return that ends in December (1 to 600).
    split : float, default 0.0
        Years with a trailing return at or below ``split`` lagged, the others led.
    reps, seed, alpha
        iid bootstrap over years (seeded; each group resampled on its own) and the interval level.

    Returns
    -------
    Estimates
        Rows ``"lagged"`` (prior <= ``split``), ``"led"`` (prior > ``split``) and
        ``"lagged minus led"``, in the vocabulary (``estimate`` = mean January return, or the
        difference; iid bootstrap over years, seeded), plus ``median`` and ``share_positive``.
        ``.data``: per year, ``january`` and ``prior`` (known at the end of December). The sentence
        gives the three rows.
    """
    check_int(prior_months, "prior_months", minimum=1, maximum=600)
    m = monthly.dropna().astype(float)
    jan = m[m.index.month == 1]
    decs = jan.index - pd.offsets.MonthEnd(1)
    prior = trailing_at(m, decs, prior_months)
    years = pd.DataFrame({"january": jan.to_numpy(), "prior": prior.to_numpy()},
                         index=pd.Index(jan.index.year, name="year")).dropna()
    lag = years.loc[years["prior"] <= split, "january"].to_numpy()
    led = years.loc[years["prior"] > split, "january"].to_numpy()
    if min(len(lag), len(led)) < 3:
        raise ParameterError(f"split {split} leaves {len(lag)} lagged and {len(led)} led years; need 3 of each")
    rows = {}
    rng = np.random.default_rng(int(seed))
    seeds = [int(v) for v in rng.integers(0, 2**32, size=2)]
    sims = {}
    for name, arr, s in (("lagged", lag, seeds[0]), ("led", led, seeds[1])):
        sims[name] = iid_bootstrap_means(arr, int(reps), s)  # = arch IIDBootstrap(arr, seed=s).apply(np.mean)
        rows[name] = (float(arr.mean()), sims[name], len(arr), float(np.median(arr)), float((arr > 0).mean()))
    diff = sims["lagged"] - sims["led"]
    rows["lagged minus led"] = (float(lag.mean() - led.mean()), diff, len(lag) + len(led), np.nan, np.nan)
    out = {}
    for name, (est, sim, n, med, pos) in rows.items():
        se = float(sim.std(ddof=1))
        out[name] = {"estimate": est, "std_err": se, "t": est / se if se > 0 else np.nan,
                     "p_value": _normal_p(est / se) if se > 0 else np.nan,
                     "ci_lower": float(np.percentile(sim, 100 * alpha / 2)),
                     "ci_upper": float(np.percentile(sim, 100 * (1 - alpha / 2))),
                     "nobs": int(n), "median": med, "share_positive": pos}
    table = pd.DataFrame(out).T.astype(float).astype({"nobs": int})
    table.index.name = "prior year"
    units = Units.returns("decimal relative return in January")
    t = table
    sentence = (f"In January after a year in which small caps lagged (trailing {prior_months}-month relative return "
                f"at or below {split:.0%} at the end of December) small minus large caps returned "
                f"{units.format(t.loc['lagged', 'estimate'])} on average ({t.loc['lagged', 'nobs']} years); after a "
                f"year they led, {units.format(t.loc['led', 'estimate'])} ({t.loc['led', 'nobs']} years). Lagged "
                f"minus led: {units.format(t.loc['lagged minus led', 'estimate'])} (95% CI "
                f"{units.interval(t.loc['lagged minus led', 'ci_lower'], t.loc['lagged minus led', 'ci_upper'])}); "
                "the tax-loss story predicts a positive difference.")
    return Estimates(table, Method(kind="bootstrap", bootstrap="iid", reps=int(reps), seed=int(seed), alpha=alpha,
                                   note="years resampled within each group"),
                     units=units,
                     title=f"January after a lagging (trailing {prior_months}-month return <= {split}) or leading year",
                     data=years, sentence=sentence)


def mean_path(paths: pd.DataFrame, *, reps: int = 2000, seed: int = 0, alpha: float = 0.05) -> pd.DataFrame:
    """Mean cumulative return path across years with a bootstrap band over years.

    Parameters
    ----------
    paths : pd.DataFrame
        Rows are years, columns trading-day offsets
        (:func:`rotation.studies.seasonality.turn_of_year_paths`), values daily decimal returns.

    Returns
    -------
    pd.DataFrame
        Per offset: ``estimate`` (mean cumulative return from the first offset, compounded),
        ``ci_lower``, ``ci_upper`` (percentiles of the same statistic over years resampled with
        replacement, ``arch.bootstrap.IIDBootstrap``, seeded), ``median`` and ``nobs`` (years).
    """
    if not isinstance(paths, pd.DataFrame) or paths.empty:
        raise ParameterError("paths must be a non-empty DataFrame of years x trading-day offsets")
    cum = np.expm1(np.log1p(paths.astype(float)).cumsum(axis=1)).dropna()
    arr = cum.to_numpy()
    sims = iid_bootstrap_means(arr, int(reps), int(seed))  # = arch IIDBootstrap.apply(lambda a: a.mean(axis=0))
    out = pd.DataFrame({
        "estimate": arr.mean(axis=0),
        "ci_lower": np.percentile(sims, 100 * alpha / 2, axis=0),
        "ci_upper": np.percentile(sims, 100 * (1 - alpha / 2), axis=0),
        "median": np.median(arr, axis=0),
        "nobs": len(arr),
    }, index=paths.columns)
    return out


def _window_length(windows: pd.DataFrame) -> int:
    """Trading days of the usual complete window (as :func:`window_study` measures it)."""
    return int(windows.loc[windows["complete"].astype(bool), "days"].mode().iloc[0])


def windows_by_era(relative: pd.DataFrame, windows: Mapping[str, pd.DataFrame], eras: Eras, reps: int, seed: int,
            like: Estimates) -> Estimates:
    """The relative row of :func:`window_study` inside each era, for each kind of window (>= 5 complete years).

    Each window belongs to the era of its January (:func:`rotation.studies.eras.era_of_years`) and is
    measured as in the whole sample (a window that starts in November of the era before is kept).
    ``relative``: daily returns with a ``relative`` column; ``like``: a result whose columns the table takes.
    """
    rows = {}
    frame = relative[["relative"]]
    for era in eras:
        for label, wins in windows.items():
            years = wins.index[(era_of_years(wins.index, eras) == era).to_numpy() & wins["complete"].astype(bool)]
            if len(years) >= 5:
                rows[(label, era)] = window_study(frame, wins, years=years, reps=reps, seed=seed).row("relative")
    index = pd.MultiIndex.from_tuples(list(rows), names=["window", "era"])
    table = pd.DataFrame(list(rows.values()), index=index, columns=like.table.columns).astype({"nobs": int})
    return Estimates(table, like.method,
                     Units.returns("decimal relative return over the window minus other windows of the same length"),
                     "Relative return, window minus other windows, by era")


def seasonal_windows(daily: pd.DataFrame, *, days_before: int = 5, days_after: int = 2, start_month: int = 11,
                     end_month: int = 1, eras: Eras | None = None,
                     reps: int = 2000, seed: int = 0) -> Results:
    """The Santa Claus window and the wider calendar window against every other window of the same length.

    Hirsch's Santa Claus window (the last ``days_before`` trading days of December and the first
    ``days_after`` of January, :func:`~rotation.studies.seasonality.year_end_windows`) and the window
    from the first trading day of ``start_month`` to the last of ``end_month``
    (:func:`~rotation.studies.seasonality.calendar_windows`), each compared by :func:`window_study`
    for the small, large and relative returns; then the relative comparison inside each era. The
    windows are fixed by the calendar in advance: choosing them uses no future data.

    Parameters
    ----------
    daily : pd.DataFrame
        Daily decimal returns with columns ``small``, ``large`` and ``relative`` (:func:`with_relative`).
    days_before, days_after : int
        The Santa Claus window (Hirsch: 5 and 2).
    start_month, end_month : int
        The wider window's first and last calendar month (11 and 1: November-January).
    eras : mapping, optional
        ``{label: (first, last)}`` inclusive date bounds (:func:`rotation.studies.eras.era_bounds`); each
        window belongs to the era of its January (:func:`rotation.studies.eras.era_of_years`); eras with
        fewer than 5 complete windows are left out. None: no era rows.
    reps, seed : int
        iid bootstrap over years (:func:`window_study`; each column has its own seed, ``seed + position``).

    Returns
    -------
    Results
        ``santa_claus`` and ``nov_jan`` (rows ``small``, ``large``, ``relative``) and ``by_era`` (rows:
        window ``"Santa Claus"`` / ``"Nov-Jan"`` and era; the relative return, as :func:`window_study` with
        the relative column alone). ``extra["incomplete"]``: windows the data do not cover fully, per
        window (left out). ``.data``: the daily returns. The sentence gives the relative rows.
    """
    frame = _relative_frame(daily)
    santa_w = year_end_windows(frame.index, days_before, days_after)
    nj_w = calendar_windows(frame.index, start_month, end_month)
    columns = ["small", "large", "relative"]
    santa = window_study(frame[columns], santa_w, reps=reps, seed=seed)
    novjan = window_study(frame[columns], nj_w, reps=reps, seed=seed)
    by_era = windows_by_era(frame, {"Santa Claus": santa_w, "Nov-Jan": nj_w}, eras or {}, reps, seed, santa)
    incomplete = {"santa_claus": int((~santa_w["complete"]).sum()), "nov_jan": int((~nj_w["complete"]).sum())}

    def words(result: Estimates, windows: pd.DataFrame) -> str:
        r = result.row("relative")
        n = _window_length(windows)
        return (f"small caps' relative return over the window exceeded that of all other {n}-day windows by "
                f"{_RETURN.format(r['estimate'])} on average (95% CI {_RETURN.interval(r['ci_lower'], r['ci_upper'])}; "
                f"{int(r['nobs'])} years), and small caps were ahead over the window in {r['share_positive']:.0%} of "
                f"years, against {r['share_positive_other']:.0%} of the other windows")

    eras_text = ", ".join(f"{era} {_RETURN.format(r['estimate'])}" for (w, era), r in by_era.table.iterrows()
                          if w == "Nov-Jan")
    sentence = (f"Santa Claus window (the last {days_before} trading days of December and the first {days_after} of "
                f"January): {words(santa, santa_w)}. From month {start_month} to month {end_month}: "
                f"{words(novjan, nj_w)}."
                + (f" The same difference by era, month {start_month} to month {end_month}: {eras_text}."
                   if eras_text else ""))
    return Results({"santa_claus": santa, "nov_jan": novjan, "by_era": by_era}, extra={"incomplete": incomplete},
                   title="Calendar windows against all other windows of the same length", sentence=sentence,
                   data=frame)


def turn_of_year(daily: pd.DataFrame, days_before: int = 10, days_after: int = 10, *, reps: int = 2000,
                 seed: int = 0, alpha: float = 0.05) -> Estimates:
    """Mean cumulative relative return around the year end, with a bootstrap band over years.

    The tax-loss story predicts that small caps lag into the last days of December and rebound in
    the first days of January. Daily relative returns from ``days_before`` trading days before the
    year end to ``days_after`` after (:func:`~rotation.studies.seasonality.turn_of_year_paths`; years
    the data do not cover are left out), compounded from the first day and averaged over years
    (:func:`mean_path`).

    Parameters
    ----------
    daily : pd.DataFrame
        Daily decimal returns with a ``relative`` column (:func:`with_relative`).
    days_before, days_after : int
        Trading days before and after the year end (1 to 60).
    reps, seed, alpha
        iid bootstrap over years (whole paths), seeded; the band's level is ``1 - alpha``.

    Returns
    -------
    Estimates
        One row per trading day (-``days_before`` .. -1, 1 .. ``days_after``; -1 is the last of
        December, +1 the first of January): ``estimate`` = mean cumulative relative return,
        ``ci_lower``/``ci_upper`` = the pointwise band, ``nobs`` = years, ``median``. ``.data``: the
        daily paths (years x trading days).
    """
    frame = _relative_frame(daily)
    paths = turn_of_year_paths(frame["relative"], days_before, days_after)
    path = mean_path(paths, reps=reps, seed=seed, alpha=alpha)
    table = pd.DataFrame({"estimate": path["estimate"], "std_err": _NAN, "t": _NAN, "p_value": _NAN,
                          "ci_lower": path["ci_lower"], "ci_upper": path["ci_upper"], "nobs": path["nobs"],
                          "median": path["median"]}, index=path.index).astype({"nobs": int})
    est = table["estimate"]
    low = est.idxmin()
    last_dec, last = est.loc[-1], est.iloc[-1]
    band = _RETURN.interval(table["ci_lower"].iloc[-1], table["ci_upper"].iloc[-1])
    sentence = (f"Over {table['nobs'].iloc[0]} year ends, measured from {days_before} trading days before the year "
                f"end, the mean cumulative relative return of small over large caps was {_RETURN.format(est.loc[low])} "
                f"at its low (day {low}) and {_RETURN.format(last_dec)} on the last trading day of December, then "
                f"{_RETURN.format(last)} after {days_after} trading days of January (95% band {band}): "
                f"{_RETURN.format((1 + last) / (1 + last_dec) - 1)} over the first {days_after} trading days of the "
                "year.")
    return Estimates(table, Method(kind="bootstrap", bootstrap="iid", reps=int(reps), seed=int(seed), alpha=alpha,
                                   note="whole years resampled; pointwise percentile band"),
                     Units.returns(f"decimal cumulative relative return from {days_before} trading days before the "
                                   "year end"),
                     "Cumulative relative return around the year end", extra={"n_years": int(len(paths))},
                     data=paths, sentence=sentence)


def _spread(x: pd.Series) -> dict[str, float]:
    """The median of ``x`` as the estimate, its quartiles and the share of positive values."""
    return {"estimate": x.median(), "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN, "ci_upper": _NAN,
            "nobs": len(x), "q25": x.quantile(0.25), "q75": x.quantile(0.75), "share_positive": (x > 0).mean()}


def window_outlook(daily: pd.DataFrame, monthly: pd.Series, *, start_month: int = 11, end_month: int = 1,
                   prior_months: int = 12) -> Estimates:
    """The next calendar window after the data, and what the same window returned in past years.

    All past complete windows from the first trading day of ``start_month`` to the last of
    ``end_month``; then the years whose trailing ``prior_months``-month relative return at the day
    before the window started was in the same tercile of those years as today's (the return to the
    last month of ``monthly``). The conditioning return of a past year is known before its window
    starts.

    Parameters
    ----------
    daily : pd.DataFrame
        Daily decimal returns with a ``relative`` column (:func:`with_relative`).
    monthly : pd.Series
        Monthly decimal relative returns (the trailing return is compounded from them).
    start_month, end_month : int
        The window's first and last calendar month.
    prior_months : int
        Months of the trailing relative return.

    Returns
    -------
    Estimates
        Rows ``"all years"`` and ``"similar prior year (<tercile> tercile)"``: ``estimate`` = the median
        window return over those years, ``nobs`` = years, ``q25``, ``q75`` and ``share_positive``.
        ``extra``: ``next_window_start_year``, ``next_window_end_year``, ``trailing_prior`` (today's
        trailing return), ``tercile`` and ``as_of`` (its month).
    """
    frame = _relative_frame(daily)
    check_int(prior_months, "prior_months", minimum=1, maximum=600)
    if not isinstance(monthly, pd.Series) or not isinstance(monthly.index, pd.DatetimeIndex) or monthly.empty:
        raise ParameterError(f"monthly must be a non-empty Series of monthly relative returns with a DatetimeIndex; "
                             f"got {type(monthly).__name__}")
    windows = calendar_windows(frame.index, start_month, end_month)
    last = frame.index[-1]
    next_end_year = last.year + 1 if last.month >= start_month or last.month > end_month else last.year
    hist = window_returns(frame[["relative"]], windows)
    hist = hist[hist["complete"]]["relative"]
    prior = trailing_at(monthly, windows.loc[hist.index, "start"] - pd.Timedelta(days=1), prior_months)
    prior.index = hist.index
    today_prior = float(trailing_at(monthly, pd.DatetimeIndex([monthly.index[-1]]), prior_months).iloc[0])
    labels = ["bottom", "middle", "top"]
    terc = pd.qcut(prior, 3, labels=labels)
    today_terc = pd.cut([today_prior], [-np.inf, prior.quantile(1 / 3), prior.quantile(2 / 3), np.inf],
                        labels=labels)[0]
    similar = hist[terc == today_terc]
    table = pd.DataFrame({"all years": _spread(hist), f"similar prior year ({today_terc} tercile)": _spread(similar)}).T
    table = table.astype(float).astype({"nobs": int})
    start_year = next_end_year - (1 if end_month < start_month else 0)
    extra = {"next_window_start_year": start_year, "next_window_end_year": next_end_year,
             "trailing_prior": today_prior, "tercile": str(today_terc), "as_of": monthly.index[-1]}
    a, s = table.iloc[0], table.iloc[1]
    sentence = (f"Next window: month {start_month} of {start_year} to month {end_month} of {next_end_year}. Trailing "
                f"{prior_months}-month relative return at {monthly.index[-1]:%Y-%m}: {today_prior:+.1%} (the "
                f"{today_terc} tercile of past years). In all {int(a['nobs'])} past years the window's relative return "
                f"had a median of {_RETURN.format(a['estimate'])} and was positive in {a['share_positive']:.0%} of "
                f"them; in the {int(s['nobs'])} years with a similar prior year, a median of "
                f"{_RETURN.format(s['estimate'])}, "
                f"positive in {s['share_positive']:.0%}.")
    return Estimates(table, Method(kind="descriptive", note="estimate: the median over years; q25 and q75: its "
                                                            "quartiles; a similar year's trailing return was in "
                                                            "today's tercile"),
                     Units.returns("decimal relative return over the window (median over years)"),
                     "The next window: what the same window returned in past years", extra=extra,
                     sentence=sentence)
