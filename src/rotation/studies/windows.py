"""Event windows: cumulative return paths around event dates, and their mean with bootstrap bands.

Conventions
-----------
* ``returns`` are decimal simple returns on a regular period-end calendar (monthly
  returns stamped at the month end, weekly on the Friday): the value at ``t`` covers the
  period ending at ``t``.
* **Relative period 0 is the period that contains the event date**: the first index
  date on or after the event (for monthly data, the event's month). A path is
  normalised to 0 at the **end** of period 0, so period 0's own return shows up in the
  step from -1 to 0 and the "after" part (``k > 0``) starts with the next period.
* Invalid arguments raise :class:`rotation.errors.ParameterError`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.bootstrap import iid_bootstrap_means
from rotation.stats.checks import check_int, check_real, check_returns
from rotation.stats.results import VOCABULARY, Estimates, Method
from rotation.stats.units import Units

__all__ = ["event_window_paths", "mean_path_with_bands"]


def event_window_paths(
    returns: pd.Series,
    event_dates: Iterable[object],
    before: int,
    after: int,
) -> pd.DataFrame:
    """Cumulative (compounded) return around each event, normalised to 0 at the end of the event period.

    Parameters
    ----------
    returns : pd.Series
        Decimal simple returns with a sorted, unique ``DatetimeIndex`` of period ends.
    event_dates : iterable of date-like
        Event dates (any day; distinct).
    before, after : int
        Periods shown before and after the event period (>= 0).

    Returns
    -------
    pd.DataFrame
        Index ``relative_period`` = ``-before..after``; one column per kept event, labelled
        by the event date. With ``p`` the position of the period containing the event and
        ``W`` the wealth index of ``returns``, the value at ``k`` is
        ``W_{p+k} / W_p - 1``: for ``k > 0`` the return compounded over periods
        ``p+1..p+k``; for ``k < 0`` ``1 / prod_{s=p+k+1..p}(1 + r_s) - 1`` (how far below
        the event-period level the wealth stood ``-k`` periods earlier); 0 at ``k = 0``.
        ``attrs`` holds ``n_events`` (given), ``n_dropped`` and ``dropped`` (dates of the
        events whose window runs outside the data or contains a NaN return), and
        ``event_periods`` (event date -> the index date of period 0).

    Notes
    -----
    An event is kept when ``p - before >= 0`` and ``p + after <= len(returns) - 1`` and the
    returns ``p-before+1..p+after`` are all non-NaN. An event after the last period end
    has no containing period and is dropped too.
    """
    check_returns(returns, "returns", allow_frame=False)
    if not isinstance(returns.index, pd.DatetimeIndex):
        raise ParameterError(f"returns must have a DatetimeIndex; got {type(returns.index).__name__}")
    b = check_int(before, "before", minimum=0)
    a = check_int(after, "after", minimum=0)
    try:
        dates = pd.DatetimeIndex(pd.to_datetime(list(event_dates)))
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"event_dates must be dates; got {event_dates!r}") from exc
    if dates.has_duplicates:
        raise ParameterError(f"event_dates must be distinct; got duplicate {dates[dates.duplicated()][0].date()}")
    dates = dates.sort_values()
    r = returns.to_numpy(dtype=float)
    idx = returns.index
    rel = np.arange(-b, a + 1)
    cols: dict[pd.Timestamp, np.ndarray] = {}
    dropped: list[pd.Timestamp] = []
    periods: dict[pd.Timestamp, pd.Timestamp] = {}
    for d in dates:
        p = int(idx.searchsorted(d, side="left"))
        if p >= len(idx) or p - b < 0 or p + a > len(idx) - 1:
            dropped.append(d)
            continue
        seg = r[p - b + 1: p + a + 1]
        if np.isnan(seg).any():
            dropped.append(d)
            continue
        logw = np.concatenate([[0.0], np.cumsum(np.log1p(seg))])  # log W at positions p-b .. p+a
        path = np.expm1(logw - logw[b])
        cols[d] = path
        periods[d] = idx[p]
    out = pd.DataFrame(cols, index=pd.Index(rel, name="relative_period"))
    out.columns.name = "event"
    out.attrs = {"n_events": len(dates), "n_dropped": len(dropped), "dropped": dropped, "event_periods": periods}
    return out


def mean_path_with_bands(
    paths: pd.DataFrame,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
    min_events: int = 2,
    units: Units = Units.returns("decimal cumulative return since the end of the event period"),
    title: str = "Mean path around events",
) -> Estimates:
    """Mean event path with an iid bootstrap band over events.

    Parameters
    ----------
    paths : pd.DataFrame
        Output of :func:`event_window_paths` (rows: relative periods; columns: events).
    reps : int, default 2000
    alpha : float, default 0.05
        Band level ``1 - alpha``.
    seed : int, default 0
        ``arch.bootstrap.IIDBootstrap(seed=...)``: same seed, same band.
    min_events : int, default 2
        Fewer events than this (>= 2) give a NaN band: resampling two or three paths
        only reshuffles them and its percentiles are not a meaningful interval.

    units : Units
    title : str
        Stored on the result.

    Returns
    -------
    Estimates
        ``.table`` with the same index as ``paths`` (``relative_period``): ``estimate`` =
        mean across events, ``ci_lower``/``ci_upper`` = pointwise ``alpha/2`` and
        ``1-alpha/2`` percentiles of the mean over ``reps`` resamples of whole event paths
        (with replacement), ``std_err`` = standard deviation of those resampled means,
        ``t``/``p_value`` NaN, ``nobs`` = events. With fewer than ``min_events`` events
        the band (and ``std_err``) is NaN; with none every column but ``nobs`` is NaN.

    Notes
    -----
    Events (whole paths) are resampled independently, which suits events far enough
    apart that their windows barely overlap (e.g. Fed cycles). With few events the band
    is wide and its coverage rough.
    """
    if not isinstance(paths, pd.DataFrame):
        raise ParameterError(f"paths must be a pandas DataFrame; got {type(paths).__name__}")
    r = check_int(reps, "reps", minimum=1)
    al = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    s = check_int(seed, "seed", minimum=0)
    me = check_int(min_events, "min_events", minimum=2)
    arr = paths.to_numpy(dtype=float).T  # events x periods
    n = arr.shape[0]
    out = pd.DataFrame(index=paths.index, columns=list(VOCABULARY), dtype=float)
    out["nobs"] = n
    method = Method(kind="bootstrap", bootstrap="iid", block_size=1, reps=r, seed=s, alpha=al,
                    note=f"whole event paths resampled, pointwise percentiles; no band with fewer than {me} events")
    if n == 0:
        return Estimates(out.astype({"nobs": int}), method, units, title)
    if np.isnan(arr).any():
        raise ParameterError("paths must not contain NaN; build them with event_window_paths")
    out["estimate"] = arr.mean(axis=0)
    if n >= me:
        stats = iid_bootstrap_means(arr, r, s)  # = arch IIDBootstrap(arr, seed=s).apply(lambda x: x.mean(axis=0))
        out["ci_lower"] = np.percentile(stats, 100 * al / 2, axis=0)
        out["ci_upper"] = np.percentile(stats, 100 * (1 - al / 2), axis=0)
        if r > 1:
            out["std_err"] = np.std(stats, axis=0, ddof=1)
    return Estimates(out.astype({"nobs": int}), method, units, title)
