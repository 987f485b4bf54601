"""Point-in-time macro data: the value of a series as it was known at each date, from its real-time vintages.

**Vintage dating (when a vintage counts as known), defined once here.** A vintage is taken as known at the
**last day of the month its publisher dates it in**; a quarterly RTDSM vintage at the last day of the
**middle month** of its quarter:

* FRED-MD ``YYYY-MM.csv`` (data through the month before) is posted during month ``YYYY-MM``: known at its end
  (``2024-03`` -> 2024-03-31);
* an RTDSM monthly vintage (``EMPLOY24M3``) is the data as of the middle of that month: known at its end
  (2024-03-31);
* an RTDSM quarterly vintage (``RUC25Q4``) is the data as of the middle of the quarter's middle month (the
  Philadelphia Fed's convention): known at the end of that month (``2025Q4`` -> 2025-11-30).

This is conservative: no vintage is used before it existed, at the cost of up to half a month of delay.

**Bases** (:func:`load_point_in_time`), at each period end ``t``:

* ``"real-time"``: the vintage known at ``t`` (the newest one known by then); the value is its newest
  observation, which is that observation's first release (or, when the vintage adds no new month, the
  vintage's current reading of its newest month);
* ``"first release"``: the newest observation whose first release (its value in the first vintage that has it)
  is known at ``t``, at that first-release value;
* ``"latest"``: today's vintage with the catalog's publication lag (:func:`rotation.data.timing.load_known`,
  what the project used before vintages).

A vintage *covers* ``t`` from the day it is known until the next vintage is due (one month, or one quarter,
later). Where no vintage covers ``t`` (before the first vintage, after the last one), the value falls back to
``"latest"`` and is labelled so: every value carries its basis, so a result can say how much of its sample is
truly point-in-time (``attrs["point_in_time_share"]``).

The two real-time sources are kept apart (``source="fredmd"`` or ``"rtdsm"``): they disagree for some months
(payrolls for 2020-04: 131,045 in FRED-MD 2020-05 vs 131,072 in EMPLOY20M5), so one series is never spliced
from both. Within FRED-MD the historical archive (vintages 1999-08 .. 2014-12) and the monthly releases
(2015-01 ..) are one sequence of vintages; a vintage in both is read from the monthly releases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from rotation.data import catalog
from rotation.errors import ParameterError

__all__ = ["REALTIME_SERIES", "RealTimeSeries", "vintage_known_at", "vintage_table", "load_point_in_time",
           "known_values", "first_release", "vintage_coverage", "BASES"]

Basis = Literal["real-time", "first release", "latest"]
BASES: tuple[str, ...] = ("real-time", "first release", "latest")


@dataclass(frozen=True)
class RealTimeSeries:
    """Where a catalog series' vintages are: its FRED-MD column and its RTDSM workbook(s) (the first is the default)."""

    key: str
    fredmd: str | None
    rtdsm: tuple[str, ...] = ()
    note: str = ""


#: The catalog series with real-time vintages, keyed by the FRED id ``load_known`` uses for the latest basis.
REALTIME_SERIES: dict[str, RealTimeSeries] = {s.key: s for s in (
    RealTimeSeries("UNRATE", "UNRATE", ("rucQvMd",), "RTDSM has quarterly vintages only"),
    RealTimeSeries("PAYEMS", "PAYEMS", ("employMvMd",)),
    RealTimeSeries("INDPRO", "INDPRO", ("iptMvMd",), "each vintage in its own index base"),
    RealTimeSeries("CPIAUCSL", "CPIAUCSL", ("pcpiMvMd", "cpiQvMd"), "pcpiMvMd: monthly vintages from 1998-11"),
    RealTimeSeries("GDPC1", None, ("routputMvQd", "ROUTPUTQvQd"), "each vintage in its own chained dollars"),
    RealTimeSeries("UMCSENT", "UMCSENTx"),
    RealTimeSeries("M2SL", "M2SL"),
    RealTimeSeries("ICSA", "CLAIMSx", (), "FRED-MD CLAIMSx is the monthly average of weekly claims; the latest "
                                         "basis is weekly ICSA as known at the period end"),
)}


def vintage_known_at(labels: pd.Index | list[str]) -> pd.DatetimeIndex:
    """The day each vintage counts as known: ``YYYY-MM`` -> its month end; ``YYYYQn`` -> its middle month's end."""
    months = np.empty(len(labels), dtype="int64")
    for i, label in enumerate(labels):
        text = str(label)
        year = int(text[:4])
        month = 3 * int(text[5]) - 1 if text[4] == "Q" else int(text[5:7])  # Qn: its middle month
        months[i] = (year - 1970) * 12 + month  # the month after, whose first day minus one is the month end
    ends = months.astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
    return pd.DatetimeIndex(ends.astype("datetime64[ns]"), name="known")


