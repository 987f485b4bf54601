"""The Yahoo Finance / yfinance daily price CSV: ``Date,Open,High,Low,Close,Adj Close,Volume`` in any order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rotation.data.parsers.common import (
    body_rows,
    check_increasing,
    csv_cells,
    date_index,
    decode,
    explains_encoding,
    split_lines,
    strip_trailing_blank,
    to_float,
)
from rotation.errors import ParseError, ValidationError

__all__ = ["read_prices"]

_PRICE_ALIASES = {
    "open": "open",
    "high": "high",
    "low": "low",
    "close": "close",
    "adj close": "adj_close",
    "adj_close": "adj_close",
    "adjclose": "adj_close",
    "volume": "volume",
}
_PRICE_ORDER = ("open", "high", "low", "close", "adj_close", "volume")
_PRICE_COLS = ("open", "high", "low", "close", "adj_close")
_PRICE_MISSING = frozenset({"null", "", "nan"})
_PRICE_DATE_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?$"
)


@dataclass
class _Header:
    """The header line of a price file: its cells, where the date is, which cell holds which column."""

    cells: list[str]
    date_pos: int
    columns: dict[str, int] = field(default_factory=dict)  # open/high/low/close/adj_close/volume -> cell position
    ignored: list[str] = field(default_factory=list)  # cells that are none of those (e.g. Dividends)

    @property
    def lower(self) -> list[str]:
        return [c.lower() for c in self.cells]

    @property
    def date_label(self) -> str:
        return self.cells[self.date_pos]


@explains_encoding
def read_prices(data: bytes, source: str) -> pd.DataFrame:
    """Parse a Yahoo Finance / yfinance daily price CSV.

    Parameters
    ----------
    data : bytes
        Raw file bytes. The first line is the header; it must hold a ``Date`` (or ``Datetime``)
        column and ``Close`` and/or ``Adj Close``; ``Open``, ``High``, ``Low``, ``Volume`` are
        optional and may come in any order. Other columns (e.g. ``Dividends``) are ignored
        and listed in ``attrs["ignored_columns"]``.
    source : str
        File name used in messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``open, high, low, close, adj_close, volume`` (those present, in that order),
        ``float64``; index ``DatetimeIndex`` ``"date"`` (the calendar date as written; a time
        and UTC offset such as ``2020-01-02 00:00:00-05:00`` are dropped). ``null``, ``NaN``
        and empty cells are NaN; rows whose price columns are all NaN are dropped and counted
        in ``attrs["dropped_null_rows"]``. ``attrs["lines"]`` holds the 1-based line of each
        row kept (for messages about a row).

    Raises
    ------
    ParseError
        Empty file, HTML page, no date column, no Close/Adj Close column, a row with the wrong
        number of cells, a repeated header row, unparsable date, non-numeric value.
    ValidationError
        Duplicate or non-increasing dates; a price <= 0 or a negative volume.
    """
    text = decode(data, source)
    lines = strip_trailing_blank(split_lines(text))
    if not lines:
        raise ParseError(source, "the file is empty; download it again", line=1)
    header = _read_header(lines[0], source)
    if len(lines) < 2:
        raise ParseError(source, "the file has a header but no data rows; download it again", line=2)

    rows = body_rows(lines, source, len(header.cells), ",".join(header.cells))
    linenos = np.arange(2, 2 + len(rows))
    frame = pd.DataFrame(rows, dtype=str)
    raw_dates = frame[header.date_pos].str.strip()
    dates = _read_dates(raw_dates, rows, header, linenos, source)
    values = _read_values(frame, header, linenos, source)
    idx = date_index(dates)
    check_increasing(idx, raw_dates.to_numpy(), linenos, source, header.date_label)
    _check_signs(values, header, linenos, source)
    return _price_frame(values, idx, header, source, linenos)


def _read_header(line: str, source: str) -> _Header:
    """Which cell of the header line is the date and which is each price column.

    A header without a date, or without a close or adjusted close, is refused, as is a column named twice.
    """
    cells = [c.strip() for c in csv_cells(line.strip())]
    lower = [c.lower() for c in cells]
    date_pos = next((p for p, c in enumerate(lower) if c in ("date", "datetime")), None)
    if date_pos is None:
        raise ParseError(
            source,
            f"header {line.strip()[:80]!r} has no 'Date' column; expected a Yahoo/yfinance CSV "
            "like 'Date,Open,High,Low,Close,Adj Close,Volume'",
            line=1,
        )
    header = _Header(cells, date_pos)
    for p, c in enumerate(lower):
        if p == date_pos:
            continue
        key = _PRICE_ALIASES.get(" ".join(c.split()))
        if key is None:
            header.ignored.append(cells[p])
            continue
        if key in header.columns:
            raise ParseError(source, f"column {cells[p]!r} appears twice in the header", line=1)
        header.columns[key] = p
    if "close" not in header.columns and "adj_close" not in header.columns:
        raise ParseError(
            source,
            f"header {line.strip()[:80]!r} has no 'Close' or 'Adj Close' column",
            line=1,
        )
    return header


def _read_dates(
    raw_dates: pd.Series, rows: list[list[str]], header: _Header, linenos: np.ndarray, source: str
) -> pd.Series:
    """The calendar dates of the rows (a time and UTC offset are dropped); a repeated header row is named as such."""
    day = raw_dates.str.extract(_PRICE_DATE_RE.pattern, expand=False)
    dates = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    nat = dates.isna().to_numpy()
    if nat.any():
        p = int(np.flatnonzero(nat)[0])
        cells = [r.strip().lower() for r in rows[p]]
        if cells == header.lower or cells[header.date_pos] in ("date", "datetime", "ticker", "price"):
            reason = (
                "a repeated header row inside the data; the file was stitched from several downloads. "
                "Remove that line (and check the rows around it)"
            )
        else:
            reason = f"date {raw_dates.iloc[p]!r} is not a YYYY-MM-DD date (optionally with time and UTC offset)"
        raise ParseError(source, reason, line=int(linenos[p]), column=header.date_label)
    return dates


def _read_values(frame: pd.DataFrame, header: _Header, linenos: np.ndarray, source: str) -> dict[str, np.ndarray]:
    """The price and volume columns as float64, in :data:`_PRICE_ORDER`; raise at the earliest non-numeric cell."""
    out: dict[str, np.ndarray] = {}
    worst: tuple[int, str, str] | None = None
    for key in _PRICE_ORDER:
        if key not in header.columns:
            continue
        label = header.cells[header.columns[key]]
        num, p, raw = to_float(frame[header.columns[key]], _PRICE_MISSING)
        out[key] = num
        if p is not None and (worst is None or p < worst[0]):
            worst = (p, label, raw or "")
    if worst is not None:
        p, label, raw = worst
        raise ParseError(
            source,
            f"value {raw.strip()!r} is not a number (missing values must be 'null' or empty)",
            line=int(linenos[p]),
            column=label,
        )
    return out


def _check_signs(values: dict[str, np.ndarray], header: _Header, linenos: np.ndarray, source: str) -> None:
    """Prices must be > 0 and volumes >= 0; raise at the earliest row that breaks the rule."""
    worst: tuple[int, str, float] | None = None
    for key, num in values.items():
        bad = num < 0 if key == "volume" else num <= 0
        if bad.any():
            p = int(np.flatnonzero(bad)[0])
            if worst is None or p < worst[0]:
                worst = (p, header.cells[header.columns[key]], float(num[p]))
    if worst is not None:
        p, label, v = worst
        rule = "volume must be >= 0" if label.lower() == "volume" else "prices must be > 0"
        raise ValidationError(
            source,
            f"value {v!r} breaks the rule '{rule}'; the row is damaged. Fix or remove it, or download the file again",
            line=int(linenos[p]),
            column=label,
        )


def _price_frame(values: dict[str, np.ndarray], idx: pd.DatetimeIndex, header: _Header, source: str,
                 linenos: np.ndarray) -> pd.DataFrame:
    """The result frame: rows whose prices are all missing are dropped and counted in ``attrs``."""
    df = pd.DataFrame(values, index=idx, dtype="float64")
    price_cols = [c for c in _PRICE_COLS if c in df.columns]
    all_null = df[price_cols].isna().all(axis=1).to_numpy()
    dropped = int(all_null.sum())
    if dropped:
        df = df.loc[~all_null]
    if df.empty:
        raise ParseError(source, "every data row is empty (all prices missing)", line=2)
    df.columns.name = None
    df.attrs["dropped_null_rows"] = dropped
    df.attrs["ignored_columns"] = header.ignored
    df.attrs["lines"] = tuple(linenos[~all_null].tolist())
    return df
