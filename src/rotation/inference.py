"""Inference for autocorrelated returns: block-bootstrap CIs, event-mean CIs, HAC regressions.

* Daily/overlapping returns are autocorrelated: use a **block** bootstrap
  (:func:`block_bootstrap_mean_ci`) or HAC standard errors (:func:`hac_ols`).
* Merged events (see :func:`rotation.events.merge_episodes`) are few and roughly
  independent: an iid bootstrap over events (:func:`event_mean_ci`) is adequate.

All bootstraps use the ``arch`` package, percentile intervals, and are
deterministic for a given ``seed``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from arch.bootstrap import CircularBlockBootstrap, IIDBootstrap, StationaryBootstrap

from rotation.errors import ParameterError
from rotation._checks import _check_choice, _check_events, _check_int, _check_real

__all__ = [
    "BootstrapCI",
    "RegressionResult",
    "block_bootstrap_mean_ci",
    "bootstrap_diff_ci",
    "event_mean_ci",
    "hac_ols",
    "newey_west_lags",
    "event_study",
]


@dataclass(frozen=True)
class BootstrapCI:
    """A point estimate with a bootstrap percentile confidence interval.

    Attributes
    ----------
    estimate : float
        The sample statistic (a mean, or a difference of means), in the data's units.
    lower, upper : float
        Percentile interval bounds at level ``1 - alpha``.
    n : int
        Observations used (after dropping NaN); for a difference, those of ``x``.
    reps : int
        Bootstrap replications.
    block_size : int
        Expected (stationary) or fixed (circular) block length; 1 for iid.
    method : str
        ``"stationary"``, ``"circular"`` or ``"iid"``.
    alpha : float
        One minus the confidence level (0.05 -> 95 % interval).
    n_y : int or None
        For :func:`bootstrap_diff_ci`, observations of ``y``; otherwise None.
    """

    estimate: float
    lower: float
    upper: float
    n: int
    reps: int
    block_size: int
    method: str
    alpha: float = 0.05
    n_y: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """All fields as a plain dict."""
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of :meth:`to_dict`."""
        return pd.DataFrame([self.to_dict()])

    def excludes_zero(self) -> bool:
        """True when the interval does not contain 0."""
        return bool(self.lower > 0 or self.upper < 0)


