"""From an original file's bytes to validated datasets in the catalog's units.

This is the one place where units are converted (percent -> decimal) and dates are
stamped (monthly -> month end). Fetch and import both go through :func:`process`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rotation.data import catalog, parsers
from rotation.errors import ParseError, ValidationError

__all__ = ["Processed", "process", "stamp_period_end"]


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


def _cut(obj, end: pd.Timestamp | None):
    if end is None:
        return obj
    return obj.loc[obj.index <= end]


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


def process(
    source: str,
    remote_id: str,
    data: bytes,
    source_name: str,
    end: pd.Timestamp | str | None = None,
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

    Raises
    ------
    ParseError, ValidationError
        The file is not what it should be; the message names the file, line/column and reason.
    """
    end_ts = pd.Timestamp(end) if end is not None else None
    rf = catalog.remote_file(source, remote_id)
    frames: dict[str, pd.DataFrame | pd.Series] = {}
    meta: dict[str, Any] = {"end": end_ts.date().isoformat() if end_ts is not None else None}
    skipped: list[str] = []

    if source == "famafrench":
        ff = parsers.read_famafrench(data, source_name)
        meta["vintage"] = ff.vintage
        meta["tables"] = [t.title or "(untitled)" for t in ff.tables]
        for key in rf.datasets:
            d = catalog.CATALOG[key]
            table = _pick_table(ff, d, source_name)
            if table is None:
                if d.optional:
                    skipped.append(key)
                    continue
                titles = "; ".join(f"[{i}] {t.frequency} {t.title or '(untitled)'}" for i, t in enumerate(ff.tables))
                raise ParseError(
                    source_name,
                    f"no {d.frequency} table for dataset {key!r} (title matching /{d.table}/) in this file; "
                    f"its tables are: {titles}. Is this really {remote_id!r}?",
                )
            frame = table.frame.copy()
            if d.kind in ("returns", "growth"):
                frame = frame / 100.0
            frame.index = stamp_period_end(pd.DatetimeIndex(frame.index), d.frequency)
            frame.columns = [str(c) for c in frame.columns]
            frame = _cut(frame, end_ts)
            _check_range(frame, d, source_name)
            frames[key] = frame
    elif source == "fred":
        d = catalog.CATALOG[rf.datasets[0]]
        s = parsers.read_fred(data, source_name, series_id=remote_id)
        meta["missing_dropped"] = int(s.isna().sum())
        s = s.dropna().astype("float64")
        s.index = stamp_period_end(pd.DatetimeIndex(s.index), d.frequency)
        if s.index.has_duplicates:
            raise ValidationError(source_name, f"two observations fall in the same {d.frequency} period; is this "
                                               f"really the {d.frequency} series {remote_id}?")
        s.name = d.key
        s = _cut(s, end_ts)
        if s.empty:
            raise ValidationError(source_name, "no observations (every value is missing, or all are after --end)")
        _check_range(s, d, source_name)
        frames[d.key] = s
    elif source == "prices":
        d = catalog.CATALOG[rf.datasets[0]]
        if data.lstrip()[:1] in (b"{", b"["):
            from rotation.data import sources

            df = sources.read_yahoo_chart(data, source_name)
        else:
            df = parsers.read_prices(data, source_name)
        meta["dropped_null_rows"] = int(df.attrs.get("dropped_null_rows", 0))
        meta["dropped_unclosed_rows"] = int(df.attrs.get("dropped_unclosed_rows", 0))
        df = df.copy()
        df.attrs = {}
        if "adj_close" not in df.columns:
            df["adj_close"] = df["close"]
            meta["adj_close_from"] = "close"
        else:
            meta["adj_close_from"] = "adj_close"
        order = [c for c in ("open", "high", "low", "close", "adj_close", "volume") if c in df.columns]
        df = df[order].astype("float64")
        df.index = pd.DatetimeIndex(df.index, name="date").as_unit("ns")  # Yahoo JSON parses to [us]
        df = _cut(df, end_ts)
        if df.empty:
            raise ValidationError(source_name, "no price rows left (all are after --end?)")
        frames[d.key] = df
    else:  # pragma: no cover - catalog guards this
        raise ParseError(source_name, f"unknown source {source!r}")
    return Processed(source=source, remote_id=remote_id, frames=frames, meta=meta, skipped=skipped)
