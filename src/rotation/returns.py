"""Return arithmetic: simple and cumulative returns, relative strength, drawdowns, percentiles.

Conventions
-----------
* Returns are **decimal simple returns** (0.05 = +5 %) in a ``pd.Series`` or
  ``pd.DataFrame`` whose index is sorted, unique and (by the data layer's
  convention) a ``DatetimeIndex``. The value stamped at ``t`` is the return from
  the close of ``t-1`` to the close of ``t``: it is known at the close of ``t``.
* Price / wealth levels are positive floats.
* Output shape follows input shape: a Series gives a Series (or a scalar for
  summary functions), a DataFrame gives a DataFrame. Index and name are preserved
  unless the docstring says otherwise.
* Nothing here looks ahead unless its name says so (``forward_*`` lives in
  :mod:`rotation.events`).
* Invalid arguments raise :class:`rotation.errors.ParameterError` with a message
  naming the argument, the rule and the offending value.

The private ``_check_*`` helpers are shared by :mod:`rotation.cycles`,
:mod:`rotation.events` and :mod:`rotation.inference`.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import TypeVar

import numpy as np
import pandas as pd

from rotation.errors import ParameterError

__all__ = [
    "simple_returns",
    "cumulative_returns",
    "log_relative_strength",
    "relative_returns",
    "rolling_relative_return",
    "drawdown",
    "to_period_returns",
    "percentile_rank",
    "percentile_of_last",
    "expanding_percentile",
    "annualize_return",
    "PERIOD_FREQS",
]

PandasT = TypeVar("PandasT", pd.Series, pd.DataFrame)

#: Frequencies accepted by :func:`to_period_returns` -> the pandas rule used.
PERIOD_FREQS: dict[str, str] = {"W": "W-FRI", "W-FRI": "W-FRI", "ME": "ME", "QE": "QE", "YE": "YE"}


# --------------------------------------------------------------------------- validation helpers
def _check_pandas(x: object, name: str, *, allow_frame: bool = True) -> None:
    """Raise unless ``x`` is a Series (or DataFrame) with a sorted, unique index."""
    allowed: tuple[type, ...] = (pd.Series, pd.DataFrame) if allow_frame else (pd.Series,)
    if not isinstance(x, allowed):
        kinds = "a pandas Series or DataFrame" if allow_frame else "a pandas Series"
        raise ParameterError(f"{name} must be {kinds}; got {type(x).__name__}")
    idx = x.index
    if not idx.is_unique:
        dup = idx[idx.duplicated()][0]
        raise ParameterError(f"{name} must have a unique index; got duplicate label {dup!r}")
    if not idx.is_monotonic_increasing:
        raise ParameterError(f"{name} must have an increasing (sorted) index; sort it with .sort_index()")
    try:
        values = x.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must hold numeric values; got dtype(s) {x.dtypes if isinstance(x, pd.DataFrame) else x.dtype}") from exc
    if np.isinf(values).any():
        raise ParameterError(f"{name} must not contain infinite values; got inf")


def _check_returns(x: object, name: str, *, allow_frame: bool = True) -> None:
    """Raise unless ``x`` holds decimal simple returns (> -1, NaN allowed)."""
    _check_pandas(x, name, allow_frame=allow_frame)
    assert isinstance(x, (pd.Series, pd.DataFrame))
    values = x.to_numpy(dtype=float, na_value=np.nan)
    bad = values <= -1.0
    if bad.any():
        raise ParameterError(
            f"{name} must be decimal simple returns greater than -1 (-100%); got {float(values[bad].ravel()[0])!r}"
        )


def _check_positive_levels(x: object, name: str, *, allow_frame: bool = True) -> None:
    """Raise unless ``x`` holds positive levels (NaN allowed)."""
    _check_pandas(x, name, allow_frame=allow_frame)
    assert isinstance(x, (pd.Series, pd.DataFrame))
    values = x.to_numpy(dtype=float, na_value=np.nan)
    bad = values <= 0.0
    if bad.any():
        raise ParameterError(f"{name} must be positive price/wealth levels; got {float(values[bad].ravel()[0])!r}")


def _shown(value: object) -> object:
    """Numpy scalars shown as plain Python values in error messages."""
    return value.item() if isinstance(value, np.generic) else value


def _check_int(value: object, name: str, *, minimum: int) -> int:
    """Return ``value`` as int; raise unless it is an integer >= ``minimum``."""
    value = _shown(value)
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ParameterError(f"{name} must be an integer >= {minimum}; got {value!r}")
    if int(value) < minimum:
        raise ParameterError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _check_real(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as float; raise unless it is a finite real number in the stated interval."""
    value = _shown(value)
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise ParameterError(f"{name} must be a finite number; got {value!r}")
    v = float(value)
    lo_txt = "" if low is None else ("> " if low_open else ">= ") + f"{low:g}"
    hi_txt = "" if high is None else ("< " if high_open else "<= ") + f"{high:g}"
    rule = " and ".join(t for t in (lo_txt, hi_txt) if t)
    if low is not None and (v <= low if low_open else v < low):
        raise ParameterError(f"{name} must be {rule}; got {value!r}")
    if high is not None and (v >= high if high_open else v > high):
        raise ParameterError(f"{name} must be {rule}; got {value!r}")
    return v


