"""Outcome studies: what followed events. These functions LOOK AHEAD BY DESIGN.

They describe what happened after each event (forward returns, false breakouts,
givebacks, round-number episodes) and therefore use data after the event date. That is
legitimate for measuring outcomes, never for building a signal: signals known at ``t``
live in :mod:`rotation.studies.signals`.

Alignment
---------
* An event at ``t`` is known at the close of ``t`` (a signal from :mod:`rotation.studies.signals`).
* A **forward return at t** covers ``t+1 .. t+horizon``
  (:func:`rotation.studies.returns.forward_returns`): it starts after the close of ``t``, so
  acting on a signal at ``t`` and measuring the forward return stamped ``t`` is free of
  look-ahead in the *decision*; the outcome itself is future data.
* Events whose follow-up window is incomplete (runs past the data) are excluded and
  counted (``n_incomplete`` / ``n_excluded``), not silently dropped.
* :func:`event_study` returns a :class:`rotation.stats.results.Estimates` (one row per horizon).
* Invalid arguments raise :class:`rotation.errors.ParameterError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.bootstrap import iid_bootstrap_means, stationary_bootstrap_means
from rotation.stats.checks import (
    check_events,
    check_int,
    check_pandas,
    check_positive_levels,
    check_real,
    check_returns,
)
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units
from rotation.studies.returns import forward_returns
from rotation.studies.signals import breakout_reference

__all__ = [
    "event_study",
    "false_breakout_rate",
    "giveback",
    "level_episodes",
]


def _outcome_rate(ev: pd.DataFrame, flag: str, units: Units, title: str) -> Estimates:
    """The share of events with ``flag`` among those whose window is complete (``complete``), as one row:
    ``estimate`` = the rate (NaN when no event is complete), ``nobs`` = complete events, ``n_excluded``;
    ``.data`` = every event."""
    ev["complete"] = ev["complete"].astype(bool)
    ev[flag] = ev[flag].astype("boolean")
    done = ev.loc[ev["complete"], flag]
    n = int(len(done))
    rate = float(done.astype(bool).mean()) if n else float("nan")
    row = {"estimate": rate, "std_err": np.nan, "t": np.nan, "p_value": np.nan, "ci_lower": np.nan,
           "ci_upper": np.nan, "nobs": n, "n_excluded": int(len(ev) - n)}
    return Estimates(pd.DataFrame([row], index=pd.Index(["rate"], name="statistic")), Method(kind="descriptive"),
                     units, title, data=ev)


def false_breakout_rate(
    level: pd.Series,
    signals: pd.Series,
    k: int,
    *,
    lookback: int | None = None,
    rule: Literal["high", "ma"] = "high",
    reference: pd.Series | None = None,
) -> Estimates:
    """Share of breakouts that fall back below the level they broke within ``k`` periods.

    Parameters
    ----------
    level : pd.Series
        The level the signals were computed on.
    signals : pd.Series of bool
        Breakout dates (e.g. ``merge_episodes(breakout_signals(level, N), gap)``).
    k : int
        Follow-up window in periods (>= 1): ``t+1 .. t+k``.
    lookback, rule : optional
        Recompute the breakout reference ``L_t`` with :func:`breakout_reference`
        (the prior high or the MA at ``t``). Give these **or** ``reference``.
    reference : pd.Series, optional
        ``L_t`` directly (same index as ``level``).

    Returns
    -------
    Estimates
        One row (``"rate"``): ``estimate`` = false breakouts / ``nobs``; ``nobs`` = events with a full
        ``k``-period follow-up; ``n_excluded`` = events too close to the end of the data.
        ``.data`` (the events) is indexed by signal date with columns ``breakout_level`` (``L_t``),
        ``level`` (level at ``t``), ``complete`` (bool), ``false_breakout``
        (boolean, NA when incomplete), ``first_below`` (first date in ``t+1..t+k``
        with ``level < L_t``, else NaT), ``periods_to_fail`` (float, NaN if none).
        Unpacks as ``rate, n, events``.

    Notes
    -----
    ``L_t`` is frozen at the signal date: for the MA rule the test is against the MA
    value that was crossed, not the moving MA afterwards. NaN levels in the window
    never count as falling below.
    """
    check_pandas(level, "level", allow_frame=False)
    kk = check_int(k, "k", minimum=1)
    if (reference is None) == (lookback is None):
        raise ParameterError(
            f"give exactly one of lookback or reference; got lookback={lookback!r}, "
            f"reference={'None' if reference is None else 'a Series'}"
        )
    if reference is None:
        ref = breakout_reference(level, lookback, rule)  # type: ignore[arg-type]
    else:
        check_pandas(reference, "reference", allow_frame=False)
        if not reference.index.equals(level.index):
            raise ParameterError("reference must have the same index as level; reindex it first")
        ref = reference
    pos = check_events(signals, level.index, "signals")
    x = level.to_numpy(dtype=float)
    r = ref.to_numpy(dtype=float)
    n_obs = len(x)
    rows = []
    for p in pos:
        complete = p + kk <= n_obs - 1
        window = x[p + 1 : p + kk + 1]
        below = np.flatnonzero(window < r[p])
        hit = below.size > 0
        rows.append(
            {
                "breakout_level": r[p],
                "level": x[p],
                "complete": complete,
                "false_breakout": hit if complete else pd.NA,
                "first_below": level.index[p + 1 + below[0]] if hit else pd.NaT,
                "periods_to_fail": float(below[0] + 1) if hit else np.nan,
            }
        )
    cols = ["breakout_level", "level", "complete", "false_breakout", "first_below", "periods_to_fail"]
    # A failure already seen in a short window is still excluded: the rate uses complete windows only.
    return _outcome_rate(pd.DataFrame(rows, columns=cols, index=level.index[pos]), "false_breakout",
                         Units.share("share of breakouts that fell back below their level within k periods"),
                         "false-breakout rate")


def giveback(
    level_or_wealth: pd.Series,
    events: pd.Series,
    move_window: int,
    horizon: int,
    fraction: float = 0.5,
) -> Estimates:
    """Did the level give back ``fraction`` of the move that preceded an event?

    Parameters
    ----------
    level_or_wealth : pd.Series
        A level in wealth terms (wealth index, price, or ratio ``W_small/W_large`` —
        not a log level; use ``np.exp`` on log relative strength first).
    events : pd.Series of bool
        Event dates (e.g. merged :func:`blowoff_signals`).
    move_window : int
        The move is ``M = W_t - W_{t-move_window}`` (level units, >= 1).
    horizon : int
        Follow-up window ``t+1 .. t+horizon`` (>= 1).
    fraction : float, default 0.5
        Share of the move that must be given back, in (0, 1].

    Returns
    -------
    Estimates
        One row (``"rate"``): ``estimate`` = probability of a giveback among evaluated events,
        ``nobs`` = evaluated events. ``.data``: the events, indexed by event date with columns
        ``level``, ``move``, ``target`` (``W_t - fraction*M``), ``complete`` (bool), ``gave_back``
        (boolean, NA when not evaluated), ``date_reached`` (first date the target was reached,
        NaT if not), ``periods_to_giveback`` (float).

    Notes
    -----
    For a rise (``M > 0``) the target is reached when ``W_s <= target``; for a fall
    (``M < 0``) when ``W_s >= target`` (a give-back of a drop is a rebound). Events
    with ``M == 0`` (or NaN), with fewer than ``move_window`` periods before them, or
    with fewer than ``horizon`` after them are not evaluated and are counted in
    ``n_excluded``.
    """
    check_pandas(level_or_wealth, "level_or_wealth", allow_frame=False)
    mw = check_int(move_window, "move_window", minimum=1)
    h = check_int(horizon, "horizon", minimum=1)
    f = check_real(fraction, "fraction", low=0.0, high=1.0, low_open=True)
    pos = check_events(events, level_or_wealth.index)
    x = level_or_wealth.to_numpy(dtype=float)
    n_obs = len(x)
    rows = []
    for p in pos:
        move = x[p] - x[p - mw] if p >= mw else np.nan
        target = x[p] - f * move
        complete = bool(p >= mw and p + h <= n_obs - 1 and np.isfinite(move) and move != 0)
        window = x[p + 1 : p + h + 1]
        if np.isfinite(move) and move != 0:
            reached = np.flatnonzero(window <= target if move > 0 else window >= target)
        else:
            reached = np.empty(0, dtype=int)
        hit = reached.size > 0
        rows.append(
            {
                "level": x[p],
                "move": move,
                "target": target,
                "complete": complete,
                "gave_back": hit if complete else pd.NA,
                "date_reached": level_or_wealth.index[p + 1 + reached[0]] if hit else pd.NaT,
                "periods_to_giveback": float(reached[0] + 1) if hit else np.nan,
            }
        )
    cols = ["level", "move", "target", "complete", "gave_back", "date_reached", "periods_to_giveback"]
    return _outcome_rate(pd.DataFrame(rows, columns=cols, index=level_or_wealth.index[pos]), "gave_back",
                         Units.share("share of events that gave back the move within the horizon"),
                         "give-back rate")


def level_episodes(close: pd.Series, level: float, within: float, hold: int) -> pd.DataFrame:
    """Episodes of an index approaching a round-number level from below, and whether it broke through.

    Parameters
    ----------
    close : pd.Series
        Positive closing levels (e.g. daily Russell 2000 price index).
    level : float
        The resistance level (> 0), e.g. 2000.
    within : float
        Width of the approach band below ``level`` as a decimal in (0, 1):
        0.02 means the band ``[level*(1-0.02), level)``.
    hold : int
        Consecutive closes strictly above ``level`` needed for a "break" (>= 1).

    Returns
    -------
    pd.DataFrame
        One row per episode, columns:

        ``level`` (float), ``start`` (first close ``>= level*(1-within)`` after a
        close below that band), ``outcome`` (``"break"``: ``hold`` consecutive closes
        above ``level`` before any close back below the band; ``"fail"``: a close
        back below the band came first; ``"pending"``: neither by the end of the
        data), ``decision_date`` (the date the outcome became known: the ``hold``-th
        close above ``level`` for a break, the close below the band for a fail; NaT
        if pending), ``periods`` (index steps from start to decision, NaN if
        pending), ``max_close`` (highest close from start to decision, or to the end
        of data if pending), ``max_vs_level`` (``max_close/level - 1``).

    Notes
    -----
    Measure what follows from ``decision_date``, not ``start``: the outcome is not
    known at the start, and using it to split episodes measured from the start would
    look ahead. E.g. ``ev = pd.Series(False, index=close.index);
    ev[frame.loc[frame.outcome == "break", "decision_date"]] = True`` and then
    :func:`event_forward_table`.

    The first close cannot start an episode (it is not "coming from below"). After a
    break, a new episode needs a close below the band first. A close inside the band
    but at or below ``level`` resets the count of consecutive closes above it.
    NaN closes are skipped.
    """
    check_positive_levels(close, "close", allow_frame=False)
    lvl = check_real(level, "level", low=0.0, low_open=True)
    w = check_real(within, "within", low=0.0, high=1.0, low_open=True, high_open=True)
    hd = check_int(hold, "hold", minimum=1)
    band = lvl * (1.0 - w)
    x = close.to_numpy(dtype=float)
    idx = close.index
    rows: list[dict[str, Any]] = []
    prev_below: bool | None = None
    in_ep = False
    start = run = 0
    maxc = -np.inf

    def _close_episode(outcome: str, decision: int | None) -> None:
        rows.append(
            {
                "level": lvl,
                "start": idx[start],
                "outcome": outcome,
                "decision_date": idx[decision] if decision is not None else pd.NaT,
                "periods": float(decision - start) if decision is not None else np.nan,
                "max_close": maxc,
                "max_vs_level": maxc / lvl - 1.0,
            }
        )

    for i, c in enumerate(x):
        if np.isnan(c):
            continue
        if not in_ep:
            if c >= band and prev_below:
                in_ep, start, run, maxc = True, i, 0, c
            else:
                prev_below = c < band
                continue
        # in an episode (possibly just started today)
        maxc = max(maxc, c)
        if c < band:
            _close_episode("fail", i)
            in_ep, prev_below = False, True
        elif c > lvl:
            run += 1
            if run >= hd:
                _close_episode("break", i)
                in_ep, prev_below = False, False
        else:
            run = 0
    if in_ep:
        _close_episode("pending", None)
    cols = ["level", "start", "outcome", "decision_date", "periods", "max_close", "max_vs_level"]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- forward returns after events
def _percentile_ci(stats: np.ndarray, alpha: float) -> tuple[float, float]:
    lo, hi = np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def event_study(
    returns: pd.Series,
    events: pd.Series,
    horizons: Sequence[int],
    *,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
    bootstrap: bool = True,
    periods_per_year: float | None = None,
    units: Units = Units.returns("decimal return over t+1..t+h (h periods)"),
    title: str = "Forward returns after events against all dates",
) -> Estimates:
    """Forward returns after events against the unconditional distribution, per horizon.

    One function for what used to be ``events.event_forward_table`` (descriptive) and
    ``inference.event_study`` (with bootstrap intervals): the numbers of both are
    unchanged.

    Parameters
    ----------
    returns : pd.Series
        Per-period decimal returns (an index, or relative returns ``(1+rs)/(1+rl)-1``).
    events : pd.Series of bool
        Event dates on the same index (known at the close of ``t``), ideally merged
        into independent episodes (:func:`rotation.studies.signals.merge_episodes`).
    horizons : sequence of int
        Forward horizons in periods; the forward return at ``t`` covers ``t+1..t+h``
        (:func:`rotation.studies.returns.forward_returns`).
    reps, alpha, seed
        Bootstrap replications, one minus the confidence level, and the seed: horizon
        number ``i`` (0-based) uses ``seed + i`` for the unconditional block bootstrap
        and ``seed + 1000 + i`` for the events, so the table is deterministic.
    bootstrap : bool, default True
        False: descriptive table only (intervals NaN), no resampling.
    periods_per_year : float, optional
        If given, adds annualised columns ``(1 + mean)^(periods_per_year/h) - 1``:
        ``estimate_ann``, ``mean_all_ann``, ``diff_ann``.
    units, title : str
        Stored on the result.

    Returns
    -------
    Estimates
        Indexed by ``horizon``. Vocabulary columns: ``estimate`` = mean forward return
        over events with a complete window, ``std_err`` = standard deviation of its
        bootstrap means, ``t``/``p_value`` NaN, ``ci_lower``/``ci_upper`` = iid bootstrap
        over events (NaN with fewer than 2 events), ``nobs`` = events with a complete
        window. Extra columns: ``n_incomplete`` (events too close to the end, excluded),
        ``median``, ``share_positive`` (share > 0), ``nobs_all`` and ``mean_all`` (every
        date's overlapping forward return, events included) with ``all_lower``/
        ``all_upper`` (stationary block bootstrap, expected block = 2h), ``diff`` =
        ``estimate - mean_all`` with ``diff_lower``/``diff_upper`` (the two bootstraps
        drawn independently and differenced) and ``significant`` (the diff interval
        excludes 0).

    Notes
    -----
    Overlapping h-period forward returns are autocorrelated up to lag h-1. A stationary
    bootstrap with expected block h understates the standard error of their mean (by about a
    fifth at h = 12 in the simulation of ``tests/test_outcomes.py``; 2h leaves about a tenth), so
    the unconditional mean uses blocks of expected length 2h; events are resampled iid
    because merged episodes are roughly independent. With few events (say < 10) the
    interval is wide and its coverage only approximate.
    """
    check_returns(returns, "returns", allow_frame=False)
    if isinstance(horizons, np.ndarray):
        horizons = horizons.tolist()
    if isinstance(horizons, (str, bytes)) or not isinstance(horizons, Sequence) or len(horizons) == 0:
        raise ParameterError(f"horizons must be a non-empty sequence of integers; got {horizons!r}")
    hs = [check_int(h, "horizons", minimum=1) for h in horizons]
    r = check_int(reps, "reps", minimum=1)
    a = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    s = check_int(seed, "seed", minimum=0)
    ppy = None if periods_per_year is None else check_real(
        periods_per_year, "periods_per_year", low=0.0, low_open=True
    )
    pos = check_events(events, returns.index)
    rows = []
    for i, h in enumerate(hs):
        fwd = forward_returns(returns, h)
        ev_all = fwd.iloc[pos]
        ev_ok = ev_all.dropna()
        ev = ev_ok.to_numpy(dtype=float)
        allv = fwd.dropna().to_numpy(dtype=float)
        row: dict[str, Any] = {
            "horizon": h,
            "estimate": float(ev.mean()) if ev.size else np.nan,
            "std_err": np.nan, "t": np.nan, "p_value": np.nan, "ci_lower": np.nan, "ci_upper": np.nan,
            "nobs": int(ev.size),
            "n_incomplete": int(len(ev_all) - len(ev_ok)),
            "median": float(ev_ok.median()) if ev.size else np.nan,
            "share_positive": float((ev_ok > 0).mean()) if ev.size else np.nan,
            "nobs_all": int(allv.size),
            "mean_all": float(allv.mean()) if allv.size else np.nan,
            "all_lower": np.nan, "all_upper": np.nan,
            "diff": float(ev.mean() - allv.mean()) if ev.size and allv.size else np.nan,
            "diff_lower": np.nan, "diff_upper": np.nan,
        }
        if bootstrap and allv.size >= 2:
            all_stats = stationary_bootstrap_means(allv, 2 * h, r, s + i)  # = arch StationaryBootstrap.apply(np.mean)
            row["all_lower"], row["all_upper"] = _percentile_ci(all_stats, a)
            if ev.size >= 2:
                ev_stats = iid_bootstrap_means(ev, r, s + 1000 + i)  # = arch IIDBootstrap(...).apply(np.mean)
                row["ci_lower"], row["ci_upper"] = _percentile_ci(ev_stats, a)
                row["std_err"] = float(np.std(ev_stats, ddof=1)) if r > 1 else np.nan
                row["diff_lower"], row["diff_upper"] = _percentile_ci(ev_stats - all_stats, a)
        row["significant"] = bool(row["diff_lower"] > 0 or row["diff_upper"] < 0)
        if ppy is not None:
            row["estimate_ann"] = (1.0 + row["estimate"]) ** (ppy / h) - 1.0
            row["mean_all_ann"] = (1.0 + row["mean_all"]) ** (ppy / h) - 1.0
            row["diff_ann"] = row["estimate_ann"] - row["mean_all_ann"]
        rows.append(row)
    table = pd.DataFrame(rows).set_index("horizon")
    method = (
        Method(kind="bootstrap", bootstrap="iid", block_size=1, reps=r, seed=s, alpha=a,
               note="events resampled iid (seed + 1000 + i); all dates by a stationary bootstrap with expected "
                    "block 2h (seed + i); diff = the two drawn independently")
        if bootstrap else Method(kind="descriptive", alpha=a)
    )
    return Estimates(table, method, units, title)
