"""Small-cap relative strength: where it stands, its leadership cycles, and what followed breakouts.

The studies of notebook 01's monthly questions, each one call returning a result object
(:class:`rotation.stats.results.Estimates`) that says what it is, records itself and describes
itself in a sentence:

* :func:`relative_standing` -- the latest 1-, 3- and 5-year relative returns against their own
  history, and the drawdown of the relative-strength line;
* :func:`leadership_cycles` -- leadership and laggard phases of the ratio (dated with hindsight);
* :func:`breakout_study` -- forward relative returns after breakout episodes against all months,
  the false-breakout rate, and the same comparison in each half of the sample.

Conventions as in :mod:`rotation.studies.returns`: decimal simple returns, a signal at month ``t``
uses data to the close of ``t``, forward returns start at ``t+1``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rotation.stats.results import Estimates, Method, Results
from rotation.stats.units import Units
from rotation.studies import cycles, outcomes, returns, signals

__all__ = ["WINDOWS", "relative_standing", "leadership_cycles", "breakout_study", "breakout_forward", "halves"]

#: Rolling windows of the standing table: label -> months.
WINDOWS: dict[str, int] = {"1 year": 12, "3 years": 36, "5 years": 60}

_NAN = float("nan")


def _row(estimate: float, nobs: int, **extra: object) -> dict[str, object]:
    return {"estimate": estimate, "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN, "ci_upper": _NAN,
            "nobs": nobs, **extra}


def relative_standing(rets: pd.DataFrame, windows: Mapping[str, int] = WINDOWS, periods_per_year: int = 12
                      ) -> Estimates:
    """The latest rolling relative return of small over large caps, annualised, against its history.

    Parameters
    ----------
    rets : pd.DataFrame
        Columns ``small`` and ``large``: decimal returns per period (:func:`rotation.data.small_large`).
    windows : mapping
        ``{label: periods}`` of the rolling windows (default 1, 3 and 5 years of months).
    periods_per_year : int

    Returns
    -------
    Estimates
        One row per window: ``estimate`` = the latest annualised relative return, ``nobs`` = the
        months of history, ``percentile`` = the share of past values at or below the latest, ``date``.
        ``extra``: the relative-strength line's ``max_drawdown``, its ``max_drawdown_date`` and the
        ``current_drawdown`` (from its running peak). ``.data``: the rolling returns (one column per
        window) and ``drawdown``.
    """
    rolling = pd.DataFrame({k: returns.rolling_relative_return(rets["small"], rets["large"], w, periods_per_year)
                            for k, w in windows.items()})
    lrs = returns.log_relative_strength(rets["small"], rets["large"])
    ratio_dd = returns.drawdown(np.exp(lrs))
    latest = rolling.iloc[-1]
    table = pd.DataFrame({k: _row(float(latest[k]), int(rolling[k].notna().sum()),
                                  percentile=returns.percentile_of_last(rolling[k]), date=rolling.index[-1])
                          for k in windows}).T
    table = table.astype({c: float for c in ("estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper",
                                              "percentile")}).astype({"nobs": int})
    table.index.name = "window"
    units = Units.returns("decimal relative return per year (annualised), latest window")
    words = ", ".join(f"{k} {units.format(table.loc[k, 'estimate'], digits=1)} "
                      f"({table.loc[k, 'percentile']:.0%} percentile)" for k in windows)
    sentence = (f"As of {rolling.index[-1]:%Y-%m}, small minus large caps, annualised: {words}. The relative-strength "
                f"line is {-ratio_dd.iloc[-1]:.0%} below its peak (the deepest fall: {-ratio_dd.min():.0%}, "
                f"{ratio_dd.idxmin():%Y-%m}).")
    extra = {"max_drawdown": float(ratio_dd.min()), "max_drawdown_date": ratio_dd.idxmin(),
             "current_drawdown": float(ratio_dd.iloc[-1])}
    return Estimates(table, Method(kind="descriptive", note="percentile: share of past values at or below the latest"),
                     units, "Latest rolling relative return and its percentile in history", extra=extra,
                     data=rolling.assign(drawdown=ratio_dd), sentence=sentence)


def leadership_cycles(lrs: pd.Series, min_swing: float, periods_per_year: int = 12) -> Estimates:
    """Leadership and laggard phases of the log relative-strength line (:func:`rotation.studies.cycles.find_swings`).

    Returns
    -------
    Estimates
        Rows ``leadership`` and ``laggard``: ``estimate`` = the median length of a phase in years,
        ``nobs`` = phases of that kind. ``extra``: ``n_phases`` and the phase in progress
        (``current_kind``, ``current_start``, ``current_relative_return``). ``.data``: the phases.
        Turning points are dated with hindsight: a description of history, not a signal.
    """
    phases = cycles.find_swings(lrs, min_swing)
    rows = {}
    for kind in ("leadership", "laggard"):
        sel = phases.loc[phases["kind"] == kind, "periods"]
        rows[kind] = _row(float(sel.median() / periods_per_year), int(len(sel)))
    table = pd.DataFrame(rows).T.astype(float).astype({"nobs": int})
    table.index.name = "phase"
    current = phases.iloc[-1]
    extra = {"n_phases": len(phases), "current_kind": current["kind"], "current_start": current["start"],
             "current_relative_return": float(current["relative_return"])}
    sentence = (f"{len(phases)} phases since {lrs.index[0]:%Y}: the median leadership phase lasted "
                f"{table.loc['leadership', 'estimate']:.1f} years and the median laggard phase "
                f"{table.loc['laggard', 'estimate']:.1f} years. The phase in progress is a **{current['kind']}** phase "
                f"that began in {current['start']:%Y-%m}, with a relative return of "
                f"{current['relative_return']:+.0%} so far.")
    method = Method(kind="descriptive", note=f"zig-zag turning points: a reversal of at least {min_swing} log points "
                                             "confirms a turn (dated with hindsight)")
    shown = phases.assign(years=phases["periods"] / periods_per_year)
    return Estimates(table, method, Units.number("median length of a phase, years"), "Leadership cycles",
                     extra=extra, data=shown[["start", "end", "kind", "years", "relative_return", "confirmed"]],
                     sentence=sentence)


def halves(index: pd.Index) -> dict[str, np.ndarray]:
    """The first and second half of a sample (split at the middle date, which ends the first half):
    ``{"1926-1976": mask, "1976-2026": mask}`` (labelled by month when both halves fall in one year)."""
    mid = index[len(index) // 2]
    fmt = "%Y" if index[0].year != mid.year or mid.year != index[-1].year else "%Y-%m"
    return {f"{index[0]:{fmt}}-{mid:{fmt}}": np.asarray(index <= mid),
            f"{mid:{fmt}}-{index[-1]:{fmt}}": np.asarray(index > mid)}


def _forward(rel: pd.Series, episodes: pd.Series, horizons: Sequence[int], reps: int, seed: int) -> Estimates:
    return outcomes.event_study(rel, episodes, horizons, reps=reps, seed=seed,
                                units=Units.returns("decimal relative return over the next h months"),
                                title="Forward relative return after breakout episodes (rows: h months)")


def breakout_forward(rets: pd.DataFrame, *, lookback: int, rule: str, gap: int, horizons: Sequence[int],
                     horizon: int, reps: int, seed: int, **_: object) -> Estimates:
    """Only the forward relative returns after breakout episodes (the ``forward`` part of :func:`breakout_study`,
    the same numbers): what a second proxy is checked on. Other keywords of :func:`breakout_study` are ignored."""
    rel = returns.relative_returns(rets["small"], rets["large"])
    lrs = returns.log_relative_strength(rets["small"], rets["large"])
    episodes = signals.merge_episodes(signals.breakout_signals(lrs, lookback, rule=rule), gap)
    return _forward(rel, episodes, sorted({*horizons, horizon}), reps, seed)


def breakout_study(rets: pd.DataFrame, *, lookback: int, rule: str, gap: int, horizons: Sequence[int], k: int,
                   horizon: int, reps: int, seed: int) -> Results:
    """Relative-strength breakouts and what followed them.

    Breakouts of the log relative-strength line (:func:`rotation.studies.signals.breakout_signals`,
    ``rule`` over ``lookback`` months) merged into episodes (``gap``); forward relative returns after
    episodes against all months at each horizon (:func:`rotation.studies.outcomes.event_study`, the
    deciding ``horizon`` always included), the share of breakouts that fell back below their level
    within ``k`` months (:func:`rotation.studies.outcomes.false_breakout_rate`), and the event study
    in each half of the sample (:func:`halves`).

    Returns
    -------
    Results
        ``forward`` (rows: horizons), ``false_rate`` (one row) and ``halves`` (rows: half, horizon);
        ``extra``: ``n_signals``, ``n_episodes``; the sentence states the deciding horizon.
    """
    rel = returns.relative_returns(rets["small"], rets["large"])
    lrs = returns.log_relative_strength(rets["small"], rets["large"])
    hs = sorted({*horizons, horizon})
    breakouts = signals.breakout_signals(lrs, lookback, rule=rule)
    episodes = signals.merge_episodes(breakouts, gap)
    forward = _forward(rel, episodes, hs, reps, seed)
    false_rate = outcomes.false_breakout_rate(lrs, episodes, k, lookback=lookback, rule=rule)
    parts = {name: outcomes.event_study(rel[mask], episodes[mask], hs, reps=reps, seed=seed).table
             for name, mask in halves(rel.index).items()}
    by_half = Estimates(pd.concat(parts, names=["sub-period"]), forward.method, forward.units,
                        "Forward relative return after breakout episodes, by half of the sample")
    t = forward.table
    u = forward.units

    def ci(a: str, b: str, c: str) -> str:
        sig = "significant" if t.loc[horizon, b] > 0 or t.loc[horizon, c] < 0 else "not significant"
        return (f"{u.format(t.loc[horizon, a], digits=1)} (95% CI {u.format(t.loc[horizon, b], digits=1)} to "
                f"{u.format(t.loc[horizon, c], digits=1)}; {sig})")

    sentence = (f"{int(episodes.sum())} breakout episodes. {horizon} months later the ratio had moved "
                f"{ci('estimate', 'ci_lower', 'ci_upper')} on average, against "
                f"{u.format(t.loc[horizon, 'mean_all'], digits=1)} for all months: a difference of "
                f"{ci('diff', 'diff_lower', 'diff_upper')}. {false_rate.estimate:.0%} of the {false_rate.nobs} "
                f"breakouts with {k} months of data after them fell back below the level they broke within that "
                "time (false breakouts).")
    return Results({"forward": forward, "false_rate": false_rate, "halves": by_half},
                   extra={"n_signals": int(breakouts.sum()), "n_episodes": int(episodes.sum())},
                   title="Relative-strength breakouts", sentence=sentence, data=episodes.to_frame("episode"))
