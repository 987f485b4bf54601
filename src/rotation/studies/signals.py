"""Signals known at ``t``: breakouts, blow-offs, all-time highs, round-number levels, episodes.

Everything here uses data up to and including the close of ``t`` only: perturbing data
after ``t`` leaves the value at ``t`` unchanged (the tests check this for every signal).
What happened *after* a signal is in :mod:`rotation.studies.outcomes`, which looks ahead by design.

* Signals are boolean Series on the input's index, with the input's name.
* :func:`merge_episodes` collapses clustered signals into independent episodes (each
  episode's first signal, which is itself known at its date).
* Invalid arguments raise :class:`rotation.errors.ParameterError`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import (
    check_choice,
    check_events,
    check_int,
    check_pandas,
    check_positive_levels,
    check_real,
    check_returns,
)
from rotation.stats.compound import compound

__all__ = [
    "breakout_reference",
    "breakout_signals",
    "merge_episodes",
    "blowoff_statistic",
    "blowoff_signals",
    "round_levels",
    "at_all_time_high",
]


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
    check_pandas(level, "level", allow_frame=False)
    n = check_int(lookback, "lookback", minimum=1)
    rule = check_choice(rule, "rule", ("high", "ma"))  # type: ignore[assignment]
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
    pos = check_events(signals, signals.index, "signals")
    g = check_int(gap, "gap", minimum=0)
    out = np.zeros(len(signals), dtype=bool)
    last = None
    for p in pos:
        if last is None or p - last > g:
            out[p] = True
        last = p
    return pd.Series(out, index=signals.index, name=signals.name)


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
    check_returns(returns, "returns", allow_frame=False)
    w = check_int(window, "window", minimum=1)
    method = check_choice(method, "method", ("quantile", "zscore"))  # type: ignore[assignment]
    if method == "quantile":
        q = check_real(threshold, "threshold", low=0.0, high=1.0, low_open=True, high_open=True)
        mh = check_int(min_history, "min_history", minimum=1)
    else:
        q = check_real(threshold, "threshold")
        mh = check_int(min_history, "min_history", minimum=2)
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


def round_levels(close: pd.Series, step: float = 1000) -> list[float]:
    """Round-number levels (multiples of ``step``) the series has traded near.

    Returns
    -------
    list of float
        Every positive multiple of ``step`` from the first one at or above the
        minimum close up to the first one at or above the maximum close (the next
        resistance overhead), ascending. Uses the whole series passed in.
    """
    check_positive_levels(close, "close", allow_frame=False)
    st = check_real(step, "step", low=0.0, low_open=True)
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
    check_pandas(close, "close", allow_frame=False)
    prior = close.cummax().ffill().shift(1)
    return (close >= prior).fillna(False).astype(bool).rename(close.name)
