"""Parsers of the original data-file formats (Fama/French library, FRED, Yahoo prices).

Every reader takes the raw file bytes plus the file name (``source``, used in messages)
and either returns clean pandas objects or raises :class:`rotation.errors.ParseError`
(or its subclass :class:`rotation.errors.ValidationError`) naming the file, the 1-based
line in the (decompressed) text and the column where known, what is wrong, and how to fix it.

Conventions shared by all readers
---------------------------------
* The index is a ``DatetimeIndex`` named ``"date"`` with ``datetime64[ns]`` resolution,
  strictly increasing, without duplicates.
* Values are ``float64``.
* Text is decoded as UTF-8 (a BOM is dropped), falling back to cp1252 then latin-1.
* CRLF, LF and bare CR line endings are all accepted; line numbers count lines of the
  decoded text whatever the line ending.
* A body that looks like an HTML page (an error or login page served instead of the data)
  is rejected by :func:`sniff_html` before parsing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd

from rotation.errors import ParseError, ValidationError

__all__ = [
    "FFTable",
    "FFFile",
    "read_famafrench",
    "read_fred",
    "read_prices",
    "sniff_html",
]

# --------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<title", b"<script", b"<meta")


def sniff_html(data: bytes, source: str) -> None:
    """Raise if the bytes look like an HTML page instead of a data file.

    Servers often answer a bad URL, a rate limit or a login wall with an HTML page and
    status 200; saving that page under a ``.csv`` name must not go unnoticed.

    Parameters
    ----------
    data : bytes
        The raw body.
    source : str
        File name or URL, used in the message.

    Raises
    ------
    ParseError
        If the first non-blank bytes start with an HTML/XML tag, or an ``<html`` tag
        occurs in the first 1024 bytes.
    """
    head = data[:1024]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    low = head.lstrip().lower()
    if low.startswith(_HTML_MARKERS) or b"<html" in low:
        snippet = head.lstrip()[:60].decode("utf-8", errors="replace")
        raise ParseError(
            source,
            f"the body is an HTML page, not a data file (it starts with {snippet!r}); "
            "the server probably sent an error or login page. Check the URL and download the file again",
            line=1,
        )


def _decode(data: bytes, source: str) -> str:
    """Check for empty/binary/HTML bodies and decode bytes to text."""
    if not data or not data.strip():
        raise ParseError(source, f"the file is empty ({len(data)} bytes); download it again", line=1)
    sniff_html(data, source)
    if b"\x00" in data[:4096]:
        raise ParseError(
            source,
            "the file holds binary data (NUL bytes), not CSV text; if it is a spreadsheet, "
            "save it as CSV; if it is a download, fetch it again",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or CR (only those: ``str.splitlines`` would also split on form feeds)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline does not open a new line
    return lines


def _csv_cells(line: str) -> list[str]:
    """Cells of one CSV line (handles quoted cells)."""
    return next(csv.reader([line]), [])


def _as_ns(values: pd.DatetimeIndex | pd.Series, name: str = "date") -> pd.DatetimeIndex:
    idx = pd.DatetimeIndex(values, name=name)
    return idx.as_unit("ns")


def _check_increasing(
    idx: pd.DatetimeIndex, raw_dates: list[str] | np.ndarray, linenos: np.ndarray, source: str, column: str | None
) -> None:
    """Raise ValidationError at the first duplicate or decreasing date."""
    if len(idx) < 2:
        return
    d = np.diff(idx.asi8)
    bad = np.flatnonzero(d <= 0)
    if bad.size == 0:
        return
    p = int(bad[0]) + 1
    prev, cur = str(raw_dates[p - 1]).strip(), str(raw_dates[p]).strip()
    what = "duplicates" if d[p - 1] == 0 else "is earlier than"
    raise ValidationError(
        source,
        f"date {cur!r} {what} the date {prev!r} on line {int(linenos[p - 1])}; dates must be strictly "
        "increasing without duplicates. The file was probably concatenated or edited: "
        "remove the repeated rows or download it again",
        line=int(linenos[p]),
        column=column,
    )


def _to_float(raw: pd.Series, missing: frozenset[str]) -> tuple[np.ndarray, int | None, str | None]:
    """Convert stripped text cells to float64; report the first bad cell.

    Returns the values and, if a cell is not numeric, its row position and raw text
    (the caller raises, so the earliest bad cell over all columns can be reported).
    """
    s = raw.astype("str").str.strip()
    is_missing = s.str.lower().isin(missing) if missing else pd.Series(False, index=s.index)
    num = pd.to_numeric(s.where(~is_missing, None), errors="coerce").to_numpy(dtype="float64")
    bad = (np.isnan(num) & ~is_missing.to_numpy()) | np.isinf(num)
    if bad.any():
        p = int(np.flatnonzero(bad)[0])
        return num, p, str(raw.iloc[p])
    return num, None, None


# --------------------------------------------------------------------------------------
# Fama/French
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FFTable:
    """One table of a Kenneth R. French Data Library file.

    Attributes
    ----------
    title : str
        Title text of the table, whitespace-normalised, title lines joined by ``" "``;
        ``""`` when the table has no title (e.g. the first table of the factor files).
    frequency : str
        ``"D"`` (daily), ``"M"`` (monthly) or ``"A"`` (annual), inferred from the date format.
    frame : pandas.DataFrame
        Values as published (percent, counts, $ millions ...), ``float64``; the library's
        missing markers -99.99 and -999 are NaN. Index ``"date"``: the day for daily tables,
        the month end for monthly tables (``1926-07-31``), Dec 31 for annual tables.
        Columns are normalised labels (``"2-Dec"`` -> ``"Dec 2"``, surrounding spaces removed).
    line : int
        1-based line of the table's header line in the decompressed text.
    """

    title: str
    frequency: str
    frame: pd.DataFrame
    line: int = field(default=0, repr=True)


@dataclass(frozen=True, eq=False)
class FFFile:
    """A parsed Fama/French CSV file.

    Attributes
    ----------
    header : str
        The free text before the first table (lines right-stripped, joined by ``"\\n"``);
        ``""`` if the file starts with a table.
    vintage : str or None
        The ``YYYYMM`` CRSP vintage stated in the header ("... the 202602 CRSP database"), if any.
    tables : tuple of FFTable
        Every table in file order.
    source : str
        The file name the file was read from (used in messages).
    """

    header: str
    vintage: str | None
    tables: tuple[FFTable, ...]
    source: str = ""

    def table(self, pattern: str) -> FFTable:
        """Return the first table whose title matches a regular expression.

        Parameters
        ----------
        pattern : str
            Regular expression, searched (not anchored) case-insensitively in each title.
            ``"^$"`` selects the first untitled table.

        Returns
        -------
        FFTable

        Raises
        ------
        ParseError
            If no title matches; the message lists the available titles.
        """
        rx = re.compile(pattern, re.IGNORECASE)
        for t in self.tables:
            if rx.search(t.title):
                return t
        titles = ", ".join(repr(t.title) for t in self.tables)
        raise ParseError(
            self.source or "<famafrench file>",
            f"no table title matches {pattern!r}; available titles: [{titles}] "
            "(use '^$' for an untitled table)",
        )


_VINTAGE_RE = re.compile(r"\b(\d{6})\s+CRSP\s+database", re.IGNORECASE)
_DEC_RE = re.compile(r"^(\d{1,2})-Dec$", re.IGNORECASE)
_MISSING_MARKERS = (-99.99, -999.0)

# (name, regex of the whole cell, strptime format, frequency)
_FF_DATE_FORMATS = (
    ("YYYYMMDD", re.compile(r"^\d{8}$"), "%Y%m%d", "D"),
    ("YYYY-MM-DD", re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", "D"),
    ("YYYYMM", re.compile(r"^\d{6}$"), "%Y%m", "M"),
    ("YYYY", re.compile(r"^\d{4}$"), "%Y", "A"),
)


def _ff_label(cell: str) -> str:
    label = " ".join(cell.split())
    m = _DEC_RE.match(label)
    if m:
        label = f"Dec {int(m.group(1))}"
    return label


def _is_ff_table_header(line: str) -> bool:
    s = line.strip()
    if not s or "," not in s:
        return False
    c0 = s[0]
    if c0 == ",":
        return True
    if c0 != '"' and c0 not in "dD":
        return False
    first = _csv_cells(s)[0].strip().lower()
    return first in ("", "date")


def _unzip(data: bytes, source: str) -> tuple[bytes, str]:
    """Return the single CSV member of a zip archive and the name to use in messages."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [i for i in zf.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
            if len(members) > 1:
                csvs = [i for i in members if i.filename.lower().endswith((".csv", ".txt"))]
                members = csvs if len(csvs) == 1 else members
            if len(members) != 1:
                names = [i.filename for i in members]
                raise ParseError(
                    source,
                    f"the zip archive holds {len(members)} files {names}, expected exactly one CSV; "
                    "extract the table you need and pass it directly",
                )
            info = members[0]
            body = zf.read(info)
    except ParseError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise ParseError(
            source,
            f"not a readable zip archive ({type(exc).__name__}: {exc}); the download is probably truncated "
            "or corrupt. Download it again",
        ) from exc
    return body, f"{source}:{info.filename}"


