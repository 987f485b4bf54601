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

from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_pandas, check_real
from rotation.stats.hac import BY_REGRESSOR, hac_ols, newey_west_lags, newey_west_sandwich
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units

__all__ = [
    "rolling_hac_betas",
    "latest",
    "sensitivity_table",
    "predictive_regression",
    "oos_r2",
    "forward_sum",
    "predictive_pairs",
    "OOS_UNITS",
]

#: Units of an out-of-sample R² (Campbell-Thompson): a number, > 0 when the model beat the mean.
OOS_UNITS = Units.number("out-of-sample R2 against the expanding historical mean")


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
def latest(rolling: Estimates) -> Estimates:
    """The last window with an estimate of each term of a :func:`rolling_hac_betas` result (index = term,
    extra column ``date``: the end of that window)."""
    table = rolling.table
    if table.index.nlevels != 2:
        raise ParameterError("latest() takes a rolling_hac_betas result (rows indexed by term and date)")
    rows = []
    for term in table.index.unique(level=0):
        ok = table.loc[term].dropna(subset=["estimate"])
        if ok.empty:
            rows.append(pd.Series({c: np.nan for c in table.columns}, name=term).to_frame().T.assign(date=pd.NaT))
            continue
        rows.append(ok.iloc[[-1]].rename_axis("date").reset_index().set_index(pd.Index([term])))
    out = pd.concat(rows)
    out = out[[*table.columns, "date"]]
    out.index.name = "term"
    return Estimates(out, rolling.method, rolling.units, f"Latest {rolling.title.lower() or 'rolling estimate'}")


def rolling_hac_betas(
    y: pd.Series,
    X: pd.Series | pd.DataFrame,
    window: int,
    maxlags: int | None = None,
    alpha: float = 0.05,
    min_nobs: int | None = None,
    units: Units = BY_REGRESSOR,
) -> Estimates:
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
    units : Units
        Stored on the result.

    Returns
    -------
    Estimates
        Rows ``(term, date)``: for each regressor and each date of ``y``'s index, the slope
        (``estimate``), its HAC ``std_err``, ``t`` and normal ``p_value``, the interval, and
        ``nobs`` (complete rows in the window). Windows without enough data (the first
        ``window - 1`` and those with fewer than ``min_nobs`` complete rows) are NaN (``nobs``
        is still filled). :func:`latest` gives the last estimate of each term.

    Notes
    -----
    ``statsmodels.regression.rolling.RollingOLS`` offers no HAC covariance, so every
    window is solved directly: :math:`b = (X'X)^{-1}X'y` and the Newey-West sandwich
    :math:`(X'X)^{-1} S (X'X)^{-1}` with :math:`S = \\sum_{|l| \\le L} w_l \\sum_t g_t g_{t-l}'`,
    :math:`g_t = x_t u_t`, Bartlett weights :math:`w_l = 1 - l/(L+1)` and no small-sample
    correction (:func:`rotation.stats.hac.newey_west_sandwich`): exactly what
    :func:`rotation.stats.hac.hac_fit` reports for the window (the tests check both against it and
    the slopes against ``RollingOLS``), about 30 times faster.
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
        b, se_t = newey_west_sandwich(yarr[s : t + 1][m], Xc[s : t + 1][m], weights)
        est[t] = b[1:]
        se[t] = se_t[1:]
        lo[t] = b[1:] - z * se_t[1:]
        hi[t] = b[1:] + z * se_t[1:]
    frames = []
    for j, _nm in enumerate(names):
        tstat = np.divide(est[:, j], se[:, j], out=np.full(n, np.nan), where=se[:, j] > 0)
        frames.append(pd.DataFrame({"estimate": est[:, j], "std_err": se[:, j], "t": tstat,
                                    "p_value": 2 * stats.norm.sf(np.abs(tstat)), "ci_lower": lo[:, j],
                                    "ci_upper": hi[:, j], "nobs": nobs}, index=yv.index))
    out = pd.concat(frames, keys=names, names=["term", yv.index.name or "date"])
    return Estimates(out, Method(kind="HAC", cov_type="HAC", lags=lags, alpha=a, note=f"trailing windows of {w} rows"),
                     units, f"Rolling {w}-period beta")


# --------------------------------------------------------------------------- sub-period table
_TABLE_COLS = ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs", "rsquared", "maxlags",
               "start", "end"]


