"""From an original file's bytes to validated datasets in the catalog's units.

This is the one place where units are converted (percent -> decimal) and dates are
stamped (monthly -> month end). Fetch, import and rebuild all go through :func:`process`.

It is also where data that cannot have been observed yet are refused: no observation may
be dated after today, and since a monthly, quarterly or annual value is stamped at the end
of its period, a value for a period that has not ended is refused too (FRED's ``2026-12-01``
row of a monthly series is December's value, stamped 2026-12-31: refused until then).
"Today" is this computer's date, or ``ROTATION_TODAY=YYYY-MM-DD`` when set (:func:`today`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rotation.data import catalog, parsers
from rotation.errors import ParameterError, ParseError, ValidationError

__all__ = ["Processed", "process", "stamp_period_end", "today", "TODAY_ENV"]

#: The environment variable that sets the day taken as today (``YYYY-MM-DD``), for tests and wrong clocks.
TODAY_ENV = "ROTATION_TODAY"


@dataclass
class Processed:
    """Datasets parsed from one original file, plus facts for the manifest."""

    source: str
    remote_id: str
    frames: dict[str, pd.DataFrame | pd.Series]
    meta: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # optional datasets the file did not hold

    @property
    def facts(self) -> dict[str, dict[str, str]]:
        """What the store's manifest records about each dataset: its catalog frequency and units."""
        return {key: {"frequency": catalog.CATALOG[key].frequency, "units": catalog.CATALOG[key].units}
                for key in self.frames}


def stamp_period_end(index: pd.DatetimeIndex, frequency: str) -> pd.DatetimeIndex:
    """Move period dates to the last calendar day of their period.

    ``"M"`` -> month end, ``"Q"`` -> quarter end, ``"A"`` -> Dec 31; ``"D"``/``"W"`` unchanged.
    """
    if frequency == "M":
        out = index.to_period("M").to_timestamp(how="end").normalize()
    elif frequency == "Q":
        out = index.to_period("Q").to_timestamp(how="end").normalize()
    elif frequency == "A":
        out = index.to_period("Y").to_timestamp(how="end").normalize()
    else:
        out = index
    out = pd.DatetimeIndex(out, name="date")
    return out.as_unit("ns") if hasattr(out, "as_unit") else out


def _check_range(obj: pd.DataFrame | pd.Series, d: catalog.Dataset, source_name: str) -> None:
    if d.valid_range is None:
        return
    lo, hi = d.valid_range
    frame = obj.to_frame() if isinstance(obj, pd.Series) else obj
    values = frame.to_numpy(dtype="float64", na_value=np.nan)
    bad = (values < lo) | (values > hi)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        date = frame.index[r].date()
        col = str(frame.columns[c])
        shown = values[r, c]
        raise ValidationError(
            source_name,
            f"value {shown!r} on {date} is outside the plausible range [{lo}, {hi}] for {d.key} ({d.units}); "
            f"{int(bad.sum())} value(s) out of range. Check that the file is {d.source} {d.remote_id!r} "
            "and was not edited",
            column=col,
        )


def today() -> pd.Timestamp:
    """The last day an observation can be dated: ``ROTATION_TODAY`` (``YYYY-MM-DD``) when set, else today's date.

    Raises
    ------
    ParameterError
        ``ROTATION_TODAY`` is set but is not a ``YYYY-MM-DD`` date.
    """
    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return pd.Timestamp.now().normalize()
    try:
        return pd.Timestamp(dt.date.fromisoformat(value))
    except ValueError as exc:
        raise ParameterError(
            f"{TODAY_ENV}={value!r} is not a date. Fix: set it to the day to take as today, as YYYY-MM-DD "
            f"(e.g. {TODAY_ENV}=2026-12-07), or unset it to use this computer's date."
        ) from exc


_PERIODS = {"M": ("monthly", "month", "M"), "Q": ("quarterly", "quarter", "Q"), "A": ("annual", "year", "Y")}


def _check_observed(index: pd.DatetimeIndex, lines: np.ndarray | None, d: catalog.Dataset, source_name: str,
                    day: pd.Timestamp, written: pd.DatetimeIndex | None = None) -> None:
    """Refuse observations stamped after ``day`` (for a period: whose period ends after it), naming the first one.

    ``lines`` are the 1-based lines of the rows and ``written`` their dates as the file writes them (FRED dates a
    month by its first day), both aligned with ``index``, when known.
    """
    late = np.flatnonzero(index > day)
    if not late.size:
        return
    p = int(late[0])
    stamped = index[p]
    if d.frequency in _PERIODS:
        adjective, unit, code = _PERIODS[d.frequency]
        shown = f" (written {written[p].date()})" if written is not None and written[p] != stamped else ""
        what = (f"the {adjective} value for {pd.Period(stamped, code)}{shown} describes a {unit} that has not ended "
                f"by today, {day.date()}, so it cannot have been observed yet (a {adjective} value is dated at the end "
                f"of its {unit}, here {stamped.date()})")
    else:
        what = f"the row dated {stamped.date()} is after today, {day.date()}, so it cannot have been observed yet"
    rows, them = ("that row", "it") if late.size == 1 else (f"the {late.size} rows dated after today", "them")
    raise ValidationError(
        source_name,
        f"{what}. No observation may be dated after today, and a monthly, quarterly or annual value only once "
        f"its period has ended. Fix: remove {rows} (or drop {them} at import with --end DATE), or download the "
        f"file again; if this computer's date is wrong, correct it or set {TODAY_ENV}=YYYY-MM-DD",
        line=int(lines[p]) if lines is not None else None,
    )