def read_famafrench(data: bytes, source: str) -> FFFile:
    """Parse a Kenneth R. French Data Library CSV (or its ``*_CSV.zip``).

    Reads the library's layout (free-text header; tables, each with optional title lines
    and a header line starting with ``","``; blank-line separated; copyright footer), the
    2025+ layout (new titles, ``"2-Dec"`` decile labels), quoted or unquoted header cells,
    and two re-saved variants: tables whose header starts with ``Date,`` (with no header
    text at all, or with ISO ``YYYY-MM-DD`` dates).

    Parameters
    ----------
    data : bytes
        Raw file bytes: a zip archive (starts with ``b"PK"``; its single CSV member is read)
        or the CSV text.
    source : str
        File name used in messages (for zips, messages name ``source:member``).

    Returns
    -------
    FFFile
        Header text, CRSP vintage and every table.

    Raises
    ------
    ParseError
        Empty file, HTML page, truncated/corrupt zip, no table, a row with the wrong number
        of cells, a non-numeric value, an unknown or inconsistent date format.
    ValidationError
        Dates within a table that are duplicated or not increasing.

    Notes
    -----
    Date formats: 8 digits ``YYYYMMDD`` and ISO ``YYYY-MM-DD`` -> daily; 6 digits ``YYYYMM``
    -> monthly (stamped at the month end); 4 digits ``YYYY`` -> annual (stamped Dec 31).
    Every cell must be numeric; -99.99 and -999 (in any spelling, e.g. ``-99.990``) become NaN.
    """
    name = source
    if data[:2] == b"PK":
        data, name = _unzip(data, source)
    text = _decode(data, name)
    lines = _split_lines(text)
    n = len(lines)

    tables: list[FFTable] = []
    first_start: int | None = None
    prev_end = 0
    i = 0
    while i < n:
        if not _is_ff_table_header(lines[i]):
            i += 1
            continue
        j = i
        while j > prev_end and lines[j - 1].strip():
            j -= 1
        if first_start is None:
            first_start = j
        title = " ".join(" ".join(lines[j:i]).split())
        k = i + 1
        while k < n and lines[k].strip() and not lines[k].lstrip().lower().startswith("copyright"):
            k += 1
        tables.append(_parse_ff_table(name, lines, i, k, title))
        prev_end = i = k

    if not tables:
        raise ParseError(
            name,
            f"no table found in {n} lines: expected a header line starting with ',' (or 'Date,') "
            "followed by dated rows. Is this a Kenneth French Data Library CSV?",
        )
    header = "\n".join(ln.rstrip() for ln in lines[: first_start or 0]).strip()
    m = _VINTAGE_RE.search(header)
    return FFFile(header=header, vintage=m.group(1) if m else None, tables=tuple(tables), source=name)