def sensitivity_table(
    y: pd.Series,
    X: pd.Series | pd.DataFrame,
    periods: dict[str, tuple[str | None, str | None]] | None = None,
    maxlags: int | None = None,
    alpha: float = 0.05,
    units: Units = BY_REGRESSOR,
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

    units : Units
    title : str
        Stored on the result.

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
            raise ParameterError(f"periods[{label!r}] bounds must be dates like '2008-01-01' or None; "
                                 f"got {bounds!r}") from exc
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
        frame = hac_ols(sub[yname], sub.drop(columns=[yname]), maxlags=maxlags, alpha=a).table
        vocabulary = ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper"]
        for term in terms:
            r = frame.loc[term]
            rows.append({"period": label, "term": term, **{c: float(r[c]) for c in vocabulary},
                         "rsquared": float(r["rsquared"]), "nobs": int(r["nobs"]), "maxlags": int(r["maxlags"]),
                         "start": first, "end": last})
    out = pd.DataFrame(rows).set_index(["period", "term"])[_TABLE_COLS]
    method = Method(kind="HAC", cov_type="HAC", lags=None if maxlags is None else int(maxlags),
                    lag_rule="Newey-West rule on each period's observations (column maxlags)", alpha=a)
    return Estimates(out, method, units, title)


# --------------------------------------------------------------------------- predictive regressions
def forward_sum(y: pd.Series, horizon: int) -> pd.Series:
    """Sum of ``y`` over the next ``horizon`` rows, stamped at the row before them (looks ahead by name).

    ``out[t] = y[t+1] + ... + y[t+horizon]`` (rows of ``y``'s index); NaN when any of
    them is missing or runs past the end. Returns are **summed, not compounded** (the
    target of predictive regressions); named ``"<name>_fwd<h>"``.
    """
    check_pandas(y, "y", allow_frame=False)
    h = check_int(horizon, "horizon", minimum=1)
    yv = y.astype(float)
    return yv.rolling(h, min_periods=h).sum().shift(-h).rename(f"{yv.name or 'y'}_fwd{h}")


def predictive_pairs(y: pd.Series, x: pd.Series, horizon: int, lag: int = 1) -> pd.DataFrame:
    """The (target, predictor) rows of a predictive regression, on ``y``'s own index.

    ``target[t] = y[t+1] + ... + y[t+horizon]`` is summed over ``y``'s rows **before** the predictor
    is joined: a window counts when its returns are complete, whether or not the predictor has a
    value at its later months (a predictor that ends before the returns, e.g. a valuation series
    published once a year, keeps every window it starts). The predictor at ``t`` is ``x`` at ``y``'s
    date ``t`` (``lag - 1`` rows earlier for ``lag > 1``); dates of ``x`` that ``y`` lacks are ignored.

    Returns
    -------
    pd.DataFrame
        Indexed like ``y``: ``target`` and the predictor (named after ``x``, ``"x"`` if unnamed); NaN
        where a window is incomplete or the predictor unknown (drop them to get the regression rows).
    """
    yv = _check_y(y)
    xv = _check_y(x, "x")
    h = check_int(horizon, "horizon", minimum=1)
    lg = check_int(lag, "lag", minimum=1)
    if not yv.index.is_monotonic_increasing:
        raise ParameterError("y must be sorted by date (forward windows run over its rows)")
    xname = str(xv.name) if xv.name is not None else "x"
    if xname == "target":
        xname = "x"
    xs = xv[~xv.index.duplicated(keep="last")].reindex(yv.index).shift(lg - 1)
    return pd.DataFrame({"target": forward_sum(yv, h), xname: xs}, index=yv.index)


def _predictive_data(y: pd.Series, x: pd.Series, horizon: int, lag: int) -> tuple[pd.DataFrame, str, str]:
    data = predictive_pairs(y, x, horizon, lag)
    return data, "target", str(data.columns[1])


def predictive_regression(
    y: pd.Series,
    x: pd.Series,
    horizon: int = 1,
    lag: int = 1,
    maxlags: int | None = None,
    *,
    units: Units = BY_REGRESSOR,
) -> Estimates:
    """Does ``x`` known at ``t`` predict the sum of ``y`` over ``t+1 .. t+horizon``?

    Parameters
    ----------
    y : pd.Series
        Per-period returns (decimal), e.g. monthly relative returns.
    x : pd.Series
        Predictor stamped at ``t`` and known at the close of ``t`` (e.g. the dollar's
        percentage change over month ``t`` or over the 3 months ending at ``t``).
        The target is summed over ``y``'s own rows and ``x`` is read at ``y``'s dates
        (:func:`predictive_pairs`): every window whose returns are complete counts, also
        when ``x`` ends before ``y``; "rows" below are ``y``'s rows.
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
    Estimates
        Rows ``const`` and the regressor named after ``x`` (``"x"`` if unnamed), the vocabulary plus
        ``rsquared`` and ``maxlags`` (see :func:`rotation.stats.hac.hac_ols`).

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
    return hac_ols(data[yn], data[[xn]], maxlags=lags, units=units,
                   title=f"next {int(horizon)}-period return on {xn}")


def oos_r2(y: pd.Series, x: pd.Series, horizon: int = 1, min_train: int = 120) -> Estimates:
    """Expanding-window out-of-sample R² of the predictive regression of :func:`predictive_regression`.

    Parameters
    ----------
    y, x : pd.Series
        As in :func:`predictive_regression` with ``lag=1`` (:func:`predictive_pairs`; ``x[t]``
        is known at the close of ``t``).
    horizon : int, default 1
        Target at origin ``t``: ``y[t+1] + ... + y[t+h]``.
    min_train : int, default 120
        Complete training pairs needed before the first forecast (>= 3).

    Returns
    -------
    Estimates
        One row (``"oos_r2"``): ``estimate`` = R²_OOS = ``1 - mse_model / mse_mean`` (Campbell-Thompson
        2008; > 0 means the regression beat the expanding historical mean out of sample), ``nobs`` =
        forecasts, and ``mse_model``, ``mse_mean``, ``horizon``, ``min_train``; no interval. ``.data``:
        the forecasts, indexed by origin ``t``: ``actual`` (sum of ``y`` over ``t+1..t+h``),
        ``model``, ``mean`` (historical-mean forecast), ``n_train``, ``beta`` (slope estimated at ``t``).

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
    row = {"estimate": float(r2), "std_err": np.nan, "t": np.nan, "p_value": np.nan, "ci_lower": np.nan,
           "ci_upper": np.nan, "nobs": len(fc), "mse_model": mse_m, "mse_mean": mse_b, "horizon": h, "min_train": mt}
    method = Method(kind="descriptive", note="expanding-window OLS forecasts against the expanding historical mean "
                    f"(Campbell-Thompson R2_OOS), first forecast after {mt} training pairs")
    return Estimates(pd.DataFrame([row], index=pd.Index(["oos_r2"], name="statistic")), method, OOS_UNITS,
                     f"out-of-sample R2, next {h} periods", data=fc)
