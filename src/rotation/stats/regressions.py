"""Regressions of returns on a factor: rolling HAC betas, sub-period tables, predictive regressions.

Conventions
-----------
* ``y`` is a per-period return (decimal, e.g. the small-minus-large relative return
  ``(1+rs)/(1+rl)-1``) and ``X`` holds regressors stamped at the same dates (e.g. the
  dollar index's percentage change over the same period, decimal). A value stamped
  ``t`` is known at the close of ``t``.
* Series are aligned on their index (inner join) and rows with a NaN in any column
  used are dropped jointly, unless a docstring says otherwise.
* Every standard error is HAC (Newey-West, Bartlett kernel) from ``statsmodels``
  ``OLS(...).fit(cov_type="HAC", cov_kwds={"maxlags": k})``; the lags used are
  reported next to the estimates. Intervals are normal-based at level ``1 - alpha``.
* Invalid arguments raise :class:`rotation.errors.ParameterError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from rotation.errors import ParameterError
from rotation.stats.inference import RegressionResult, hac_ols, newey_west_lags
from rotation.stats.results import Estimates, Method
from rotation.studies.returns import forward_sum  # noqa: F401  (one home in returns.py; rg.forward_sum kept)
from rotation.stats.checks import check_int, check_pandas, check_real

__all__ = [
    "RollingBetas",
    "OOSResult",
    "rolling_hac_betas",
    "sensitivity_table",
    "predictive_regression",
    "forward_sum",
    "oos_r2",
]


# --------------------------------------------------------------------------- helpers
def _as_frame(X: object, name: str = "X") -> pd.DataFrame:
    """A regressor Series/DataFrame as a float DataFrame (a Series keeps its name, or ``"x"``)."""
    if isinstance(X, pd.Series):
        check_pandas(X, name, allow_frame=False)
        return X.to_frame(name=X.name if X.name is not None else "x").astype(float)
    if isinstance(X, pd.DataFrame):
        check_pandas(X, name)
        if X.shape[1] == 0:
            raise ParameterError(f"{name} must have at least one column; got an empty DataFrame")
        if "const" in X.columns:
            raise ParameterError(f"{name} must not contain a column named 'const' (the intercept is added for you)")
        return X.astype(float)
    raise ParameterError(f"{name} must be a pandas Series or DataFrame; got {type(X).__name__}")


def _check_y(y: object, name: str = "y") -> pd.Series:
    if not isinstance(y, pd.Series):
        raise ParameterError(f"{name} must be a pandas Series; got {type(y).__name__}")
    check_pandas(y, name, allow_frame=False)
    return y.astype(float)


def _yname(y: pd.Series, columns: pd.Index) -> str:
    name = str(y.name) if y.name is not None else "y"
    return "__y__" if name in columns else name


# --------------------------------------------------------------------------- rolling HAC betas
@dataclass(frozen=True, eq=False)
class RollingBetas:
    """Rolling HAC slopes (the frame) with the method that produced them.

    Attributes
    ----------
    betas : pd.DataFrame
        Indexed like ``y``. For each regressor ``name``: ``name`` (slope), ``name_se``
        (HAC standard error), ``name_lower``, ``name_upper`` (interval), plus ``nobs``
        (complete rows used). See :func:`rolling_hac_betas`.
    method : rotation.stats.results.Method
        ``kind="HAC"``, ``lags`` (the same in every window), ``alpha``.
    window : int
        Rows in each trailing window.
    units : str
    """

    betas: pd.DataFrame = field(repr=False)
    method: Method
    window: int
    units: str = "units of y per unit of each regressor"

    @property
    def names(self) -> list[str]:
        """Regressor names (columns without a suffix)."""
        return [c for c in self.betas.columns if c != "nobs" and not c.endswith(("_se", "_lower", "_upper"))]

    def latest(self, name: str | None = None) -> Estimates:
        """The last window with an estimate, as a one-row-per-regressor :class:`Estimates` (index = regressor).

        ``t`` and ``p_value`` are computed from the slope and its HAC standard error
        (normal), as statsmodels does; extra column ``date`` (end of the window).
        """
        names = self.names if name is None else [name]
        rows = []
        for nm in names:
            if nm not in self.betas.columns:
                raise ParameterError(f"name must be one of the regressors {self.names}; got {nm!r}")
            ok = self.betas[nm].dropna()
            if ok.empty:
                rows.append({"term": nm, "estimate": np.nan, "std_err": np.nan, "t": np.nan, "p_value": np.nan,
                             "ci_lower": np.nan, "ci_upper": np.nan, "nobs": np.nan, "date": pd.NaT})
                continue
            last = ok.index[-1]
            row = self.betas.loc[last]
            t = float(row[nm] / row[f"{nm}_se"]) if row[f"{nm}_se"] > 0 else np.nan
            rows.append({"term": nm, "estimate": float(row[nm]), "std_err": float(row[f"{nm}_se"]), "t": t,
                         "p_value": float(2 * stats.norm.sf(abs(t))) if np.isfinite(t) else np.nan,
                         "ci_lower": float(row[f"{nm}_lower"]), "ci_upper": float(row[f"{nm}_upper"]),
                         "nobs": int(row["nobs"]), "date": last})
        table = pd.DataFrame(rows).set_index("term")
        return Estimates(table, self.method, self.units, f"Latest rolling {self.window}-period beta", percent=False)

    def to_record(self) -> dict[str, Any]:
        """The method, the window and the latest estimate of each regressor (not the whole series)."""
        return {"window": self.window, "latest": self.latest().to_record()}

    def summary(self) -> str:
        """The method and the latest estimates."""
        return f"Rolling {self.window}-period OLS slopes\n" + self.latest().summary()


def rolling_hac_betas(
    y: pd.Series,
    X: pd.Series | pd.DataFrame,
    window: int,
    maxlags: int | None = None,
    alpha: float = 0.05,
    min_nobs: int | None = None,
    units: str = "units of y per unit of each regressor",
) -> RollingBetas:
    """Rolling OLS slopes with HAC (Newey-West) standard errors and confidence bands.

    Parameters
    ----------
    y : pd.Series
        Dependent variable, e.g. monthly small-minus-large relative returns (decimal).
    X : pd.Series or pd.DataFrame
        Regressors stamped like ``y`` (e.g. the dollar's percentage change over the same
        period, decimal). ``X`` is reindexed to ``y``'s index (dates of ``X`` that ``y``
        lacks are ignored). A constant is always added; do not include one.
    window : int
        Rows of ``y``'s index in each window (>= 3): the estimate stamped ``t`` uses rows
        ``t-window+1 .. t`` (trailing, so it is known at the close of ``t``).
    maxlags : int, optional
        Bartlett-kernel lags of the HAC covariance (>= 0). Default:
        ``inference.newey_west_lags(window)``, the same for every window.
    alpha : float, default 0.05
        Bands at level ``1 - alpha`` (normal critical value, as statsmodels' HAC).
    min_nobs : int, optional
        Complete rows (no NaN in ``y`` or ``X``) a window needs for an estimate;
        default ``window`` (complete windows only). Must be > number of regressors + 1
        and <= ``window``.
    units : str
        Stored on the result.

    Returns
    -------
    RollingBetas
        ``.betas``: a DataFrame indexed like ``y``; for each regressor ``name``: ``name``
        (slope), ``name_se`` (HAC standard error), ``name_lower``, ``name_upper``
        (interval), plus ``nobs`` (complete rows used). Rows without enough data (the
        first ``window - 1`` and windows with fewer than ``min_nobs`` complete rows) are
        NaN (``nobs`` is still filled). ``.method`` holds the lags and alpha (formerly
        ``.attrs``); ``.latest()`` the last estimate as an :class:`Estimates`.

    Notes
    -----
    ``statsmodels.regression.rolling.RollingOLS`` offers no HAC covariance, so every
    window is solved directly: :math:`b = (X'X)^{-1}X'y` and the Newey-West sandwich
    :math:`(X'X)^{-1} S (X'X)^{-1}` with :math:`S = \\sum_{|l| \\le L} w_l \\sum_t g_t g_{t-l}'`,
    :math:`g_t = x_t u_t`, Bartlett weights :math:`w_l = 1 - l/(L+1)` and no small-sample
    correction: exactly what ``sm.OLS(y_w, [1, X_w]).fit(cov_type="HAC",
    cov_kwds={"maxlags": maxlags})`` reports (the tests check both against it and the
    slopes against ``RollingOLS``), about 30 times faster.
    """
    yv = _check_y(y)
    Xf = _as_frame(X)
    w = check_int(window, "window", minimum=3)
    a = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    k = Xf.shape[1] + 1
    mn = w if min_nobs is None else check_int(min_nobs, "min_nobs", minimum=k + 1)
    if mn > w:
        raise ParameterError(f"min_nobs must be <= window ({w}); got {mn}")
    if mn <= k:
        raise ParameterError(f"window must be > number of regressors + 1 ({k}); got window={w}")
    lags = newey_west_lags(w) if maxlags is None else check_int(maxlags, "maxlags", minimum=0)

    Xa = Xf.reindex(yv.index)
    names = [str(c) for c in Xf.columns]
    Xc = sm.add_constant(Xa.to_numpy(dtype=float), has_constant="add")
    yarr = yv.to_numpy(dtype=float)
    ok = ~np.isnan(yarr) & ~np.isnan(Xc).any(axis=1)
    n = len(yarr)
    est = np.full((n, len(names)), np.nan)
    se = np.full((n, len(names)), np.nan)
    lo = np.full((n, len(names)), np.nan)
    hi = np.full((n, len(names)), np.nan)
    nobs = np.full(n, np.nan)
    csum = np.concatenate([[0], np.cumsum(ok)])
    weights = 1.0 - np.arange(1, lags + 1) / (lags + 1.0)  # Bartlett kernel
    z = float(stats.norm.ppf(1.0 - a / 2.0))
    for t in range(w - 1, n):
        s = t - w + 1
        cnt = int(csum[t + 1] - csum[s])
        nobs[t] = cnt
        if cnt < mn:
            continue
        m = ok[s : t + 1]
        b, se_t = _ols_hac(yarr[s : t + 1][m], Xc[s : t + 1][m], weights)
        est[t] = b[1:]
        se[t] = se_t[1:]
        lo[t] = b[1:] - z * se_t[1:]
        hi[t] = b[1:] + z * se_t[1:]
    cols: dict[str, np.ndarray] = {}
    for j, nm in enumerate(names):
        cols[nm] = est[:, j]
        cols[f"{nm}_se"] = se[:, j]
        cols[f"{nm}_lower"] = lo[:, j]
        cols[f"{nm}_upper"] = hi[:, j]
    cols["nobs"] = nobs
    out = pd.DataFrame(cols, index=yv.index)
    return RollingBetas(out, Method(kind="HAC", cov_type="HAC", lags=lags, alpha=a,
                                    note=f"trailing windows of {w} rows"), w, units)


def _ols_hac(y: np.ndarray, X: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and Newey-West (Bartlett) standard errors, as statsmodels' HAC without correction."""
    xtx_inv = np.linalg.pinv(X.T @ X)
    b = xtx_inv @ (X.T @ y)
    g = X * (y - X @ b)[:, None]
    S = g.T @ g
    for lag, wl in enumerate(weights, start=1):
        if lag >= len(g):
            break
        G = g[lag:].T @ g[:-lag]
        S += wl * (G + G.T)
    cov = xtx_inv @ S @ xtx_inv
    return b, np.sqrt(np.maximum(np.diag(cov), 0.0))


# --------------------------------------------------------------------------- sub-period table
_TABLE_COLS = ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs", "rsquared", "maxlags", "start", "end"]


def sensitivity_table(
    y: pd.Series,
    X: pd.Series | pd.DataFrame,
    periods: dict[str, tuple[str | None, str | None]] | None = None,
    maxlags: int | None = None,
    alpha: float = 0.05,
    units: str = "units of y per unit of each regressor",
    title: str = "HAC regression by sub-period",
) -> Estimates:
    """One HAC regression of ``y`` on ``X`` (with a constant) per sub-period, as one result.

    Parameters
    ----------
    y : pd.Series
        Dependent variable (e.g. relative returns, decimal).
    X : pd.Series or pd.DataFrame
        Regressors stamped like ``y`` (contemporaneous unless you shift them).
    periods : dict, optional
        ``{label: (start, end)}`` with inclusive date bounds; ``None`` leaves a side
        open. Default ``{"full sample": (None, None)}``. Periods may overlap.
    maxlags : int, optional
        HAC lags; default the Newey-West rule on each period's own observation count
        (``inference.newey_west_lags(nobs)``).
    alpha : float, default 0.05
        Interval level ``1 - alpha``.

    units, title : str
        Stored on the result (``units`` starting with "decimal" shows estimates as percent).

    Returns
    -------
    Estimates
        ``.table`` with MultiIndex ``(period, term)`` (terms: ``const`` then the
        regressors), columns ``estimate, std_err, t, p_value, ci_lower, ci_upper, nobs,
        rsquared, maxlags, start, end`` where ``start``/``end`` are the first and last dates actually used. A period
        with too few complete rows (<= number of regressors + 1) gets NaN estimates
        and its ``nobs``; ``start``/``end`` are then NaT when it has no rows.
    """
    yv = _check_y(y)
    Xf = _as_frame(X)
    a = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    if maxlags is not None:
        check_int(maxlags, "maxlags", minimum=0)
    if periods is None:
        periods = {"full sample": (None, None)}
    if not isinstance(periods, dict) or not periods:
        raise ParameterError(f"periods must be a non-empty dict {{label: (start, end)}}; got {periods!r}")
    yname = _yname(yv, Xf.columns)
    data = pd.concat([yv.rename(yname), Xf], axis=1, join="inner").dropna()
    terms = ["const", *[str(c) for c in Xf.columns]]
    rows: list[dict[str, Any]] = []
    for label, bounds in periods.items():
        if not isinstance(bounds, tuple) or len(bounds) != 2:
            raise ParameterError(f"periods[{label!r}] must be a (start, end) tuple; got {bounds!r}")
        try:
            s = pd.Timestamp(bounds[0]) if bounds[0] is not None else None
            e = pd.Timestamp(bounds[1]) if bounds[1] is not None else None
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"periods[{label!r}] bounds must be dates like '2008-01-01' or None; got {bounds!r}") from exc
        if s is not None and e is not None and s > e:
            raise ParameterError(f"periods[{label!r}]: start {s.date()} is after end {e.date()}")
        mask = np.ones(len(data), dtype=bool)
        if s is not None:
            mask &= data.index >= s
        if e is not None:
            mask &= data.index <= e
        sub = data.loc[mask]
        n = len(sub)
        first = sub.index[0] if n else pd.NaT
        last = sub.index[-1] if n else pd.NaT
        if n <= len(terms):
            for term in terms:
                rows.append({"period": label, "term": term, "estimate": np.nan, "std_err": np.nan, "t": np.nan,
                             "p_value": np.nan, "ci_lower": np.nan, "ci_upper": np.nan, "rsquared": np.nan,
                             "nobs": n, "maxlags": np.nan, "start": first, "end": last})
            continue
        res = hac_ols(sub[yname], sub.drop(columns=[yname]), maxlags=maxlags, alpha=a)
        frame = res.to_frame().rename(columns={"coef": "estimate"})
        for term in terms:
            r = frame.loc[term]
            rows.append({"period": label, "term": term, **{c: float(r[c]) for c in frame.columns},
                         "rsquared": res.rsquared, "nobs": res.nobs, "maxlags": res.maxlags,
                         "start": first, "end": last})
    out = pd.DataFrame(rows).set_index(["period", "term"])[_TABLE_COLS]
    method = Method(kind="HAC", cov_type="HAC", lags=None if maxlags is None else int(maxlags),
                    lag_rule="Newey-West rule on each period's observations (column maxlags)", alpha=a)
    return Estimates(out, method, units, title)