def _cut(obj: Any, lines: np.ndarray | None, end: pd.Timestamp | None) -> tuple[Any, np.ndarray | None]:
    """``obj`` without the observations after ``end``, and the lines of the rows kept."""
    if end is None:
        return obj, lines
    keep = np.asarray(obj.index <= end)
    return obj.loc[keep], (lines[keep] if lines is not None else None)


def _pick_table(ff: parsers.FFFile, d: catalog.Dataset, source_name: str) -> parsers.FFTable | None:
    cands = [t for t in ff.tables if t.frequency == d.frequency]
    if d.table == "":
        untitled = [t for t in cands if not t.title]
        return untitled[0] if untitled else (cands[0] if cands else None)
    assert d.table is not None
    for t in cands:
        if t.title and re.search(d.table, t.title, re.IGNORECASE):
            return t
    if cands and all(not t.title for t in ff.tables) and d.table_position is not None:
        if d.table_position < len(cands):
            return cands[d.table_position]
    return None


def _famafrench(out: Processed, rf: catalog.RemoteFile, data: bytes, source_name: str, end: pd.Timestamp | None,
                day: pd.Timestamp) -> None:
    ff = parsers.read_famafrench(data, source_name)
    out.meta["vintage"] = ff.vintage
    out.meta["tables"] = [t.title or "(untitled)" for t in ff.tables]
    for key in rf.datasets:
        d = catalog.CATALOG[key]
        table = _pick_table(ff, d, source_name)
        if table is None:
            if d.optional:
                out.skipped.append(key)
                continue
            titles = "; ".join(f"[{i}] {t.frequency} {t.title or '(untitled)'}" for i, t in enumerate(ff.tables))
            raise ParseError(
                source_name,
                f"no {d.frequency} table for dataset {key!r} (title matching /{d.table}/) in this file; "
                f"its tables are: {titles}. Is this really {rf.remote_id!r}?",
            )
        frame = table.frame.copy()
        if d.kind in ("returns", "growth"):
            frame = frame / 100.0
        frame.index = stamp_period_end(pd.DatetimeIndex(frame.index), d.frequency)
        frame.columns = [str(c) for c in frame.columns]
        frame, lines = _cut(frame, table.lines, end)
        _check_observed(frame.index, lines, d, ff.source or source_name, day)
        _check_range(frame, d, source_name)
        out.frames[key] = frame


def _fred(out: Processed, rf: catalog.RemoteFile, data: bytes, source_name: str, end: pd.Timestamp | None,
          day: pd.Timestamp) -> None:
    d = catalog.CATALOG[rf.datasets[0]]
    s = parsers.read_fred(data, source_name, series_id=rf.remote_id)
    lines = np.asarray(s.attrs.pop("lines"))
    out.meta["missing_dropped"] = int(s.isna().sum())
    present = s.notna().to_numpy()
    s, lines = s[present].astype("float64"), lines[present]
    written = pd.DatetimeIndex(s.index)  # as the file dates them (a month by its first day)
    s.index = stamp_period_end(written, d.frequency)
    if s.index.has_duplicates:
        raise ValidationError(source_name, f"two observations fall in the same {d.frequency} period; is this "
                                           f"really the {d.frequency} series {rf.remote_id}?")
    s.name = d.key
    s, lines = _cut(s, lines, end)  # keeps a prefix: the dates increase
    if s.empty:
        raise ValidationError(source_name, "no observations (every value is missing, or all are after --end)")
    _check_observed(s.index, lines, d, source_name, day, written[: len(s)])
    _check_range(s, d, source_name)
    out.frames[d.key] = s


def _prices(out: Processed, rf: catalog.RemoteFile, data: bytes, source_name: str, end: pd.Timestamp | None,
            day: pd.Timestamp) -> None:
    d = catalog.CATALOG[rf.datasets[0]]
    if data.lstrip()[:1] in (b"{", b"["):
        from rotation.data import sources

        df = sources.read_yahoo_chart(data, source_name)
    else:
        df = parsers.read_prices(data, source_name)
    lines = np.asarray(df.attrs["lines"]) if "lines" in df.attrs else None
    out.meta["dropped_null_rows"] = int(df.attrs.get("dropped_null_rows", 0))
    out.meta["dropped_unclosed_rows"] = int(df.attrs.get("dropped_unclosed_rows", 0))
    df.attrs = {}
    df = df.copy()
    if "adj_close" not in df.columns:
        df["adj_close"] = df["close"]
        out.meta["adj_close_from"] = "close"
    else:
        out.meta["adj_close_from"] = "adj_close"
    order = [c for c in ("open", "high", "low", "close", "adj_close", "volume") if c in df.columns]
    df = df[order].astype("float64")
    df.index = pd.DatetimeIndex(df.index, name="date").as_unit("ns")  # Yahoo JSON parses to [us]
    df, lines = _cut(df, lines, end)
    if df.empty:
        raise ValidationError(source_name, "no price rows left (all are after --end?)")
    _check_observed(df.index, lines, d, source_name, day)
    out.frames[d.key] = df


