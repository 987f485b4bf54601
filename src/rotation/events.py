"""Signals and what follows them — with no look-ahead.

Alignment rules used throughout
-------------------------------
* A **signal at t** uses data up to and including the close of ``t`` only
  (``*_signals``, :func:`at_all_time_high`). Tests perturb data after ``t`` and check
  the signal at ``t`` is unchanged.
* A **forward return at t** covers ``t+1 .. t+horizon``: it starts after the close
  of ``t``, so acting on a signal at the close of ``t`` and measuring
  ``forward_returns(...)`` at ``t`` is free of look-ahead.
* Outcome studies (:func:`false_breakout_rate`, :func:`giveback`,
  :func:`level_episodes`) look at data after each event by design; they describe
  what happened, and events whose follow-up window is incomplete are excluded and
  counted, not silently dropped.

Signals are boolean Series on the input's index, with the input's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation._checks import (
    _check_choice,
    _check_events,
    _check_int,
    _check_pandas,
    _check_positive_levels,
    _check_real,
    _check_returns,
)
from rotation.returns import compound, forward_relative_returns, forward_returns

__all__ = [
    "OutcomeRate",
    "breakout_reference",
    "breakout_signals",
    "merge_episodes",
    "forward_returns",
    "forward_relative_returns",
    "false_breakout_rate",
    "blowoff_statistic",
    "blowoff_signals",
    "giveback",
    "level_episodes",
    "round_levels",
    "at_all_time_high",
    "event_forward_table",
]


@dataclass(frozen=True, eq=False)
class OutcomeRate:
    """Share of events with a given outcome.

    Attributes
    ----------
    rate : float
        Share of evaluated events with the outcome, in [0, 1]; NaN when ``n == 0``.
    n : int
        Number of evaluated events (complete follow-up window).
    n_excluded : int
        Events left out because their follow-up window ran past the data
        (or, for :func:`giveback`, the move window started before the data).
    events : pd.DataFrame
        One row per event (all events, including excluded ones; see the function).
    """

    rate: float
    n: int
    n_excluded: int
    events: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Scalars only: ``{"rate", "n", "n_excluded"}``."""
        return {"rate": self.rate, "n": self.n, "n_excluded": self.n_excluded}

    def __iter__(self):  # allows ``rate, n, events = false_breakout_rate(...)``
        """Unpack as ``(rate, n, events)``."""
        return iter((self.rate, self.n, self.events))


# --------------------------------------------------------------------------- helpers
def breakout_reference(level: pd.Series, lookback: int, rule: Literal["high", "ma"] = "high") -> pd.Series:
    """The reference a breakout at ``t`` must clear.

    Parameters
    ----------
    level : pd.Series
        Level being watched (a price, or log relative strength).
    lookback : int
        Periods in the reference window (>= 1).
    rule : {"high", "ma"}
        ``"high"``: prior high ``max(level_{t-lookback} .. level_{t-1})`` (excludes ``t``).
        ``"ma"``: trailing moving average ``mean(level_{t-lookback+1} .. level_t)``.

    Returns
    -------
    pd.Series
        Same index/name as ``level``, in level units; NaN until the window is full
        (the prior high first exists at position ``lookback``, the MA at ``lookback-1``).
        Known at the close of ``t``. A NaN inside the window gives NaN.
    """
    _check_pandas(level, "level", allow_frame=False)
    n = _check_int(lookback, "lookback", minimum=1)
    rule = _check_choice(rule, "rule", ("high", "ma"))  # type: ignore[assignment]
    if rule == "high":
        return level.shift(1).rolling(n, min_periods=n).max()
    return level.rolling(n, min_periods=n).mean()


def breakout_signals(level: pd.Series, lookback: int, rule: Literal["high", "ma"] = "high") -> pd.Series:
    """Breakout signals from data up to ``t`` only.

    Parameters
    ----------
    level : pd.Series
        Level being watched (a price, or log relative strength).
    lookback : int
        Periods in the reference window (>= 1).
    rule : {"high", "ma"}
        ``"high"``: ``level_t > max(level_{t-lookback} .. level_{t-1})`` — a new
        ``lookback``-period high, the current value excluded from the max.
        ``"ma"``: an upward cross of the trailing ``lookback``-period moving average:
        ``level_{t-1} <= ma_{t-1}`` and ``level_t > ma_t``.

    Returns
    -------
    pd.Series of bool
        Same index/name as ``level``. The first ``lookback`` periods are False (no
        full window). Comparisons involving NaN are False. Rule "high" fires on every
        period that makes a new high (use :func:`merge_episodes` to keep the first of
        a run); rule "ma" fires only on the crossing day.
    """
    ref = breakout_reference(level, lookback, rule)
    if rule == "high":
        sig = level > ref
    else:
        sig = (level.shift(1) <= ref.shift(1)) & (level > ref)
    sig = sig.fillna(False).astype(bool)
    sig.iloc[: int(lookback)] = False
    return sig.rename(level.name)