def _parse_ff_table(source: str, lines: list[str], hpos: int, end: int, title: str) -> FFTable:
    """Parse the table whose header is ``lines[hpos]`` and body ``lines[hpos+1:end]``."""
    hline = hpos + 1  # 1-based
    cells = _csv_cells(lines[hpos].strip())
    labels = [_ff_label(c) for c in cells[1:]]
    for pos, lab in enumerate(labels):
        if not lab:
            raise ParseError(
                source,
                f"header cell {pos + 2} is empty (a trailing comma?); every value column needs a label",
                line=hline,
            )
    dup = pd.Index(labels)[pd.Index(labels).duplicated()]
    if len(dup):
        raise ParseError(source, f"column label {dup[0]!r} appears twice in the table header", line=hline)
    ncell = len(cells)
    body = lines[hpos + 1 : end]
    if not body:
        raise ParseError(
            source,
            "the table header is followed by no data rows; the file is probably truncated. Download it again",
            line=hline,
        )
    first = hpos + 2  # 1-based line of the first body row
    linenos = np.arange(first, first + len(body))

    counts = [ln.count(",") for ln in body]
    want = ncell - 1
    for p, c in enumerate(counts):
        if c != want:
            raise ParseError(
                source,
                f"row has {c + 1} cells but the table header on line {hline} has {ncell}; "
                "the file is truncated or was edited. Download it again",
                line=int(linenos[p]),
            )

    joined = "\n".join(body)
    try:
        df = pd.read_csv(
            io.StringIO(joined),
            header=None,
            names=list(range(ncell)),
            dtype={0: str, **{c: "float64" for c in range(1, ncell)}},
            keep_default_na=False,
            na_values=[],
            skipinitialspace=True,
            engine="c",
        )
        values = df.iloc[:, 1:].to_numpy(dtype="float64", copy=True)
        if not np.isfinite(values).all():
            raise ValueError("non-finite value")
    except ValueError:
        df = pd.read_csv(
            io.StringIO(joined),
            header=None,
            names=list(range(ncell)),
            dtype=str,
            keep_default_na=False,
            na_values=[],
            engine="c",
        )
        cols = []
        worst: tuple[int, str, str] | None = None
        for c in range(1, ncell):
            num, p, raw = _to_float(df[c], frozenset())
            cols.append(num)
            if p is not None and (worst is None or p < worst[0]):
                worst = (p, labels[c - 1], raw or "")
        if worst is not None:
            p, lab, raw = worst
            what = "is empty" if not raw.strip() else f"{raw.strip()!r} is not a number"
            raise ParseError(
                source,
                f"value {what}; every cell of a Fama/French table must be numeric "
                "(missing values are published as -99.99 or -999). The file is damaged or was edited: "
                "download it again",
                line=int(linenos[p]),
                column=lab,
            ) from None
        values = np.column_stack(cols) if cols else np.empty((len(df), 0))

    raw_dates = df[0].astype("str").str.strip()
    d0 = raw_dates.iloc[0]
    fmt = next((f for f in _FF_DATE_FORMATS if f[1].match(d0)), None)
    date_col = cells[0].strip() or "date"
    if fmt is None:
        raise ParseError(
            source,
            f"first cell {d0!r} is not a date; expected YYYYMMDD, YYYY-MM-DD, YYYYMM or YYYY",
            line=first,
            column=date_col,
        )
    fname, frx, fstrp, freq = fmt
    ok = raw_dates.str.fullmatch(frx.pattern).to_numpy(dtype=bool)
    if not ok.all():
        p = int(np.flatnonzero(~ok)[0])
        raise ParseError(
            source,
            f"date {raw_dates.iloc[p]!r} does not have the table's date format {fname} "
            f"(set by line {first}); the row is damaged or the table boundary is missing a blank line",
            line=int(linenos[p]),
            column=date_col,
        )
    dates = pd.to_datetime(raw_dates, format=fstrp, errors="coerce")
    nat = dates.isna().to_numpy()
    if nat.any():
        p = int(np.flatnonzero(nat)[0])
        raise ParseError(
            source,
            f"date {raw_dates.iloc[p]!r} is not a valid calendar date ({fname})",
            line=int(linenos[p]),
            column=date_col,
        )
    if freq == "M":
        dates = dates + pd.offsets.MonthEnd(0)
    elif freq == "A":
        dates = dates + pd.offsets.YearEnd(0)
    idx = _as_ns(dates)
    _check_increasing(idx, raw_dates.to_numpy(), linenos, source, date_col)

    for marker in _MISSING_MARKERS:
        values[np.abs(values - marker) < 1e-9] = np.nan
    frame = pd.DataFrame(values, index=idx, columns=pd.Index(labels, dtype=object))
    return FFTable(title=title, frequency=freq, frame=frame, line=hline)


