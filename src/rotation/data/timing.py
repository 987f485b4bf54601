"""What was known when: publication lags and the one alignment rule for signals.

Stored dates describe the *period* an observation covers (a January unemployment rate is
stamped 2026-01-31), not when it was published (the first Friday of February). A signal at
``t`` may only use values **published by t**. The rule, defined once here:

    a value stamped ``d`` becomes known at ``d + release_lag_days`` (the catalog's typical lag for
    the series); the value of a series *known at* a period end ``t`` is the last value that became
    known on or before ``t``.

So monthly, weekly and quarterly series all align to month ends the same way: weekly claims
(stamped Saturday, released Thursday) give the last claims number released by the month end;
quarterly GDP gives the last advance estimate released by then. Daily market data (yields,
spreads, prices) have lag 0: the close of ``t`` is known at ``t``.

Two look-aheads remain that a lag cannot remove, and notebooks must say so where they matter:

* **Revisions.** FRED serves the latest vintage; payrolls, GDP, CPI, industrial production and
  NFCI (whose whole history is re-estimated every week) are revised after first publication, so
  past values include information nobody had at the time (catalog flag ``revised``).
* **Hindsight series.** NBER recession dates (USREC) are announced months to years later; they
  have no release lag (``None``) and :func:`as_known` refuses them unless ``allow_hindsight``.
"""

from __future__ import annotations

import pandas as pd

from rotation.data import catalog
from rotation.errors import ParameterError

__all__ = ["release_lag", "as_known", "load_known", "published_by", "proxy_release_lag", "RETURNS_RELEASE_LAG_DAYS"]

#: Calendar days from a return's stamp (the period end) to its publication, by the proxy's source. Market
#: prices: the close of t is known at t. Ken French returns: a month's returns are in the library's cut
#: released in the next month ("The July cut has data through July and was released in August", the
#: library's archive page), so a month stamped d is taken as known at d + 30 days (October's returns by
#: November 30). The catalog's lag of 0 for the Ken French files describes their daily stamps, not this.
RETURNS_RELEASE_LAG_DAYS: dict[str, int] = {"famafrench": 30, "prices": 0}


def release_lag(key: str) -> int | None:
    """Typical calendar days from a dataset's stored date to its publication (None: hindsight only)."""
    return catalog.get(key).release_lag_days


def as_known(
    series: pd.Series,
    lag_days: int | None,
    freq: str = "ME",
    *,
    allow_hindsight: bool = False,
    name: str | None = None,
) -> pd.Series:
    """The value of ``series`` known at the end of each period of ``freq``.

    Parameters
    ----------
    series : pd.Series
        Observations with a DatetimeIndex of stored dates (the end of the period described).
    lag_days : int or None
        Calendar days from a stored date to publication (:func:`release_lag`). None means the
        series is known only with hindsight: refused unless ``allow_hindsight`` (then lag 0).
    freq : str, default "ME"
        Period ends to align to (pandas offset alias: "ME" month end, "W-FRI" Friday...).
    allow_hindsight : bool
        Accept ``lag_days=None`` (describing history, e.g. shading recessions; never for a signal).

    Returns
    -------
    pd.Series
        Indexed by period end from the first period in which a value was known to the last period
        end on or before the last publication date; each value is the last one published by that
        period end (carried forward while nothing new is published).
    """
    if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
        raise ParameterError(f"series must be a pandas Series with a DatetimeIndex; got {type(series).__name__}")
    label = name or str(series.name)
    if lag_days is None:
        if not allow_hindsight:
            raise ParameterError(
                f"{label} is known only with hindsight (no release lag): it cannot be used as a signal at t. "
                "Use it to describe history with allow_hindsight=True, or pick an indicator known at t "
                "(e.g. the Sahm rule from UNRATE)."
            )
        lag_days = 0
    if isinstance(lag_days, bool) or not isinstance(lag_days, int) or lag_days < 0:
        raise ParameterError(f"lag_days must be a whole number of days >= 0 or None; got {lag_days!r}")
    s = series.dropna()
    if s.empty:
        return s.astype(float)
    known = s.copy()
    known.index = s.index + pd.Timedelta(days=lag_days)
    try:
        out = known.resample(freq).last().ffill()
    except ValueError as exc:
        raise ParameterError(f"freq {freq!r} is not a pandas offset alias such as 'ME' or 'W-FRI' ({exc})") from None
    out.index.name = "date"
    return out.rename(series.name)


def load_known(key: str, freq: str = "ME", *, lag_days: int | None = None, start: str | None = None,
               end: str | None = None, allow_hindsight: bool = False) -> pd.Series:
    """Load a catalog series and align it with :func:`as_known` using the catalog's release lag.

    ``lag_days`` overrides the catalog's lag (a parameter of the notebooks). ``start``/``end`` cut
    the *aligned* series (period ends), so a period end uses every value published before it.
    """
    from rotation.data.api import load

    d = catalog.get(key)
    if d.shape != "series":
        raise ParameterError(f"load_known works on single series (FRED); {key!r} is a {d.shape}")
    lag = d.release_lag_days if lag_days is None else lag_days
    out = as_known(load(key), lag, freq, allow_hindsight=allow_hindsight, name=key)
    return out.loc[start:end]


def lag_overrides(items: list[str] | None) -> dict[str, int]:
    """Parse ``["UNRATE:10", "ICSA=6"]`` (a notebook parameter) into ``{key: days}``, checking each key and value."""
    out: dict[str, int] = {}
    for item in items or []:
        key, sep, days = str(item).replace("=", ":", 1).partition(":")
        if not sep or not days.strip().isdigit():
            raise ParameterError(f"release lag override {item!r} must be KEY:DAYS with whole days, e.g. 'UNRATE:10'")
        d = catalog.get(key.strip())  # raises with close matches
        out[d.key] = int(days)
    return out


def proxy_release_lag(proxy: str) -> int:
    """Days from a return's stamp to its publication for a small/large proxy (:data:`RETURNS_RELEASE_LAG_DAYS`)."""
    from rotation.data.api import PROXIES

    if proxy not in PROXIES:
        return RETURNS_RELEASE_LAG_DAYS["famafrench"] if proxy.startswith("ff") else 0
    return RETURNS_RELEASE_LAG_DAYS[PROXIES[proxy].source]


def published_by(data: pd.Series | pd.DataFrame, as_of: str | pd.Timestamp, lag_days: int = 0
                 ) -> pd.Series | pd.DataFrame:
    """The rows of ``data`` published by ``as_of``: those stamped ``d`` with ``d + lag_days <= as_of``.

    The cut a "then" verdict is computed on (:data:`rotation.evidence.claims.COMMENTARY_DATE`): nothing
    stamped, or published, after ``as_of`` is in it.
    """
    if not isinstance(data, (pd.Series, pd.DataFrame)) or not isinstance(data.index, pd.DatetimeIndex):
        raise ParameterError("data must be a pandas Series or DataFrame with a DatetimeIndex; "
                             f"got {type(data).__name__}")
    if isinstance(lag_days, bool) or not isinstance(lag_days, int) or lag_days < 0:
        raise ParameterError(f"lag_days must be a whole number of days >= 0; got {lag_days!r}")
    cut = pd.Timestamp(as_of) - pd.Timedelta(days=lag_days)
    return data.loc[data.index <= cut]