def merge_episodes(signals: pd.Series, gap: int) -> pd.Series:
    """Collapse clustered signals into independent episodes; keep each episode's first signal.

    Parameters
    ----------
    signals : pd.Series of bool
        E.g. from :func:`breakout_signals`.
    gap : int
        A signal at most ``gap`` periods (index positions) after the **previous
        signal of the current episode** belongs to that episode; a longer quiet spell
        starts a new episode. ``gap=0`` keeps every signal.

    Returns
    -------
    pd.Series of bool
        Same index/name; True only on episode start dates.

    Notes
    -----
    Episodes chain: signals every 5 periods with ``gap=10`` form one long episode,
    whatever its total length. Only past signals decide whether ``t`` starts an
    episode, so the output has no look-ahead. Use it before computing event means,
    so that one long rally is not counted as dozens of "independent" events.
    """
    pos = _check_events(signals, signals.index, "signals")
    g = _check_int(gap, "gap", minimum=0)
    out = np.zeros(len(signals), dtype=bool)
    last = None
    for p in pos:
        if last is None or p - last > g:
            out[p] = True
        last = p
    return pd.Series(out, index=signals.index, name=signals.name)


# --------------------------------------------------------------------------- false breakouts
def false_breakout_rate(
    level: pd.Series,
    signals: pd.Series,
    k: int,
    *,
    lookback: int | None = None,
    rule: Literal["high", "ma"] = "high",
    reference: pd.Series | None = None,
) -> OutcomeRate:
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
    OutcomeRate
        ``rate`` = false breakouts / ``n``; ``n`` = events with a full ``k``-period
        follow-up; ``n_excluded`` = events too close to the end of the data.
        ``events`` is indexed by signal date with columns ``breakout_level`` (``L_t``),
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
    _check_pandas(level, "level", allow_frame=False)
    kk = _check_int(k, "k", minimum=1)
    if (reference is None) == (lookback is None):
        raise ParameterError(
            f"give exactly one of lookback or reference; got lookback={lookback!r}, "
            f"reference={'None' if reference is None else 'a Series'}"
        )
    if reference is None:
        ref = breakout_reference(level, lookback, rule)  # type: ignore[arg-type]
    else:
        _check_pandas(reference, "reference", allow_frame=False)
        if not reference.index.equals(level.index):
            raise ParameterError("reference must have the same index as level; reindex it first")
        ref = reference
    pos = _check_events(signals, level.index, "signals")
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
    ev = pd.DataFrame(rows, columns=cols, index=level.index[pos])
    ev["complete"] = ev["complete"].astype(bool)
    # A failure already seen in a short window is still excluded: the rate uses complete windows only.
    ev["false_breakout"] = ev["false_breakout"].astype("boolean")
    done = ev.loc[ev["complete"], "false_breakout"]
    n = int(len(done))
    rate = float(done.astype(bool).mean()) if n else float("nan")
    return OutcomeRate(rate=rate, n=n, n_excluded=int(len(ev) - n), events=ev)


# --------------------------------------------------------------------------- blow-offs
def blowoff_statistic(
    returns: pd.Series,
    window: int,
    threshold: float,
    method: Literal["quantile", "zscore"] = "quantile",
    *,
    min_history: int,
) -> pd.DataFrame:
    """The pieces behind :func:`blowoff_signals`, for inspection.

    Returns
    -------
    pd.DataFrame
        Same index as ``returns``. Columns ``move`` (rolling ``window``-period
        compounded return ending at ``t``, decimal), and for ``"quantile"`` a column
        ``cutoff`` (the expanding ``threshold`` quantile of *past* moves, i.e.
        ``move_{..t-1}``), for ``"zscore"`` columns ``past_mean``, ``past_std``,
        ``zscore``. Columns ``signal`` (bool).
    """
    _check_returns(returns, "returns", allow_frame=False)
    w = _check_int(window, "window", minimum=1)
    method = _check_choice(method, "method", ("quantile", "zscore"))  # type: ignore[assignment]
    if method == "quantile":
        q = _check_real(threshold, "threshold", low=0.0, high=1.0, low_open=True, high_open=True)
        mh = _check_int(min_history, "min_history", minimum=1)
    else:
        q = _check_real(threshold, "threshold")
        mh = _check_int(min_history, "min_history", minimum=2)
    move = compound(returns, w)
    past = move.shift(1).expanding(min_periods=mh)
    out = pd.DataFrame({"move": move}, index=returns.index)
    if method == "quantile":
        out["cutoff"] = past.quantile(q)
        sig = move > out["cutoff"]
    else:
        out["past_mean"] = past.mean()
        out["past_std"] = past.std()
        out["zscore"] = (move - out["past_mean"]) / out["past_std"]
        sig = out["zscore"] > q
    out["signal"] = sig.fillna(False).astype(bool)
    return out


