"""Load datasets from the store, and the small-cap / large-cap return pairs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from rotation import config
from rotation.data import catalog
from rotation.data.advice import advised, not_stored
from rotation.data.store import Store
from rotation.errors import DatasetNotFoundError, OfflineError, ParameterError

__all__ = ["load", "small_large", "Proxy", "PROXIES", "store_summary", "compound", "coverage", "status", "staleness"]


def _as_ts(value: Any, name: str) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"{name} must be a date like '2000-01-31', got {value!r}") from exc


def load(
    key: str,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    *,
    store: Store | None = None,
) -> pd.DataFrame | pd.Series:
    """Load one dataset from the local store.

    Parameters
    ----------
    key : str
        A catalog key: a FRED id (``"DGS10"``), a ticker (``"^RUT"``, ``"IWM"``) or a
        Ken French table (``"size_vw_monthly"``, ``"ff3_daily"``...). See ``data/README.md``.
    start, end : date-like, optional
        Keep observations with ``start <= date <= end`` (inclusive). None means no bound.
    store : Store, optional
        Default: the store at :func:`rotation.config.data_dir`.

    Returns
    -------
    Series or DataFrame
        DatetimeIndex named ``date``; units as the catalog states (Ken French returns
        are decimal, FRED values as published, prices as published with ``adj_close``).
        FRED series come back as a Series named by the id.

    Raises
    ------
    DatasetNotFoundError
        Unknown key (with suggestions), or not in the store and fetching it failed; the
        message says how to get it.
    OfflineError
        Not in the store and offline; the message says how to get it.
    StoreError
        The stored file does not match its checksum (or the manifest its own); the
        message names the dataset and the repair command (:mod:`rotation.data.advice`).

    Notes
    -----
    When the dataset is missing and offline mode is off, it is fetched first. Every call
    reports what it read (checksum, first and last date, rows of the whole stored dataset)
    to :func:`rotation.outputs.note_read`, for the run's provenance.
    """
    d = catalog.get(key)
    store = store or Store()
    s, e = _as_ts(start, "start"), _as_ts(end, "end")
    if s is not None and e is not None and s > e:
        raise ParameterError(f"start {s.date()} is after end {e.date()}; swap them")
    with advised():
        obj, entry = _read(store, d.key)  # sha256 checked against the manifest it was read from
    _note_read(d.key, obj, entry["sha256"])
    if s is not None or e is not None:
        idx = obj.index
        mask = np.ones(len(idx), dtype=bool)
        if s is not None:
            mask &= idx >= s
        if e is not None:
            mask &= idx <= e
        obj = obj.loc[mask]
    return obj


def _read(store: Store, key: str) -> tuple[pd.DataFrame | pd.Series, dict[str, Any]]:
    """``store.read_verified(key)``; a dataset that is not in the store is fetched first, unless offline."""
    try:
        return store.read_verified(key)
    except DatasetNotFoundError:
        if config.offline():
            raise OfflineError(not_stored(store.root, key, offline=True)) from None
    from rotation.data.ingest import fetch

    report = fetch([key], store=store, progress=False)
    if not report.ok:
        raise DatasetNotFoundError(not_stored(store.root, key) + f" (fetching it failed: {report.failed[0].detail})")
    try:  # fetched now: not in a version a run pinned before, so from the store as it is
        return store.read_verified(key, current=True)
    except DatasetNotFoundError:
        raise DatasetNotFoundError(not_stored(store.root, key)) from None


def _note_read(key: str, obj: pd.DataFrame | pd.Series, sha256: str) -> None:
    """Report a verified read (before any start/end slice) to :func:`rotation.outputs.note_read`."""
    from rotation.outputs import note_read

    idx = obj.index
    note_read(key, sha256=sha256, first=idx[0].date().isoformat() if len(idx) else None,
              last=idx[-1].date().isoformat() if len(idx) else None, rows=int(len(obj)))


def compound(returns: pd.Series | pd.DataFrame, rule: str) -> pd.Series | pd.DataFrame:
    """Compound simple returns to periods (``"W-FRI"``, ``"ME"``...), stamped at period end.

    A period with no observation is NaN (not 0). Used by :func:`small_large` only; a thin
    call of the package's one compounding primitive, :func:`rotation.stats.compound.compound`.
    """
    from rotation.stats.compound import compound as _compound

    return _compound(returns, freq=rule)


@dataclass(frozen=True)
class Proxy:
    """A small-cap / large-cap pair."""

    name: str
    description: str
    basis: str
    source: Literal["famafrench", "prices"]
    small: str
    large: str
    weighting: str = ""

    def datasets(self, frequency: str) -> tuple[str, ...]:
        if self.source == "famafrench":
            return (f"size_{self.weighting}_{'monthly' if frequency == 'M' else 'daily'}",)
        return (self.small, self.large)


def _ff_proxies() -> dict[str, Proxy]:
    out = {}
    for cut, lo, hi, what in (("30", "Lo 30", "Hi 30", "bottom 30% vs top 30%"),
                              ("20", "Lo 20", "Hi 20", "bottom quintile vs top quintile"),
                              ("10", "Lo 10", "Hi 10", "bottom decile vs top decile")):
        for w, wname in (("vw", "value-weighted"), ("ew", "equal-weighted")):
            out[f"ff{cut}_{w}"] = Proxy(
                f"ff{cut}_{w}", f"Ken French size portfolios, {what} of NYSE market equity, {wname}",
                "total return (CRSP, dividends included)", "famafrench", lo, hi, w,
            )
    return out


PROXIES: dict[str, Proxy] = {
    **_ff_proxies(),
    "iwm_spy": Proxy("iwm_spy", "iShares Russell 2000 ETF (IWM) vs SPDR S&P 500 ETF (SPY)",
                     "total return (dividend-adjusted ETF closes)", "prices", "IWM", "SPY"),
    "iwm_iwb": Proxy("iwm_iwb", "Russell 2000 ETF (IWM) vs Russell 1000 ETF (IWB)",
                     "total return (dividend-adjusted ETF closes)", "prices", "IWM", "IWB"),
    "ijr_spy": Proxy("ijr_spy", "S&P SmallCap 600 ETF (IJR) vs S&P 500 ETF (SPY)",
                     "total return (dividend-adjusted ETF closes)", "prices", "IJR", "SPY"),
    "rut_gspc": Proxy("rut_gspc", "Russell 2000 index (^RUT) vs S&P 500 index (^GSPC)",
                      "price only (index levels, no dividends)", "prices", "^RUT", "^GSPC"),
}

_RULES = {"D": None, "W": "W-FRI", "M": "ME"}


def _drop_incomplete_ends(
    out: pd.DataFrame, first_obs: pd.Timestamp, last_obs: pd.Timestamp, rule: str
) -> pd.DataFrame:
    """Drop the first/last period when the daily data misses more than one weekday of it.

    ``first_obs`` is the first date with a return (the day after the first price).
    """
    if out.empty:
        return out
    period_end = out.index[-1]
    if len(pd.bdate_range(last_obs + pd.Timedelta(days=1), period_end)) > 1:
        out = out.iloc[:-1]
    if out.empty:
        return out
    first_end = out.index[0]
    first_start = (first_end - pd.tseries.frequencies.to_offset(rule)) + pd.Timedelta(days=1)
    if len(pd.bdate_range(first_start, first_obs - pd.Timedelta(days=1))) > 1:
        out = out.iloc[1:]
    return out


def small_large(
    proxy: str = "ff30_vw",
    frequency: Literal["D", "W", "M"] = "M",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    *,
    store: Store | None = None,
) -> pd.DataFrame:
    """Aligned small-cap and large-cap simple returns for one proxy.

    Parameters
    ----------
    proxy : str
        A key of :data:`PROXIES`: ``ff30_vw`` (default; Ken French bottom 30% vs top 30%
        by NYSE size, value-weighted), ``ff30_ew``, ``ff20_vw``/``ew`` (quintiles),
        ``ff10_vw``/``ew`` (deciles), ``iwm_spy``, ``iwm_iwb``, ``ijr_spy``, ``rut_gspc``
        (price only: index levels without dividends).
    frequency : {"D", "W", "M"}
        Daily; weekly (weeks ending Friday, stamped on the Friday); monthly (stamped at
        the calendar month end). Ken French monthly returns come from the monthly file;
        everything else is compounded from daily returns, and a first or last period that
        the data misses more than one weekday of is dropped (a partial month is not a month).
    start, end : date-like, optional
        Inclusive bounds on the period-end dates.

    Returns
    -------
    DataFrame
        Columns ``small`` and ``large``: decimal simple returns of the period ending at
        the index date; rows where either is missing are dropped. ``attrs`` holds
        ``proxy``, ``description``, ``basis``, ``frequency`` and ``datasets``.
    """
    if proxy not in PROXIES:
        raise ParameterError(f"proxy must be one of {', '.join(PROXIES)}; got {proxy!r}")
    if frequency not in _RULES:
        raise ParameterError(f"frequency must be 'D', 'W' or 'M'; got {frequency!r}")
    p = PROXIES[proxy]
    store = store or Store()
    if p.source == "famafrench":
        (key,) = p.datasets(frequency)
        table = load(key, store=store)
        daily = table[[p.small, p.large]].set_axis(["small", "large"], axis=1)
    else:
        px = {}
        for tick in (p.small, p.large):
            frame = load(tick, store=store)
            px[tick] = frame["adj_close"]
        both = pd.concat(px, axis=1, join="inner").dropna()
        daily = both.pct_change().iloc[1:]
        daily.columns = ["small", "large"]
    daily = daily.dropna()
    if frequency == "D" or (p.source == "famafrench" and frequency == "M"):
        out = daily
    else:
        rule = _RULES[frequency]
        out = compound(daily, rule).dropna()
        out = _drop_incomplete_ends(out, daily.index[0], daily.index[-1], rule)
    s, e = _as_ts(start, "start"), _as_ts(end, "end")
    if s is not None:
        out = out.loc[out.index >= s]
    if e is not None:
        out = out.loc[out.index <= e]
    if out.empty:
        raise ParameterError(
            f"no {frequency} returns for proxy {proxy!r} between {start} and {end}; "
            f"the data covers {daily.index[0].date()} to {daily.index[-1].date()}"
        )
    out.index.name = "date"
    out.attrs = {"proxy": proxy, "description": p.description, "basis": p.basis, "frequency": frequency,
                 "datasets": list(p.datasets(frequency))}
    return out


def status(store: Store | None = None, check: bool = True, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per catalog dataset that is in the store (``rotation data status``), in catalog order.

    Columns: key, source, remote_id, rows, first, last, acquired_at, acquired_by,
    age_days (calendar days from the last observation to ``today``: ``ROTATION_TODAY`` when set, else this
    computer's date, as imports use), stale (True when
    the next observation is overdue for the dataset's frequency, see :func:`staleness`; never for the closed
    FRED-MD historical archive), first_vintage, last_vintage and vintages (real-time datasets: their vintage
    columns; None for the others),
    sha256, raw_sha256, checksum_ok (the processed and the raw file match their sha256;
    None when ``check`` is False).
    """
    from rotation.data.processing import today as observation_day

    store = store or Store()
    today = today or observation_day().date()  # the day imports use: ROTATION_TODAY, else this computer's date
    rows = []
    with advised():
        manifest = store.manifest()
        for key, d in catalog.CATALOG.items():
            e = manifest["datasets"].get(key)
            if e is None:
                continue
            last = pd.Timestamp(e["last"]).date() if e.get("last") else None
            rows.append(
                {
                    "key": key,
                    "source": e["source"],
                    "remote_id": e["remote_id"],
                    "rows": e["rows"],
                    "first": e["first"],
                    "last": e["last"],
                    "acquired_at": e["acquired_at"],
                    "acquired_by": e.get("acquired_by"),
                    "age_days": (today - last).days if last else None,
                    "stale": bool(last is not None and not d.remote_id.endswith("_historical")
                                  and staleness(last, d.frequency, d.release_lag_days or 0, today)),
                    **_vintage_span(d, e),
                    "sha256": e["sha256"],
                    "raw_sha256": e["raw_sha256"],
                    "checksum_ok": store.dataset_intact(key, manifest) if check else None,
                }
            )
    return rows


