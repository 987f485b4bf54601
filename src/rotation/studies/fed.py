"""The Fed's policy-rate path and its turning points (last hike, first cut, pauses).

Conventions
-----------
* Rates are in **percent per year, as FRED publishes them** (4.25 means 4.25 %); changes
  are in percentage points (0.25 = 25 basis points).
* Series carry a sorted, unique ``DatetimeIndex``. FRED's daily policy series (DFF,
  DFEDTARU) are stamped every calendar day; DFEDTARU changes on the day a new target
  range takes effect (usually the day after the FOMC decision).
* :func:`policy_rate` uses data up to ``t`` only (trailing median). :func:`turning_points`
  labels moves **with hindsight**: whether a hike was the *last* one, or a flat spell a
  *pause*, is only known once later data arrive. It describes history and is not a signal.
* Invalid arguments raise :class:`rotation.errors.ParameterError` naming the argument,
  the rule and the value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_pandas, check_real

__all__ = ["official_target", "policy_rate", "quantize_with_hysteresis", "turning_points", "near_recession",
           "TURNING_POINT_KINDS"]

#: The kinds of event :func:`turning_points` returns, in the order used to sort same-day events.
TURNING_POINT_KINDS: tuple[str, ...] = ("first_hike", "last_hike", "first_cut", "pause_start")

_EPS = 1e-9


def _check_dated_series(x: object, name: str) -> pd.Series:
    check_pandas(x, name, allow_frame=False)
    assert isinstance(x, pd.Series)
    if not isinstance(x.index, pd.DatetimeIndex):
        raise ParameterError(f"{name} must have a DatetimeIndex; got {type(x.index).__name__}")
    return x.astype(float)


def quantize_with_hysteresis(x: pd.Series, step: float = 0.25, hysteresis: float = 0.75) -> pd.Series:
    """Round a noisy rate to ``step`` multiples, changing level only on a clear move.

    Parameters
    ----------
    x : pd.Series
        A rate in percent (e.g. a trailing median of the effective fed funds rate).
    step : float, default 0.25
        Grid in percentage points (0.25 = the Fed's usual 25 bp step); > 0.
    hysteresis : float, default 0.75
        Fraction of ``step`` (in ``[0.5, 2]``) by which ``x`` must move away from the
        current level before the level is updated.

    Returns
    -------
    pd.Series
        Same index and name. The level starts at ``round(x_0 / step) * step``; at each
        ``t`` it becomes ``round(x_t / step) * step`` when ``|x_t - level| >=
        hysteresis * step`` and otherwise stays. Known at ``t`` (uses ``x`` up to ``t``).
        NaN inputs keep the previous level (NaN before the first valid value).

    Notes
    -----
    Plain rounding (``hysteresis=0.5``) flips back and forth when ``x`` hovers near a
    half step (an effective rate trading at 5.37 % alternates between 5.25 and 5.50);
    the band suppresses those flips.
    """
    s = _check_dated_series(x, "x")
    st = check_real(step, "step", low=0.0, low_open=True)
    h = check_real(hysteresis, "hysteresis", low=0.5, high=2.0)
    values = s.to_numpy(dtype=float)
    out = np.full(values.shape, np.nan)
    level = np.nan
    for i, v in enumerate(values):
        if not np.isnan(v) and (np.isnan(level) or abs(v - level) >= h * st - _EPS):
            level = round(v / st) * st
        out[i] = level
    return pd.Series(out, index=s.index, name=s.name)


def official_target(target: pd.Series, range_upper: pd.Series, decision_lag_days: int = 1) -> pd.Series:
    """The Fed's official policy target from 1982, dated by decision: DFEDTAR, then the range's upper limit.

    Parameters
    ----------
    target : pd.Series
        FRED DFEDTAR: the single federal funds target, percent, every calendar day from
        1982-09-27 to 2008-12-15, changing on the day the new target took effect (from 1994
        that is the day of the FOMC announcement).
    range_upper : pd.Series
        FRED DFEDTARU: the upper limit of the target range, percent, every calendar day from
        2008-12-16, changing on the day the new range takes **effect**, which is the day after
        the FOMC decision (2019-07-31 decision, effective 2019-08-01).
    decision_lag_days : int, default 1
        Days between a range decision and its effective date; range-era changes after the first
        day are re-dated this many days earlier so that every move is dated by its decision.

    Returns
    -------
    pd.Series
        Named ``"policy_target"``, percent, daily, starting 1982-09-27. ``target`` up to its last
        date, then ``range_upper`` (re-dated). Before 1982 there is no published target: a path
        inferred from the effective rate (:func:`policy_rate`) is a different, noisier object and
        is never mixed into this one.

    Notes
    -----
    A value dated ``t`` was announced by the end of day ``t`` (the announcement comes during the
    trading day), so a monthly signal at the month end that contains ``t`` is known at that month end.
    """
    tgt = _check_dated_series(target, "target").dropna()
    upr = _check_dated_series(range_upper, "range_upper").dropna()
    lag = check_int(decision_lag_days, "decision_lag_days", minimum=0)
    if tgt.empty or upr.empty:
        raise ParameterError("target (DFEDTAR) and range_upper (DFEDTARU) must each hold at least one value; "
                             "load them with rotation.data.load('DFEDTAR') and load('DFEDTARU')")
    first = upr.index[0]
    redated = upr.copy()
    shift = pd.Timedelta(days=lag)
    redated.index = redated.index.where(redated.index == first, redated.index - shift)
    redated = redated[~redated.index.duplicated(keep="last")]
    out = pd.concat([tgt.loc[tgt.index < first], redated.loc[redated.index >= first]]).sort_index()
    out = out[~out.index.duplicated(keep="last")].rename("policy_target")
    out.index.name = "date"
    return out


def policy_rate(
    target_upper: pd.Series | None,
    effective: pd.Series,
    window: int = 21,
    step: float = 0.25,
    hysteresis: float = 0.75,
    center: bool = False,
) -> pd.Series:
    """A policy-rate path: the target range's upper limit where it exists, a smoothed effective rate before.

    Parameters
    ----------
    target_upper : pd.Series or None
        FRED DFEDTARU (upper limit of the target range, percent, daily from 2008-12-16).
        None: use the smoothed effective rate throughout.
    effective : pd.Series
        FRED DFF (effective fed funds rate, percent, daily) or FEDFUNDS (monthly
        average, month-end stamped; then use ``window=1``).
    window : int, default 21
        Observations in the median of ``effective`` (21 calendar days for DFF). Prefer an
        odd number: with an even window the median at a step averages the two middle
        values and shows a one-day level half-way between the old and new rates.
    step, hysteresis : float
        Passed to :func:`quantize_with_hysteresis` (25 bp grid; a level changes when the
        median moves at least ``0.75 * 25`` bp away from it).
    center : bool, default False
        False: a **trailing** median (observations ``t-window+1..t``), known at ``t``.
        True: a **centred** median (``window // 2`` observations either side, fewer at
        the ends), which dates a step in the rate where it happened instead of about
        ``window / 2`` observations later, but uses data after ``t``: use it to date
        history (as :func:`turning_points` does, with hindsight), never as a signal.

    Returns
    -------
    pd.Series
        Named ``"policy_rate"``, percent. The rule: **before the first date of**
        ``target_upper``: ``quantize_with_hysteresis(median(effective over the
        window), step, hysteresis)``; **from that date on**: ``target_upper`` as
        published. ``attrs`` holds ``switch_date`` (the first target date, None without
        one) and ``center``. Known at ``t`` when ``center=False``.

    Notes
    -----
    The snapshot has no target series before December 2008 (DFEDTAR is absent), so
    earlier moves are inferred from the effective rate. The trailing median dates a move
    roughly ``window / 2`` observations (about 10 days for DFF with ``window=21``) after
    it happened (``center=True`` removes that lag), and
    episodes when the effective rate strayed from the target (August 2007, autumn 2008,
    the reserve-targeting years 1979-1982) can produce moves the Fed did not announce.
    """
    eff = _check_dated_series(effective, "effective").dropna()
    if eff.empty:
        raise ParameterError("effective must contain at least one non-NaN value; got none")
    w = check_int(window, "window", minimum=1)
    if not isinstance(center, bool):
        raise ParameterError(f"center must be True or False; got {center!r}")
    med = eff.rolling(w, center=True, min_periods=1).median() if center else eff.rolling(w, min_periods=w).median()
    smooth = quantize_with_hysteresis(med, step, hysteresis).dropna()
    switch = None
    if target_upper is not None:
        tgt = _check_dated_series(target_upper, "target_upper").dropna()
        if not tgt.empty:
            switch = tgt.index[0]
            smooth = pd.concat([smooth.loc[smooth.index < switch], tgt])
    out = smooth.rename("policy_rate")
    out.index.name = "date"
    out.attrs = {"switch_date": switch, "center": center}
    return out


def _moves(rate: pd.Series, min_move: float) -> list[tuple[pd.Timestamp, float, float]]:
    """(date, level after the move, change) for each move of at least ``min_move`` (see :func:`turning_points`).

    A change at ``t`` is a move when the rate is at least ``min_move`` away from the level in force
    before ``t`` (the previous observation: a 25 bp decision after a 1/16 technical adjustment is a
    move) or from the level of the last move (smaller changes that add up). The change recorded is
    the larger of the two distances, with its sign.
    """
    values = rate.to_numpy(dtype=float).tolist()  # plain floats: the same doubles, no per-day Timestamp
    dates = rate.index
    moves: list[tuple[pd.Timestamp, float, float]] = []
    ref = prev = values[0]
    for i in range(1, len(values)):
        v = values[i]
        if v != v:  # NaN: no observation, the level in force stays
            continue
        step, drift = v - prev, v - ref
        if abs(step) >= min_move - _EPS or abs(drift) >= min_move - _EPS:
            moves.append((dates[i], v, step if abs(step) > abs(drift) else drift))
            ref = v
        prev = v
    return moves


def _zigzag(levels: np.ndarray, start_level: float, min_swing: float) -> tuple[list[int], list[int], str | None, int]:
    """Confirmed peaks and troughs (indices into ``levels``; -1 = the starting level) of a zig-zag filter.

    Returns ``(peaks, troughs, trend, extreme)``: ``trend`` and ``extreme`` describe the
    phase still open at the end ("up", "down" or None before the first swing).
    """
    peaks: list[int] = []
    troughs: list[int] = []
    trend: str | None = None
    hi_i = lo_i = -1
    hi = lo = start_level
    ext_i, ext = -1, start_level
    for i, v in enumerate(levels):
        if trend is None:
            if v >= hi - _EPS:
                hi_i, hi = i, v
            if v <= lo + _EPS:
                lo_i, lo = i, v
            if v - lo >= min_swing - _EPS and i == hi_i:
                troughs.append(lo_i)
                trend, ext_i, ext = "up", i, v
            elif hi - v >= min_swing - _EPS and i == lo_i:
                peaks.append(hi_i)
                trend, ext_i, ext = "down", i, v
        elif trend == "up":
            if v >= ext - _EPS:
                ext_i, ext = i, v
            elif ext - v >= min_swing - _EPS:
                peaks.append(ext_i)
                trend, ext_i, ext = "down", i, v
        else:
            if v <= ext + _EPS:
                ext_i, ext = i, v
            elif v - ext >= min_swing - _EPS:
                troughs.append(ext_i)
                trend, ext_i, ext = "up", i, v
    return peaks, troughs, trend, ext_i


def turning_points(
    rate: pd.Series,
    min_move: float = 0.25,
    pause_months: int = 6,
    min_swing: float | None = None,
) -> pd.DataFrame:
    """Dates of the first hike, last hike, first cut and pause starts of a policy-rate path.

    Parameters
    ----------
    rate : pd.Series
        A policy-rate path in percent with a ``DatetimeIndex`` (e.g. :func:`policy_rate`,
        daily; monthly works too). NaN values are dropped.
    min_move : float, default 0.25
        Percentage points. A **move** is recorded at ``t`` when the rate is at least
        ``min_move`` away from the level in force before ``t`` (the previous observation)
        or from the level of the last recorded move (the first observation to start
        with); smaller changes are ignored (they can add up to a move). Measuring from the
        level in force dates a 25 bp cut that follows a 1/16 technical adjustment (DFEDTAR
        9.75 -> 9.8125 -> 9.5625 in 1989) on the cut's day. Must be > 0.
    pause_months : int, default 6
        Calendar months without a move that make a pause (>= 1).
    min_swing : float, optional
        Percentage points (>= ``min_move``) the rate must reverse from a peak (trough)
        before that peak (trough) ends a cycle. Default None = ``min_move``: every
        reversal counts. A larger value (e.g. 0.5) treats a single 25 bp move against
        the trend -- noise in a rate inferred from the effective rate -- as part of the
        cycle rather than a new one.

    Returns
    -------
    pd.DataFrame
        One row per event, sorted by date (same-day events in the order of
        :data:`TURNING_POINT_KINDS`), with columns

        * ``date`` -- the move's date; for a pause, the first observation after the
          last move;
        * ``kind`` -- one of :data:`TURNING_POINT_KINDS`;
        * ``rate`` -- the level after the move (for a pause: the level held);
        * ``change`` -- the move in percentage points, from the level in force before it or, when
          smaller changes added up to it, from the last move's level (the larger; NaN for a pause);
        * ``after`` -- for a pause, ``"hike"`` or ``"cut"`` (the move before it);
          ``""`` otherwise;
        * ``months_to_next_move`` -- average-length calendar months from the move (for a
          pause: from the last move) to the next move; NaN when there is none.

    Notes
    -----
    The rule, applied to the sequence of moves:

    * Moves are grouped into cycles by a zig-zag filter: a **peak** is confirmed once
      the rate has fallen at least ``min_swing`` below the highest level reached since
      the last trough, and symmetrically for a **trough**. With the default
      ``min_swing = min_move`` every reversal ends a cycle, so a **hiking cycle** is a run
      of increases with no decrease in between, however long the pauses inside it.
    * **last_hike**: the move that last brought the rate to a confirmed peak (the last
      increase before the easing that follows). When the data end in a hiking phase,
      its highest move counts as the last hike only if it is the latest move and
      ``pause_months`` have passed without a move (a pause in progress); otherwise the
      cycle is still open and nothing is labelled.
    * **first_cut**: the first move after a confirmed peak (a decrease). A second cut two
      weeks later -- an inter-meeting cut -- belongs to the same easing cycle.
    * **first_hike**: the first move after a confirmed trough (an increase). A peak or
      trough at the very first observation is not a turning point (what came before
      it is unknown), so the data's first move is never a first hike or first cut.
    * **pause_start**: after any move followed by at least ``pause_months`` calendar
      months without a move (up to the next move or to the end of the data), dated at
      the first observation after that move.

    The labels use hindsight (later moves decide them): use them to describe history,
    not as signals known at the time.
    """
    r = _check_dated_series(rate, "rate").dropna()
    mm = check_real(min_move, "min_move", low=0.0, low_open=True)
    pm = check_int(pause_months, "pause_months", minimum=1)
    ms = mm if min_swing is None else check_real(min_swing, "min_swing", low=mm)
    cols = ["date", "kind", "rate", "change", "after", "months_to_next_move"]
    empty = pd.DataFrame(columns=cols).astype({"date": "datetime64[ns]", "rate": float, "change": float,
                                               "months_to_next_move": float})
    if len(r) < 2:
        return empty
    moves = _moves(r, mm)
    if not moves:
        return empty
    end = r.index[-1]
    offset = pd.DateOffset(months=pm)
    dates = [m[0] for m in moves]
    levels = np.array([m[1] for m in moves])
    changes = [m[2] for m in moves]

    def to_next(i: int) -> float:
        return (dates[i + 1] - dates[i]).days / (365.25 / 12) if i + 1 < len(moves) else np.nan

    def row(i: int, kind: str) -> dict[str, object]:
        return {"date": dates[i], "kind": kind, "rate": float(levels[i]), "change": changes[i], "after": "",
                "months_to_next_move": to_next(i)}

    rows: list[dict[str, object]] = []
    peaks, troughs, trend, ext_i = _zigzag(levels, float(r.iloc[0]), ms)
    for p in peaks:
        if p >= 0:
            rows.append(row(p, "last_hike"))
            rows.append(row(p + 1, "first_cut"))
    for t in troughs:
        if t >= 0:
            rows.append(row(t + 1, "first_hike"))
    if trend == "up" and ext_i == len(moves) - 1 and end >= dates[ext_i] + offset:
        rows.append(row(ext_i, "last_hike"))
    for i, d in enumerate(dates):
        paused = (dates[i + 1] >= d + offset) if i + 1 < len(moves) else (end >= d + offset)
        if paused:
            nxt = r.index[r.index.searchsorted(d, side="right")]
            rows.append({"date": nxt, "kind": "pause_start", "rate": float(levels[i]), "change": np.nan,
                         "after": "hike" if changes[i] > 0 else "cut", "months_to_next_move": to_next(i)})
    if not rows:
        return empty
    out = pd.DataFrame(rows, columns=cols)
    out["_order"] = out["kind"].map({k: i for i, k in enumerate(TURNING_POINT_KINDS)})
    out = out.sort_values(["date", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    return out.astype({"rate": float, "change": float, "months_to_next_move": float})


def near_recession(event_dates: pd.Series | pd.DatetimeIndex | list, usrec: pd.Series, months: int = 6) -> pd.Series:
    """Whether an NBER recession month lies within ``months`` months of each event.

    Parameters
    ----------
    event_dates : dates
        Event dates (any day of the month).
    usrec : pd.Series
        FRED USREC: 1 in NBER recession months, 0 otherwise, stamped at month end.
    months : int, default 6
        Half-width of the window in calendar months (>= 0).

    Returns
    -------
    pd.Series of bool
        Indexed by the event dates, named ``"recession"``: True when ``usrec == 1`` in any
        month from ``months`` before to ``months`` after the event's month (inclusive).
        False when that window is fully covered by ``usrec`` and has no recession month;
        an event whose window runs past the end of ``usrec`` is False when the months
        available hold no recession (the NBER dates recessions with a lag, so recent
        events may be reclassified later).

    Notes
    -----
    NBER dates are set with hindsight (announced months to a year later), so this is a
    classification for describing history, not something known at the event date.
    """
    rec = _check_dated_series(usrec, "usrec").dropna()
    m = check_int(months, "months", minimum=0)
    dates = pd.DatetimeIndex(pd.to_datetime(list(event_dates)))
    rec_months = rec.index.to_period("M")
    rec_flag = pd.Series(rec.to_numpy() >= 0.5, index=rec_months)
    flags = []
    for d in dates:
        p = d.to_period("M")
        win = rec_flag[(rec_flag.index >= p - m) & (rec_flag.index <= p + m)]
        flags.append(bool(win.any()))
    return pd.Series(flags, index=dates, name="recession", dtype=bool)