def blowoff_signals(
    returns: pd.Series,
    window: int,
    threshold: float,
    method: Literal["quantile", "zscore"] = "quantile",
    *,
    min_history: int,
) -> pd.Series:
    """Unusually large run-ups ("blow-offs") judged against their own past only.

    Parameters
    ----------
    returns : pd.Series
        Decimal simple returns (of an index, or relative returns small vs large).
    window : int
        Length of the run-up, in periods (>= 1). ``move_t`` = compounded return over
        ``t-window+1 .. t``.
    threshold : float
        ``"quantile"``: a probability in (0, 1), e.g. 0.99.
        ``"zscore"``: a number of standard deviations, e.g. 2.5.
    method : {"quantile", "zscore"}
        ``"quantile"``: signal when ``move_t`` > the expanding ``threshold`` quantile
        (linear interpolation) of ``move_s`` for ``s < t``.
        ``"zscore"``: signal when ``(move_t - mean) / std > threshold`` with the
        expanding mean and std (ddof=1) of ``move_s``, ``s < t``.
    min_history : int, keyword-only, required
        Number of past (non-NaN) moves required before any signal (>= 1; >= 2 for
        ``"zscore"``), e.g. 252 for a year of daily data. No default: it depends on
        the data frequency.

    Returns
    -------
    pd.Series of bool
        Same index/name as ``returns``. False until ``min_history`` past moves exist.
        Uses returns up to ``t`` only; the current move is excluded from its own
        reference distribution.

    Notes
    -----
    Past moves overlap (consecutive ``window``-period returns share ``window-1``
    periods), so the effective history is much shorter than its length suggests.
    Signals cluster: pass them through :func:`merge_episodes`.
    """
    stat = blowoff_statistic(returns, window, threshold, method, min_history=min_history)
    return stat["signal"].rename(returns.name)