def _vintage_span(d: catalog.Dataset, entry: dict[str, Any]) -> dict[str, Any]:
    """First and last vintage (column labels) of a real-time dataset; None for the others."""
    cols = (entry.get("columns") or []) if d.kind == "vintages" else []
    return {"first_vintage": cols[0] if cols else None, "last_vintage": cols[-1] if cols else None,
            "vintages": len(cols) if cols else None}


def staleness(last: dt.date, frequency: str, release_lag_days: int, today: dt.date) -> bool:
    """True when a dataset whose last observation is dated ``last`` should have a newer one by ``today``.

    The next observation is due at the end of the period after ``last``'s plus the
    publication lag (``release_lag_days``, calendar days). A daily series is stale when
    more than 10 business days have passed since that; weekly: 3 weeks; monthly and
    quarterly: 2 months; annual: 6 months.
    """
    t, lt = pd.Timestamp(today), pd.Timestamp(last)
    lag = pd.Timedelta(days=release_lag_days)
    if frequency == "D":
        return len(pd.bdate_range(lt + lag + pd.Timedelta(days=1), t)) > 10
    if frequency == "W":
        return t > lt + pd.Timedelta(weeks=1) + lag + pd.Timedelta(weeks=3)
    offsets = pd.tseries.offsets
    period, months = {"M": (offsets.MonthEnd, 2), "Q": (offsets.QuarterEnd, 2), "A": (offsets.YearEnd, 6)}.get(
        frequency, (offsets.MonthEnd, 2))
    grace = pd.DateOffset(months=months)
    due = lt + period(0) + period(1) + lag  # the next period's end, plus the publication lag
    return bool(t > due + grace)


