"""Compounding decimal simple returns: the package's one compounding primitive.

Periods, rolling windows, running wealth and forward returns (:mod:`rotation.studies.returns`)
and the data layer's weekly and monthly returns (:func:`rotation.data.small_large`) all go
through :func:`compound` (``expm1`` of summed ``log1p``).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_returns

__all__ = ["compound", "PERIOD_FREQS"]

PandasT = TypeVar("PandasT", pd.Series, pd.DataFrame)

#: Frequencies accepted by :func:`to_period_returns` -> the pandas rule used.
PERIOD_FREQS: dict[str, str] = {"W": "W-FRI", "W-FRI": "W-FRI", "ME": "ME", "QE": "QE", "YE": "YE"}


def compound(
    returns: PandasT,
    window: int | None = None,
    *,
    freq: str | None = None,
    cumulative: bool = False,
) -> PandasT | float:
    """Compound decimal simple returns: ``prod(1 + r) - 1``, computed as ``expm1(sum(log1p(r)))``.

    The one compounding primitive of the package: :func:`to_period_returns`,
    :func:`cumulative_returns`, :func:`rolling_relative_return`, :func:`forward_returns`,
    :func:`rotation.data.small_large` and the plots all call it.

    Parameters
    ----------
    returns : pd.Series or pd.DataFrame
        Decimal simple returns (> -1), sorted index.
    window : int, optional
        Rolling: the value at ``t`` compounds ``t-window+1..t`` (known at ``t``); NaN until
        ``window`` non-NaN values are in the window, and wherever one of them is NaN.
    freq : str, optional
        Calendar periods (a key or value of :data:`PERIOD_FREQS`, e.g. ``"ME"``, ``"W-FRI"``;
        needs a ``DatetimeIndex``): each period's non-NaN returns compounded, stamped at
        the calendar period end; a period with no non-NaN return is NaN (not 0).
    cumulative : bool, default False
        Running total: the value at ``t`` compounds everything up to ``t`` (NaN returns
        skipped, and left NaN in the output).

    Returns
    -------
    pd.Series, pd.DataFrame or float
        With none of ``window``/``freq``/``cumulative``: the total over the whole sample
        (a float for a Series, one value per column for a DataFrame; NaN skipped).
        Otherwise the same kind of object as ``returns``, decimals.
    """
    check_returns(returns, "returns")
    modes = sum(x for x in (window is not None, freq is not None, bool(cumulative)))
    if modes > 1:
        raise ParameterError(
            f"compound takes at most one of window, freq, cumulative; got window={window!r}, freq={freq!r}, "
            f"cumulative={cumulative!r}"
        )
    logs = np.log1p(returns)
    if window is not None:
        w = check_int(window, "window", minimum=1)
        return np.expm1(logs.rolling(w, min_periods=w).sum())
    if freq is not None:
        rule = PERIOD_FREQS.get(freq) if isinstance(freq, str) else None
        if rule is None:
            raise ParameterError(f"freq must be one of {', '.join(repr(k) for k in PERIOD_FREQS)}; got {freq!r}")
        if not isinstance(returns.index, pd.DatetimeIndex):
            raise ParameterError(
                f"returns must have a DatetimeIndex to be compounded by period; got {type(returns.index).__name__}"
            )
        grouped = logs.resample(rule)
        return np.expm1(grouped.sum()).where(grouped.count() > 0)
    if cumulative:
        return np.expm1(logs.cumsum())
    total = np.expm1(logs.sum())
    return float(total) if isinstance(returns, pd.Series) else total