def _tables(key: str, source: str) -> tuple[str, ...]:
    if key not in REALTIME_SERIES:
        raise ParameterError(f"no real-time vintages for {key!r}; series with vintages: {', '.join(REALTIME_SERIES)}")
    rts = REALTIME_SERIES[key]
    if source == "fredmd":
        if rts.fredmd is None:
            raise ParameterError(f"{key} is not in FRED-MD; use source='rtdsm'")
        return tuple(f"fredmd_{rts.fredmd}_{part}" for part in catalog.FREDMD_PARTS.values())
    if source == "rtdsm" or source in rts.rtdsm:
        if not rts.rtdsm:
            raise ParameterError(f"{key} is not in the RTDSM; use source='fredmd'")
        return (f"rtdsm_{rts.rtdsm[0] if source == 'rtdsm' else source}",)
    raise ParameterError(f"source must be 'fredmd', 'rtdsm' or one of {key}'s RTDSM workbooks "
                         f"({', '.join(rts.rtdsm) or 'none'}); got {source!r}")


def vintage_table(key: str, source: str = "fredmd", *, end=None, store=None) -> pd.DataFrame:
    """The observation x vintage table of ``key`` from one real-time source.

    ``end`` (date-like, optional) keeps only the vintages known by then (:func:`vintage_known_at`) and the
    observations up to then: a run ending at ``end`` never reads a vintage published after it (no column when
    none is known by then).

    Returns
    -------
    DataFrame
        Index ``date`` (observations stamped at period end), columns the vintage labels (``YYYY-MM`` or
        ``YYYYQn``) in order; ``attrs["known"]`` is :func:`vintage_known_at` of the columns and
        ``attrs["datasets"]`` the stored datasets read.
    """
    from rotation.data.api import load

    keys = _tables(key, source)
    parts = []
    for k in keys:
        try:
            parts.append(load(k, store=store))
        except Exception:
            if len(keys) == 1 or k != keys[0]:
                raise
    frame = pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]
    frame = frame.loc[:, ~frame.columns.duplicated(keep="last")]
    frame = frame[sorted(frame.columns)]  # one kind of label per table: YYYY-MM or YYYYQn sort as text
    if end is not None:
        cut = pd.Timestamp(end)
        frame = frame.loc[frame.index <= cut, vintage_known_at(frame.columns) <= cut]
    frame.attrs = {"known": vintage_known_at(list(frame.columns)), "datasets": list(keys), "source": source, "key": key}
    return frame


def first_release(table: pd.DataFrame) -> pd.DataFrame:
    """Each observation's first release: columns ``value`` (in the first vintage that has it), ``vintage`` and
    ``known`` (when that vintage counts as known), indexed by observation date."""
    known = vintage_known_at(table.columns)
    values = table.to_numpy()
    has = ~np.isnan(values)
    first = np.where(has.any(axis=1), has.argmax(axis=1), -1)
    rows = first >= 0
    idx = table.index[rows]
    pick = first[rows]
    return pd.DataFrame({"value": values[rows, pick], "vintage": table.columns[pick], "known": known[pick]}, index=idx)


