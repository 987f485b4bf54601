"""What every parser shares: decoding bytes, refusing HTML pages, splitting lines and CSV cells,
converting text cells to floats and checking that dates increase.

Each helper raises :class:`rotation.errors.ParseError` (or :class:`~rotation.errors.ValidationError`)
naming the file, the 1-based line of the decoded text and the column where known, what is wrong and
how to fix it. A file that is not UTF-8 is still read (as Windows-1252, then Latin-1), but when it
then fails to parse, :func:`explains_encoding` adds to the message where its first non-UTF-8 byte is
and how to save it as UTF-8.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from rotation.errors import ParseError, ValidationError

__all__ = ["sniff_html", "decode", "split_lines", "csv_cells", "strip_trailing_blank", "body_rows", "date_index",
           "check_increasing", "to_float", "encoding_note", "explains_encoding"]

_Reader = TypeVar("_Reader", bound=Callable[..., Any])

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


def decode(data: bytes, source: str) -> str:
    """The text of a data file; empty, binary and HTML bodies are refused.

    Decoded as UTF-8 (a BOM is dropped), falling back to cp1252 then latin-1.
    """
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


def encoding_note(data: bytes) -> str | None:
    """Where a text file stops being UTF-8 and how to fix it, in words; None for UTF-8 (or binary) bytes.

    Names the 1-based line (counted as :func:`split_lines` counts) and the first byte that is not UTF-8,
    with the character Windows-1252 / Latin-1 read it as.
    """
    if b"\x00" in data[:4096]:
        return None  # binary: decode() refuses it with its own reason
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start].replace(b"\r\n", b"\n")
        line = 1 + head.count(b"\n") + head.count(b"\r")
        byte = data[exc.start : exc.start + 1]
        shown = byte.decode("cp1252", errors="replace")
        return (
            f"The file is not UTF-8 text: line {line} holds the byte 0x{byte.hex().upper()} ({shown!r} in "
            "Latin-1/Windows-1252), so it was saved in another encoding, e.g. by a spreadsheet or an editor set to "
            "Latin-1. Fix: save it as UTF-8 (in Excel: 'CSV UTF-8'), or download the original file again"
        )
    return None


def explains_encoding(reader: _Reader) -> _Reader:
    """Decorate ``reader(data, source, ...)``: a ParseError of a file that is not UTF-8 also says so.

    The note is :func:`encoding_note`'s.

    The error keeps its type, file, line and column; the note is added once.
    """

    @functools.wraps(reader)
    def read(data: bytes, source: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return reader(data, source, *args, **kwargs)
        except ParseError as exc:
            note = encoding_note(data)
            if note is not None and "not UTF-8" not in exc.reason:
                ParseError.__init__(exc, exc.source, f"{exc.reason}. {note}", line=exc.line, column=exc.column)
            raise

    return read  # type: ignore[return-value]


def split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or CR (only those: ``str.splitlines`` would also split on form feeds)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline does not open a new line
    return lines


def csv_cells(line: str) -> list[str]:
    """Cells of one CSV line (handles quoted cells)."""
    return next(csv.reader([line]), [])


def strip_trailing_blank(lines: list[str]) -> list[str]:
    """``lines`` without its trailing blank lines (changed in place and returned)."""
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def body_rows(lines: list[str], source: str, ncell: int, header_desc: str) -> list[list[str]]:
    """CSV-split body lines (line 2 onward) and check each has ``ncell`` cells.

    ``header_desc`` is the header as the message shows it (``"observation_date,DGS10"``).
    """
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


def date_index(values: pd.DatetimeIndex | pd.Series, name: str = "date") -> pd.DatetimeIndex:
    """A ``DatetimeIndex`` named ``name`` with ``datetime64[ns]`` resolution (the parsers' index)."""
    idx = pd.DatetimeIndex(values, name=name)
    return idx.as_unit("ns")


def check_increasing(
    idx: pd.DatetimeIndex, raw_dates: list[str] | np.ndarray, linenos: np.ndarray, source: str, column: str | None
) -> None:
    """Raise ValidationError at the first duplicate or decreasing date.

    ``raw_dates`` are the cells as written and ``linenos`` their 1-based lines, both aligned with ``idx``.
    """
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


def to_float(raw: pd.Series, missing: frozenset[str]) -> tuple[np.ndarray, int | None, str | None]:
    """Convert stripped text cells to float64; report the first bad cell.

    Cells in ``missing`` (compared lower-case) become NaN. Returns the values and, if a cell
    is not numeric, its row position and raw text (the caller raises, so the earliest bad
    cell over all columns can be reported).
    """
    s = raw.astype("str").str.strip()
    is_missing = s.str.lower().isin(missing) if missing else pd.Series(False, index=s.index)
    num = pd.to_numeric(s.where(~is_missing, None), errors="coerce").to_numpy(dtype="float64")
    bad = (np.isnan(num) & ~is_missing.to_numpy()) | np.isinf(num)
    if bad.any():
        p = int(np.flatnonzero(bad)[0])
        return num, p, str(raw.iloc[p])
    return num, None, None
