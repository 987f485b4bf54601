"""Calendar effects, the building blocks: windows from the data's own calendar and month-of-year statistics.

* Windows: :func:`year_end_windows` (Hirsch's Santa Claus window), :func:`calendar_windows` (e.g.
  November-January), their compounded returns (:func:`window_returns`), every other window of the
  same length (:func:`same_length_windows`, :func:`year_differences`), the turn-of-year paths
  (:func:`turn_of_year_paths`) and the trailing return known at a date (:func:`trailing_at`).
* Months: :func:`month_of_year_means`, :func:`dummy_effect`, :func:`by_era`,
  :func:`rolling_month_effect`.

The studies notebook 04 calls are built on these: :mod:`rotation.studies.calendar` (the month of
the year, the January effect) and :mod:`rotation.studies.year_end` (the windows against all other
windows, the turn of the year, January after the prior year, the next window).

Conventions
-----------
* Returns are **decimal simple returns** of the period ending at the index date (the data
  layer's contract); a window's return is the compounded product of its daily returns.
* **Trading days come from the data's own calendar** (the dates present in the index): no
  holiday list is hard-coded. A window is defined by positions in that calendar, e.g. the
  last five trading days of December and the first two of January (Hirsch's Santa Claus
  rally).
* A window that the data do not cover fully (the sample starts or ends inside it, or a day in
  it has a missing return) is **flagged** (``complete = False``) and left out of statistics
  unless asked otherwise; it is never silently shortened.
* Calendar windows are known in advance, so selecting them uses no future data; a
  *conditional* split (e.g. by the trailing 12-month relative return at the end of December)
  uses only returns dated at or before the split date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.compound import compound
from rotation.stats.hac import coefficients, hac_fit
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units
from rotation.studies.eras import Eras, era_of_dates

__all__ = [
    "year_end_windows",
    "calendar_windows",
    "window_returns",
    "turn_of_year_paths",
    "same_length_windows",
    "trailing_at",
    "MONTHS",
    "month_dummies",
    "year_differences",
    "month_of_year_means",
    "dummy_effect",
    "by_era",
    "rolling_month_effect",
]


def _check_daily_index(index: object, name: str = "index") -> pd.DatetimeIndex:
    if not isinstance(index, pd.DatetimeIndex):
        raise ParameterError(f"{name} must be a DatetimeIndex of trading days; got {type(index).__name__}")
    if not index.is_monotonic_increasing or not index.is_unique:
        raise ParameterError(f"{name} must be sorted and unique (one row per trading day)")
    return index


def year_end_windows(index: pd.DatetimeIndex, days_before: int = 5, days_after: int = 2) -> pd.DataFrame:
    """The windows around each year end: the last ``days_before`` trading days of December and the
    first ``days_after`` trading days of January, from the data's own calendar.

    Parameters
    ----------
    index : pd.DatetimeIndex
        Trading days (the dates of a daily return series).
    days_before : int, default 5
        Trading days at the end of December (0 to 60).
    days_after : int, default 2
        Trading days at the start of January (0 to 60). At least one of the two is positive.

    Returns
    -------
    pd.DataFrame
        One row per year end, indexed by the January year (``"year"``: the window ending in
        January 1951 is 1951), with columns ``start`` and ``end`` (first and last trading day of
        the window), ``days`` (trading days found) and ``complete`` (the data cover every day:
        December has at least ``days_before`` days at or after its first trading day in the data,
        and the data go past December 31; January has at least ``days_after`` days and the data
        started before January 1). Missing returns inside a window are flagged by
        :func:`window_returns`.
    """
    idx = _check_daily_index(index)
    before = check_int(days_before, "days_before", minimum=0, maximum=60)
    after = check_int(days_after, "days_after", minimum=0, maximum=60)
    if before + after == 0:
        raise ParameterError("days_before and days_after are both 0: the window would be empty; use e.g. 5 and 2")
    if len(idx) == 0:
        return pd.DataFrame(columns=["start", "end", "days", "complete"]).rename_axis("year")
    first, last = idx[0], idx[-1]
    years, months = idx.year.to_numpy(), idx.month.to_numpy()  # once, not per year
    rows = []
    for y in range(first.year, last.year + 2):
        dec = idx[(years == y - 1) & (months == 12)]
        jan = idx[(years == y) & (months == 1)]
        days = list(dec[len(dec) - before:] if before else []) + list(jan[:after])
        if not days:
            continue
        # the last days of December are known once the data go past December 31;
        # the first days of January once the data started before January 1
        dec_ok = before == 0 or (len(dec) >= before and last > pd.Timestamp(y - 1, 12, 31))
        jan_ok = after == 0 or (len(jan) >= after and first < pd.Timestamp(y, 1, 1))
        rows.append({"year": y, "start": days[0], "end": days[-1], "days": len(days),
                     "complete": bool(dec_ok and jan_ok)})
    return pd.DataFrame(rows).set_index("year")


def calendar_windows(index: pd.DatetimeIndex, start_month: int = 11, end_month: int = 1) -> pd.DataFrame:
    """Windows from the first trading day of ``start_month`` to the last of ``end_month`` (may span a year end).

    ``calendar_windows(idx, 11, 1)`` gives the November-January windows, indexed by the year in
    which they end. A window is complete when the data start before its first calendar month and
    continue past its last (conservative: a sample ending on the window's last trading day is flagged).
    """
    idx = _check_daily_index(index)
    for name, m in (("start_month", start_month), ("end_month", end_month)):
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 1 <= int(m) <= 12:
            raise ParameterError(f"{name} must be a month number 1-12; got {m!r}")
    span = (int(end_month) - int(start_month)) % 12  # months after the first
    rows = []
    if len(idx) == 0:
        return pd.DataFrame(columns=["start", "end", "days", "complete"]).rename_axis("year")
    for y in range(idx[0].year, idx[-1].year + 2):
        end_first = pd.Timestamp(y, int(end_month), 1)
        begin = end_first - pd.DateOffset(months=span)
        stop = end_first + pd.offsets.MonthEnd(0)
        days = idx[(idx >= begin) & (idx <= stop)]
        if len(days) == 0:
            continue
        complete = bool(idx[0] < begin and idx[-1] > stop)
        rows.append({"year": y, "start": days[0], "end": days[-1], "days": len(days), "complete": complete})
    return pd.DataFrame(rows).set_index("year")


def window_returns(returns: pd.DataFrame | pd.Series, windows: pd.DataFrame) -> pd.DataFrame:
    """Compounded return of each window, per column; NaN (and ``complete = False``) if any day is missing.

    Parameters
    ----------
    returns : pd.Series or pd.DataFrame
        Daily decimal returns, indexed by trading day.
    windows : pd.DataFrame
        From :func:`year_end_windows` or :func:`calendar_windows` (``start``, ``end``, ``complete``).

    Returns
    -------
    pd.DataFrame
        Indexed like ``windows``: one column per return column (compounded over the window), plus
        ``complete`` (the window's flag and no missing return inside it) and ``days``.
    """
    frame = returns.to_frame() if isinstance(returns, pd.Series) else returns
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"returns must be a pandas Series or DataFrame; got {type(returns).__name__}")
    for col in ("start", "end", "complete"):
        if col not in windows:
            raise ParameterError(f"windows must have columns start, end, complete (from year_end_windows); "
                                 f"missing {col!r}")
    log = np.log1p(frame.astype(float))
    pos = frame.index
    rows = {}
    for key, w in windows.iterrows():
        a, b = pos.searchsorted(w["start"]), pos.searchsorted(w["end"])
        seg = log.iloc[a:b + 1]
        missing = bool(seg.isna().any().any()) or b >= len(pos) or pos[b] != w["end"]
        vals = np.expm1(seg.sum(skipna=False)) if not missing else pd.Series(np.nan, index=frame.columns)
        rows[key] = {**vals.to_dict(), "days": len(seg), "complete": bool(w["complete"]) and not missing}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = windows.index.name
    return out


def same_length_windows(returns: pd.Series, length: int, exclude: pd.DataFrame | None = None) -> pd.Series:
    """Compounded returns of every ``length``-day window (rolling, by end date), optionally excluding
    windows that overlap the rows of ``exclude`` (a windows table) -- the benchmark "all other windows
    of the same length".
    """
    n = check_int(length, "length", minimum=1, maximum=400)
    r = returns.astype(float)
    roll = compound(r, n).dropna()
    if exclude is not None and len(exclude):
        idx = r.index
        keep = np.ones(len(roll), dtype=bool)
        ends = idx.get_indexer(roll.index)
        for _, w in exclude.iterrows():
            a, b = idx.searchsorted(w["start"]), idx.searchsorted(w["end"])
            # a rolling window ending at e covers [e-n+1, e]; it overlaps [a, b] when e >= a and e-n+1 <= b
            keep &= ~((ends >= a) & (ends - n + 1 <= b))
        roll = roll[keep]
    return roll


def turn_of_year_paths(returns: pd.Series, days_before: int = 10, days_after: int = 10) -> pd.DataFrame:
    """Daily returns around each year end by trading-day offset.

    Offset -1 is the last trading day of December, +1 the first of January (there is no 0).

    Returns
    -------
    pd.DataFrame
        Rows: January years; columns: offsets ``-days_before..-1, 1..days_after``. A year whose
        window the data do not cover is left out (not padded).
    """
    before = check_int(days_before, "days_before", minimum=1, maximum=60)
    after = check_int(days_after, "days_after", minimum=1, maximum=60)
    idx = _check_daily_index(returns.index, "returns.index")
    wins = year_end_windows(idx, before, after)
    wins = wins[wins["complete"]]
    offsets = [*range(-before, 0), *range(1, after + 1)]
    out = {}
    for y, w in wins.iterrows():
        a = idx.searchsorted(w["start"])
        vals = returns.iloc[a:a + before + after].to_numpy(dtype=float)
        if len(vals) == before + after:
            out[y] = vals
    frame = pd.DataFrame.from_dict(out, orient="index", columns=offsets)
    frame.index.name = "year"
    frame.columns.name = "trading day"
    return frame


def trailing_at(returns: pd.Series, dates: pd.DatetimeIndex | pd.Series, periods: int) -> pd.Series:
    """Compounded return over the ``periods`` observations ending at (or last before) each date.

    Uses only returns dated at or before each date (the conditioning variable of a split made at
    that date). NaN where fewer than ``periods`` observations exist.
    """
    n = check_int(periods, "periods", minimum=1, maximum=10_000)
    r = returns.astype(float)
    roll = compound(r, n)
    d = pd.DatetimeIndex(dates)
    pos = r.index.searchsorted(d, side="right") - 1
    vals = np.where(pos >= 0, roll.to_numpy()[np.clip(pos, 0, None)], np.nan)
    return pd.Series(vals, index=d, name=f"trailing_{n}")


# --------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_dummies(index: pd.DatetimeIndex) -> pd.DataFrame:
    """12 indicator columns ``Jan..Dec`` (float 0/1) for a monthly index."""
    idx = _check_daily_index(index, "index")
    return pd.DataFrame({m: (idx.month == i + 1).astype(float) for i, m in enumerate(MONTHS)}, index=idx)


def year_differences(window: pd.Series, others: pd.Series, window_ends: pd.Series) -> pd.Series:
    """Per year: the window's return minus the mean return of the other same-length windows that end
    in the 12 months up to that window's end (the same year's benchmark, so slow-moving level
    differences between decades cancel).

    Parameters
    ----------
    window : pd.Series
        Window returns indexed by year (e.g. :func:`window_returns` column).
    others : pd.Series
        Same-length window returns indexed by end date (:func:`same_length_windows` with ``exclude``).
    window_ends : pd.Series
        End date of each year's window, indexed by year.
    """
    out = {}
    ends = others.index
    ordered = ends.is_monotonic_increasing  # then each year's benchmark is one slice, found by bisection
    for y, end in window_ends.items():
        if y not in window.index or not np.isfinite(window.loc[y]):
            continue
        if ordered:
            seg = others.iloc[ends.searchsorted(end - pd.DateOffset(years=1), side="right"):
                              ends.searchsorted(end, side="right")]
        else:
            seg = others[(ends > end - pd.DateOffset(years=1)) & (ends <= end)]
        if len(seg):
            out[y] = float(window.loc[y]) - float(seg.mean())
    return pd.Series(out, name="window minus other windows", dtype=float).rename_axis("year")


def month_of_year_means(returns: pd.Series, maxlags: int = 12, alpha: float = 0.05) -> Estimates:
    """Mean return by calendar month from a regression on 12 month dummies (no constant), HAC errors,
    and a joint Wald test that all 12 means are equal.

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal returns (e.g. small-minus-large), month-end dates.
    maxlags : int
        Newey-West lags (statsmodels ``cov_type="HAC"``, ``maxlags``).

    Returns
    -------
    Estimates
        Rows ``Jan..Dec`` in the vocabulary (+ ``median``, ``share_positive``); ``extra["joint_test"]``:
        ``{"statistic", "df", "p_value", "test"}`` of H0: all months equal (Wald chi-square with the
        HAC covariance).
    """
    y = returns.dropna().astype(float)
    if len(y) < 24:
        raise ParameterError(f"returns has {len(y)} monthly observations; need at least 24 (two of each month)")
    X = month_dummies(pd.DatetimeIndex(y.index))
    fit = hac_fit(y, X, maxlags)
    table = coefficients(fit, alpha).assign(nobs=X.sum().astype(int))
    grouped = y.groupby(y.index.month)
    table["median"] = grouped.median().set_axis(MONTHS).reindex(table.index)
    table["share_positive"] = grouped.apply(lambda s: float((s > 0).mean())).set_axis(MONTHS).reindex(table.index)
    R = np.zeros((11, 12))
    for i in range(11):
        R[i, i], R[i, 11] = 1.0, -1.0
    w = fit.wald_test(R, scalar=True, use_f=False)
    joint = {"statistic": float(w.statistic), "df": 11, "p_value": float(w.pvalue),
             "test": f"Wald chi2(11), H0: all 12 monthly means equal; HAC covariance, {int(maxlags)} lags"}
    table["nobs"] = table["nobs"].astype(int)
    return Estimates(table, Method(kind="HAC", cov_type="HAC", lags=int(maxlags), alpha=alpha),
                     units=Units.returns("decimal return per month"), title="mean return by calendar month",
                     extra={"joint_test": joint})


def dummy_effect(returns: pd.Series, dummy: pd.Series, maxlags: int = 12, alpha: float = 0.05) -> pd.Series:
    """``returns = a + b * dummy + e``: ``b`` (the dummy periods' mean minus the others') with HAC errors.

    Returns one row (pd.Series) in the vocabulary, plus ``n_dummy`` and ``mean_other``.
    """
    import statsmodels.api as sm

    data = pd.concat({"y": returns.astype(float), "d": dummy.astype(float)}, axis=1).dropna()
    if data["d"].nunique() < 2:
        raise ParameterError("dummy is constant on the sample: nothing to compare")
    fit = hac_fit(data["y"], sm.add_constant(data["d"]), maxlags)
    row = coefficients(fit, alpha).loc["d"].astype(float)
    return pd.concat([row, pd.Series({"nobs": int(len(data)), "n_dummy": int(data["d"].sum()),
                                      "mean_other": float(fit.params["const"])})])


def by_era(returns: pd.Series, dummy: pd.Series, eras: Eras, maxlags: int = 12, alpha: float = 0.05) -> Estimates:
    """:func:`dummy_effect` on the full sample and in each era (``{"1926-1981": (None, "1981-12-31"), ...}``,
    inclusive bounds, each month in one era: :func:`rotation.studies.eras.era_of_dates`); eras with fewer than
    24 months are left out. Rows: ``"full sample"``, then the eras."""
    rows = {"full sample": dummy_effect(returns, dummy, maxlags, alpha)}
    labels = era_of_dates(returns.index, eras).to_numpy()
    for name in eras:
        sel = returns[labels == name]
        if sel.dropna().shape[0] >= 24:
            rows[name] = dummy_effect(sel, dummy.reindex(sel.index), maxlags, alpha)
    table = pd.DataFrame(rows).T.rename_axis("sample").astype(float).astype({"nobs": int, "n_dummy": int})
    return Estimates(table, Method(kind="HAC", cov_type="HAC", lags=int(maxlags), alpha=alpha),
                     units=Units.returns("decimal return per month, dummy periods minus the others"),
                     title="dummy periods minus other periods, by era")


def rolling_month_effect(monthly: pd.Series, years: int = 20, month: int = 1) -> pd.Series:
    """Rolling ``years``-year mean of (``month``'s return minus the mean of the other months), by year.

    Each year contributes its ``month`` return minus the mean of its other months with data; the
    rolling mean needs ``years`` complete years. Indexed by the last year of each window.
    """
    n = check_int(years, "years", minimum=2, maximum=200)
    m = monthly.dropna().astype(float)
    frame = pd.DataFrame({"r": m.to_numpy(), "year": m.index.year, "is_month": m.index.month == int(month)})
    target = frame[frame["is_month"]].groupby("year")["r"].mean()
    other = frame[~frame["is_month"]].groupby("year")["r"].mean()
    per_year = (target - other).dropna()
    return per_year.rolling(n, min_periods=n).mean().dropna().rename(f"{MONTHS[int(month) - 1]} minus other months")
