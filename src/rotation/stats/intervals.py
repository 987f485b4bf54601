"""Bootstrap intervals for means and differences of means (percentile intervals, ``arch`` schemes).

* Daily/overlapping returns are autocorrelated: use a **block** bootstrap
  (:func:`block_bootstrap_mean_ci`) or HAC standard errors (:func:`rotation.stats.hac.hac_ols`).
* Merged events (see :func:`rotation.studies.signals.merge_episodes`) are few and roughly
  independent: an iid bootstrap over events (:func:`event_mean_ci`) is adequate.

All bootstraps use the ``arch`` package, percentile intervals, and are
deterministic for a given ``seed``.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from arch.bootstrap import CircularBlockBootstrap, StationaryBootstrap

from rotation.errors import ParameterError
from rotation.stats.bootstrap import iid_bootstrap_means, stationary_bootstrap_means
from rotation.stats.checks import check_choice, check_events, check_int, check_real
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units

__all__ = [
    "block_bootstrap_mean_ci",
    "bootstrap_diff_ci",
    "event_mean_ci",
]


_BOOT_UNITS = Units.returns("decimal return per period (the data's units)")


def _boot_result(
    estimate: float,
    stats: np.ndarray,
    alpha: float,
    nobs: int,
    *,
    bootstrap: str,
    block_size: int,
    reps: int,
    seed: int,
    title: str,
    nobs_y: int | None = None,
    note: str = "",
) -> Estimates:
    """One-row :class:`Estimates` from bootstrap statistics: percentile interval, bootstrap std error."""
    lo, hi = _percentile_ci(stats, alpha)
    row: dict[str, Any] = {"estimate": float(estimate),
                           "std_err": float(np.std(stats, ddof=1)) if stats.size > 1 else np.nan,
                           "t": np.nan, "p_value": np.nan, "ci_lower": lo, "ci_upper": hi, "nobs": int(nobs)}
    if nobs_y is not None:
        row["nobs_y"] = int(nobs_y)
    method = Method(kind="bootstrap", bootstrap=bootstrap, block_size=block_size, reps=reps, seed=seed, alpha=alpha,
                    note=note)
    return Estimates(pd.DataFrame([row], index=pd.Index(["estimate"], name="row")), method, _BOOT_UNITS, title)


# --------------------------------------------------------------------------- helpers
def _sample(x: object, name: str, minimum: int = 2) -> np.ndarray:
    """1-D float array without NaN; raise if too short or not 1-D numeric."""
    if isinstance(x, pd.DataFrame):
        raise ParameterError(f"{name} must be 1-D (a Series or array); got a DataFrame")
    try:
        arr = np.asarray(x.to_numpy(dtype=float, na_value=np.nan) if isinstance(x, pd.Series) else x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must hold numeric values; got {type(x).__name__}") from exc
    if arr.ndim != 1:
        raise ParameterError(f"{name} must be 1-D; got {arr.ndim} dimensions")
    arr = arr[~np.isnan(arr)]
    if np.isinf(arr).any():
        raise ParameterError(f"{name} must not contain infinite values; got inf")
    if arr.size < minimum:
        raise ParameterError(f"{name} must have at least {minimum} non-NaN values; got {arr.size}")
    return arr


def _boot_class(method: str) -> type:
    return StationaryBootstrap if method == "stationary" else CircularBlockBootstrap


def _boot_means(method: str, block_size: int, arr: np.ndarray, reps: int, seed: int) -> np.ndarray:
    """``_boot_class(method)(block_size, arr, seed=seed).apply(np.mean, reps=reps).ravel()``, the same numbers
    (the stationary scheme through :func:`rotation.stats.bootstrap.stationary_bootstrap_means`)."""
    if method == "stationary":
        return stationary_bootstrap_means(arr, block_size, reps, seed)
    return _boot_class(method)(block_size, arr, seed=seed).apply(np.mean, reps=reps).ravel()


def _percentile_ci(stats: np.ndarray, alpha: float) -> tuple[float, float]:
    lo, hi = np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def _common(reps: object, alpha: object, seed: object) -> tuple[int, float, int]:
    r = check_int(reps, "reps", minimum=1)
    a = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    s = check_int(seed, "seed", minimum=0)
    return r, a, s


# --------------------------------------------------------------------------- bootstraps
def block_bootstrap_mean_ci(
    x: pd.Series | np.ndarray,
    block_size: int,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
    method: Literal["stationary", "circular"] = "stationary",
) -> Estimates:
    """Mean of an autocorrelated series with a block-bootstrap percentile CI.

    Parameters
    ----------
    x : pd.Series or 1-D array
        E.g. daily relative returns, or overlapping forward returns (decimals).
        NaN values are dropped first (the remaining values are treated as contiguous).
    block_size : int
        Expected block length (stationary bootstrap, geometric lengths) or fixed
        block length (circular), in periods (>= 1). For overlapping ``h``-period
        forward returns use at least ``h``.
    reps : int, default 2000
    alpha : float, default 0.05
        Interval level is ``1 - alpha``.
    seed : int, default 0
        Passed to ``arch`` as ``seed=`` (a ``numpy.random.Generator`` is built from
        it): the same seed gives the identical interval.
    method : {"stationary", "circular"}
        ``arch.bootstrap.StationaryBootstrap`` (Politis-Romano) or
        ``CircularBlockBootstrap``.

    Returns
    -------
    Estimates
        One row: ``estimate`` = sample mean, ``std_err`` = standard
        deviation of the bootstrap means, ``t``/``p_value`` NaN; bounds are the ``alpha/2`` and ``1-alpha/2``
        percentiles (``np.percentile``, linear) of the bootstrap means.
    """
    method = check_choice(method, "method", ("stationary", "circular"))  # type: ignore[assignment]
    b = check_int(block_size, "block_size", minimum=1)
    r, a, s = _common(reps, alpha, seed)
    arr = _sample(x, "x")
    stats = _boot_means(method, b, arr, r, s)
    return _boot_result(float(arr.mean()), stats, a, int(arr.size), bootstrap=method, block_size=b, reps=r, seed=s,
                        title="Mean with a block-bootstrap interval")


def bootstrap_diff_ci(
    x: pd.Series | np.ndarray,
    y: pd.Series | np.ndarray,
    block_size: int,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
    method: Literal["stationary", "circular"] = "stationary",
) -> Estimates:
    """Difference of means ``mean(x) - mean(y)`` with a block-bootstrap percentile CI.

    ``x`` and ``y`` are resampled **independently** (e.g. returns in two regimes),
    each with the same scheme and ``block_size``. Seeding: ``rng =
    np.random.default_rng(seed)`` draws two integers ``rng.integers(0, 2**32, 2)``
    used as the ``seed=`` of the ``x`` and ``y`` bootstraps respectively.

    Returns
    -------
    Estimates
        One row: ``estimate = mean(x) - mean(y)``; ``nobs`` = non-NaN count of ``x``,
        column ``nobs_y`` (property ``n_y``) of ``y``; ``std_err`` from the bootstrap; bounds are
        percentiles of the ``reps`` bootstrap differences.
        Parameters as in :func:`block_bootstrap_mean_ci`.
    """
    method = check_choice(method, "method", ("stationary", "circular"))  # type: ignore[assignment]
    b = check_int(block_size, "block_size", minimum=1)
    r, a, s = _common(reps, alpha, seed)
    ax = _sample(x, "x")
    ay = _sample(y, "y")
    sx, sy = (int(v) for v in np.random.default_rng(s).integers(0, 2**32, size=2))
    mx = _boot_means(method, b, ax, r, sx)
    my = _boot_means(method, b, ay, r, sy)
    return _boot_result(float(ax.mean() - ay.mean()), mx - my, a, int(ax.size), bootstrap=method, block_size=b, reps=r,
                        seed=s, nobs_y=int(ay.size), title="Difference of means, x minus y",
                        note="x and y resampled independently (seeds drawn from the seed)")


def event_mean_ci(
    forward: pd.Series,
    events: pd.Series,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
) -> Estimates:
    """Mean forward return over events with an iid bootstrap CI over events.

    Parameters
    ----------
    forward : pd.Series
        Forward returns stamped at the signal date, e.g.
        ``rotation.studies.returns.forward_returns(r, h)`` (covers ``t+1..t+h``).
    events : pd.Series of bool
        Event dates, ideally merged (:func:`rotation.studies.signals.merge_episodes`) with a
        gap of at least ``h`` so that the events' forward windows do not overlap —
        that is what makes resampling events independently (iid,
        ``arch.bootstrap.IIDBootstrap``) reasonable.
    reps, alpha, seed
        As in :func:`block_bootstrap_mean_ci`.

    Returns
    -------
    Estimates
        One row; ``method.bootstrap="iid"``, ``block_size=1``, ``nobs`` = events with a non-NaN forward
        return (events whose window runs past the data are dropped). At least 2
        are required; with few events the interval is wide and its coverage rough.
    """
    if not isinstance(forward, pd.Series):
        raise ParameterError(f"forward must be a pandas Series; got {type(forward).__name__}")
    r, a, s = _common(reps, alpha, seed)
    pos = check_events(events, forward.index)
    arr = _sample(forward.iloc[pos], "forward at events")
    stats = iid_bootstrap_means(arr, r, s)  # = arch IIDBootstrap(arr, seed=s).apply(np.mean, reps=r)
    return _boot_result(float(arr.mean()), stats, a, int(arr.size), bootstrap="iid", block_size=1, reps=r, seed=s,
                        title="Mean forward return over events", note="events resampled with replacement")


# --------------------------------------------------------------------------- HAC regression