# --------------------------------------------------------------------------- predictive regressions
def _predictive_data(y: pd.Series, x: pd.Series, horizon: int, lag: int) -> tuple[pd.DataFrame, str, str]:
    yv = _check_y(y)
    xv = _check_y(x, "x")
    h = check_int(horizon, "horizon", minimum=1)
    lg = check_int(lag, "lag", minimum=1)
    both = pd.concat([yv.rename("__y__"), xv.rename("__x__")], axis=1, join="inner")
    target = forward_sum(both["__y__"], h)
    xname = str(xv.name) if xv.name is not None else "x"
    xs = both["__x__"].shift(lg - 1)
    data = pd.DataFrame({"target": target, xname: xs}, index=both.index)
    return data, "target", xname


def predictive_regression(
    y: pd.Series,
    x: pd.Series,
    horizon: int = 1,
    lag: int = 1,
    maxlags: int | None = None,
) -> RegressionResult:
    """Does ``x`` known at ``t`` predict the sum of ``y`` over ``t+1 .. t+horizon``?

    Parameters
    ----------
    y : pd.Series
        Per-period returns (decimal), e.g. monthly relative returns.
    x : pd.Series
        Predictor stamped at ``t`` and known at the close of ``t`` (e.g. the dollar's
        percentage change over month ``t`` or over the 3 months ending at ``t``).
        ``y`` and ``x`` are inner-joined on their index first; "rows" below are the
        rows of that joined index.
    horizon : int, default 1
        ``h`` >= 1: the dependent variable at ``t`` is ``y[t+1] + ... + y[t+h]``
        (summed simple returns).
    lag : int, default 1
        ``lag`` >= 1. With ``lag=1`` the regressor at ``t`` is ``x[t]``; with ``lag=L``
        it is ``x[t-(L-1)]``, i.e. ``L - 1`` extra rows of delay (e.g. for data
        published with a delay). ``lag=1`` already means "known before the forecast
        window starts".
    maxlags : int, optional
        HAC lags. Default ``max(horizon - 1, newey_west_lags(nobs))``.

    Returns
    -------
    RegressionResult
        Regressor named after ``x`` (``"x"`` if unnamed) plus ``"const"``.

    Notes
    -----
    With ``h > 1`` consecutive dependent observations share ``h - 1`` periods, so the
    errors are MA(h-1) under the null of no predictability; plain OLS standard errors
    would be far too small. The default HAC covariance uses at least ``h - 1`` lags,
    which covers that overlap (Newey-West with the Bartlett kernel; with few
    non-overlapping periods the t-statistic is still oversized -- compare with the
    non-overlapping ``h = 1`` regression).
    """
    data, yn, xn = _predictive_data(y, x, horizon, lag)
    data = data.dropna()
    k = 2
    if len(data) <= k:
        raise ParameterError(f"y and x must give more than {k} complete (target, predictor) rows; got {len(data)}")
    if maxlags is None:
        lags = max(int(horizon) - 1, newey_west_lags(len(data)))
    else:
        lags = check_int(maxlags, "maxlags", minimum=0)
    return hac_ols(data[yn], data[[xn]], maxlags=lags)


