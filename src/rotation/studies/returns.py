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
* Nothing here looks ahead unless its name says so: ``forward_*`` at ``t`` covers
  ``t+1..t+h`` (the only functions here that use data after ``t``).
* Compounding has one home, :func:`compound` (``expm1`` of summed ``log1p``): periods,
  rolling windows, running wealth and forward returns all go through it.
* Invalid arguments raise :class:`rotation.errors.ParameterError` with a message
  naming the argument, the rule and the offending value.

Input checks live in :mod:`rotation.stats.checks` (one internal home for every module).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_pandas, check_positive_levels, check_real, check_returns
from rotation.stats.compound import PERIOD_FREQS, compound

__all__ = [
    "compound",
    "forward_returns",
    "forward_relative_returns",
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


def _align_pair(small: pd.Series, large: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Inner-join two return Series on their dates and drop rows where either is NaN."""
    check_returns(small, "small", allow_frame=False)
    check_returns(large, "large", allow_frame=False)
    both = pd.concat([small.rename("small"), large.rename("large")], axis=1, join="inner").dropna()
    return both["small"], both["large"]


def forward_returns(returns: PandasT, horizon: int) -> PandasT:
    """Compounded return over the **next** ``horizon`` periods: at ``t``, ``prod_{s=t+1..t+h}(1+r_s) - 1``.

    Looks ahead by design (the name says so): pair it with a signal known at ``t``.

    Parameters
    ----------
    returns : pd.Series or pd.DataFrame
        Decimal simple returns.
    horizon : int
        Number of periods ahead (>= 1).

    Returns
    -------
    pd.Series or pd.DataFrame
        Same shape/index/name, decimals. Excludes ``r_t`` itself: a signal at the close
        of ``t`` can be paired with the value at ``t``. NaN where ``t+horizon`` is
        past the end, or where any return in ``t+1..t+horizon`` is NaN.

    Notes
    -----
    Values at neighbouring dates overlap by ``horizon-1`` periods; use HAC errors
    with ``maxlags >= horizon-1`` (:func:`rotation.stats.hac.hac_ols`) or a block
    bootstrap for inference.
    """
    check_returns(returns, "returns")
    h = check_int(horizon, "horizon", minimum=1)
    return compound(returns, h).shift(-h)


def forward_relative_returns(small: pd.Series, large: pd.Series, horizon: int) -> pd.Series:
    """Forward compounded relative return of small vs large caps over ``t+1..t+horizon``.

    ``prod(1+rs)/prod(1+rl) - 1`` over the next ``horizon`` periods, on the common
    dates (inner join, NaN rows dropped — see :func:`relative_returns`).
    Named ``"relative_return"``.
    """
    return forward_returns(relative_returns(small, large), horizon)


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
    check_positive_levels(prices, "prices")
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
    check_returns(returns, "returns")
    sv = check_real(starting_value, "starting_value", low=0.0, low_open=True)
    return sv * (1.0 + compound(returns, cumulative=True))


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
    s, lg = _align_pair(small, large)
    out = (np.log1p(s) - np.log1p(lg)).cumsum()
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
    s, lg = _align_pair(small, large)
    return ((1.0 + s) / (1.0 + lg) - 1.0).rename("relative_return")


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
    w = check_int(window, "window", minimum=1)
    ppy = check_real(periods_per_year, "periods_per_year", low=0.0, low_open=True)
    rel = relative_returns(small, large)
    total = compound(rel, w)
    return np.expm1(np.log1p(total) * (ppy / w)).rename("rolling_relative_return")


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
    check_positive_levels(wealth_or_ratio, "wealth_or_ratio")
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
    check_returns(returns, "returns")
    if not isinstance(freq, str) or freq not in ("W", "W-FRI", "ME", "QE", "YE"):
        raise ParameterError(f"freq must be one of 'W', 'ME', 'QE', 'YE'; got {freq!r}")
    return compound(returns, freq=freq)


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
    check_pandas(series, "series", allow_frame=False)
    v = check_real(value, "value")
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
    check_pandas(series, "series", allow_frame=False)
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
    check_pandas(series, "series")
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
    r = check_real(total_return, "total_return", low=-1.0, low_open=True)
    n = check_real(n_periods, "n_periods", low=0.0, low_open=True)
    ppy = check_real(periods_per_year, "periods_per_year", low=0.0, low_open=True)
    return float((1.0 + r) ** (ppy / n) - 1.0)
