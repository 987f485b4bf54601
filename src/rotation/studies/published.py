"""Data as published by a date: the cut a study is re-run on to answer "what was known then".

:func:`published_cut` keeps the rows of a series or frame that had been published by ``as_of``, with the
publication lag of the proxy's returns (:func:`rotation.data.timing.proxy_release_lag`: Ken French returns a
month after their month, market prices at the close) or of a source (``"famafrench"``, ``"prices"``). The
evidence builders use it for a state claim's verdict *then* (:mod:`rotation.evidence.dated`).
"""

from __future__ import annotations

import pandas as pd

from rotation.data.timing import RETURNS_RELEASE_LAG_DAYS, proxy_release_lag, published_by
from rotation.errors import ParameterError

__all__ = ["published_cut"]


def published_cut(data: pd.Series | pd.DataFrame, as_of: str | pd.Timestamp, *, proxy: str | None = None,
                  source: str | None = None, lag_days: int | None = None) -> pd.Series | pd.DataFrame:
    """The rows of ``data`` published by ``as_of`` (stamped ``d`` with ``d + lag <= as_of``).

    The lag is ``lag_days`` when given, else that of ``source`` (:data:`RETURNS_RELEASE_LAG_DAYS`), else that of
    ``proxy``'s returns, else 0 (daily market data: the close of t is known at t).
    """
    if lag_days is None and source is not None:
        if source not in RETURNS_RELEASE_LAG_DAYS:
            raise ParameterError(f"source must be one of {', '.join(RETURNS_RELEASE_LAG_DAYS)}; got {source!r}")
        lag_days = RETURNS_RELEASE_LAG_DAYS[source]
    if lag_days is None:
        lag_days = proxy_release_lag(proxy) if proxy else 0
    return published_by(data, as_of, lag_days)
