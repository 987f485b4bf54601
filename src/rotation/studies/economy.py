"""The business cycle: phases, release-timed macro signals, and returns by economic state.

Conventions
-----------
* Macro inputs are values **known at each month end** (:func:`rotation.data.load_known`: the
  catalog's publication lag applied by the data layer's one rule). FRED serves revised data, so
  even lagged values contain revisions nobody had at the time; notebooks say so.
* NBER recession dates (USREC) are known only with hindsight (announced months to years
  later). Functions that use them (:func:`expansion_phases`) describe history; they are not
  signals. :func:`sahm_rule` and :func:`late_cycle_realtime` are alternatives known at each month end from
  release-timed values (latest vintage: dated by publication, but revised since).
* Returns are decimal; the forward return at ``t`` compounds ``t+1..t+h``
  (:func:`forward_compounded`): a state known at ``t`` is compared with what came after ``t``.
* Estimates come back as :class:`rotation.stats.results.Estimates` (``estimate, std_err, t, p_value,
  ci_lower, ci_upper, nobs`` + ``median``, ``share_positive``, ``n_spells``), with the HAC lags in
  their method.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.hac import coefficients, hac_fit
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units
from rotation.studies.returns import forward_returns

__all__ = [
    "sahm_rule",
    "expansion_phases",
    "late_cycle_realtime",
    "forward_compounded",
    "spells",
    "state_table",
    "state_difference",
    "interaction_regression",
    "turning_dates",
]

PHASES = ("early", "mid", "late")


def _monthly(x: object, name: str) -> pd.Series:
    if not isinstance(x, pd.Series) or not isinstance(x.index, pd.DatetimeIndex):
        raise ParameterError(f"{name} must be a pandas Series with a DatetimeIndex (month ends); "
                             f"got {type(x).__name__}")
    return x.astype(float)




def sahm_rule(unrate: pd.Series, threshold: float = 0.5, lookback: int = 12) -> pd.DataFrame:
    """Sahm's recession indicator from the unemployment rate known at each month end.

    Parameters
    ----------
    unrate : pd.Series
        Unemployment rate in percent, one value per month end, release-timed (latest vintage)
        (``load_known("UNRATE")``: January's rate is known at the end of February).
    threshold : float, default 0.5
        Percentage points.
    lookback : int, default 12
        Months of prior 3-month averages whose minimum is the reference low.

    Returns
    -------
    pd.DataFrame
        ``avg3`` (3-month average), ``low`` (minimum of ``avg3`` over the previous ``lookback``
        months, excluding ``t``), ``gap`` (``avg3 - low``, percentage points) and ``trigger``
        (``gap >= threshold``, pandas' nullable ``boolean``: missing where the gap is undefined, i.e.
        before ``lookback + 3`` months of history, never "not triggered"). Known at ``t``.
    """
    u = _monthly(unrate, "unrate").dropna()
    n = check_int(lookback, "lookback", minimum=1, maximum=120)
    avg3 = u.rolling(3, min_periods=3).mean()
    low = avg3.shift(1).rolling(n, min_periods=n).min()
    gap = avg3 - low
    trigger = (gap >= float(threshold) - 1e-12).astype("boolean").mask(gap.isna())
    return pd.DataFrame({"avg3": avg3, "low": low, "gap": gap, "trigger": trigger})


def turning_dates(usrec: pd.Series) -> pd.DataFrame:
    """NBER peaks and troughs from the 0/1 recession indicator (month ends).

    A **peak** is the last expansion month before a recession (the month before the first 1); a
    **trough** is the last recession month. Returns rows ``date``, ``kind`` sorted by date.
    """
    r = _monthly(usrec, "usrec").dropna().astype(int)
    start = (r == 1) & (r.shift(1, fill_value=r.iloc[0]) == 0)
    end = (r == 1) & (r.shift(-1, fill_value=1) == 0)
    peaks = [r.index[i - 1] for i in np.flatnonzero(start.to_numpy()) if i > 0]
    troughs = list(r.index[end.to_numpy()])
    out = pd.DataFrame({"date": peaks + troughs, "kind": ["peak"] * len(peaks) + ["trough"] * len(troughs)})
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def expansion_phases(usrec: pd.Series) -> pd.Series:
    """Label each month ``recession``, or the third of its expansion: ``early``, ``mid``, ``late``.

    An expansion runs from the month after an NBER trough to the peak. Its months are split into
    thirds by position (``floor(3 * i / n)``). Months before the first trough in the data and the
    expansion still open at the end (its length is unknown) are labelled ``"open"``. **Hindsight**:
    the thirds need the expansion's end date; use :func:`late_cycle_realtime` as a signal.
    """
    r = _monthly(usrec, "usrec").dropna().astype(int)
    labels = np.where(r.to_numpy() == 1, "recession", "open").astype(object)
    vals = r.to_numpy()
    i, n = 0, len(vals)
    while i < n:
        if vals[i] == 0:
            j = i
            while j < n and vals[j] == 0:
                j += 1
            bounded = i > 0 and j < n  # a recession before and after
            if bounded:
                length = j - i
                for k in range(i, j):
                    labels[k] = PHASES[min(2, (3 * (k - i)) // length)]
            i = j
        else:
            i += 1
    return pd.Series(labels, index=r.index, name="phase")


def late_cycle_realtime(unrate: pd.Series, curve: pd.Series, *, band: float = 0.5, curve_max: float = 0.25,
                        lookback: int = 36) -> pd.Series:
    """A late-cycle flag known at each month end: a tight labour market and a flat or inverted curve.

    ``True`` when the unemployment rate known at ``t`` is within ``band`` percentage points of its
    minimum over the last ``lookback`` months (including ``t``) **and** the 10-year minus 2-year
    spread at ``t`` is at or below ``curve_max`` percentage points. NaN-free where both inputs exist.
    """
    u = _monthly(unrate, "unrate").dropna()
    c = _monthly(curve, "curve").dropna()
    n = check_int(lookback, "lookback", minimum=2, maximum=240)
    tight = u <= u.rolling(n, min_periods=n).min() + float(band) + 1e-12
    tight = tight[u.rolling(n, min_periods=n).min().notna()]
    both = pd.concat({"tight": tight, "flat": c <= float(curve_max) + 1e-12}, axis=1, join="inner").dropna()
    return (both["tight"].astype(bool) & both["flat"].astype(bool)).rename("late_cycle")


def forward_compounded(returns: pd.Series, horizon: int) -> pd.Series:
    """Return compounded over ``t+1..t+horizon``, stamped at ``t`` (NaN where the window runs past the data)."""
    r = _monthly(returns, "returns")
    h = check_int(horizon, "horizon", minimum=1, maximum=600)
    return forward_returns(r, h).rename(f"fwd_{h}")


def spells(labels: pd.Series) -> pd.Series:
    """Number of separate runs (spells) of each label: the independent episodes behind a state's months."""
    lab = labels.dropna()
    starts = lab.ne(lab.shift())
    return lab[starts].value_counts().rename("n_spells")


def _units(h: int) -> Units:
    return Units.returns("decimal return in the same month" if h == 0
                         else f"decimal return compounded over the next {h} periods")


def state_table(returns: pd.Series, states: pd.Series, horizon: int = 1, *, maxlags: int | None = None,
                alpha: float = 0.05) -> Estimates:
    """Mean forward ``horizon``-month return by state known at ``t``, with HAC intervals.

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal returns (e.g. small-minus-large).
    states : pd.Series
        A label per month end, known at ``t`` (NaN: no state, dropped).
    horizon : int
        Forward months; the forward return at ``t`` covers ``t+1..t+h`` (:func:`forward_compounded`).
        0: the same month's return (a contemporaneous description, e.g. by NBER phase).
    maxlags : int, optional
        Newey-West lags; default ``max(horizon - 1, 12)`` (overlapping windows need at least h-1).

    Returns
    -------
    Estimates
        One row per state: the vocabulary, ``nobs`` (months), ``median``, ``share_positive`` and
        ``n_spells`` (separate runs of the state: the number of roughly independent episodes).
    """
    fwd = _monthly(returns, "returns") if horizon == 0 else forward_compounded(returns, horizon)
    data = pd.concat({"y": fwd, "s": states}, axis=1, join="inner").dropna()
    if data.empty:
        raise ParameterError("returns and states share no month with a complete forward window")
    h = int(horizon)
    lags = max(h - 1, 12) if maxlags is None else check_int(maxlags, "maxlags", minimum=0, maximum=600)
    X = pd.get_dummies(data["s"].astype(str), dtype=float)
    out = coefficients(hac_fit(data["y"], X, lags), alpha)
    grp = data.groupby(data["s"].astype(str))["y"]
    out["nobs"] = grp.size()
    out["median"] = grp.median()
    out["share_positive"] = grp.apply(lambda v: float((v > 0).mean()))
    out["nobs"] = out["nobs"].astype(int)
    out = out[["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs", "median", "share_positive"]]
    out["n_spells"] = spells(states.dropna().astype(str).loc[data.index[0]:data.index[-1]]).reindex(out.index)
    out.index.name = "state"
    return Estimates(out, Method(kind="HAC", cov_type="HAC", lags=lags, alpha=alpha), units=_units(h),
                     title=f"{'same-month' if h == 0 else f'forward {h}-period'} return by state")


def state_difference(returns: pd.Series, in_state: pd.Series, horizon: int = 1, *, maxlags: int | None = None,
                     alpha: float = 0.05) -> Estimates:
    """Forward return in the state minus outside it: ``fwd = a + b * in_state``, HAC (see :func:`state_table`).

    Returns an :class:`~rotation.stats.results.Estimates` with one row (``"in state minus other"``, estimate = b)
    plus ``n_state``, ``n_spells`` and, for the months in the state, ``median_state`` and
    ``share_positive_state`` of the forward return; ``.data``: the months of the test (``y``, the forward
    return, and ``d``, the state), whose dates and number are the test's own sample.
    """
    fwd = _monthly(returns, "returns") if horizon == 0 else forward_compounded(returns, horizon)
    data = pd.concat({"y": fwd, "d": in_state.astype(float)}, axis=1, join="inner").dropna()
    if data["d"].nunique() < 2:
        raise ParameterError("in_state is constant on the sample: nothing to compare")
    import statsmodels.api as sm

    h = int(horizon)
    lags = max(h - 1, 12) if maxlags is None else check_int(maxlags, "maxlags", minimum=0, maximum=600)
    row = coefficients(hac_fit(data["y"], sm.add_constant(data["d"]), lags), alpha).loc["d"]
    runs = spells(data["d"].astype(int))
    inside = data.loc[data["d"] == 1, "y"]
    table = pd.DataFrame([{**row.to_dict(), "nobs": int(len(data)), "n_state": int(data["d"].sum()),
                           "n_spells": int(runs.get(1, 0)), "median_state": float(inside.median()),
                           "share_positive_state": float((inside > 0).mean())}], index=["in state minus other"])
    return Estimates(table, Method(kind="HAC", cov_type="HAC", lags=lags, alpha=alpha), units=_units(h),
                     title="in the state minus other periods", data=data)


def interaction_regression(returns: pd.Series, market: pd.Series, indicator: pd.Series, *, maxlags: int = 12,
                           alpha: float = 0.05) -> Estimates:
    """``returns = a + b market + c indicator + d market x indicator``, HAC errors.

    With ``returns`` small-minus-large and ``indicator`` the recession flag: ``c`` is the part of
    the recession shortfall a market beta does not explain and ``d`` the change in the relative
    market beta in recessions ("more leveraged, less diversified" predicts ``c < 0`` or ``d > 0``).
    Rows ``const, market, indicator, market_x_indicator`` in the vocabulary, ``nobs`` on each row.
    """
    import statsmodels.api as sm

    data = pd.concat({"y": returns, "market": market, "indicator": indicator.astype(float)}, axis=1,
                     join="inner").dropna()
    data["market_x_indicator"] = data["market"] * data["indicator"]
    fit = hac_fit(data["y"], sm.add_constant(data[["market", "indicator", "market_x_indicator"]]),
                  check_int(maxlags, "maxlags", minimum=0, maximum=600))
    out = coefficients(fit, alpha)
    out["nobs"] = int(fit.nobs)
    return Estimates(out, Method(kind="HAC", cov_type="HAC", lags=int(maxlags), alpha=alpha),
                     units=Units.number("coefficients of a regression of decimal returns"),
                     title="returns on the market, the indicator and their product",
                     extra={"rsquared": float(fit.rsquared)})
