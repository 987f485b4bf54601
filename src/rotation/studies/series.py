"""Index-level series: sampling at a common frequency and chaining (splicing) several indexes into one.

Levels are positive index points in each series' own base (FRED's dollar indexes, DXY).
"""

from __future__ import annotations

import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_choice, check_positive_levels

__all__ = ["period_levels", "chain_indexes"]


def period_levels(level: pd.Series, freq: str = "ME", how: str = "last") -> pd.Series:
    """Levels at a regular frequency, stamped at the calendar period end.

    Parameters
    ----------
    level : pd.Series
        Positive levels with a DatetimeIndex (daily, weekly or monthly).
    freq : str, default "ME"
        A pandas period-end rule: ``"ME"`` (month end), ``"W-FRI"`` (weeks ending Friday),
        ``"QE"``...
    how : {"last", "mean"}
        ``"last"``: the last observation in each period (e.g. the month-end close, known at
        the period's last observation); ``"mean"``: the average of the period's observations
        (as FRED's monthly dollar indexes are built).

    Returns
    -------
    pd.Series
        Same name; periods without any observation are dropped (not filled).
    """
    check_positive_levels(level, "level", allow_frame=False)
    if not isinstance(level.index, pd.DatetimeIndex):
        raise ParameterError(f"level must have a DatetimeIndex; got {type(level.index).__name__}")
    how = check_choice(how, "how", ("last", "mean"))
    try:
        res = level.dropna().resample(freq)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"freq must be a pandas period-end rule such as 'ME' or 'W-FRI'; got {freq!r}") from exc
    out = res.last() if how == "last" else res.mean()
    return out.dropna().rename(level.name)


def chain_indexes(
    segments: list[pd.Series],
    freq: str = "ME",
    base_date: str | pd.Timestamp | None = None,
    how: str = "last",
    name: str | None = None,
) -> pd.Series:
    """Link several index series into one long series by their percentage changes.

    Parameters
    ----------
    segments : list of pd.Series
        Positive index levels with a DatetimeIndex, any frequency at or above ``freq``
        (daily, monthly). Each should be named (the names appear in ``attrs["splices"]``).
        **Priority**: the *newest* series -- the one whose data starts latest -- is used
        wherever it has data; the next-newest extends it back, and so on. Series that
        start on the same period keep their list order (earlier in the list wins).
    freq : str, default "ME"
        Common frequency, a pandas period-end rule (``"ME"``, ``"W-FRI"``...). Each series
        is first sampled with :func:`period_levels` (``how``), so a daily series becomes
        month-end levels (last observation of the month) and a month-end-stamped monthly
        series is unchanged.
    base_date : date-like, optional
        If given, the result is rescaled to 100 at the period containing this date.
        Default: the newest series' own level (its values are returned unchanged where it
        has data).
    how : {"last", "mean"}
        How a period's level is taken from finer data (see :func:`period_levels`).
    name : str, optional
        Name of the result; default ``"chained"``.

    Returns
    -------
    pd.Series
        Chained levels at ``freq``. ``attrs["splices"]`` lists, newest first,
        ``(series name, used from, used to)`` period-end timestamps for every segment
        that contributes; ``attrs["freq"]``, ``attrs["how"]`` record the sampling.

    Notes
    -----
    Splice rule. Let ``S`` be the first period of the newer (already chained) part. An
    older segment ``B`` supplies the periods before ``S``:
    ``chained[p] = chained[S] * B[p] / B[S]`` for ``p < S``. So the chained series'
    percentage change between any two periods inside ``B``'s stretch (including the
    step into ``S``) equals ``B``'s own change, and the level is continuous at ``S``.
    ``B`` must have a value at ``S`` (the two must overlap on the splice period);
    otherwise a ParameterError is raised. A segment that starts at or after ``S`` adds
    nothing and is left out of ``attrs["splices"]``. Gaps inside the newest segment
    are not filled from older ones.
    """
    if not isinstance(segments, (list, tuple)) or not segments:
        raise ParameterError(f"segments must be a non-empty list of pandas Series; got {segments!r:.80}")
    sampled: list[pd.Series] = []
    for i, seg in enumerate(segments):
        if not isinstance(seg, pd.Series):
            raise ParameterError(f"segments[{i}] must be a pandas Series; got {type(seg).__name__}")
        s = period_levels(seg, freq, how)
        if s.empty:
            raise ParameterError(f"segments[{i}] ({seg.name!r}) has no positive observations")
        sampled.append(s.rename(seg.name if seg.name is not None else f"segment{i}"))
    order = sorted(range(len(sampled)), key=lambda i: (-sampled[i].index[0].value, i))
    newest = sampled[order[0]]
    chained = newest.astype(float).copy()
    splices: list[tuple[str, pd.Timestamp, pd.Timestamp]] = [(str(newest.name), newest.index[0], newest.index[-1])]
    for i in order[1:]:
        seg = sampled[i]
        splice = chained.index[0]
        if seg.index[0] >= splice:
            continue
        if splice not in seg.index:
            raise ParameterError(
                f"cannot link {seg.name!r} to the newer series at {splice.date()}: {seg.name!r} has no value for "
                f"that period (it covers {seg.index[0].date()} to {seg.index[-1].date()}); the segments must overlap "
                "on the splice period"
            )
        older = seg.loc[seg.index < splice]
        linked = older * (chained.loc[splice] / seg.loc[splice])
        chained = pd.concat([linked, chained])
        splices.append((str(seg.name), older.index[0], older.index[-1]))
    if base_date is not None:
        try:
            b = pd.Timestamp(base_date)
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"base_date must be a date like '2006-01-31'; got {base_date!r}") from exc
        hit = chained.index[chained.index >= b]
        if len(hit) == 0 or b <= chained.index[0] - pd.tseries.frequencies.to_offset(freq):
            raise ParameterError(
                f"base_date {b.date()} is outside the chained series ({chained.index[0].date()} to "
                f"{chained.index[-1].date()})"
            )
        chained = chained * (100.0 / chained.loc[hit[0]])
    out = chained.rename(name or "chained")
    out.index.name = newest.index.name or "date"
    out.attrs = {"splices": splices, "freq": freq, "how": how}
    return out
