"""Null benchmarks: what a rule would report on data with no predictability.

A rate such as "50% of breakouts failed" means little until it is set against the rate the
same rule produces on paths where nothing is predictable. :func:`null_distribution` builds
those paths with a block bootstrap of the observed returns (``arch``'s stationary bootstrap:
short-run autocorrelation and volatility clustering are kept, any link between a signal and
what follows it beyond a block is broken), applies the statistic to each path, and compares
the observed value with the resulting distribution.

Deterministic for a given ``seed``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from arch.bootstrap import CircularBlockBootstrap, StationaryBootstrap

from rotation.errors import ParameterError
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units, format_p

__all__ = ["null_distribution", "null_summary", "NULL_COLUMNS", "false_breakout_null", "false_breakout_share",
           "round_level_placebo"]


#: The columns a null comparison adds to the vocabulary (see :func:`null_distribution`).
NULL_COLUMNS = ("null_mean", "null_median", "null_lower", "null_upper", "percentile", "p_less", "n_valid")


def null_summary(result: Estimates) -> str:
    """One paragraph on a :func:`null_distribution` result: observed against the null's median and range,
    its percentile, both one-sided p-values, and how the null was built."""
    r = result.table.iloc[0]
    m = result.method
    return (f"{result.title or 'statistic'}: observed {r['estimate']:.4g} against a null median of "
            f"{r['null_median']:.4g} ({1 - m.alpha:.0%} range {r['null_lower']:.4g} to {r['null_upper']:.4g}); "
            f"percentile {r['percentile']:.0%}, {format_p(r['p_value'], prefix='p(greater) ')}, "
            f"{format_p(r['p_less'], prefix='p(less) ')}. "
            f"Null: {m.bootstrap} block bootstrap of the returns, expected block {m.block_size}, "
            f"{int(r['n_valid'])} of {m.reps} paths usable, seed {m.seed}.")


def null_distribution(
    data: pd.Series | pd.DataFrame,
    statistic: Callable[[Any], float],
    *,
    block_size: int,
    reps: int = 500,
    seed: int = 0,
    method: str = "stationary",
    alpha: float = 0.05,
    label: str = "",
    units: Units = Units.number("the statistic's units"),
) -> Estimates:
    """Compare ``statistic(data)`` with its values on block-bootstrapped copies of ``data``.

    Parameters
    ----------
    data : pd.Series or pd.DataFrame
        Returns (rows are periods; a DataFrame's rows are resampled together, so a small/large
        pair keeps its contemporaneous correlation). Resampled rows keep the original index, so a
        statistic that uses dates sees the same calendar.
    statistic : callable
        ``f(data_like) -> float``; NaN when undefined on a path (those draws are dropped and
        counted out of ``n_valid``).
    block_size : int
        Expected (stationary) or fixed (circular) block length in periods, >= 1. Use at least the
        horizon over which the rule looks ahead.
    reps : int
        Bootstrap paths (>= 19).
    seed : int
    method : {"stationary", "circular"}
    alpha : float
        For the reported central range of the null.

    Returns
    -------
    Estimates
        One row (``"observed"``, titled ``label``): ``estimate`` = the statistic on the data,
        ``p_value`` = ``(1 + #{null >= observed}) / (1 + n)`` (one-sided, greater), no interval;
        ``null_mean``, ``null_median``, ``null_lower``/``null_upper`` (the null's central
        ``1 - alpha`` range), ``percentile`` (share of null draws at or below the observed value),
        ``p_less`` (the mirror p-value) and ``n_valid`` (draws where the statistic was defined).
        ``.method``: the block bootstrap that built the null; ``.data``: the null draws.
        :func:`null_summary` says it in words.
    """
    if not isinstance(data, (pd.Series, pd.DataFrame)):
        raise ParameterError(f"data must be a pandas Series or DataFrame of returns; got {type(data).__name__}")
    if not callable(statistic):
        raise ParameterError(f"statistic must be a function of the data returning a float; got {statistic!r}")
    if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ParameterError(f"block_size must be an integer >= 1; got {block_size!r}")
    if isinstance(reps, bool) or not isinstance(reps, (int, np.integer)) or reps < 19:
        raise ParameterError(f"reps must be an integer >= 19; got {reps!r}")
    if method not in ("stationary", "circular"):
        raise ParameterError(f"method must be 'stationary' or 'circular'; got {method!r}")
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must be between 0 and 1; got {alpha!r}")
    clean = data.dropna()
    if len(clean) < 2 * block_size:
        raise ParameterError(f"data has {len(clean)} complete rows; need at least 2 * block_size = {2 * block_size}")
    observed = float(statistic(clean))
    cls = StationaryBootstrap if method == "stationary" else CircularBlockBootstrap
    bs = cls(int(block_size), clean.to_numpy(), seed=int(seed))
    values = np.empty(int(reps))
    for i, (pos, _kw) in enumerate(bs.bootstrap(int(reps))):
        arr = pos[0]
        path = (pd.Series(arr, index=clean.index, name=clean.name) if isinstance(clean, pd.Series)
                else pd.DataFrame(arr, index=clean.index, columns=clean.columns))
        values[i] = float(statistic(path))
    valid = values[np.isfinite(values)]
    n = len(valid)
    nan = math.nan
    row = {"estimate": observed, "std_err": nan, "t": nan, "p_value": nan, "ci_lower": nan, "ci_upper": nan,
           "nobs": nan, **{c: nan for c in NULL_COLUMNS}, "n_valid": n}
    if n and math.isfinite(observed):
        row.update(null_mean=float(valid.mean()), null_median=float(np.median(valid)),
                   null_lower=float(np.quantile(valid, alpha / 2)), null_upper=float(np.quantile(valid, 1 - alpha / 2)),
                   percentile=float((valid <= observed).mean()),
                   p_value=float((1 + (valid >= observed).sum()) / (1 + n)),
                   p_less=float((1 + (valid <= observed).sum()) / (1 + n)))
    boot = Method(kind="bootstrap", bootstrap=method, block_size=int(block_size), reps=int(reps), seed=int(seed),
                  alpha=alpha, note="null distribution: the statistic on resampled paths with no predictability")
    result = Estimates(pd.DataFrame([row], index=pd.Index(["observed"], name="statistic")), boot, units, label,
                       data=pd.DataFrame({"null": values}))
    return replace(result, sentence=null_summary(result))


def false_breakout_null(
    returns: pd.DataFrame,
    *,
    lookback: int,
    rule: str = "high",
    gap: int,
    k: int,
    block_size: int = 12,
    reps: int = 500,
    seed: int = 0,
) -> Estimates:
    """The false-breakout rate of a rule against the rate it gives on paths with no predictability.

    The statistic on a path: build the log relative strength of ``small`` over ``large``
    (:func:`rotation.studies.returns.log_relative_strength`), its breakouts
    (:func:`rotation.studies.signals.breakout_signals`, merged with ``gap``) and the share that fall back below
    the level they broke within ``k`` periods (:func:`rotation.studies.outcomes.false_breakout_rate`). The null
    resamples the rows of ``returns`` (small and large together) in blocks of about ``block_size``
    periods, which keeps short-run momentum and volatility but no longer-run predictability.

    Returns
    -------
    Estimates
        As :func:`null_distribution`: ``estimate`` is the data's false-breakout rate, ``p_value`` the
        one-sided p-value that it is higher than noise alone gives (the claim "breakouts are often
        false" needs more than that).
    """
    from rotation.stats.checks import check_choice, check_int, check_returns

    if not isinstance(returns, pd.DataFrame) or not {"small", "large"} <= set(returns.columns):
        raise ParameterError("returns must be a DataFrame with columns small and large (rotation.data.small_large)")
    pair = returns[["small", "large"]]
    check_returns(pair, "returns")
    n = check_int(lookback, "lookback", minimum=1)
    rule = check_choice(rule, "rule", ("high", "ma"))
    g = check_int(gap, "gap", minimum=0)
    kk = check_int(k, "k", minimum=1)

    def rate(path: pd.DataFrame) -> float:
        return false_breakout_share(path.to_numpy(dtype=float), n, rule, g, kk)

    return null_distribution(pair, rate, block_size=block_size, reps=reps, seed=seed,
                             label="false-breakout rate", units=Units.share("share of breakouts"))


def false_breakout_share(pair: np.ndarray, lookback: int, rule: str, gap: int, k: int) -> float:
    """The false-breakout rate of one small/large path: :func:`false_breakout_null`'s statistic.

    Parameters
    ----------
    pair : np.ndarray, shape (n, 2)
        Decimal simple returns of small (column 0) and large (column 1), no NaN, in date order.
    lookback : int
        Breakout window ``N`` in periods (>= 1).
    rule : {"high", "ma"}
        As in :func:`rotation.studies.signals.breakout_signals`.
    gap : int
        Episode gap in periods (>= 0), as in :func:`rotation.studies.signals.merge_episodes`.
    k : int
        Follow-up window in periods (>= 1), as in :func:`rotation.studies.outcomes.false_breakout_rate`.

    Returns
    -------
    float
        Share (0-1) of breakout episodes with a complete ``k``-period follow-up whose level fell below
        the reference it broke; NaN when there is no episode or none is complete.

    Notes
    -----
    The same number as the pandas pipeline ``log_relative_strength`` -> ``breakout_signals`` ->
    ``merge_episodes`` -> ``false_breakout_rate`` (``tests/test_nulls.py`` checks them equal), computed
    on arrays because the null evaluates it on hundreds of paths: the level is
    ``cumsum(log1p(small) - log1p(large))``; a breakout at ``t`` compares ``level_t`` with the prior
    ``N``-period high (an exact maximum) or with pandas' trailing mean (the same routine as
    :func:`rotation.studies.signals.breakout_reference`); an episode starts at a signal more than ``gap``
    periods after the previous signal; it is false when ``level`` in ``t+1..t+k`` falls below the
    reference at ``t``. Looks ahead by design (an outcome, not a signal).
    """
    from numpy.lib.stride_tricks import sliding_window_view

    level = np.cumsum(np.log1p(pair[:, 0]) - np.log1p(pair[:, 1]))
    size = len(level)
    ref = np.full(size, np.nan)
    if rule == "high":
        if size > lookback:
            ref[lookback:] = sliding_window_view(level[:-1], lookback).max(axis=1)
        sig = level > ref
    else:
        ref = pd.Series(level).rolling(lookback, min_periods=lookback).mean().to_numpy()
        sig = np.zeros(size, dtype=bool)
        sig[1:] = (level[:-1] <= ref[:-1]) & (level[1:] > ref[1:])
    sig[:lookback] = False
    pos = np.flatnonzero(sig)
    if pos.size == 0:
        return float("nan")
    starts = pos[np.concatenate(([True], np.diff(pos) > gap))]
    starts = starts[starts + k <= size - 1]
    if starts.size == 0:
        return float("nan")
    after = sliding_window_view(level, k)[starts + 1]
    hits = int((after < ref[starts, None]).any(axis=1).sum())
    return hits / starts.size


def round_level_placebo(
    close: pd.Series,
    *,
    step: float = 1000,
    offsets: tuple[float, ...] = (250, 500, 750),
    within: float = 0.02,
    hold: int = 5,
    cluster_days: int = 60,
    reps: int = 2000,
    seed: int = 0,
) -> tuple[Estimates, pd.DataFrame]:
    """Do approaches to round levels fail more often than approaches to other (placebo) levels?

    Round levels are the multiples of ``step`` inside the index's range; placebo levels are the same
    multiples plus each of ``offsets`` (1,250, 1,500, 1,750...). For every level the approaches from
    below and their outcome come from :func:`rotation.studies.outcomes.level_episodes`; pending ones are
    dropped. Approaches whose start dates are within ``cluster_days`` of each other form one cluster
    (an index hovering near a level produces several approaches that are one event), and the
    difference in failure rates, round minus placebo, gets a bootstrap over clusters
    (:func:`rotation.stats.clusters.cluster_bootstrap`).

    Returns
    -------
    (summary, approaches)
        ``summary``: one row (``"round minus placebo"``, :func:`rotation.stats.clusters.cluster_bootstrap`):
        ``estimate`` (round minus placebo failure rate), ``std_err``, ``ci_lower``, ``ci_upper``,
        ``mean_a``/``mean_b`` (the two failure rates), ``nobs_a``/``nobs_b``, ``n_clusters``.
        ``approaches``: one row per decided approach with ``kind`` (round/placebo), ``failed`` and
        ``cluster``.
    """
    from rotation.stats.clusters import cluster_bootstrap, cluster_ids
    from rotation.studies import outcomes

    c = close.dropna().astype(float)
    if c.empty:
        raise ParameterError("close has no values")
    lo, hi = float(c.min()), float(c.max()) * (1 + within)
    rounds = [m * step for m in range(1, int(hi // step) + 1) if lo <= m * step <= hi]
    placebos = [m * step + o for m in range(0, int(hi // step) + 1) for o in offsets if lo <= m * step + o <= hi]
    frames = []
    for kind, levels in (("round", rounds), ("placebo", placebos)):
        for lv in levels:
            ep = outcomes.level_episodes(c, lv, within, hold)
            if len(ep):
                frames.append(ep.assign(kind=kind))
    if not frames:
        raise ParameterError("no approaches to any level in the data")
    app = pd.concat(frames, ignore_index=True)
    app = app[app["outcome"] != "pending"].sort_values("start", kind="stable").reset_index(drop=True)
    if app["kind"].nunique() < 2:
        raise ParameterError("approaches to round and to placebo levels are both needed; got only "
                             f"{app['kind'].unique().tolist()}")
    app["failed"] = (app["outcome"] == "fail").astype(float)
    app["cluster"] = cluster_ids(app["start"], cluster_days)
    summary = cluster_bootstrap(app["failed"].to_numpy(), app["cluster"].to_numpy(),
                                app["kind"].to_numpy(), order=("round", "placebo"), reps=reps, seed=seed,
                                units=Units.share("share of approaches that failed (difference)"),
                                title="failure rate at round levels minus placebo levels")
    r = summary.table.iloc[0]
    sentence = (f"Failure rate at round thousands minus placebo levels: {r['estimate']:+.0%} (95% CI "
                f"{r['ci_lower']:+.0%} to {r['ci_upper']:+.0%}; {int(r['n_clusters'])} clusters of {int(r['nobs'])} "
                "approaches).")
    extra = {**summary.extra, "start": f"{c.index[0]:%Y-%m-%d}", "end": f"{c.index[-1]:%Y-%m-%d}",
             "cluster_days": int(cluster_days)}
    return replace(summary, extra=extra, sentence=sentence), app
