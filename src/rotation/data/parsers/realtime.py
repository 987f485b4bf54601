"""Real-time (vintage) files: FRED-MD monthly vintages and the Philadelphia Fed RTDSM workbooks.

Both give a matrix of *observation date x vintage* (the value of a period as published in each vintage).

* **FRED-MD** (McCracken and Ng 2016): one CSV per monthly vintage, named ``YYYY-MM.csv``, distributed as
  zips of those files (the historical vintages) or one file a month. Row 1 is the header ``sasdate,<ids>``,
  row 2 the ``Transform:`` codes (not data), then one row per month. Dates are ``MM/DD/YYYY`` (the historical
  files, zero-padded), ``M/D/YYYY`` (the monthly releases) or, in a file re-saved by a spreadsheet (the
  snapshot's ``2023-11.csv``), ``M/D/YY`` with two-digit years, read as 19yy when yy >= 59 and 20yy otherwise
  (the database starts in 1959-01). Files may end with an all-comma row; line endings are CRLF or LF.
* **RTDSM** (Croushore and Stark 2001): one xlsx workbook per variable, one sheet, a ``DATE`` column
  (``YYYY:MM`` or ``YYYY:Qn``) and one column per vintage (``EMPLOY26M1`` = the January 2026 vintage,
  ``RUC25Q4`` = the 2025Q4 vintage); missing cells are ``#N/A``. Read with ``python-calamine``.

Readers return the observation dates as published (the first day of the month or quarter); the
processing step stamps them at period end like every dataset.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation.data.parsers.common import decode, explains_encoding, sniff_html
from rotation.errors import ParseError

__all__ = ["FredMDFile", "read_fredmd_csv", "read_fredmd_zip", "read_rtdsm", "fredmd_vintage_of"]

_MEMBER = re.compile(r"(?:^|/)(\d{4})-(\d{2})\.csv$", re.IGNORECASE)
_DATE4 = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE2 = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")
_RTDSM_DATE = re.compile(r"^(\d{4}):(?:(\d{2})|Q([1-4]))$")
_RTDSM_VINTAGE = re.compile(r"^([A-Za-z]+?)(\d{2})([MQ])(\d{1,2})$")


@dataclass(frozen=True)
class FredMDFile:
    """One FRED-MD vintage: its month (``pd.Period``) and the chosen series (first day of the month index)."""

    vintage: pd.Period
    frame: pd.DataFrame


def fredmd_vintage_of(name: str) -> pd.Period | None:
    """The vintage month of a FRED-MD file from its name (``2024-03.csv`` -> 2024-03), or None."""
    m = _MEMBER.search(name)
    return pd.Period(f"{m.group(1)}-{m.group(2)}", "M") if m else None


def _fredmd_dates(raw: list[str], source: str, lines: np.ndarray) -> pd.DatetimeIndex:
    """Parse ``sasdate`` cells: ``M/D/YYYY`` (zero-padded or not) or the re-saved ``M/D/YY`` (yy >= 59 -> 19yy)."""
    months = np.empty(len(raw), dtype="int64")
    for i, cell in enumerate(raw):
        m = _DATE4.match(cell) or _DATE2.match(cell)
        if not m or int(m.group(2)) != 1 or not 1 <= int(m.group(1)) <= 12:
            raise ParseError(source, f"sasdate {cell!r} is not the first day of a month written M/D/YYYY "
                                     "(or M/D/YY in a spreadsheet-saved copy). Fix: download the vintage again",
                             line=int(lines[i]), column="sasdate")
        year = int(m.group(3))
        if len(m.group(3)) == 2:
            year += 1900 if year >= 59 else 2000
        months[i] = (year - 1970) * 12 + int(m.group(1)) - 1
    return pd.DatetimeIndex(months.astype("datetime64[M]").astype("datetime64[ns]"), name="date")


def _floats(raw: np.ndarray, source: str, lines: np.ndarray, column: str) -> np.ndarray:
    cells = np.char.strip(raw.astype(str))
    try:
        return np.where(cells == "", "nan", cells).astype("float64")
    except ValueError:
        for i, cell in enumerate(cells):
            try:
                float(cell or "nan")
            except ValueError:
                raise ParseError(source, f"value {cell!r} is not a number (missing values are empty cells). "
                                         "Fix: download the vintage again", line=int(lines[i]), column=column) from None
        raise  # pragma: no cover


@explains_encoding
def read_fredmd_csv(data: bytes, source: str, series: Iterable[str]) -> pd.DataFrame:
    """Parse one FRED-MD vintage CSV, keeping ``series`` (those the file has).

    Returns
    -------
    DataFrame
        Index ``date`` (the first day of each month, as written), one float column per series the file
        holds (a later-added or dropped series is simply absent); empty cells are NaN.

    Raises
    ------
    ParseError
        Not a FRED-MD file (no ``sasdate`` header), a bad date, a non-numeric value, dates not increasing;
        the message names the file, the line and the column.
    """
    sniff_html(data, source)
    text = decode(data, source)
    header = [c.strip() for c in next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]), [""])]
    if not header or header[0].lower() != "sasdate":
        raise ParseError(source, f"first header cell is {header[0] if header else ''!r}, expected 'sasdate': is "
                                 "this a FRED-MD vintage (YYYY-MM.csv)?", line=1)
    keep = [c for c in series if c in header]
    cols = [0, *(header.index(c) for c in keep)]
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, skiprows=1, usecols=cols, dtype=str, na_filter=False,
                            skip_blank_lines=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise ParseError(source, f"not a FRED-MD CSV ({exc}). Fix: download the vintage again") from None
    table = frame[cols].to_numpy(dtype=str)
    lines = np.arange(2, 2 + len(table))
    first = np.char.lower(np.char.strip(table[:, 0]))
    blank = (np.char.strip(table) == "").all(axis=1)  # the trailing all-comma row (or a blank line)
    rows = ~np.char.startswith(first, "transform") & ~blank  # row 2: transformation codes, not data
    table, lines = table[rows], lines[rows]
    dates = _fredmd_dates([c.strip() for c in table[:, 0]], source, lines)
    out = pd.DataFrame({c: _floats(table[:, j + 1], source, lines, c) for j, c in enumerate(keep)}, index=dates)
    if not dates.is_monotonic_increasing or dates.has_duplicates:
        p = int(np.flatnonzero(np.diff(dates.asi8) <= 0)[0]) + 1
        raise ParseError(source, f"sasdate {dates[p].date()} does not come after the row before (dates must "
                                 "increase). Fix: download the vintage again", line=int(lines[p]), column="sasdate")
    return out


def read_fredmd_zip(data: bytes, source: str, series: Iterable[str]) -> list[FredMDFile]:
    """Every ``YYYY-MM.csv`` member of a FRED-MD vintage zip, in vintage order (other members are ignored).

    Errors name the zip and the member (``archive.zip!2023-11.csv``), the line and the column.
    """
    series = tuple(series)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ParseError(source, "not a zip archive (damaged or incomplete download). Fix: download it again") from None
    out: list[FredMDFile] = []
    with archive:
        for info in archive.infolist():
            vintage = fredmd_vintage_of(info.filename)
            if vintage is None or info.is_dir():
                continue
            name = f"{source}!{info.filename}"
            out.append(FredMDFile(vintage, read_fredmd_csv(archive.read(info), name, series)))
    if not out:
        raise ParseError(source, "no FRED-MD vintage (a member named YYYY-MM.csv) in this zip. Fix: download the "
                                 "FRED-MD historical vintages zip again")
    out.sort(key=lambda f: f.vintage)
    dup = [a.vintage for a, b in zip(out, out[1:], strict=False) if a.vintage == b.vintage]
    if dup:
        raise ParseError(source, f"vintage {dup[0]} appears twice in this zip. Fix: keep one file per month")
    return out


def _rtdsm_vintage(label: str) -> str | None:
    """``EMPLOY26M1`` -> ``2026-01``; ``RUC25Q4`` -> ``2025Q4``; None if not a vintage label.

    Two-digit years: 65..99 are 19yy (the RTDSM starts in 1965), else 20yy.
    """
    m = _RTDSM_VINTAGE.match(label.strip())
    if not m:
        return None
    yy, kind, n = int(m.group(2)), m.group(3).upper(), int(m.group(4))
    year = (1900 if yy >= 60 else 2000) + yy
    if kind == "M" and 1 <= n <= 12:
        return f"{year}-{n:02d}"
    if kind == "Q" and 1 <= n <= 4:
        return f"{year}Q{n}"
    return None


def _cell_ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def read_rtdsm(data: bytes, source: str) -> tuple[str, pd.DataFrame]:
    """Parse an RTDSM workbook (``employMvMd.xlsx``...).

    Returns
    -------
    (prefix, DataFrame)
        The variable's vintage prefix (``EMPLOY``) and a frame indexed by observation ``date`` (the first day
        of the month or quarter) with one float column per vintage, labelled ``YYYY-MM`` (monthly vintages) or
        ``YYYYQn`` (quarterly), in the workbook's order; ``#N/A`` is NaN.

    Raises
    ------
    ParseError
        Not an xlsx workbook, no ``DATE`` header, a bad date or vintage label, a non-numeric cell: the message
        names the file, the cell (``B12``) and the fix.
    """
    from python_calamine import CalamineWorkbook

    if data[:2] != b"PK":
        sniff_html(data, source)
        raise ParseError(source, "not an xlsx workbook (an xlsx file is a zip). Fix: download the workbook again")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        raise ParseError(source, f"the workbook cannot be read ({type(exc).__name__}: {exc}). Fix: download it "
                                 "again") from None
    if not rows or str(rows[0][0]).strip().upper() != "DATE":
        raise ParseError(source, "cell A1 is not 'DATE': is this a Philadelphia Fed RTDSM workbook? Fix: download "
                                 "it again", line=1, column="A1")
    labels, prefixes = [], set()
    for j, cell in enumerate(rows[0][1:], start=1):
        vintage = _rtdsm_vintage(str(cell))
        if vintage is None:
            raise ParseError(source, f"header cell {_cell_ref(0, j)} is {cell!r}, not a vintage label like "
                                     "EMPLOY26M1 or RUC25Q4. Fix: download the workbook again", column=_cell_ref(0, j))
        labels.append(vintage)
        prefixes.add(_RTDSM_VINTAGE.match(str(cell).strip()).group(1).upper())  # type: ignore[union-attr]
    if len(prefixes) != 1:
        raise ParseError(source, f"vintage columns of several variables ({', '.join(sorted(prefixes))}) in one "
                                 "sheet. Fix: download the workbook again")
    body = [r for r in rows[1:] if any(c not in (None, "") for c in r)]
    dates = []
    for i, r in enumerate(body):
        m = _RTDSM_DATE.match(str(r[0]).strip())
        if not m:
            raise ParseError(source, f"cell {_cell_ref(i + 1, 0)} is {r[0]!r}, not a date like 1947:01 or 1947:Q1. "
                                     "Fix: download the workbook again", line=i + 2, column=_cell_ref(i + 1, 0))
        dates.append(pd.Timestamp(int(m.group(1)), int(m.group(2)) if m.group(2) else 3 * int(m.group(3)) - 2, 1))
    cells = pd.DataFrame([r[1:len(labels) + 1] for r in body], dtype=object)
    cells = cells.mask(cells.isin(["#N/A", ""]))
    values = cells.apply(pd.to_numeric, errors="coerce")
    bad = (values.isna() & cells.notna()).to_numpy()
    if bad.any():
        i, j = (int(x) for x in np.argwhere(bad)[0])
        raise ParseError(source, f"cell {_cell_ref(i + 1, j + 1)} is {cells.iat[i, j]!r}, not a number or #N/A. "
                                 "Fix: download the workbook again", line=i + 2, column=_cell_ref(i + 1, j + 1))
    idx = pd.DatetimeIndex(dates, name="date").as_unit("ns")
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise ParseError(source, "the DATE column does not increase. Fix: download the workbook again")
    return prefixes.pop(), pd.DataFrame(values.to_numpy(dtype="float64"), index=idx, columns=labels)
