"""The FRED series format: a two-column CSV, ``observation_date,<SERIES_ID>`` and one dated value a line."""

from __future__ import annotations

import re
from pathlib import PurePath

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
from rotation.errors import ParseError

__all__ = ["read_fred"]

_FRED_DATE_LABELS = {"observation_date", "date"}
_GENERIC_VALUE_LABELS = {"value", "values"}
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


@explains_encoding
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
        (``.`` or an empty field) are NaN and their rows are kept. ``attrs["lines"]`` holds
        the 1-based line of each row in the file (for messages about a row).

    Raises
    ------
    ParseError
        Empty file or body, HTML page, header without 2 columns or without a date column,
        wrong series id, row without 2 cells, unparsable date, non-numeric value.
    ValidationError
        Duplicate or non-increasing dates.
    """
    text = decode(data, source)
    lines = strip_trailing_blank(split_lines(text))
    if not lines:
        raise ParseError(source, "the file is empty; download it again", line=1)
    header = [c.strip() for c in csv_cells(lines[0].strip())]
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

    rows = body_rows(lines, source, 2, f"{date_label},{id_label}")
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
    values, p, raw = to_float(frame["value"], frozenset({".", ""}))
    if p is not None:
        raise ParseError(
            source,
            f"value {str(raw).strip()!r} is not a number (missing values must be '.' or empty)",
            line=int(linenos[p]),
            column=id_label,
        )
    idx = date_index(dates)
    check_increasing(idx, raw_dates.to_numpy(), linenos, source, date_label)
    out = pd.Series(values, index=idx, name=name, dtype="float64")
    out.attrs["lines"] = tuple(linenos.tolist())
    return out
