"""The Kenneth R. French Data Library format: a free-text header, then tables, each with optional
title lines, a header line starting with ``","`` and dated rows, separated by blank lines, and a
copyright footer (the US files; the international, Bloomberg-based files end after their last table).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rotation.data.parsers.common import (
    check_increasing,
    csv_cells,
    date_index,
    decode,
    explains_encoding,
    split_lines,
    to_float,
)
from rotation.errors import ParseError

__all__ = ["FFTable", "FFFile", "read_famafrench"]


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

    @property
    def lines(self) -> np.ndarray:
        """The 1-based line of each row of ``frame`` (a table's rows follow its header line, one a line)."""
        return np.arange(self.line + 1, self.line + 1 + len(self.frame))


@dataclass(frozen=True, eq=False)
class FFFile:
    """A parsed Fama/French CSV file.

    Attributes
    ----------
    header : str
        The free text before the first table (lines right-stripped, joined by ``"\\n"``);
        ``""`` if the file starts with a table.
    vintage : str or None
        The ``YYYYMM`` database vintage stated in the header, if any: CRSP for the US files ("... the 202602
        CRSP database"), Bloomberg for the international ones ("... the 202512 Bloomberg database").
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


_VINTAGE_RE = re.compile(r"\b(\d{6})\s+(?:CRSP|Bloomberg)\s+database", re.IGNORECASE)
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
    first = csv_cells(s)[0].strip().lower()
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
    and a header line starting with ``","``; blank-line separated; a copyright footer, or
    none as in the international files), the 2025+ layout (new titles, ``"2-Dec"`` decile
    labels), quoted or unquoted header cells, and two re-saved variants: tables whose header
    starts with ``Date,`` (with no header text at all, or with ISO ``YYYY-MM-DD`` dates).

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
        Header text, CRSP or Bloomberg vintage and every table.

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
    return _read_text(data, name)


@explains_encoding
def _read_text(data: bytes, name: str) -> FFFile:
    """Parse the CSV text of a Ken French file (a zip's member, or the file itself); ``name`` is used in messages."""
    text = decode(data, name)
    lines = split_lines(text)
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
    """Parse the table whose header is ``lines[hpos]`` and body ``lines[hpos+1:end]``.

    Checks run in this order, and the first problem found is reported: the header's labels, the
    number of cells of each row, the values, the dates.
    """
    hline = hpos + 1  # 1-based
    cells = csv_cells(lines[hpos].strip())
    labels = _column_labels(source, cells, hline)
    body = lines[hpos + 1 : end]
    if not body:
        raise ParseError(
            source,
            "the table header is followed by no data rows; the file is probably truncated. Download it again",
            line=hline,
        )
    first = hpos + 2  # 1-based line of the first body row
    linenos = np.arange(first, first + len(body))
    _check_row_widths(source, body, len(cells), hline, linenos)
    raw_dates, values = _read_body(source, body, labels, linenos)
    date_col = cells[0].strip() or "date"
    idx, freq = _table_dates(source, raw_dates, first, linenos, date_col)
    for marker in _MISSING_MARKERS:
        values[np.abs(values - marker) < 1e-9] = np.nan
    frame = pd.DataFrame(values, index=idx, columns=pd.Index(labels, dtype=object))
    return FFTable(title=title, frequency=freq, frame=frame, line=hline)


def _column_labels(source: str, cells: list[str], hline: int) -> list[str]:
    """Normalised labels of the value columns of a table header (``cells[1:]``): none empty, none twice."""
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
    return labels


def _check_row_widths(source: str, body: list[str], ncell: int, hline: int, linenos: np.ndarray) -> None:
    """Every body row has as many cells as the table header (on line ``hline``)."""
    want = ncell - 1
    for p, ln in enumerate(body):
        c = ln.count(",")
        if c != want:
            raise ParseError(
                source,
                f"row has {c + 1} cells but the table header on line {hline} has {ncell}; "
                "the file is truncated or was edited. Download it again",
                line=int(linenos[p]),
            )


def _read_body(source: str, body: list[str], labels: list[str], linenos: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """The date cells (stripped text) and the values (float64, one column per label) of a table body.

    The fast path reads every value as a float with pandas' C parser; when a cell is not a finite
    number, the body is read again as text to find the first bad cell, which is reported.
    """
    ncell = len(labels) + 1
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
        values = _numeric_cells(source, df, labels, linenos)
    return df[0].astype("str").str.strip(), values


def _numeric_cells(source: str, df: pd.DataFrame, labels: list[str], linenos: np.ndarray) -> np.ndarray:
    """The value columns of a body read as text, as float64; raise at the earliest non-numeric cell."""
    cols = []
    worst: tuple[int, str, str] | None = None
    for c in range(1, len(labels) + 1):
        num, p, raw = to_float(df[c], frozenset())
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
    return np.column_stack(cols) if cols else np.empty((len(df), 0))


def _table_dates(
    source: str, raw_dates: pd.Series, first: int, linenos: np.ndarray, date_col: str
) -> tuple[pd.DatetimeIndex, str]:
    """The index of a table and its frequency: the first date (on line ``first``) sets the format for all.

    Monthly dates are stamped at the month end, annual ones at Dec 31; dates must increase.
    """
    d0 = raw_dates.iloc[0]
    fmt = next((f for f in _FF_DATE_FORMATS if f[1].match(d0)), None)
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
    idx = date_index(dates)
    check_increasing(idx, raw_dates.to_numpy(), linenos, source, date_col)
    return idx, freq