def store_summary(store: Store | None = None) -> list[dict[str, Any]]:
    """Key, rows, first, last, checksums and acquisition time of every stored dataset (for run manifests)."""
    cols = ("key", "source", "remote_id", "rows", "first", "last", "sha256", "raw_sha256", "acquired_at")
    return [{c: r[c] for c in cols} for r in status(store, check=False)]


def coverage(store: Store | None = None) -> pd.DataFrame:
    """One row per catalog dataset: whether it is stored, rows, first and last date, as-of.

    Columns: key, source, remote_id, frequency, units, stored (bool), rows, first, last,
    acquired_at (when it was fetched or imported), acquired_by. Datasets not in the store
    have ``stored=False`` and missing values elsewhere.
    """
    stored = {r["key"]: r for r in status(store, check=False)}
    rows = []
    for d in catalog.CATALOG.values():
        r = stored.get(d.key)
        rows.append(
            {
                "key": d.key,
                "source": d.source,
                "remote_id": d.remote_id,
                "frequency": d.frequency,
                "units": d.units,
                "stored": r is not None,
                "rows": r["rows"] if r else pd.NA,
                "first": pd.Timestamp(r["first"]) if r else pd.NaT,
                "last": pd.Timestamp(r["last"]) if r else pd.NaT,
                "acquired_at": r["acquired_at"] if r else None,
                "acquired_by": r["acquired_by"] if r else None,
            }
        )
    return pd.DataFrame(rows)