@dataclass(frozen=True, eq=False)
class OOSResult:
    """Out-of-sample R² of a predictive regression against the historical mean.

    Attributes
    ----------
    r2 : float
        ``1 - mse_model / mse_mean`` (Campbell-Thompson 2008); > 0 means the
        regression beat the expanding historical mean out of sample.
    n_forecasts : int
    mse_model, mse_mean : float
        Mean squared forecast errors (decimal return units squared).
    forecasts : pd.DataFrame
        Indexed by forecast origin ``t``: ``actual`` (sum of ``y`` over ``t+1..t+h``),
        ``model`` (regression forecast), ``mean`` (historical-mean forecast), ``n_train``
        (training pairs used), ``beta`` (slope estimated at ``t``).
    horizon, min_train : int
    """

    r2: float
    n_forecasts: int
    mse_model: float
    mse_mean: float
    forecasts: pd.DataFrame = field(repr=False)
    horizon: int = 1
    min_train: int = 120

    def to_dict(self) -> dict[str, Any]:
        """Scalars only."""
        return {"r2": self.r2, "n_forecasts": self.n_forecasts, "mse_model": self.mse_model,
                "mse_mean": self.mse_mean, "horizon": self.horizon, "min_train": self.min_train}

    def to_record(self) -> dict[str, Any]:
        """:meth:`to_dict` plus the method in words (for ``record``); numbers unchanged, NaN -> None."""
        from rotation.stats.results import jsonable

        return {**jsonable(self.to_dict()),
                "method": "expanding-window OLS forecasts against the expanding historical mean "
                          f"(Campbell-Thompson R2_OOS), first forecast after {self.min_train} training pairs"}