@dataclass(frozen=True, eq=False)
class RegressionResult:
    """OLS coefficients with HAC (Newey-West) standard errors.

    Attributes
    ----------
    params, bse, tvalues, pvalues : pd.Series
        Indexed by regressor name (``"const"`` for the intercept).
    conf_int : pd.DataFrame
        Columns ``lower``, ``upper`` (level ``1 - alpha``), indexed like ``params``.
    nobs : int
        Rows used after jointly dropping NaN.
    rsquared : float
    cov_type : str
        ``"HAC"``.
    maxlags : int
        Lags in the Bartlett-kernel HAC estimator.
    """

    params: pd.Series
    bse: pd.Series
    tvalues: pd.Series
    pvalues: pd.Series
    conf_int: pd.DataFrame
    nobs: int
    rsquared: float
    cov_type: str
    maxlags: int

    def to_frame(self) -> pd.DataFrame:
        """Coefficient table: columns ``coef, std_err, t, p_value, ci_lower, ci_upper``."""
        return pd.DataFrame(
            {
                "coef": self.params,
                "std_err": self.bse,
                "t": self.tvalues,
                "p_value": self.pvalues,
                "ci_lower": self.conf_int["lower"],
                "ci_upper": self.conf_int["upper"],
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """Scalars plus ``{name: coef}`` under ``"params"``."""
        return {
            "params": self.params.to_dict(),
            "nobs": self.nobs,
            "rsquared": self.rsquared,
            "cov_type": self.cov_type,
            "maxlags": self.maxlags,
        }

    def summary(self) -> str:
        """Short text: the coefficient table and a line naming HAC and its lags."""
        head = (
            f"OLS, {self.cov_type} (Newey-West, Bartlett kernel) standard errors with maxlags={self.maxlags}; "
            f"nobs={self.nobs}, R^2={self.rsquared:.4f}"
        )
        return head + "\n" + self.to_frame().to_string(float_format=lambda v: f"{v:.4g}")


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


def _percentile_ci(stats: np.ndarray, alpha: float) -> tuple[float, float]:
    lo, hi = np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def _common(reps: object, alpha: object, seed: object) -> tuple[int, float, int]:
    r = _check_int(reps, "reps", minimum=1)
    a = _check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    s = _check_int(seed, "seed", minimum=0)
    return r, a, s


# --------------------------------------------------------------------------- bootstraps
def block_bootstrap_mean_ci(
    x: pd.Series | np.ndarray,
    block_size: int,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
    method: Literal["stationary", "circular"] = "stationary",
) -> BootstrapCI:
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
    BootstrapCI
        ``estimate`` = sample mean; bounds are the ``alpha/2`` and ``1-alpha/2``
        percentiles (``np.percentile``, linear) of the bootstrap means.
    """
    method = _check_choice(method, "method", ("stationary", "circular"))  # type: ignore[assignment]
    b = _check_int(block_size, "block_size", minimum=1)
    r, a, s = _common(reps, alpha, seed)
    arr = _sample(x, "x")
    bs = _boot_class(method)(b, arr, seed=s)
    stats = bs.apply(np.mean, reps=r).ravel()
    lo, hi = _percentile_ci(stats, a)
    return BootstrapCI(float(arr.mean()), lo, hi, int(arr.size), r, b, method, a)


def bootstrap_diff_ci(
    x: pd.Series | np.ndarray,
    y: pd.Series | np.ndarray,
    block_size: int,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
    method: Literal["stationary", "circular"] = "stationary",
) -> BootstrapCI:
    """Difference of means ``mean(x) - mean(y)`` with a block-bootstrap percentile CI.

    ``x`` and ``y`` are resampled **independently** (e.g. returns in two regimes),
    each with the same scheme and ``block_size``. Seeding: ``rng =
    np.random.default_rng(seed)`` draws two integers ``rng.integers(0, 2**32, 2)``
    used as the ``seed=`` of the ``x`` and ``y`` bootstraps respectively.

    Returns
    -------
    BootstrapCI
        ``estimate = mean(x) - mean(y)``; ``n`` = non-NaN count of ``x``, ``n_y`` of
        ``y``; bounds are percentiles of the ``reps`` bootstrap differences.
        Parameters as in :func:`block_bootstrap_mean_ci`.
    """
    method = _check_choice(method, "method", ("stationary", "circular"))  # type: ignore[assignment]
    b = _check_int(block_size, "block_size", minimum=1)
    r, a, s = _common(reps, alpha, seed)
    ax = _sample(x, "x")
    ay = _sample(y, "y")
    sx, sy = (int(v) for v in np.random.default_rng(s).integers(0, 2**32, size=2))
    cls = _boot_class(method)
    mx = cls(b, ax, seed=sx).apply(np.mean, reps=r).ravel()
    my = cls(b, ay, seed=sy).apply(np.mean, reps=r).ravel()
    lo, hi = _percentile_ci(mx - my, a)
    return BootstrapCI(float(ax.mean() - ay.mean()), lo, hi, int(ax.size), r, b, method, a, int(ay.size))


def event_mean_ci(
    forward: pd.Series,
    events: pd.Series,
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
) -> BootstrapCI:
    """Mean forward return over events with an iid bootstrap CI over events.

    Parameters
    ----------
    forward : pd.Series
        Forward returns stamped at the signal date, e.g.
        ``rotation.events.forward_returns(r, h)`` (covers ``t+1..t+h``).
    events : pd.Series of bool
        Event dates, ideally merged (:func:`rotation.events.merge_episodes`) with a
        gap of at least ``h`` so that the events' forward windows do not overlap —
        that is what makes resampling events independently (iid,
        ``arch.bootstrap.IIDBootstrap``) reasonable.
    reps, alpha, seed
        As in :func:`block_bootstrap_mean_ci`.

    Returns
    -------
    BootstrapCI
        ``method="iid"``, ``block_size=1``, ``n`` = events with a non-NaN forward
        return (events whose window runs past the data are dropped). At least 2
        are required; with few events the interval is wide and its coverage rough.
    """
    if not isinstance(forward, pd.Series):
        raise ParameterError(f"forward must be a pandas Series; got {type(forward).__name__}")
    r, a, s = _common(reps, alpha, seed)
    pos = _check_events(events, forward.index)
    arr = _sample(forward.iloc[pos], "forward at events")
    bs = IIDBootstrap(arr, seed=s)
    stats = bs.apply(np.mean, reps=r).ravel()
    lo, hi = _percentile_ci(stats, a)
    return BootstrapCI(float(arr.mean()), lo, hi, int(arr.size), r, 1, "iid", a)


# --------------------------------------------------------------------------- HAC regression
def newey_west_lags(nobs: int) -> int:
    """Newey-West (1994) rule of thumb: ``floor(4 * (nobs/100)^(2/9))``."""
    n = _check_int(nobs, "nobs", minimum=1)
    return int(math.floor(4.0 * (n / 100.0) ** (2.0 / 9.0)))


def hac_ols(
    y: pd.Series,
    X: pd.Series | pd.DataFrame,
    maxlags: int | None = None,
    add_constant: bool = True,
    alpha: float = 0.05,
) -> RegressionResult:
    """OLS of ``y`` on ``X`` with HAC (Newey-West) standard errors.

    Parameters
    ----------
    y : pd.Series
        Dependent variable, e.g. forward ``h``-period relative returns at ``t``.
    X : pd.Series or pd.DataFrame
        Regressors known at ``t`` (a Series becomes one column named after it).
        ``y`` and ``X`` are aligned on their index (inner join) and rows with a NaN
        in any of them are dropped jointly.
    maxlags : int, optional
        Lags of the Bartlett kernel (>= 0). Default: the Newey-West rule
        ``floor(4 * (nobs/100)^(2/9))`` on the rows used. **For overlapping**
        ``h``-**period forward returns** the errors are MA(h-1) by construction:
        pass ``maxlags >= h - 1`` (the default is usually far too small for daily
        data with ``h`` = 63 or 252).
    add_constant : bool, default True
        Add an intercept column named ``"const"``.
    alpha : float, default 0.05
        Confidence intervals at level ``1 - alpha``.

    Returns
    -------
    RegressionResult
        Fitted with ``statsmodels`` ``OLS(...).fit(cov_type="HAC",
        cov_kwds={"maxlags": maxlags})`` (statsmodels' default small-sample
        correction, normal-based p-values).
    """
    if not isinstance(y, pd.Series):
        raise ParameterError(f"y must be a pandas Series; got {type(y).__name__}")
    if not isinstance(X, (pd.Series, pd.DataFrame)):
        raise ParameterError(f"X must be a pandas Series or DataFrame; got {type(X).__name__}")
    a = _check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    Xf = X.to_frame(name=X.name if X.name is not None else "x") if isinstance(X, pd.Series) else X
    yname = y.name if y.name is not None else "y"
    if yname in Xf.columns:
        yname = "__y__"
    data = pd.concat([y.rename(yname), Xf], axis=1, join="inner").dropna()
    Xd = data.drop(columns=[yname]).astype(float)
    yd = data[yname].astype(float)
    if add_constant:
        Xd = sm.add_constant(Xd, has_constant="add")
    k = Xd.shape[1]
    if len(data) <= k:
        raise ParameterError(f"y and X must have more complete rows than regressors ({k}); got {len(data)}")
    lags = newey_west_lags(len(data)) if maxlags is None else _check_int(maxlags, "maxlags", minimum=0)
    fit = sm.OLS(yd, Xd).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    ci = fit.conf_int(alpha=a)
    ci.columns = ["lower", "upper"]
    return RegressionResult(
        params=fit.params,
        bse=fit.bse,
        tvalues=fit.tvalues,
        pvalues=fit.pvalues,
        conf_int=ci,
        nobs=int(fit.nobs),
        rsquared=float(fit.rsquared),
        cov_type="HAC",
        maxlags=lags,
    )


def event_study(
    returns: pd.Series,
    events: pd.Series,
    horizons: list[int] | tuple[int, ...],
    reps: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """Forward returns after events against the unconditional distribution, per horizon.

    Parameters
    ----------
    returns : pd.Series
        Per-period decimal returns (e.g. relative returns ``(1+rs)/(1+rl)-1``).
    events : pd.Series of bool
        Event dates on the same index, already merged into independent episodes
        (:func:`rotation.events.merge_episodes`). An event at t is known at the close of t.
    horizons : sequence of int
        Forward horizons in periods; the forward return at t covers ``t+1..t+h``
        (:func:`rotation.events.forward_returns`).
    reps, alpha, seed
        Bootstrap replications, one minus the confidence level, and the seed
        (horizon ``i`` uses ``seed + i``, so the table is deterministic).

    Returns
    -------
    pd.DataFrame
        Indexed by ``horizon``: ``n_events`` (events with a complete window),
        ``mean_event`` with ``event_lower``/``event_upper`` (iid bootstrap over events),
        ``n_all`` and ``mean_all`` (every date's overlapping forward return) with
        ``all_lower``/``all_upper`` (stationary block bootstrap, expected block = h),
        ``diff = mean_event - mean_all`` with ``diff_lower``/``diff_upper`` (the two
        bootstraps drawn independently and differenced), and ``significant`` (the diff
        interval excludes 0).

    Notes
    -----
    Overlapping h-period forward returns are autocorrelated up to lag h-1, which is
    why the unconditional mean uses blocks of expected length h; events are resampled
    iid because merged episodes are roughly independent. With few events (say < 10)
    the interval is wide and its coverage only approximate.
    """
    from rotation.events import forward_returns

    if not isinstance(returns, pd.Series):
        raise ParameterError(f"returns must be a pandas Series; got {type(returns).__name__}")
    hs = [_check_int(h, "horizons", minimum=1) for h in horizons]
    if not hs:
        raise ParameterError("horizons must hold at least one positive integer; got []")
    r, a, s = _common(reps, alpha, seed)
    pos = _check_events(events, returns.index)
    rows = []
    for i, h in enumerate(hs):
        fwd = forward_returns(returns, h)
        ev = fwd.iloc[pos].dropna().to_numpy(dtype=float)
        allv = fwd.dropna().to_numpy(dtype=float)
        row: dict[str, Any] = {"horizon": h, "n_events": int(ev.size), "n_all": int(allv.size)}
        if allv.size >= 2:
            all_stats = StationaryBootstrap(h, allv, seed=s + i).apply(np.mean, reps=r).ravel()
            row["mean_all"] = float(allv.mean())
            row["all_lower"], row["all_upper"] = _percentile_ci(all_stats, a)
        else:
            all_stats = None
            row.update(mean_all=np.nan, all_lower=np.nan, all_upper=np.nan)
        if ev.size >= 2 and all_stats is not None:
            ev_stats = IIDBootstrap(ev, seed=s + 1000 + i).apply(np.mean, reps=r).ravel()
            row["mean_event"] = float(ev.mean())
            row["event_lower"], row["event_upper"] = _percentile_ci(ev_stats, a)
            row["diff"] = float(ev.mean() - allv.mean())
            row["diff_lower"], row["diff_upper"] = _percentile_ci(ev_stats - all_stats, a)
        else:
            row.update(mean_event=float(ev.mean()) if ev.size else np.nan, event_lower=np.nan, event_upper=np.nan,
                       diff=float(ev.mean() - allv.mean()) if ev.size and allv.size else np.nan,
                       diff_lower=np.nan, diff_upper=np.nan)
        row["significant"] = bool(row["diff_lower"] > 0 or row["diff_upper"] < 0)
        rows.append(row)
    cols = ["horizon", "n_events", "mean_event", "event_lower", "event_upper", "n_all", "mean_all", "all_lower",
            "all_upper", "diff", "diff_lower", "diff_upper", "significant"]
    return pd.DataFrame(rows)[cols].set_index("horizon")
