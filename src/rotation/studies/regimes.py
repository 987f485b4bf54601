"""Regimes of a signal (low / neutral / high; rising / falling / flat rates) and returns within them.

Conventions
-----------
* Every label at ``t`` uses the signal at ``t`` and earlier only: perturbing data after
  ``t`` leaves the labels at and before ``t`` unchanged.
* :func:`regime_stats` and :func:`regime_diff_ci` compare the return at ``t + lag`` with
  the label at ``t`` (``lag=1``: next period's return after the regime is known;
  ``lag=0``: contemporaneous). ``lag`` counts **rows** of the joined index of returns and
  labels, so pass both on the same calendar (e.g. month-end stamps).
* Returns are decimal simple returns per period; nothing is annualised.
* Invalid arguments raise :class:`rotation.errors.ParameterError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_choice, check_int, check_pandas, check_real
from rotation.stats.hac import hac_ols
from rotation.stats.intervals import block_bootstrap_mean_ci, bootstrap_diff_ci
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units

__all__ = [
    "label_by_thresholds",
    "trailing_change",
    "rate_regimes",
    "RATE_REGIMES",
    "regime_stats",
    "regime_diff_ci",
    "lagged_pairs",
]

#: Labels of :func:`rate_regimes`, in display order.
RATE_REGIMES: tuple[str, ...] = ("falling", "low and flat", "high and flat", "rising")


def _check_series(x: object, name: str) -> pd.Series:
    check_pandas(x, name, allow_frame=False)
    assert isinstance(x, pd.Series)
    return x.astype(float)


def label_by_thresholds(
    signal: pd.Series,
    lower: float,
    upper: float,
    labels: Sequence[str] = ("low", "neutral", "high"),
) -> pd.Series:
    """Label each date by where the signal stands against two thresholds.

    Parameters
    ----------
    signal : pd.Series
        Any numeric signal (units of your choice; thresholds in the same units).
    lower, upper : float
        Thresholds with ``lower <= upper``.
    labels : three strings, default ("low", "neutral", "high")

    Returns
    -------
    pd.Series
        Ordered categorical with categories ``labels``, same index and name as
        ``signal``: ``labels[0]`` where ``signal < lower``, ``labels[2]`` where
        ``signal > upper``, ``labels[1]`` otherwise (both thresholds inclusive in the
        middle band). NaN signal gives a NaN label. The label at ``t`` uses the signal at
        ``t`` only.
    """
    s = _check_series(signal, "signal")
    lo = check_real(lower, "lower")
    hi = check_real(upper, "upper")
    if lo > hi:
        raise ParameterError(f"lower must be <= upper; got lower={lo!r}, upper={hi!r}")
    labs = list(labels)
    if len(labs) != 3 or len(set(labs)) != 3 or not all(isinstance(v, str) for v in labs):
        raise ParameterError(f"labels must be three distinct strings; got {labels!r}")
    values = s.to_numpy(dtype=float)
    codes = np.where(np.isnan(values), -1, np.where(values < lo, 0, np.where(values > hi, 2, 1)))
    cat = pd.Categorical.from_codes(codes, categories=labs, ordered=True)
    return pd.Series(cat, index=s.index, name=s.name)


def trailing_change(x: pd.Series, periods: int, kind: Literal["diff", "pct"] = "diff") -> pd.Series:
    """Change of ``x`` over the last ``periods`` observations, known at ``t``.

    Parameters
    ----------
    x : pd.Series
        A level (a yield in percent, an index...).
    periods : int
        Number of rows back (>= 1); on a monthly series, months.
    kind : {"diff", "pct"}
        ``"diff"``: ``x_t - x_{t-periods}`` in the units of ``x`` (percentage points for
        a yield); ``"pct"``: ``x_t / x_{t-periods} - 1`` (decimal).

    Returns
    -------
    pd.Series
        Same index and name; NaN for the first ``periods`` rows and wherever either end
        is NaN. Uses ``x`` at ``t`` and ``t-periods`` only.
    """
    s = _check_series(x, "x")
    p = check_int(periods, "periods", minimum=1)
    k = check_choice(kind, "kind", ("diff", "pct"))
    if k == "diff":
        return s - s.shift(p)
    return s / s.shift(p) - 1.0


def rate_regimes(level: pd.Series, change_periods: int, high_level: float, flat_band: float) -> pd.Series:
    """Rising, falling, high-and-flat or low-and-flat rates, from data up to ``t``.

    Parameters
    ----------
    level : pd.Series
        A rate in percent (e.g. monthly FEDFUNDS or a month-end yield).
    change_periods : int
        Rows over which the change is measured (>= 1), e.g. 6 months.
    high_level : float
        Percent; a flat rate at or above it is "high and flat".
    flat_band : float
        Percentage points (>= 0); a change within ``±flat_band`` is "flat".

    Returns
    -------
    pd.Series
        Ordered categorical with categories :data:`RATE_REGIMES`. With
        ``c_t = level_t - level_{t-change_periods}``: **"rising"** if ``c_t > flat_band``;
        **"falling"** if ``c_t < -flat_band``; otherwise **"high and flat"** if
        ``level_t >= high_level`` and **"low and flat"** if not. NaN where ``c_t`` is NaN.
        Uses ``level`` at ``t`` and ``t-change_periods`` only.
    """
    s = _check_series(level, "level")
    hl = check_real(high_level, "high_level")
    band = check_real(flat_band, "flat_band", low=0.0)
    change = trailing_change(s, change_periods, "diff").to_numpy(dtype=float)
    values = s.to_numpy(dtype=float)
    codes = np.full(len(s), -1)
    ok = ~np.isnan(change)
    codes[ok & (change < -band)] = 0
    flat = ok & (np.abs(change) <= band)
    codes[flat & (values < hl)] = 1
    codes[flat & (values >= hl)] = 2
    codes[ok & (change > band)] = 3
    cat = pd.Categorical.from_codes(codes, categories=list(RATE_REGIMES), ordered=True)
    return pd.Series(cat, index=s.index, name="regime")


def lagged_pairs(returns: pd.Series, labels: pd.Series, lag: int = 1) -> pd.DataFrame:
    """Returns at ``t + lag`` next to the label at ``t``.

    Parameters
    ----------
    returns : pd.Series
        Decimal returns per period.
    labels : pd.Series
        Regime labels (categorical or strings), ideally on the same dates.
    lag : int, default 1
        Rows (>= 0) between the label and the return it is paired with.

    Returns
    -------
    pd.DataFrame
        Indexed by the return's date, columns ``ret`` and ``label`` (the label ``lag``
        rows earlier on the joined index). Rows are the inner join of both indexes, and
        rows with a missing return or label are dropped.
    """
    r = _check_series(returns, "returns")
    if not isinstance(labels, pd.Series):
        raise ParameterError(f"labels must be a pandas Series; got {type(labels).__name__}")
    check_pandas(pd.Series(0.0, index=labels.index), "labels")
    k = check_int(lag, "lag", minimum=0)
    both = pd.concat([r.rename("ret"), labels.rename("label")], axis=1, join="inner")
    both["label"] = both["label"].shift(k)
    return both.dropna(subset=["ret", "label"])


def regime_stats(
    returns: pd.Series,
    labels: pd.Series,
    lag: int = 1,
    maxlags: int | None = None,
    alpha: float = 0.05,
    interval: Literal["hac", "bootstrap"] = "hac",
    block_size: int = 3,
    reps: int = 2000,
    seed: int = 0,
    units: Units = Units.returns("decimal return per period (not annualised)"),
    title: str = "Mean return by regime",
) -> Estimates:
    """Mean return in each regime with its HAC standard error, interval and hit rate.

    Parameters
    ----------
    returns : pd.Series
        Decimal returns per period (e.g. monthly small-minus-large relative returns).
    labels : pd.Series
        Regime labels at ``t``; a categorical's categories fix the row order (and empty
        regimes appear with ``nobs = 0``).
    lag : int, default 1
        The return at ``t + lag`` is compared with the label at ``t`` (see
        :func:`lagged_pairs`); 0 = contemporaneous.
    maxlags : int, optional
        HAC lags; default: Newey-West rule on each regime's observations.
    alpha : float, default 0.05
        Intervals at level ``1 - alpha``.
    interval : {"hac", "bootstrap"}, default "hac"
        ``"hac"``: ``ci_lower``/``ci_upper`` from the HAC fit (normal). ``"bootstrap"``:
        from :func:`rotation.stats.intervals.block_bootstrap_mean_ci` on each regime's returns
        in date order (stationary bootstrap, expected block ``block_size``, ``reps``
        replications, the same ``seed`` for every regime); regimes with fewer than 2
        returns get NaN. ``std_err``, ``t`` and ``p_value`` are HAC either way.
    block_size, reps, seed : int
        Used with ``interval="bootstrap"`` only.
    units : Units
    title : str
        Stored on the result.

    Returns
    -------
    Estimates
        Indexed by ``regime``: ``estimate`` = mean (per-period decimal), ``std_err``,
        ``t``, ``p_value``, ``ci_lower``/``ci_upper`` of the mean from one HAC fit (OLS
        on a constant with :func:`rotation.stats.hac.hac_ols`, normal intervals),
        ``nobs``; extra columns ``std`` (sample standard deviation), ``share_positive``
        (share of returns > 0, the hit rate) and ``maxlags``. Fewer than 3 observations
        give NaN inference.

    Notes
    -----
    The HAC estimator runs over a regime's returns in date order, treating them as
    consecutive although other regimes' months may lie between them; regimes are
    persistent, so most neighbours are adjacent months.
    """
    a = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    kind = check_choice(interval, "interval", ("hac", "bootstrap"))
    pairs = lagged_pairs(returns, labels, lag)
    if isinstance(labels.dtype, pd.CategoricalDtype):
        order = list(labels.cat.categories)
    else:
        order = sorted(pairs["label"].unique().tolist(), key=str)
    rows = []
    for name in order:
        y = pairs.loc[pairs["label"] == name, "ret"].astype(float)
        row: dict[str, object] = {"regime": name, "estimate": float(y.mean()) if len(y) else np.nan,
                                  "std_err": np.nan, "t": np.nan, "p_value": np.nan, "ci_lower": np.nan,
                                  "ci_upper": np.nan, "nobs": int(len(y)),
                                  "std": float(y.std()) if len(y) > 1 else np.nan,
                                  "share_positive": float((y > 0).mean()) if len(y) else np.nan, "maxlags": np.nan}
        if len(y) >= 3:
            fit = hac_ols(y.rename("ret"), pd.Series(1.0, index=y.index, name="const"), maxlags=maxlags,
                          add_constant=False, alpha=a).table.loc["const"]
            row.update({c: float(fit[c]) for c in ("std_err", "t", "p_value", "ci_lower", "ci_upper")},
                       maxlags=int(fit["maxlags"]))
        if kind == "bootstrap":
            row.update(ci_lower=np.nan, ci_upper=np.nan)
            if len(y) >= 2:
                ci = block_bootstrap_mean_ci(y, block_size, reps=reps, alpha=a, seed=seed)
                row.update(ci_lower=ci.ci_lower, ci_upper=ci.ci_upper)
        rows.append(row)
    cols = ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs", "std", "share_positive", "maxlags"]
    table = pd.DataFrame(rows, columns=["regime", *cols]).set_index("regime")
    boot = {"bootstrap": "stationary", "block_size": int(block_size), "reps": int(reps), "seed": int(seed)}
    method = Method(kind="HAC", cov_type="HAC", lags=None if maxlags is None else int(maxlags),
                    lag_rule="Newey-West rule on each regime's observations (column maxlags)", alpha=a,
                    note=f"return at t+{lag} against the label at t", **(boot if kind == "bootstrap" else {}))
    return Estimates(table, method, units, title)


def regime_diff_ci(
    returns: pd.Series,
    labels: pd.Series,
    a: str,
    b: str,
    lag: int = 1,
    block_size: int = 3,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
) -> Estimates:
    """Difference in mean return between regimes ``a`` and ``b`` with a block-bootstrap interval.

    Parameters
    ----------
    returns, labels, lag
        As in :func:`regime_stats` (return at ``t + lag`` against the label at ``t``).
    a, b : str
        Two regime labels; the estimate is ``mean(a) - mean(b)``.
    block_size : int, default 3
        Expected block length of the stationary bootstrap, in periods, applied to each
        regime's returns in date order.
    reps, alpha, seed
        As in :func:`rotation.stats.intervals.bootstrap_diff_ci` (deterministic for a seed).

    Returns
    -------
    Estimates
        One row (:data:`rotation.stats.results.Estimates`): ``nobs`` = observations in
        ``a``, ``nobs_y`` (property ``n_y``) = in ``b``.
    """
    pairs = lagged_pairs(returns, labels, lag)
    present = set(pairs["label"].astype(str))
    for name, v in (("a", a), ("b", b)):
        if str(v) not in present:
            raise ParameterError(
                f"{name} must be a regime present in labels (after the lag); got {v!r}; present: {sorted(present)}"
            )
    x = pairs.loc[pairs["label"].astype(str) == str(a), "ret"]
    y = pairs.loc[pairs["label"].astype(str) == str(b), "ret"]
    return bootstrap_diff_ci(x, y, block_size=block_size, reps=reps, alpha=alpha, seed=seed)
