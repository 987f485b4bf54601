"""Sector and style rotation: relative strength against a benchmark, rotation quadrants, breadth, episodes.

Conventions
-----------
* Prices are **adjusted closes** (split- and dividend-adjusted: total return) of ETFs as loaded
  (``load(ticker)["adj_close"]``); the weekly series is the **Friday close** (the last close of
  each week ending Friday) from :func:`friday_closes`, the one place daily prices become weekly.
* ETFs start at different dates (XLRE 2015-10, XLC 2018-06): nothing is back-filled; a sector
  enters a cross-section only once it has the history a statistic needs, and every table states
  its sample. XLC was carved out of XLK and XLY in September 2018, so XLK's history before and
  after is not the same basket.
* A quantity dated ``t`` uses closes up to ``t``; forward returns start after ``t``.

The rotation view approximates the proprietary "relative rotation graph" (whose formulas are
not public): :func:`rotation_coordinates` defines its own, documented, standardised measures.
These are the building blocks; the studies of notebook 07 (one call per step, a result object
each) are in :mod:`rotation.studies.sector_rotation`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units

__all__ = ["friday_closes", "rotation_coordinates", "QUADRANTS", "quadrant", "drawdown_episodes", "breadth",
           "event_forward_table", "single_name_profile"]

QUADRANTS = ("leading", "weakening", "lagging", "improving")


def _prices(x: object, name: str) -> pd.DataFrame:
    frame = x.to_frame() if isinstance(x, pd.Series) else x
    if not isinstance(frame, pd.DataFrame) or not isinstance(frame.index, pd.DatetimeIndex):
        raise ParameterError(f"{name} must be prices with a DatetimeIndex; got {type(x).__name__}")
    if (frame.dropna(how="all") <= 0).any().any():
        raise ParameterError(f"{name} must be positive prices (adjusted closes), not returns")
    return frame.astype(float)




def friday_closes(prices: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """The last close of each week ending Friday, stamped on that Friday (NaN before a series starts).

    A week with no close for a series (holidays aside, before its start) stays NaN; nothing is
    filled across weeks.
    """
    p = _prices(prices, "prices")
    out = p.resample("W-FRI").last()
    out.index.name = "date"
    return out


def rotation_coordinates(ratio: pd.Series, level_window: int = 52, momentum_window: int = 13,
                         z_window: int = 260) -> pd.DataFrame:
    """Rotation coordinates of a relative-strength ratio (an approximation of a relative rotation graph).

    Parameters
    ----------
    ratio : pd.Series
        Price of the asset over the benchmark's (weekly closes).
    level_window : int, default 52
        Weeks in the moving average the ratio is compared with.
    momentum_window : int, default 13
        Weeks over which the level's change is measured.
    z_window : int, default 260
        Weeks of trailing history used to standardise both measures (about 5 years; needs half of it).

    Returns
    -------
    pd.DataFrame
        ``level`` = ``100 + z(log(ratio / MA_level(ratio)))`` and ``momentum`` = ``100 + z(level_t -
        level_{t-momentum_window})``, each standardised by its own trailing mean and standard
        deviation (known at ``t``), and ``quadrant``: ``leading`` (level >= 100, momentum >= 100),
        ``weakening`` (level >= 100, momentum < 100), ``lagging`` (both < 100), ``improving``
        (level < 100, momentum >= 100).
    """
    r = ratio.astype(float)
    if (r.dropna() <= 0).any():
        raise ParameterError("ratio must be positive (a price ratio)")
    lw = check_int(level_window, "level_window", minimum=2, maximum=520)
    mw = check_int(momentum_window, "momentum_window", minimum=1, maximum=260)
    zw = check_int(z_window, "z_window", minimum=10, maximum=2600)

    def z(x: pd.Series) -> pd.Series:
        m = x.rolling(zw, min_periods=zw // 2).mean()
        s = x.rolling(zw, min_periods=zw // 2).std()
        return (x - m) / s

    raw = np.log(r / r.rolling(lw, min_periods=lw).mean())
    level = 100 + z(raw)
    momentum = 100 + z(level - level.shift(mw))
    out = pd.DataFrame({"level": level, "momentum": momentum})
    out["quadrant"] = [quadrant(a, b) for a, b in zip(out["level"], out["momentum"], strict=True)]
    return out


def quadrant(level: float, momentum: float) -> str | None:
    """The rotation quadrant of a (level, momentum) point; None when either is missing."""
    if not (np.isfinite(level) and np.isfinite(momentum)):
        return None
    if level >= 100:
        return "leading" if momentum >= 100 else "weakening"
    return "improving" if momentum >= 100 else "lagging"


def drawdown_episodes(ratio: pd.Series, threshold: float, window: int | None = None) -> pd.DataFrame:
    """Dates when a ratio first falls ``threshold`` below its peak: the end of a leadership run.

    An episode starts on the first date the ratio is at least ``threshold`` (decimal, e.g. 0.10)
    below its peak, the highest close over the last ``window`` periods (None: since the start); the
    next episode needs the ratio to set a new peak first. Known at ``t`` (the peak uses closes up to
    ``t``).

    Returns
    -------
    pd.DataFrame
        ``date`` (signal), ``peak_date`` and ``drawdown`` at the signal.
    """
    r = ratio.dropna().astype(float)
    th = float(threshold)
    if not 0 < th < 1:
        raise ParameterError(f"threshold must be a decimal drawdown between 0 and 1 (0.10 is 10%); got {threshold!r}")
    if window is None:
        peak = r.cummax()
    else:
        w = check_int(window, "window", minimum=2, maximum=100_000)
        peak = r.rolling(w, min_periods=1).max()
    at_peak = r >= peak
    rows, armed, last_peak = [], True, None
    vals, pk, ap = r.to_numpy(), peak.to_numpy(), at_peak.to_numpy()
    for i, d in enumerate(r.index):
        if ap[i]:
            armed, last_peak = True, d
        dd = vals[i] / pk[i] - 1
        if armed and dd <= -th:
            rows.append({"date": d, "peak_date": last_peak, "drawdown": dd})
            armed = False
    return pd.DataFrame(rows, columns=["date", "peak_date", "drawdown"])


def breadth(sector_returns: pd.DataFrame, benchmark_returns: pd.Series, min_sectors: int = 5) -> pd.DataFrame:
    """Breadth of sector performance against a benchmark over the same periods.

    Parameters
    ----------
    sector_returns : pd.DataFrame
        One column per sector: the return over a trailing window ending at ``t`` (e.g. 13 weeks),
        NaN where a sector has no history yet.
    benchmark_returns : pd.Series
        The benchmark's return over the same windows.
    min_sectors : int
        Fewer sectors with data leave the row NaN.

    Returns
    -------
    pd.DataFrame
        ``share_beating`` (share of sectors with data whose return beats the benchmark's),
        ``ew_minus_bench`` (equal-weighted mean of the sector returns minus the benchmark's: an
        equal- vs cap-weight gap), ``n_sectors``.
    """
    if not isinstance(sector_returns, pd.DataFrame):
        raise ParameterError("sector_returns must be a DataFrame, one column per sector")
    ms = check_int(min_sectors, "min_sectors", minimum=1, maximum=1000)
    sr = sector_returns.astype(float)
    b = benchmark_returns.reindex(sr.index).astype(float)
    n = sr.notna().sum(axis=1)
    beat = sr.gt(b, axis=0).astype(float).where(sr.notna())
    out = pd.DataFrame({"share_beating": beat.sum(axis=1) / n.where(n > 0).astype(float),
                        "ew_minus_bench": sr.mean(axis=1) - b, "n_sectors": n})
    ok = (n >= ms) & b.notna()
    out.loc[~ok, ["share_beating", "ew_minus_bench"]] = np.nan
    return out


def event_forward_table(forward: dict[int, pd.Series], events: pd.DatetimeIndex | list, *, reps: int = 2000,
                        seed: int = 0, alpha: float = 0.05) -> Estimates:
    """Mean forward return after events minus the mean over all dates, per horizon, bootstrap over events.

    Parameters
    ----------
    forward : dict
        ``{horizon: forward return series stamped at t}`` (covering ``t+1..t+h``).
    events : dates
        Event dates (each taken at the first forward date on or after it). An event dated before the
        first forward date is dropped: the returns did not exist when its window started, and taking
        it at the first forward date would measure it late (listed in ``extra["dropped"]``).

    Returns
    -------
    Estimates
        Per horizon, in the vocabulary: ``estimate`` (events' mean minus all dates' mean),
        ``std_err`` and percentile ``ci_lower/ci_upper`` (iid bootstrap over events of their mean,
        the all-dates mean held fixed: it is estimated from far more, if overlapping, windows),
        ``nobs`` (events with a complete window), ``mean_events``, ``mean_all``, ``median``,
        ``share_positive``, ``start`` and ``end`` (the first and last date with a complete window: the
        test's sample). ``extra``: ``dropped`` (the events before the first forward date) and
        ``first_date`` (that date).
    """
    from rotation.stats.bootstrap import iid_bootstrap_means

    rows = {}
    ev = pd.DatetimeIndex(events)
    first = min((f.first_valid_index() for f in forward.values() if f.notna().any()), default=None)
    early = ev < first if first is not None else np.ones(len(ev), dtype=bool)
    dropped, ev = ev[early], ev[~early]
    for i, (h, fwd) in enumerate(forward.items()):
        f = fwd.dropna()
        span = {"start": f.index[0] if len(f) else pd.NaT, "end": f.index[-1] if len(f) else pd.NaT}
        pos = f.index.searchsorted(ev)
        pos = pos[pos < len(f)]
        vals = f.iloc[np.unique(pos)].to_numpy()
        base = float(f.mean())
        if len(vals) < 2:
            rows[h] = {"estimate": np.nan, "std_err": np.nan, "t": np.nan, "p_value": np.nan, "ci_lower": np.nan,
                       "ci_upper": np.nan, "nobs": len(vals),
                       "mean_events": float(vals.mean()) if len(vals) else np.nan, "mean_all": base,
                       "median": np.nan, "share_positive": np.nan, **span}
            continue
        sims = iid_bootstrap_means(vals, int(reps), int(seed) + i) - base  # = arch IIDBootstrap.apply(np.mean)
        est = float(vals.mean()) - base
        se = float(sims.std(ddof=1))
        from scipy.stats import norm

        rows[h] = {"estimate": est, "std_err": se, "t": est / se if se > 0 else np.nan,
                   "p_value": float(2 * norm.sf(abs(est / se))) if se > 0 else np.nan,
                   "ci_lower": float(np.percentile(sims, 100 * alpha / 2)),
                   "ci_upper": float(np.percentile(sims, 100 * (1 - alpha / 2))),
                   "nobs": int(len(vals)), "mean_events": float(vals.mean()), "mean_all": base,
                   "median": float(np.median(vals)), "share_positive": float((vals > 0).mean()), **span}
    out = pd.DataFrame(rows).T
    out.index.name = "horizon"
    dates = out[["start", "end"]].apply(pd.to_datetime)
    out = out.drop(columns=["start", "end"]).astype(float).astype({"nobs": int})
    out[["start", "end"]] = dates
    return Estimates(out, Method(kind="bootstrap", bootstrap="iid", reps=int(reps), seed=int(seed), alpha=alpha,
                                 note="events resampled; the all-dates mean held fixed; seed + i for horizon i"),
                     units=Units.returns("decimal return over the horizon, after events minus all dates"),
                     title="forward return after events minus all dates",
                     extra={"dropped": list(dropped), "first_date": first})


def single_name_profile(stock: pd.Series, index: pd.Series) -> dict[str, float]:
    """Beta of a stock's weekly returns on an index's, the idiosyncratic share of its variance, and its
    maximum drawdown (from prices): why one small-cap name says little about the index."""
    import statsmodels.api as sm

    p = pd.concat({"s": stock, "i": index}, axis=1, join="inner").dropna()
    if len(p) < 30:
        raise ParameterError(f"stock and index share {len(p)} weeks; need at least 30")
    r = p.pct_change().dropna()
    fit = sm.OLS(r["s"], sm.add_constant(r["i"])).fit()
    wealth = p["s"] / p["s"].iloc[0]
    dd = float((wealth / wealth.cummax() - 1).min())
    return {"beta": float(fit.params["i"]), "r_squared": float(fit.rsquared),
            "idiosyncratic_share": float(1 - fit.rsquared), "max_drawdown": dd,
            "vol_stock": float(r["s"].std() * np.sqrt(52)), "vol_index": float(r["i"].std() * np.sqrt(52)),
            "start": p.index[0], "end": p.index[-1], "weeks": int(len(r))}
