"""Daily small-cap moves: blow-off rallies, approaches to round index levels, closes at all-time highs.

The daily studies of notebook 01, each one call returning a result object:

* :func:`blowoff_study` -- extreme short-term rallies near a prior high (blow-offs), far below it
  (crash rebounds) and ordinary new highs, and what followed each;
* :func:`round_level_study` -- every approach of an index to a round thousand from below, whether
  it broke or failed, and the forward returns after each outcome;
* :func:`all_time_high_study` -- forward returns after closes at a prior all-time high against all
  other days.

Signals use data to the close of their day (:mod:`rotation.studies.signals`); forward returns
start the next day and look ahead by design.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.intervals import bootstrap_diff_ci, event_mean_ci
from rotation.stats.results import Estimates, Method, Results, Sentence
from rotation.stats.units import Units
from rotation.studies import outcomes, returns, signals

__all__ = ["blowoff_study", "blowoff_events", "start_distance", "round_level_study", "all_time_high_study",
           "TRADING_DAYS", "LevelReading", "price_level"]

#: Trading days in a year: the look-back of a "prior high" and of an ordinary breakout.
TRADING_DAYS = 252

_NAN = float("nan")
_GROUPS = ("blow-off", "crash rebound", "ordinary breakout")


def start_distance(wealth: pd.Series, window: int) -> pd.Series:
    """Distance of a wealth index below its prior 252-day high at the close a ``window``-day rally ending at
    ``t`` starts from (``t - window``; the rally compounds ``t-window+1..t``), the high taken over the 252
    days to that close (known then). Decimal, <= 0; NaN for the first ``window`` days."""
    high = wealth.rolling(TRADING_DAYS, min_periods=1).max()
    return (wealth / high - 1).shift(window).rename("start_distance")


def _episodes(daily: pd.DataFrame, window: int, threshold: float, min_history: int, horizon: int,
              near_high: float) -> tuple[dict[str, pd.Series], pd.Timestamp | None, pd.Series]:
    """Blow-off, crash-rebound and ordinary-breakout episodes (their first days), the first day an extreme
    rally can be called (the first with a cutoff), and every extreme-rally day.

    The extreme-rally days are merged into episodes once, all together (a day within ``horizon`` days of
    the episode's previous one continues it, :func:`rotation.studies.signals.merge_episodes`); each episode
    is then classed by where the rally that began it *started* (:func:`start_distance` of its first day):
    a blow-off within ``near_high`` of the prior 252-day high, a crash rebound further below. One rally is
    thus in one group, whatever its later days started from, and no episode of one group starts within
    ``horizon`` days after an episode of the other. Where a rally ended does not matter (a crash rebound
    ends near its old high too). Ordinary breakouts (new 252-day highs on days without an extreme rally)
    are merged apart."""
    wealth = returns.cumulative_returns(daily["small"])
    stat = signals.blowoff_statistic(daily["small"], window, threshold, method="quantile", min_history=min_history)
    extreme = signals.merge_episodes(stat["signal"], horizon)
    near = (start_distance(wealth, window) >= -near_high).to_numpy()
    new_high = signals.breakout_signals(np.log(wealth), TRADING_DAYS, rule="high")
    return {
        "blow-off": extreme & near,
        "crash rebound": extreme & ~near,
        "ordinary breakout": signals.merge_episodes(new_high & ~stat["signal"] & (stat["cutoff"].notna()), horizon),
    }, stat["cutoff"].first_valid_index(), stat["signal"]


def blowoff_events(daily: pd.DataFrame, *, window: int, threshold: float, min_history: int, horizon: int,
                   near_high: float) -> Estimates:
    """Each extreme-rally episode of :func:`blowoff_study`, in date order, with its one class and where its
    rally started and ended.

    Returns
    -------
    Estimates
        Rows ``(group, date)`` in date order: the episode's class (``blow-off`` or ``crash rebound``) and
        its first signal day; one row per episode. ``estimate`` = the distance below the prior 252-day high at the
        close the episode's first rally started from (:func:`start_distance`; what classes it), ``nobs`` =
        1; ``rally_start`` (that close's date), ``rally`` (the ``window``-day move), ``distance_at_signal``
        (below the prior 252-day high on the signal day), ``below_all_time_high`` (at the rally's start,
        below the highest close since the data begin), ``forward`` (the next ``horizon`` days' return; NaN
        without a full horizon), ``last_signal`` and ``signal_days`` (the episode's last extreme-rally day
        and how many it has) and ``nearest_start`` (the start distance nearest the high among those days;
        it does not class the episode).
    """
    groups, _, signal = _episodes(daily, window, threshold, min_history, horizon, near_high)
    wealth = returns.cumulative_returns(daily["small"])
    start = start_distance(wealth, window)
    at_signal = wealth / wealth.rolling(TRADING_DAYS, min_periods=1).max() - 1
    below_ath = (wealth / wealth.cummax() - 1).shift(window)
    move = wealth / wealth.shift(window) - 1
    fwd = returns.forward_returns(daily["small"], horizon)
    origin = pd.Series(wealth.index, index=wealth.index).shift(window)
    first = groups["blow-off"] | groups["crash rebound"]  # every episode's first day, in one class each
    days = pd.DataFrame({"episode": first.cumsum()[signal], "start": start[signal]})
    days["day"] = days.index
    spans = days.groupby("episode").agg(last=("day", "max"), n=("day", "size"), nearest=("start", "max"))
    rows = []
    for i, d in enumerate(first.index[first.to_numpy()], start=1):
        rows.append({"group": "blow-off" if groups["blow-off"][d] else "crash rebound", "date": d,
                     "estimate": float(start[d]), "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN,
                     "ci_upper": _NAN, "nobs": 1, "rally_start": origin[d], "rally": float(move[d]),
                     "distance_at_signal": float(at_signal[d]), "below_all_time_high": float(below_ath[d]),
                     "forward": float(fwd[d]), "last_signal": spans.loc[i, "last"],
                     "signal_days": int(spans.loc[i, "n"]), "nearest_start": float(spans.loc[i, "nearest"])})
    cols = ["group", "date", "estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs", "rally_start",
            "rally", "distance_at_signal", "below_all_time_high", "forward", "last_signal", "signal_days",
            "nearest_start"]
    table = pd.DataFrame(rows, columns=cols).set_index(["group", "date"])  # rows in date order
    table[["nobs", "signal_days"]] = table[["nobs", "signal_days"]].astype(int)
    by = {name: table.xs(name, level="group") if name in table.index.get_level_values("group") else table.iloc[:0]
          for name in ("blow-off", "crash rebound")}
    parts = [f"{len(sub)} {name}{'s' if len(sub) != 1 else ''} started {_range(sub['estimate'])} below it"
             for name, sub in by.items()]
    ath = ", ".join(f"{d:%Y-%m-%d} ({-v:.1%} below)" for d, v in by["blow-off"]["below_all_time_high"].items())
    sentence = (f"Extreme-rally days within {horizon} days of each other are one episode, classed once by where its "
                f"first rally started against the prior {TRADING_DAYS}-day high (within {near_high:.0%}: a "
                f"blow-off): {parts[0]}; {parts[1]}."
                + (f" Below the all-time high, the blow-offs started: {ath}." if ath else ""))
    rebound = by["crash rebound"]
    later = rebound.index[rebound["nearest_start"] >= -near_high]
    if len(later):
        sentence += (f" In {len(later)} crash-rebound episode{'s' if len(later) != 1 else ''} a later day's rally "
                     f"started within {near_high:.0%} ({', '.join(f'{d:%Y-%m-%d}' for d in later)}): the same rally "
                     "continuing, classed by the day it began.")
    method = Method(kind="descriptive", note=f"rally start = the close {window} trading days before the episode's "
                                             f"first signal; high = the highest close in the {TRADING_DAYS} days to "
                                             f"it; episodes merged within {horizon} days, all classes together")
    return Estimates(table, method, Units.returns("decimal distance below the prior 252-day high at the rally's "
                                                  "start"),
                     f"Extreme-rally episodes, each in one class: where each {window}-day rally started",
                     extra={"near_high": float(near_high), "window": int(window)}, sentence=sentence)


def _range(values: pd.Series) -> str:
    """``"-8.3% to -5.0%"`` (``"n/a"`` when empty): the range of decimal distances as percent."""
    v = values.dropna()
    if not len(v):
        return "n/a"
    return f"{-v.max():.1%}" if v.max() == v.min() else f"{-v.max():.1%} to {-v.min():.1%}"


def _mean_ci(forward: pd.Series, events: pd.Series, reps: int, seed: int) -> dict[str, float]:
    """Mean forward return at the events with an iid bootstrap interval over them; with fewer than two events
    that have a forward return, the mean (or NaN) and no interval."""
    known = forward[events.reindex(forward.index, fill_value=False).to_numpy()].dropna()
    if len(known) < 2:
        return {"estimate": float(known.mean()) if len(known) else _NAN, "std_err": _NAN, "ci_lower": _NAN,
                "ci_upper": _NAN}
    ci = event_mean_ci(forward, events, reps=reps, seed=seed)
    return {"estimate": ci.estimate, "std_err": ci.std_err, "ci_lower": ci.ci_lower, "ci_upper": ci.ci_upper}


def blowoff_study(daily: pd.DataFrame, *, window: int, threshold: float, min_history: int, horizon: int,
                  near_high: float, reps: int, seed: int) -> Estimates:
    """What followed extreme small-cap rallies, near a prior high and far below it, and ordinary new highs.

    A blow-off is a rally over ``window`` trading days above the ``threshold`` quantile of all
    earlier such rallies (:func:`rotation.studies.signals.blowoff_statistic`, expanding, nothing
    before ``min_history`` days qualifies) that *started* within ``near_high`` of the prior 252-day
    high: the small-cap wealth index at the close the rally is measured from (``window`` days before
    the signal) against its highest close in the 252 days to then (:func:`start_distance`, known at
    that close). The same rallies starting further below are crash rebounds (they may end near the
    high: where a rally ends does not classify it). Extreme-rally days are merged into episodes once, all
    together (within ``horizon`` days of the episode's previous day), and each episode is classed by the
    rally that began it, so one rally is in one group. Ordinary breakouts are new 252-day highs without an
    extreme rally, merged within ``horizon`` days apart.

    Parameters
    ----------
    daily : pd.DataFrame
        Columns ``small`` and ``large``: daily decimal returns.

    Returns
    -------
    Estimates
        Rows ``blow-off``, ``crash rebound``, ``ordinary breakout``: ``estimate`` = the mean small-cap
        return over the next ``horizon`` days with an iid bootstrap interval over episodes, ``nobs`` =
        episodes, ``median``, ``relative`` (the mean relative to large caps) with ``relative_lower`` /
        ``relative_upper``, ``p_giveback_half`` (share of episodes that gave back half the rally within
        the horizon) and ``giveback_n``. A group with fewer than two episodes followed by a full horizon
        gets its mean (NaN with none) and no interval. ``extra``: the sample's first and last day, the test's
        own sample (``test_start``: the first day a blow-off can be called, ``test_end``: the last day with a
        full horizon after it), the blow-off ``dates``, and the lowest and highest blow-off mean leaving one
        episode out. ``.data``: the episode flags of each group.
    """
    groups, first_callable, _ = _episodes(daily, window, threshold, min_history, horizon, near_high)
    wealth = returns.cumulative_returns(daily["small"])
    fwd_abs = returns.forward_returns(daily["small"], horizon)
    fwd_rel = returns.forward_relative_returns(daily["small"], daily["large"], horizon)
    rows = {}
    for name, ev in groups.items():
        gb = outcomes.giveback(wealth, ev, window, horizon, fraction=0.5)
        a = _mean_ci(fwd_abs, ev, reps, seed)
        r = _mean_ci(fwd_rel, ev, reps, seed)
        rows[name] = {"estimate": a["estimate"], "std_err": a["std_err"], "t": _NAN, "p_value": _NAN,
                      "ci_lower": a["ci_lower"], "ci_upper": a["ci_upper"], "nobs": int(ev.sum()),
                      "median": float(fwd_abs[ev].median()), "relative": r["estimate"], "relative_lower": r["ci_lower"],
                      "relative_upper": r["ci_upper"], "p_giveback_half": gb.estimate, "giveback_n": gb.nobs}
    table = pd.DataFrame(rows).T.astype(float).astype({"nobs": int, "giveback_n": int})
    table.index.name = "group"
    blow = groups["blow-off"]
    after = fwd_abs[blow].dropna()
    loo = (after.sum() - after) / (len(after) - 1) if len(after) > 1 else after * np.nan
    extra = {"horizon": int(horizon), "near_high": float(near_high),
             "sample_start": daily.index[0], "sample_end": daily.index[-1],
             "test_start": first_callable, "test_end": fwd_abs.dropna().index[-1],
             "dates": list(blow.index[blow.to_numpy()]), "leave_one_out_min": float(loo.min()),
             "leave_one_out_max": float(loo.max())}
    nb = int(blow.sum())
    sentence = (f"Blow-off tops start within {near_high:.0%} of the prior 252-day high, measured where the rally "
                f"that begins an episode starts ({nb} episode{'s' if nb != 1 else ''}); "
                f"{int(groups['crash rebound'].sum())} extreme-rally episodes started further below it (crash "
                f"rebounds, reported apart; each episode is in one group). "
                + (f"Leaving out one blow-off at a time, their mean next-{horizon}-day return ranges from "
                   f"{loo.min():+.1%} to {loo.max():+.1%}." if len(after) > 1 else
                   f"With {len(after)} blow-off{'s' if len(after) != 1 else ''} followed by a full horizon, "
                   "there is no leave-one-out range."))
    method = Method(kind="bootstrap", bootstrap="iid", reps=int(reps), seed=int(seed),
                    note=f"over episodes; episodes merged within {horizon} days (extreme rallies all together, "
                         "each episode classed by its first rally)")
    return Estimates(table, method, Units.returns(f"decimal return over the next {horizon} trading days"),
                     f"After blow-offs, crash rebounds and ordinary breakouts (next {horizon} trading days)",
                     extra=extra, data=pd.DataFrame(groups), sentence=sentence)


def round_level_study(close: pd.Series, *, step: float = 1000, within: float, hold: int, horizons: Sequence[int],
                      summary_horizon: int = 63) -> Results:
    """Approaches of an index to round levels from below, their outcome, and what followed.

    Every approach to a multiple of ``step`` (1,000, 2,000...) within the index's range
    (:func:`rotation.studies.outcomes.level_episodes`: a close within ``within`` below the level
    after being below that band) **breaks** when the index then closes above the level ``hold``
    days in a row before falling back below the band, and **fails** otherwise; forward returns are
    measured from the day the outcome was known.

    Returns
    -------
    Results
        ``outcomes``: rows ``(level, outcome, horizon)``, ``estimate`` = mean forward return, ``nobs``,
        ``share_positive``; ``summary``: rows ``break`` and ``fail``, ``estimate`` = the mean forward
        return over ``summary_horizon`` days across levels (weighted by approaches), ``nobs`` = decided
        approaches. ``extra["at_2000"]``: the approaches to 2,000 and their outcomes. ``.data``:
        every approach.
    """
    rets = returns.simple_returns(close)
    levels = [lv for lv in signals.round_levels(close, step) if step <= lv <= close.max() * (1 + within)]
    episodes = pd.concat([outcomes.level_episodes(close, lv, within, hold) for lv in levels], ignore_index=True)
    decided = episodes[episodes["outcome"] != "pending"]
    rows = []
    for (lv, outcome), grp in decided.groupby(["level", "outcome"]):
        ev = pd.Series(False, index=rets.index)
        ev[ev.index.isin(grp["decision_date"])] = True
        for h in horizons:
            f = returns.forward_returns(rets, h)[ev].dropna()
            rows.append({"level": int(lv), "outcome": outcome, "horizon": h, "estimate": f.mean() if len(f) else _NAN,
                         "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN, "ci_upper": _NAN,
                         "nobs": len(f), "share_positive": (f > 0).mean() if len(f) else _NAN})
    table = pd.DataFrame(rows).set_index(["level", "outcome", "horizon"])
    units = Units.returns("decimal index return over the next h trading days, from the day the outcome was known")
    by_outcome = Estimates(table, Method(kind="descriptive"), units, "Forward returns after breaks and failures")
    summary = {}
    for o in ("break", "fail"):
        sel = table.xs(summary_horizon, level="horizon").xs(o, level="outcome")
        mean = float(np.average(sel["estimate"], weights=sel["nobs"])) if sel["nobs"].sum() else _NAN
        summary[o] = {"estimate": mean, "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN,
                      "ci_upper": _NAN, "nobs": int((decided["outcome"] == o).sum())}
    summary_est = Estimates(pd.DataFrame(summary).T.astype(float).astype({"nobs": int}).rename_axis("outcome"),
                            Method(kind="descriptive", note="means across levels weighted by approaches"),
                            Units.returns(f"decimal index return over the next {summary_horizon} trading days"),
                            f"After breaks and failures of round levels ({summary_horizon} days)")
    at = episodes[episodes["level"] == 2 * step]
    extra = {"at_2000": {"episodes": int(len(at)), "breaks": int((at["outcome"] == "break").sum()),
                         "failures": int((at["outcome"] == "fail").sum()),
                         "pending": int((at["outcome"] == "pending").sum())}}
    return Results({"outcomes": by_outcome, "summary": summary_est}, extra=extra, data=episodes,
                   title="Approaches to round levels")


def all_time_high_study(close: pd.Series, *, horizon: int = 63, reps: int, seed: int) -> Estimates:
    """Mean forward ``horizon``-day return after closes at a prior all-time high minus after all other days,
    with a stationary block bootstrap (blocks of ``horizon`` days: the forward windows overlap).

    Returns
    -------
    Estimates
        One row (:func:`rotation.stats.intervals.bootstrap_diff_ci`); ``extra``: ``n_days`` at a high,
        ``mean_after`` and ``mean_other``.
    """
    rets = returns.simple_returns(close)
    ath = signals.at_all_time_high(close).reindex(rets.index, fill_value=False)
    fwd = returns.forward_returns(rets, horizon)
    diff = bootstrap_diff_ci(fwd[ath].dropna(), fwd[~ath].dropna(), block_size=horizon, reps=reps, seed=seed)
    extra = {"n_days": int(ath.sum()), "mean_after": float(fwd[ath].mean()), "mean_other": float(fwd[~ath].mean())}
    sig = "significant" if diff.ci_lower > 0 or diff.ci_upper < 0 else "not significant"
    sentence = (f"The index closed at a prior all-time high on {extra['n_days']} days. The next {horizon} days "
                f"returned {extra['mean_after']:+.1%} on average after those days and {extra['mean_other']:+.1%} after "
                f"the others: a difference of {diff.estimate:+.1%} (95% CI {diff.ci_lower:+.1%} to "
                f"{diff.ci_upper:+.1%}; {sig}).")
    return replace(diff, extra=extra, sentence=sentence)


@dataclass(frozen=True)
class LevelReading:
    """Where an index closed against a round level and its prior high (:func:`price_level`).

    ``date``/``close``: the last close; ``prior_high``/``prior_high_date``: the highest close before it;
    ``above_since``: the first close of the unbroken run of closes above ``level`` that the last close ends (None
    when the last close is at or below it), so how long the move above the level has held.
    """

    name: str
    date: pd.Timestamp
    close: float
    level: float
    prior_high: float
    prior_high_date: pd.Timestamp
    above_since: pd.Timestamp | None

    @property
    def above_level(self) -> bool:
        return self.close > self.level

    @property
    def above_prior_high(self) -> bool:
        return self.close > self.prior_high

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "date": f"{self.date:%Y-%m-%d}", "close": self.close, "level": self.level,
                "above_level": self.above_level, "prior_high": self.prior_high,
                "prior_high_date": f"{self.prior_high_date:%Y-%m-%d}", "above_prior_high": self.above_prior_high,
                "distance_to_level": self.close / self.level - 1, "distance_to_prior_high": self.close /
                self.prior_high - 1,
                "above_since": None if self.above_since is None else f"{self.above_since:%Y-%m-%d}"}

    def describe(self) -> Sentence:
        held = (f"above {self.level:,.0f} since {self.above_since:%Y-%m-%d}" if self.above_since is not None else
                f"{self.close / self.level - 1:+.1%} from {self.level:,.0f}, below it")
        high = (f"a new high, {self.close / self.prior_high - 1:+.1%} above the prior high of "
                f"{self.prior_high:,.0f} ({self.prior_high_date:%Y-%m-%d})" if self.above_prior_high else
                f"{self.close / self.prior_high - 1:+.1%} from its prior high of {self.prior_high:,.0f} "
                f"({self.prior_high_date:%Y-%m-%d})")
        return Sentence(f"The {self.name} closed at {self.close:,.0f} on {self.date:%Y-%m-%d}: {held}; {high}.")


def price_level(close: pd.Series, *, level: float = 2000.0, name: str = "Russell 2000") -> LevelReading:
    """The last close of ``close`` (a daily price index, cut at the run's ``as_of`` by the caller) against the round
    ``level`` the commentary names and the highest close before it."""
    c = close.dropna()
    if len(c) < 2:
        raise ParameterError(f"close needs at least two closes to have a prior high; got {len(c)} (a later end date, "
                             "or import the index: rotation data import)")
    last, prior = c.index[-1], c.iloc[:-1]
    below = c.index[c <= level]
    since = None if c.iloc[-1] <= level else (c.index[0] if len(below) == 0 else c.index[c.index > below[-1]][0])
    return LevelReading(name, last, float(c.iloc[-1]), float(level), float(prior.max()), prior.idxmax(), since)