def _vintage_frame(frame: pd.DataFrame, d: catalog.Dataset, source_name: str, end: pd.Timestamp | None,
                   day: pd.Timestamp) -> pd.DataFrame:
    """An observation x vintage table: rows stamped at period end, no vintage or observation after ``end``/today."""
    frame = frame.copy()
    written = pd.DatetimeIndex(frame.index)
    frame.index = stamp_period_end(written, d.frequency)
    starts = pd.PeriodIndex([pd.Period(c) for c in frame.columns]).start_time
    late = starts > day
    if late.any():
        raise ValidationError(source_name, f"vintage {frame.columns[late][0]} is dated after today, {day.date()}: it "
                                           f"cannot have been published yet. Fix: download the file again; if this "
                                           f"computer's date is wrong, correct it or set {TODAY_ENV}=YYYY-MM-DD",
                              column=str(frame.columns[late][0]))
    if end is not None:
        frame = frame.loc[frame.index <= end, starts <= end]
    frame = frame.dropna(how="all").dropna(axis=1, how="all")
    if frame.empty:
        raise ValidationError(source_name, f"no {d.key} values (every cell is missing, or all are after --end)")
    _check_observed(frame.index, None, d, source_name, day, written[: len(frame)])
    _check_range(frame, d, source_name)
    return frame


def _fredmd(out: Processed, rf: catalog.RemoteFile, data: bytes, source_name: str, end: pd.Timestamp | None,
            day: pd.Timestamp) -> None:
    files = parsers.read_fredmd_zip(data, source_name, catalog.FREDMD_SERIES)
    out.meta["vintages"] = [str(files[0].vintage), str(files[-1].vintage), len(files)]
    for key in rf.datasets:
        d = catalog.CATALOG[key]
        sid = key[len("fredmd_"):].rsplit("_", 1)[0]
        cols = {str(f.vintage): f.frame[sid] for f in files if sid in f.frame}
        if not cols:
            raise ParseError(source_name, f"no vintage in this archive has the series {sid}. Is this FRED-MD?")
        out.frames[key] = _vintage_frame(pd.concat(cols, axis=1), d, source_name, end, day)


def _rtdsm(out: Processed, rf: catalog.RemoteFile, data: bytes, source_name: str, end: pd.Timestamp | None,
           day: pd.Timestamp) -> None:
    (key,) = rf.datasets
    prefix, frame = parsers.read_rtdsm(data, source_name)
    out.meta["variable"] = prefix
    out.meta["vintages"] = [str(frame.columns[0]), str(frame.columns[-1]), int(frame.shape[1])]
    out.frames[key] = _vintage_frame(frame, catalog.CATALOG[key], source_name, end, day)


def process(
    source: str,
    remote_id: str,
    data: bytes,
    source_name: str,
    end: pd.Timestamp | str | None = None,
    as_of: pd.Timestamp | str | None = None,
) -> Processed:
    """Parse and validate one original file into its catalog datasets.

    Parameters
    ----------
    source, remote_id : str
        Which remote file the bytes are (see :mod:`rotation.data.catalog`).
    data : bytes
        The original file as downloaded (CSV text, a ``*_CSV.zip`` or Yahoo chart JSON).
    source_name : str
        File name or URL, used in error messages.
    end : date-like, optional
        Drop observations after this date (for files that end with an intraday row).
    as_of : date-like, optional
        The day taken as today, the last day an observation can be dated; default :func:`today`
        (``ROTATION_TODAY`` or this computer's date). Rows dated after it, and values for a month, quarter or year that
        ends after it, are refused (after the ``end`` cut).

    Raises
    ------
    ParseError, ValidationError
        The file is not what it should be; the message names the file, line/column and reason.
    ParameterError
        ``ROTATION_TODAY`` is not a date.
    """
    end_ts = pd.Timestamp(end) if end is not None else None
    day = pd.Timestamp(as_of).normalize() if as_of is not None else today()
    rf = catalog.remote_file(source, remote_id)
    out = Processed(source=source, remote_id=remote_id, frames={},
                    meta={"end": end_ts.date().isoformat() if end_ts is not None else None})
    steps = {"famafrench": _famafrench, "fred": _fred, "prices": _prices, "fredmd": _fredmd, "rtdsm": _rtdsm}
    if source not in steps:  # pragma: no cover - catalog guards this
        raise ParseError(source_name, f"unknown source {source!r}")
    steps[source](out, rf, data, source_name, end_ts, day)
    return out
