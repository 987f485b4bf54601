"""Inference for autocorrelated returns: block-bootstrap CIs, event-mean CIs, HAC regressions.

* Daily/overlapping returns are autocorrelated: use a **block** bootstrap
  (:func:`block_bootstrap_mean_ci`) or HAC standard errors (:func:`hac_ols`).
* Merged events (see :func:`rotation.studies.signals.merge_episodes`) are few and roughly
  independent: an iid bootstrap over events (:func:`event_mean_ci`) is adequate.

All bootstraps use the ``arch`` package, percentile intervals, and are
deterministic for a given ``seed``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from arch.bootstrap import CircularBlockBootstrap, StationaryBootstrap

from rotation.errors import ParameterError
from rotation.stats.results import Estimates, Method
from rotation.stats.bootstrap import iid_bootstrap_means, stationary_bootstrap_means
from rotation.stats.checks import check_choice, check_events, check_int, check_real

__all__ = [
    "BootstrapCI",
    "RegressionResult",
    "block_bootstrap_mean_ci",
    "bootstrap_diff_ci",
    "event_mean_ci",
    "hac_ols",
    "newey_west_lags",
]


#: Bootstrap intervals are :class:`rotation.stats.results.Estimates` with one row (the name is kept
#: for existing imports): ``.estimate``, ``.ci_lower``/``.lower``, ``.ci_upper``/``.upper``,
#: ``.nobs``/``.n``, ``.n_y``, ``.excludes_zero()``; ``.method`` is a
#: :class:`rotation.stats.results.Method` with ``bootstrap``, ``block_size``, ``reps``, ``seed``, ``alpha``.
BootstrapCI = Estimates

_BOOT_UNITS = "decimal return per period (the data's units)"


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
    row: dict[str, Any] = {"estimate": float(estimate), "std_err": float(np.std(stats, ddof=1)) if stats.size > 1 else np.nan,
                           "t": np.nan, "p_value": np.nan, "ci_lower": lo, "ci_upper": hi, "nobs": int(nobs)}
    if nobs_y is not None:
        row["nobs_y"] = int(nobs_y)
    method = Method(kind="bootstrap", bootstrap=bootstrap, block_size=block_size, reps=reps, seed=seed, alpha=alpha,
                    note=note)
    return Estimates(pd.DataFrame([row], index=pd.Index(["estimate"], name="row")), method, _BOOT_UNITS, title)


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
    alpha : float
        Intervals are at level ``1 - alpha``.
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
    alpha: float = 0.05

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

    def estimates(self, title: str = "OLS coefficients",
                  units: str = "units of y per unit of each regressor") -> Estimates:
        """The coefficients as an :class:`rotation.stats.results.Estimates` (one row per term), extra columns ``rsquared``, ``maxlags``."""
        table = self.to_frame().rename(columns={"coef": "estimate"})
        table["nobs"] = self.nobs
        table["rsquared"] = self.rsquared
        table["maxlags"] = self.maxlags
        table.index.name = "term"
        return Estimates(table, Method(kind="HAC", cov_type=self.cov_type, lags=self.maxlags, alpha=self.alpha), units,
                         title, percent=False)

    def to_record(self) -> dict[str, Any]:
        """:meth:`estimates` as a JSON-able record (see :meth:`rotation.stats.results.Estimates.to_record`)."""
        return self.estimates().to_record()

    def _repr_html_(self) -> str:
        return self.estimates()._repr_html_()

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
    Estimates
        One row (:data:`BootstrapCI`): ``estimate`` = sample mean, ``std_err`` = standard
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
) -> BootstrapCI:
    """Difference of means ``mean(x) - mean(y)`` with a block-bootstrap percentile CI.

    ``x`` and ``y`` are resampled **independently** (e.g. returns in two regimes),
    each with the same scheme and ``block_size``. Seeding: ``rng =
    np.random.default_rng(seed)`` draws two integers ``rng.integers(0, 2**32, 2)``
    used as the ``seed=`` of the ``x`` and ``y`` bootstraps respectively.

    Returns
    -------
    Estimates
        One row: ``estimate = mean(x) - mean(y)``; ``nobs`` = non-NaN count of ``x``,
        column ``nobs_y`` (property ``n_y``) of ``y``; ``std_err`` from the bootstrap; bounds are percentiles of the ``reps`` bootstrap differences.
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
) -> BootstrapCI:
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
def newey_west_lags(nobs: int) -> int:
    """Newey-West (1994) rule of thumb: ``floor(4 * (nobs/100)^(2/9))``."""
    n = check_int(nobs, "nobs", minimum=1)
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
    a = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
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
    lags = newey_west_lags(len(data)) if maxlags is None else check_int(maxlags, "maxlags", minimum=0)
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
        alpha=a,
    )