def _check_choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}")
    return str(value)


def _align_pair(small: pd.Series, large: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Inner-join two return Series on their dates and drop rows where either is NaN."""
    _check_returns(small, "small", allow_frame=False)
    _check_returns(large, "large", allow_frame=False)
    both = pd.concat([small.rename("small"), large.rename("large")], axis=1, join="inner").dropna()
    return both["small"], both["large"]


# --------------------------------------------------------------------------- returns
def simple_returns(prices: PandasT) -> PandasT:
    """Simple (arithmetic) returns of a price or wealth level.

    Parameters
    ----------
    prices : pd.Series or pd.DataFrame
        Positive price levels, sorted by date.

    Returns
    -------
    pd.Series or pd.DataFrame
        ``p_t / p_{t-1} - 1`` as decimals, stamped at ``t`` (known at the close of
        ``t``). The first row (no previous price) is dropped, so the result is one
        row shorter than the input. Name / columns are preserved.

    Notes
    -----
    NaN policy: no filling. A NaN price gives NaN returns at its own row and at the
    next row.
    """
    _check_positive_levels(prices, "prices")
    return prices.pct_change(fill_method=None).iloc[1:]


def cumulative_returns(returns: PandasT, starting_value: float = 1.0) -> PandasT:
    """Wealth index: ``starting_value * prod_{s<=t}(1 + r_s)``.

    Parameters
    ----------
    returns : pd.Series or pd.DataFrame
        Decimal simple returns.
    starting_value : float, default 1.0
        Wealth before the first return (must be > 0).

    Returns
    -------
    pd.Series or pd.DataFrame
        Wealth at the close of each ``t`` (uses returns up to and including ``t``).
        Same index/name as ``returns``; the first value is ``starting_value * (1 + r_0)``.

    Notes
    -----
    NaN policy: a NaN return stays NaN in the output and is skipped when compounding
    (wealth is carried through unchanged, as if the return were 0).
    """
    _check_returns(returns, "returns")
    sv = _check_real(starting_value, "starting_value", low=0.0, low_open=True)
    return sv * (1.0 + returns).cumprod()


def log_relative_strength(small: pd.Series, large: pd.Series) -> pd.Series:
    """Log relative strength ``log(W_small_t / W_large_t)`` of two return streams.

    Parameters
    ----------
    small, large : pd.Series
        Decimal simple returns (e.g. Russell 2000 and S&P 500).

    Returns
    -------
    pd.Series
        Named ``"log_relative_strength"``, on the common dates (inner join, rows with
        a NaN in either series dropped). Both wealth indices start at 1 *before* the
        first common return, so the first value is ``log(1+rs_0) - log(1+rl_0)``.
        A rising line means small caps are beating large caps. Known at the close of ``t``.
    """
    s, l = _align_pair(small, large)
    out = (np.log1p(s) - np.log1p(l)).cumsum()
    return out.rename("log_relative_strength")


def relative_returns(small: pd.Series, large: pd.Series) -> pd.Series:
    """Per-period relative return ``(1 + rs_t) / (1 + rl_t) - 1``: the return of the ratio ``W_small / W_large``.

    Parameters
    ----------
    small, large : pd.Series
        Decimal simple returns.

    Returns
    -------
    pd.Series
        Named ``"relative_return"``, on the common dates (inner join, NaN rows dropped).

    Notes
    -----
    Why not ``rs - rl``: the ratio return compounds exactly —
    ``prod(1 + rel_t) = W_small_T / W_large_T`` — so cumulating, annualising or
    drawing down the relative series gives the same answer as working with the
    ratio of wealth indices. The difference ``rs - rl`` is only a first-order
    approximation that does not compound to the ratio (it drifts when returns are
    large or volatile, e.g. in 2008 or 2020).
    """
    s, l = _align_pair(small, large)
    return ((1.0 + s) / (1.0 + l) - 1.0).rename("relative_return")


def rolling_relative_return(small: pd.Series, large: pd.Series, window: int, periods_per_year: float) -> pd.Series:
    """Rolling compounded relative return over ``window`` periods, annualised.

    Parameters
    ----------
    small, large : pd.Series
        Decimal simple returns.
    window : int
        Number of periods compounded (>= 1).
    periods_per_year : float
        E.g. 252 for daily, 52 for weekly, 12 for monthly data (> 0).

    Returns
    -------
    pd.Series
        Named ``"rolling_relative_return"``. At ``t``: ``R = prod_{s=t-window+1..t}(1+rel_s) - 1``
        annualised as ``(1+R)^(periods_per_year/window) - 1`` (decimal). Uses periods
        ``t-window+1..t`` only, i.e. known at the close of ``t``. The first
        ``window-1`` values are NaN. Common dates only (inner join, NaN rows dropped).
    """
    w = _check_int(window, "window", minimum=1)
    ppy = _check_real(periods_per_year, "periods_per_year", low=0.0, low_open=True)
    rel = relative_returns(small, large)
    log_r = np.log1p(rel).rolling(w, min_periods=w).sum()
    return np.expm1(log_r * (ppy / w)).rename("rolling_relative_return")


def drawdown(wealth_or_ratio: PandasT) -> PandasT:
    """Drawdown from the running peak: ``level_t / max_{s<=t} level_s - 1``.

    Parameters
    ----------
    wealth_or_ratio : pd.Series or pd.DataFrame
        Positive levels: a wealth index, a price, or a relative-strength ratio
        ``W_small / W_large`` (not its log — use ``np.exp`` first).

    Returns
    -------
    pd.Series or pd.DataFrame
        Decimals <= 0 (-0.25 = 25 % below the previous peak), same shape/index/name.
        Known at ``t``. NaN levels give NaN and are ignored by the running max.
    """
    _check_positive_levels(wealth_or_ratio, "wealth_or_ratio")
    peak = wealth_or_ratio.cummax().ffill()
    return wealth_or_ratio / peak - 1.0


def to_period_returns(returns: PandasT, freq: str) -> PandasT:
    """Compound returns to weekly, monthly, quarterly or yearly periods.

    Parameters
    ----------
    returns : pd.Series or pd.DataFrame
        Decimal simple returns with a ``DatetimeIndex`` (e.g. daily).
    freq : {"W", "ME", "QE", "YE"}
        ``"W"`` means weeks ending Friday (``"W-FRI"``, also accepted as such);
        ``"ME"``/``"QE"``/``"YE"`` are calendar month/quarter/year ends.

    Returns
    -------
    pd.Series or pd.DataFrame
        ``prod(1 + r) - 1`` within each period, stamped at the **calendar period
        end** (e.g. 2024-03-31 even when the last trading day was 2024-03-28; the
        Friday for weeks). A period's value is known at its last observation.

    Notes
    -----
    NaN policy: NaN returns inside a period are skipped (the available returns are
    compounded). Periods with no non-NaN return — including calendar gaps inside the
    sample — are kept as NaN rather than reported as 0.
    Partial first/last periods are compounded over the days available.
    """
    _check_returns(returns, "returns")
    rule = PERIOD_FREQS.get(freq) if isinstance(freq, str) else None
    if rule is None:
        raise ParameterError(f"freq must be one of 'W', 'ME', 'QE', 'YE'; got {freq!r}")
    if not isinstance(returns.index, pd.DatetimeIndex):
        raise ParameterError(
            f"returns must have a DatetimeIndex to be compounded by period; got {type(returns.index).__name__}"
        )
    return (1.0 + returns).resample(rule).prod(min_count=1) - 1.0


# --------------------------------------------------------------------------- percentiles
def percentile_rank(series: pd.Series, value: float) -> float:
    """Share of the non-NaN history that is ``<= value``.

    Parameters
    ----------
    series : pd.Series
        The history (any units). NaN values are ignored.
    value : float
        The value to rank.

    Returns
    -------
    float
        In ``[0, 1]``: 0 = below everything seen, 1 = at or above everything.
        Uses the whole series passed in: slice it first for a point-in-time answer.
    """
    _check_pandas(series, "series", allow_frame=False)
    v = _check_real(value, "value")
    hist = series.dropna().to_numpy(dtype=float)
    if hist.size == 0:
        raise ParameterError("series must contain at least one non-NaN value; got none")
    return float(np.mean(hist <= v))


def percentile_of_last(series: pd.Series) -> float:
    """Percentile rank of the last non-NaN value within the series' own non-NaN history.

    Returns
    -------
    float
        In ``(0, 1]`` (the last value counts itself). Equal to
        ``percentile_rank(series, last_value)``; uses the whole series, which ends at
        the last value, so nothing after it is used.
    """
    _check_pandas(series, "series", allow_frame=False)
    hist = series.dropna()
    if hist.empty:
        raise ParameterError("series must contain at least one non-NaN value; got none")
    return percentile_rank(hist, float(hist.iloc[-1]))


def expanding_percentile(series: PandasT) -> PandasT:
    """Point-in-time percentile rank: at ``t`` the share of ``x_0..x_t`` (non-NaN) that is ``<= x_t``.

    Returns
    -------
    pd.Series or pd.DataFrame
        In ``(0, 1]``, same shape/index/name. Uses data up to and including ``t``
        only (no look-ahead). NaN at ``t`` gives NaN; NaN history values are ignored.
        The first valid value is 1.0 by construction — mask an early window
        (e.g. ``.where(count >= n)``) when few observations make it meaningless.
    """
    _check_pandas(series, "series")
    return series.expanding(min_periods=1).rank(method="max", pct=True)


def annualize_return(total_return: float, n_periods: float, periods_per_year: float) -> float:
    """Annualise a compounded return: ``(1 + total_return)^(periods_per_year / n_periods) - 1``.

    Parameters
    ----------
    total_return : float
        Compounded decimal return over the span (> -1).
    n_periods : float
        Number of periods the return spans (> 0), e.g. 63 trading days.
    periods_per_year : float
        252 daily, 52 weekly, 12 monthly (> 0).

    Returns
    -------
    float
        Annualised decimal return.
    """
    r = _check_real(total_return, "total_return", low=-1.0, low_open=True)
    n = _check_real(n_periods, "n_periods", low=0.0, low_open=True)
    ppy = _check_real(periods_per_year, "periods_per_year", low=0.0, low_open=True)
    return float((1.0 + r) ** (ppy / n) - 1.0)