def oos_r2(y: pd.Series, x: pd.Series, horizon: int = 1, min_train: int = 120) -> OOSResult:
    """Expanding-window out-of-sample R² of the predictive regression of :func:`predictive_regression`.

    Parameters
    ----------
    y, x : pd.Series
        As in :func:`predictive_regression` with ``lag=1`` (inner-joined; ``x[t]`` is
        known at the close of ``t``).
    horizon : int, default 1
        Target at origin ``t``: ``y[t+1] + ... + y[t+h]``.
    min_train : int, default 120
        Complete training pairs needed before the first forecast (>= 3).

    Returns
    -------
    OOSResult

    Notes
    -----
    At each origin ``t`` (a row with ``x[t]`` and a realised target) the regression
    ``target_s = a + b x_s`` is fitted by OLS on the pairs whose target window has
    ended by ``t``, i.e. ``s + h <= t`` (rows), so nothing after ``t`` is used. The
    forecast is ``a + b x_t``; the benchmark is the mean of the same training targets.
    ``R²_OOS = 1 - sum (actual - model)² / sum (actual - mean)²`` over all origins.
    Forecast errors at ``h > 1`` overlap; R² is a point estimate without a test.
    """
    data, yn, xn = _predictive_data(y, x, horizon, 1)
    h = int(horizon)
    mt = check_int(min_train, "min_train", minimum=3)
    tgt = data[yn].to_numpy(dtype=float)
    xv = data[xn].to_numpy(dtype=float)
    n = len(data)
    pair_ok = ~np.isnan(tgt) & ~np.isnan(xv)
    rows = []
    # cumulative sums over complete pairs for a fast, exact expanding OLS
    c = np.where(pair_ok, 1.0, 0.0)
    tz = np.where(pair_ok, tgt, 0.0)
    xz = np.where(pair_ok, xv, 0.0)
    cn, sx, sy, sxx, sxy = (np.cumsum(v) for v in (c, xz, tz, xz * xz, xz * tz))
    for t in range(n):
        if not pair_ok[t]:
            continue
        last = t - h  # last training row: its target window t-h+1..t has ended by t
        if last < 0:
            continue
        m = cn[last]
        if m < mt:
            continue
        mx, my = sx[last] / m, sy[last] / m
        vxx = sxx[last] / m - mx * mx
        if vxx <= 1e-18 * max(1.0, sxx[last] / m):
            continue
        b = (sxy[last] / m - mx * my) / vxx
        a0 = my - b * mx
        rows.append((data.index[t], tgt[t], a0 + b * xv[t], my, int(m), b))
    if not rows:
        raise ParameterError(
            f"min_train ({mt}) leaves no out-of-sample forecasts: only {int(pair_ok.sum())} complete "
            f"(target, predictor) pairs at horizon {h}"
        )
    fc = pd.DataFrame(rows, columns=["date", "actual", "model", "mean", "n_train", "beta"]).set_index("date")
    mse_m = float(np.mean((fc["actual"] - fc["model"]) ** 2))
    mse_b = float(np.mean((fc["actual"] - fc["mean"]) ** 2))
    r2 = 1.0 - mse_m / mse_b if mse_b > 0 else float("nan")
    return OOSResult(float(r2), len(fc), mse_m, mse_b, fc, h, mt)