def _grid(index_start: pd.Timestamp, index_end: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    try:
        return pd.date_range(index_start, index_end, freq=freq, name="date")
    except ValueError as exc:
        raise ParameterError(f"freq {freq!r} is not a pandas offset alias such as 'ME' ({exc})") from None


def _real_time(table: pd.DataFrame, grid: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, vintage label or '', covered) at each grid date from the vintage known then."""
    known = vintage_known_at(table.columns)
    step = pd.DateOffset(months=3 if str(table.columns[-1]).find("Q") > 0 else 1)
    due = pd.DatetimeIndex(list(known[1:]) + [(known[-1] + step) + pd.offsets.MonthEnd(0)])
    pos = known.searchsorted(grid, side="right") - 1
    values = table.to_numpy()
    last = len(values) - 1 - np.argmax(~np.isnan(values[::-1]), axis=0)  # each vintage's newest observation
    covered = (pos >= 0) & (grid < due[np.clip(pos, 0, None)])
    p = np.clip(pos, 0, None)
    val = np.where(covered, values[last[p], p], np.nan)
    lab = np.where(covered, np.asarray(table.columns, dtype=object)[p], "")
    return val, lab, covered


def _first(table: pd.DataFrame, grid: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    fr = first_release(table).sort_values("known", kind="stable")
    _, _, covered = _real_time(table, grid)
    pos = pd.DatetimeIndex(fr["known"]).searchsorted(grid, side="right") - 1
    # the newest observation first released by t (first releases are known in observation order, nearly always)
    best = pd.Series(fr.index).cummax().to_numpy()
    ok = covered & (pos >= 0)
    p = np.clip(pos, 0, None)
    obs = best[p]
    val = np.where(ok, fr["value"].reindex(obs).to_numpy(), np.nan)
    lab = np.where(ok, fr["vintage"].reindex(obs).to_numpy(dtype=object), "")
    return val, lab, ok


def known_values(table: pd.DataFrame, dates: pd.DatetimeIndex, basis: Basis = "real-time") -> pd.DataFrame:
    """The value of an observation x vintage ``table`` known at each of ``dates``, on a vintage basis.

    Columns ``value``, ``vintage`` (the label read) and ``covered`` (False where no vintage covers the date:
    before the first vintage is known, or once the vintage after the last one is due; value NaN there).
    """
    if basis not in ("real-time", "first release"):
        raise ParameterError(f"basis must be 'real-time' or 'first release' here; got {basis!r}")
    dates = pd.DatetimeIndex(dates, name="date")
    val, lab, ok = (_real_time if basis == "real-time" else _first)(table, dates)
    return pd.DataFrame({"value": val, "vintage": lab, "covered": ok}, index=dates)


def load_point_in_time(key: str, basis: Basis = "real-time", freq: str = "ME", start=None, end=None, *,
                       source: str = "fredmd", lag_days: int | None = None, store=None) -> pd.DataFrame:
    """The value of ``key`` as known at each period end, on one basis (see the module docstring).

    Parameters
    ----------
    key : str
        A catalog series with vintages (:data:`REALTIME_SERIES`: UNRATE, PAYEMS, INDPRO, CPIAUCSL, GDPC1,
        UMCSENT, M2SL, ICSA).
    basis : {"real-time", "first release", "latest"}
    freq : str
        Period ends (pandas alias; "ME" month end).
    start, end : date-like, optional
        Cut the period ends.
    source : str
        ``"fredmd"``, ``"rtdsm"`` (the series' default workbook) or an RTDSM workbook id (``"cpiQvMd"``).
    lag_days : int, optional
        Publication lag of the ``latest`` basis and fallback (default: the catalog's).

    Returns
    -------
    DataFrame
        Index ``date`` (period ends), columns ``value``, ``basis`` (the basis each value is on: the one asked
        for, or ``"latest"`` where no vintage covers the date) and ``vintage`` (the vintage read, ``""`` for
        latest). ``attrs``: key, source, basis, point_in_time_share (share of non-missing values on the basis
        asked for), first_vintage, last_vintage, datasets.
    """
    from rotation.data.api import load
    from rotation.data.timing import as_known

    if basis not in BASES:
        raise ParameterError(f"basis must be one of {', '.join(BASES)}; got {basis!r}")
    d = catalog.get(key)
    latest = as_known(load(d.key, store=store), d.release_lag_days if lag_days is None else lag_days, freq, name=key)
    table = vintage_table(key, source, store=store) if basis != "latest" else None
    lo = latest.index[0] if table is None else min(latest.index[0], table.attrs["known"][0])
    grid = _grid(lo, latest.index[-1], freq)
    fallback = latest.reindex(grid).to_numpy()
    if table is None:
        val, lab, ok = fallback, np.full(len(grid), "", dtype=object), np.zeros(len(grid), dtype=bool)
    else:
        known = known_values(table, grid, basis)
        val, lab, ok = known["value"].to_numpy(), known["vintage"].to_numpy(), known["covered"].to_numpy()
    out = pd.DataFrame({"value": np.where(ok, val, fallback),
                        "basis": np.where(ok, basis, "latest"), "vintage": lab}, index=grid)
    out = out.loc[out["value"].notna()]
    s, e = (pd.Timestamp(x) if x is not None else None for x in (start, end))
    out = out.loc[s:e]
    share = float((out["basis"] == basis).mean()) if len(out) else float("nan")
    out.attrs = {"key": key, "source": source if table is not None else "fred", "basis": basis,
                 "point_in_time_share": share,
                 "first_vintage": str(table.columns[0]) if table is not None else None,
                 "last_vintage": str(table.columns[-1]) if table is not None else None,
                 "datasets": table.attrs["datasets"] if table is not None else [key]}
    return out


def vintage_coverage(store=None) -> list[dict[str, object]]:
    """First and last vintage and their count for every real-time dataset in the store (``rotation data status``)."""
    from rotation.data.store import Store

    store = store or Store()
    manifest = store.manifest()
    rows = []
    for key, d in catalog.CATALOG.items():
        e = manifest["datasets"].get(key)
        if d.kind != "vintages" or e is None:
            continue
        cols = e.get("columns") or []
        rows.append({"key": key, "source": d.source, "first_vintage": cols[0] if cols else None,
                     "last_vintage": cols[-1] if cols else None, "vintages": len(cols),
                     "first": e.get("first"), "last": e.get("last")})
    return rows
