"""Tests of the FRED parser on the real raw-data snapshot and on crafted bad inputs.

Real files are found only through ROTATION_RAW_DIR (tests skip when it is unset); crafted
inputs are built as bytes in the test, nothing from the snapshot is copied into the project.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _parsing import eol_variants, raw_file, raw_params, ts

from rotation.data.parsers import read_fred
from rotation.errors import ParseError, ValidationError

FRED_PARAMS = raw_params("fred", (".csv",))


@pytest.mark.snapshot
@pytest.mark.parametrize("rel", FRED_PARAMS)
def test_fred_every_real_file_parses(raw_dir, rel):
    path = raw_file(raw_dir, "fred", rel)
    s = read_fred(path.read_bytes(), path.name)
    assert s.name == path.stem
    assert s.dtype == np.float64
    assert isinstance(s.index, pd.DatetimeIndex) and s.index.name == "date"
    assert s.index.is_monotonic_increasing and s.index.is_unique
    assert s.notna().sum() > 0
    # with the expected id it parses too
    assert read_fred(path.read_bytes(), path.name, series_id=path.stem).name == path.stem


FRED_FACTS = [
    # id, rows, first, last, n missing, first value
    ("DGS10", 16848, "1962-01-02", "2026-07-30", 719, 4.06),
    ("DGS2", 12552, "1976-06-01", "2026-08-20", 0, 7.26),
    ("DFF", 25832, "1954-07-01", "2025-03-21", 0, 1.13),
    ("USREC", 2059, "1854-12-01", "2026-06-01", 0, 1.0),
    ("UNRATE", 942, "1948-01-01", "2026-06-01", 1, 3.4),
    ("TWEXBMTH", 564, "1973-01-01", "2019-12-01", 0, 33.9689),
    ("NFCI", 2891, "1971-01-08", "2026-05-29", 0, 0.596),
    ("BAMLH0A0HYM2", 7664, "1996-12-31", "2025-12-30", 93, 3.13),
    ("SP500", 2609, "2016-05-02", "2026-04-30", 95, 2081.43),
    ("DFEDTAR", 9577, "1982-09-27", "2008-12-15", 0, 10.25),  # M/D/YYYY dates
]


@pytest.mark.snapshot
@pytest.mark.parametrize("sid,rows,first,last,nmissing,v0", FRED_FACTS, ids=[f[0] for f in FRED_FACTS])
def test_fred_key_facts(raw_dir, sid, rows, first, last, nmissing, v0):
    path = raw_dir / "fred" / f"{sid}.csv"
    s = read_fred(path.read_bytes(), path.name, series_id=sid)
    assert s.name == sid
    assert len(s) == rows
    assert s.index[0] == ts(first) and s.index[-1] == ts(last)
    assert int(s.isna().sum()) == nmissing
    assert s.iloc[0] == v0


@pytest.mark.snapshot
def test_fred_wrong_series_id_real(raw_dir):
    path = raw_dir / "fred" / "DGS10.csv"
    with pytest.raises(ParseError, match=r"DGS10\.csv \(line 1, column 'DGS10'\): file holds DGS10, expected DGS2"):
        read_fred(path.read_bytes(), path.name, series_id="DGS2")


@pytest.mark.snapshot
@pytest.mark.parametrize("name", ["DGS10.csv", "TWEXBMTH.csv"])
def test_fred_line_endings_give_identical_series(raw_dir, name):
    data = (raw_dir / "fred" / name).read_bytes()
    parsed = {k: read_fred(v, name) for k, v in eol_variants(data).items()}
    for s in parsed.values():
        pd.testing.assert_series_equal(s, parsed["lf"])


@pytest.mark.parametrize(
    "header",
    ["observation_date,DGS10", "DATE,DGS10", "date,value", "Date,Value", '"Date","DGS10"',
     '"observation_date","DGS10"'],
)
def test_fred_header_variants(header):
    text = f"{header}\n2020-01-02,1.88\n2020-01-03,.\n2020-01-06,\n2020-01-07,1.83\n"
    s = read_fred(text.encode(), "DGS10.csv")
    assert s.name == "DGS10"
    assert s.index.name == "date" and s.dtype == np.float64
    assert s.isna().tolist() == [False, True, True, False]
    assert s.index[1] == ts("2020-01-03")


def test_fred_us_dates_are_month_first():
    s = read_fred(b"DATE,DFEDTAR\n9/27/1982,10.25\n12/31/1982,8.5\n1/1/1983,8.5\n", "DFEDTAR.csv")
    assert list(s.index) == [ts("1982-09-27"), ts("1982-12-31"), ts("1983-01-01")]
    assert s.tolist() == [10.25, 8.5, 8.5]


def test_fred_names():
    text = b"date,value\n2020-01-01,1\n"
    assert read_fred(text, "data/raw/M2SL.csv").name == "M2SL"
    assert read_fred(text, "x.csv", series_id="GDPC1").name == "GDPC1"  # generic header never conflicts
    assert read_fred(b"DATE,FOO\n2020-01-01,1\n", "x.csv").name == "FOO"
    assert read_fred(b"DATE,foo\n2020-01-01,1\n", "x.csv", series_id="FOO").name == "FOO"  # case-insensitive id


@pytest.mark.parametrize(
    "data,exc,pattern",
    [
        pytest.param(b"", ParseError, r"^f\.csv \(line 1\): the file is empty", id="empty"),
        pytest.param(b"observation_date,DGS10\n", ParseError, r"^f\.csv \(line 2\): .*no data rows", id="empty-body"),
        pytest.param(b"<html><body>Error 500</body></html>", ParseError, r"^f\.csv \(line 1\): .*HTML page", id="html"),
        pytest.param(b"foo,bar\n2020-01-01,1\n", ParseError, r"^f\.csv \(line 1, column 'foo'\): first header cell",
                     id="wrong-header"),
        pytest.param(b"DATE,A,B\n2020-01-01,1,2\n", ParseError, r"^f\.csv \(line 1\): header .* has 3 columns",
                     id="three-columns"),
        pytest.param(b"DATE,DGS10\n2020-01-01,1\n2020-01-01,2\n", ValidationError,
                     r"^f\.csv \(line 3, column 'DATE'\): date '2020-01-01' duplicates", id="duplicate-date"),
        pytest.param(b"DATE,DGS10\n2020-01-02,1\n2020-01-01,2\n", ValidationError,
                     r"^f\.csv \(line 3, column 'DATE'\): .*earlier than", id="decreasing-date"),
        pytest.param(b"DATE,DGS10\n2020-01-01,1\n2020-01-02,n/a\n", ParseError,
                     r"^f\.csv \(line 3, column 'DGS10'\): value 'n/a' is not a number", id="non-numeric"),
        pytest.param(b"DATE,DGS10\n2020-01-01,1\n01/02/2020,2\n", ParseError,
                     r"^f\.csv \(line 3, column 'DATE'\): date '01/02/2020' is not a YYYY-MM-DD date", id="bad-date"),
        pytest.param(b"DATE,DGS10\n1/31/2020,1\n2020-02-01,2\n", ParseError,
                     r"^f\.csv \(line 3, column 'DATE'\): date '2020-02-01' is not a M/D/YYYY date",
                     id="mixed-formats"),
        pytest.param(b"DATE,DGS10\n12/1/2020,1\n13/1/2020,2\n", ParseError,
                     r"^f\.csv \(line 3, column 'DATE'\): date '13/1/2020' is not a M/D/YYYY date", id="day-first"),
        pytest.param(b"DATE,DGS10\n2020-01-01,1\n2020-01-0", ParseError, r"^f\.csv \(line 3\): row has 1 cells",
                     id="truncated"),
        pytest.param(b"DATE,DGS10\n2020-01-01,1\n2020-01-02,1,3\n", ParseError, r"^f\.csv \(line 3\): row has 3 cells",
                     id="extra-cell"),
        pytest.param(b"DATE,DGS10\n2020-01-01,1\n\n2020-01-02,1\n", ParseError, r"^f\.csv \(line 3\): blank line",
                     id="blank-line-inside"),
        pytest.param(b"DATE,DGS10\n2020-01-01,1\n2020-01-02,inf\n", ParseError, r"^f\.csv \(line 3, column 'DGS10'\)",
                     id="inf"),
    ],
)
def test_fred_rejects(data, exc, pattern):
    with pytest.raises(exc, match=pattern):
        read_fred(data, "f.csv")


def test_fred_wrong_series_id_crafted():
    with pytest.raises(ParseError, match=r"file holds UNRATE, expected DGS10"):
        read_fred(b"observation_date,UNRATE\n2020-01-01,3.5\n", "DGS10.csv", series_id="DGS10")


def test_fred_rows_know_their_lines():
    s = read_fred(b"observation_date,DGS10\r\n2020-01-02,1.5\r\n2020-01-03,.\r\n2020-01-06,1.6\r\n", "DGS10.csv")
    assert s.attrs["lines"] == (2, 3, 4)  # missing values keep their rows, and their lines