def giveback(
    level_or_wealth: pd.Series,
    events: pd.Series,
    move_window: int,
    horizon: int,
    fraction: float = 0.5,
) -> OutcomeRate:
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
    OutcomeRate
        ``rate`` = probability of a giveback among evaluated events. ``events``
        frame indexed by event date with columns ``level``, ``move``, ``target``
        (``W_t - fraction*M``), ``complete`` (bool), ``gave_back`` (boolean, NA
        when not evaluated), ``date_reached`` (first date the target was reached,
        NaT if not), ``periods_to_giveback`` (float).

    Notes
    -----
    For a rise (``M > 0``) the target is reached when ``W_s <= target``; for a fall
    (``M < 0``) when ``W_s >= target`` (a give-back of a drop is a rebound). Events
    with ``M == 0`` (or NaN), with fewer than ``move_window`` periods before them, or
    with fewer than ``horizon`` after them are not evaluated and are counted in
    ``n_excluded``.
    """
    _check_pandas(level_or_wealth, "level_or_wealth", allow_frame=False)
    mw = _check_int(move_window, "move_window", minimum=1)
    h = _check_int(horizon, "horizon", minimum=1)
    f = _check_real(fraction, "fraction", low=0.0, high=1.0, low_open=True)
    pos = _check_events(events, level_or_wealth.index)
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
    ev = pd.DataFrame(rows, columns=cols, index=level_or_wealth.index[pos])
    ev["complete"] = ev["complete"].astype(bool)
    ev["gave_back"] = ev["gave_back"].astype("boolean")
    done = ev.loc[ev["complete"], "gave_back"]
    n = int(len(done))
    rate = float(done.astype(bool).mean()) if n else float("nan")
    return OutcomeRate(rate=rate, n=n, n_excluded=int(len(ev) - n), events=ev)


# --------------------------------------------------------------------------- round numbers
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
    _check_positive_levels(close, "close", allow_frame=False)
    lvl = _check_real(level, "level", low=0.0, low_open=True)
    w = _check_real(within, "within", low=0.0, high=1.0, low_open=True, high_open=True)
    hd = _check_int(hold, "hold", minimum=1)
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


def round_levels(close: pd.Series, step: float = 1000) -> list[float]:
    """Round-number levels (multiples of ``step``) the series has traded near.

    Returns
    -------
    list of float
        Every positive multiple of ``step`` from the first one at or above the
        minimum close up to the first one at or above the maximum close (the next
        resistance overhead), ascending. Uses the whole series passed in.
    """
    _check_positive_levels(close, "close", allow_frame=False)
    st = _check_real(step, "step", low=0.0, low_open=True)
    vals = close.dropna()
    if vals.empty:
        raise ParameterError("close must contain at least one non-NaN value; got none")
    lo = max(1, int(np.ceil(vals.min() / st)))
    hi = max(lo, int(np.ceil(vals.max() / st)))
    return [float(k * st) for k in range(lo, hi + 1)]


def at_all_time_high(close: pd.Series) -> pd.Series:
    """True when the close is at or above every earlier close: ``close_t >= max(close_0..close_{t-1})``.

    Returns
    -------
    pd.Series of bool
        Same index/name. The first observation is False (no prior high). Equal to the
        prior high counts. Uses data up to ``t`` only. NaN closes give False and are
        ignored in the running high.
    """
    _check_pandas(close, "close", allow_frame=False)
    prior = close.cummax().ffill().shift(1)
    return (close >= prior).fillna(False).astype(bool).rename(close.name)


# --------------------------------------------------------------------------- summary table
def event_forward_table(
    returns: pd.Series,
    events: pd.Series,
    horizons: Sequence[int],
    periods_per_year: float | None = None,
) -> pd.DataFrame:
    """Mean forward returns after events versus all dates, per horizon.

    Parameters
    ----------
    returns : pd.Series
        Decimal simple returns (an index, or relative returns small vs large).
    events : pd.Series of bool
        Event dates (signals at the close of ``t``); True dates must be in
        ``returns.index``.
    horizons : sequence of int
        Forward horizons in periods, e.g. ``[21, 63, 126, 252]`` for daily data.
    periods_per_year : float, optional
        If given, adds annualised columns ``(1 + mean)^(periods_per_year/h) - 1``.

    Returns
    -------
    pd.DataFrame
        Index ``horizon`` (int). Columns: ``n_events`` (events with a complete
        forward window), ``n_incomplete`` (events too close to the end, excluded),
        ``mean_event``, ``median_event``, ``hit_rate_event`` (share > 0),
        ``n_all``, ``mean_all`` (unconditional mean over every date with a complete
        forward window, events included), ``diff`` (``mean_event - mean_all``); and
        with ``periods_per_year``: ``mean_event_ann``, ``mean_all_ann``, ``diff_ann``.
        All returns are decimals over ``t+1..t+h`` (see :func:`forward_returns`).
        No inference: see :func:`rotation.inference.event_mean_ci`.
    """
    _check_returns(returns, "returns", allow_frame=False)
    if isinstance(horizons, np.ndarray):
        horizons = horizons.tolist()
    if isinstance(horizons, (str, bytes)) or not isinstance(horizons, Sequence) or len(horizons) == 0:
        raise ParameterError(f"horizons must be a non-empty sequence of integers; got {horizons!r}")
    hs = [_check_int(h, "horizons", minimum=1) for h in horizons]
    ppy = None if periods_per_year is None else _check_real(
        periods_per_year, "periods_per_year", low=0.0, low_open=True
    )
    pos = _check_events(events, returns.index)
    rows = []
    for h in hs:
        fwd = forward_returns(returns, h)
        ev = fwd.iloc[pos]
        ev_ok = ev.dropna()
        all_ok = fwd.dropna()
        row: dict[str, Any] = {
            "horizon": h,
            "n_events": int(len(ev_ok)),
            "n_incomplete": int(len(ev) - len(ev_ok)),
            "mean_event": float(ev_ok.mean()) if len(ev_ok) else np.nan,
            "median_event": float(ev_ok.median()) if len(ev_ok) else np.nan,
            "hit_rate_event": float((ev_ok > 0).mean()) if len(ev_ok) else np.nan,
            "n_all": int(len(all_ok)),
            "mean_all": float(all_ok.mean()) if len(all_ok) else np.nan,
        }
        row["diff"] = row["mean_event"] - row["mean_all"]
        if ppy is not None:
            row["mean_event_ann"] = (1.0 + row["mean_event"]) ** (ppy / h) - 1.0
            row["mean_all_ann"] = (1.0 + row["mean_all"]) ** (ppy / h) - 1.0
            row["diff_ann"] = row["mean_event_ann"] - row["mean_all_ann"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("horizon")