# --------------------------------------------------------------------------------------
# FRED
# --------------------------------------------------------------------------------------

_FRED_DATE_LABELS = {"observation_date", "date"}
_GENERIC_VALUE_LABELS = {"value", "values"}


def _strip_trailing_blank(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _body_rows(lines: list[str], source: str, ncell: int, header_desc: str) -> list[list[str]]:
    """CSV-split body lines (line 2 onward) and check each has ``ncell`` cells."""
    rows = list(csv.reader(lines[1:]))
    for p, row in enumerate(rows):
        if len(row) != ncell:
            lineno = p + 2
            if not row or not "".join(row).strip():
                reason = "blank line inside the data; remove it (the file may have been concatenated)"
            else:
                reason = (
                    f"row has {len(row)} cells, the header ({header_desc}) has {ncell}; "
                    "the file is truncated or damaged. Download it again"
                )
            raise ParseError(source, reason, line=lineno)
    return rows


_US_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


def _fred_date_format(raw_dates: pd.Series) -> tuple[str, str]:
    """``(strptime format, readable name)`` of a FRED file's dates, set by its first date.

    FRED itself writes ISO ``YYYY-MM-DD``. A copy saved from a spreadsheet in a US locale
    writes ``M/D/YYYY`` (``9/27/1982``): that is read as month/day/year. Day/month files are
    not guessed: read as M/D they fail on the first day above 12 or on non-increasing dates.
    """
    first = str(raw_dates.iloc[0]) if len(raw_dates) else ""
    if _US_DATE.fullmatch(first):
        return "%m/%d/%Y", "M/D/YYYY"
    return "%Y-%m-%d", "YYYY-MM-DD"


def read_fred(data: bytes, source: str, series_id: str | None = None) -> pd.Series:
    """Parse a FRED series CSV.

    Accepts the fredgraph layout (``observation_date,ID``), the older ``DATE,ID``, and
    re-saved ``date,value`` / ``Date,Value`` headers, quoted or not (``"Date","TWEXBMTH"``).
    Dates are ISO ``YYYY-MM-DD`` (FRED's own) or ``M/D/YYYY`` (a copy saved from a US-locale
    spreadsheet, e.g. the snapshot's DFEDTAR); the first date sets the format for the file.

    Parameters
    ----------
    data : bytes
        Raw file bytes.
    source : str
        File name used in messages; its stem names the series when the header only says ``value``.
    series_id : str, optional
        Expected FRED id. Names the result; if the header names a different id
        (anything but a generic ``value``) a ParseError is raised.

    Returns
    -------
    pandas.Series
        ``float64`` values named ``series_id`` (else the header's id, else the file stem),
        index ``DatetimeIndex`` ``"date"`` with the dates as published. Missing values
        (``.`` or an empty field) are NaN and their rows are kept.

    Raises
    ------
    ParseError
        Empty file or body, HTML page, header without 2 columns or without a date column,
        wrong series id, row without 2 cells, unparsable date, non-numeric value.
    ValidationError
        Duplicate or non-increasing dates.
    """
    text = _decode(data, source)
    lines = _strip_trailing_blank(_split_lines(text))
    if not lines:
        raise ParseError(source, "the file is empty; download it again", line=1)
    header = [c.strip() for c in _csv_cells(lines[0].strip())]
    if len(header) != 2:
        raise ParseError(
            source,
            f"header {lines[0].strip()[:80]!r} has {len(header)} columns, expected 2 (date, value); "
            "download a single series as CSV from FRED",
            line=1,
        )
    date_label, id_label = header
    if date_label.lower() not in _FRED_DATE_LABELS:
        raise ParseError(
            source,
            f"first header cell is {date_label!r}, expected 'observation_date', 'DATE' or 'date'; "
            "is this a FRED CSV?",
            line=1,
            column=date_label,
        )
    if not id_label:
        raise ParseError(source, "the value column has no name (series id) in the header", line=1)
    generic = id_label.lower() in _GENERIC_VALUE_LABELS
    if series_id is not None and not generic and id_label.upper() != series_id.strip().upper():
        raise ParseError(
            source,
            f"file holds {id_label}, expected {series_id}; the file was saved under the wrong name "
            "or the wrong series was downloaded",
            line=1,
            column=id_label,
        )
    name = series_id if series_id is not None else (PurePath(source).stem if generic else id_label)
    if len(lines) < 2:
        raise ParseError(source, "the file has a header but no data rows; download it again", line=2)

    rows = _body_rows(lines, source, 2, f"{date_label},{id_label}")
    linenos = np.arange(2, 2 + len(rows))
    frame = pd.DataFrame(rows, columns=["date", "value"], dtype=str)
    raw_dates = frame["date"].str.strip()
    fmt, fname = _fred_date_format(raw_dates)
    dates = pd.to_datetime(raw_dates, format=fmt, errors="coerce")
    nat = dates.isna().to_numpy()
    if nat.any():
        p = int(np.flatnonzero(nat)[0])
        raise ParseError(
            source,
            f"date {raw_dates.iloc[p]!r} is not a {fname} date (the file's first date sets its format; "
            "FRED writes YYYY-MM-DD, a spreadsheet-saved copy M/D/YYYY)",
            line=int(linenos[p]),
            column=date_label,
        )
    values, p, raw = _to_float(frame["value"], frozenset({".", ""}))
    if p is not None:
        raise ParseError(
            source,
            f"value {str(raw).strip()!r} is not a number (missing values must be '.' or empty)",
            line=int(linenos[p]),
            column=id_label,
        )
    idx = _as_ns(dates)
    _check_increasing(idx, raw_dates.to_numpy(), linenos, source, date_label)
    return pd.Series(values, index=idx, name=name, dtype="float64")


# --------------------------------------------------------------------------------------
# Yahoo / yfinance prices
# --------------------------------------------------------------------------------------

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
        in ``attrs["dropped_null_rows"]``.

    Raises
    ------
    ParseError
        Empty file, HTML page, no date column, no Close/Adj Close column, a row with the wrong
        number of cells, a repeated header row, unparsable date, non-numeric value.
    ValidationError
        Duplicate or non-increasing dates; a price <= 0 or a negative volume.
    """
    text = _decode(data, source)
    lines = _strip_trailing_blank(_split_lines(text))
    if not lines:
        raise ParseError(source, "the file is empty; download it again", line=1)
    raw_header = [c.strip() for c in _csv_cells(lines[0].strip())]
    lower = [c.lower() for c in raw_header]
    date_pos = next((p for p, c in enumerate(lower) if c in ("date", "datetime")), None)
    if date_pos is None:
        raise ParseError(
            source,
            f"header {lines[0].strip()[:80]!r} has no 'Date' column; expected a Yahoo/yfinance CSV "
            "like 'Date,Open,High,Low,Close,Adj Close,Volume'",
            line=1,
        )
    colmap: dict[str, int] = {}
    ignored: list[str] = []
    for p, c in enumerate(lower):
        if p == date_pos:
            continue
        key = _PRICE_ALIASES.get(" ".join(c.split()))
        if key is None:
            ignored.append(raw_header[p])
            continue
        if key in colmap:
            raise ParseError(source, f"column {raw_header[p]!r} appears twice in the header", line=1)
        colmap[key] = p
    if "close" not in colmap and "adj_close" not in colmap:
        raise ParseError(
            source,
            f"header {lines[0].strip()[:80]!r} has no 'Close' or 'Adj Close' column",
            line=1,
        )
    if len(lines) < 2:
        raise ParseError(source, "the file has a header but no data rows; download it again", line=2)

    ncell = len(raw_header)
    rows = _body_rows(lines, source, ncell, ",".join(raw_header))
    linenos = np.arange(2, 2 + len(rows))
    frame = pd.DataFrame(rows, dtype=str)
    date_label = raw_header[date_pos]

    raw_dates = frame[date_pos].str.strip()
    day = raw_dates.str.extract(_PRICE_DATE_RE.pattern, expand=False)
    dates = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    nat = dates.isna().to_numpy()
    if nat.any():
        p = int(np.flatnonzero(nat)[0])
        cells = [r.strip().lower() for r in rows[p]]
        if cells == lower or cells[date_pos] in ("date", "datetime", "ticker", "price"):
            reason = (
                "a repeated header row inside the data; the file was stitched from several downloads. "
                "Remove that line (and check the rows around it)"
            )
        else:
            reason = f"date {raw_dates.iloc[p]!r} is not a YYYY-MM-DD date (optionally with time and UTC offset)"
        raise ParseError(source, reason, line=int(linenos[p]), column=date_label)

    out: dict[str, np.ndarray] = {}
    worst: tuple[int, str, str] | None = None
    for key in _PRICE_ORDER:
        if key not in colmap:
            continue
        label = raw_header[colmap[key]]
        num, p, raw = _to_float(frame[colmap[key]], _PRICE_MISSING)
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

    idx = _as_ns(dates)
    _check_increasing(idx, raw_dates.to_numpy(), linenos, source, date_label)

    worst_v: tuple[int, str, float] | None = None
    for key, num in out.items():
        bad = num < 0 if key == "volume" else num <= 0
        if bad.any():
            p = int(np.flatnonzero(bad)[0])
            if worst_v is None or p < worst_v[0]:
                worst_v = (p, raw_header[colmap[key]], float(num[p]))
    if worst_v is not None:
        p, label, v = worst_v
        rule = "volume must be >= 0" if label.lower() == "volume" else "prices must be > 0"
        raise ValidationError(
            source,
            f"value {v!r} breaks the rule '{rule}'; the row is damaged. Fix or remove it, or download the file again",
            line=int(linenos[p]),
            column=label,
        )

    df = pd.DataFrame(out, index=idx, dtype="float64")
    price_cols = [c for c in _PRICE_COLS if c in df.columns]
    all_null = df[price_cols].isna().all(axis=1).to_numpy()
    dropped = int(all_null.sum())
    if dropped:
        df = df.loc[~all_null]
    if df.empty:
        raise ParseError(source, "every data row is empty (all prices missing)", line=2)
    df.columns.name = None
    df.attrs["dropped_null_rows"] = dropped
    df.attrs["ignored_columns"] = ignored
    return df
