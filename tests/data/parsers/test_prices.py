"""Tests of the Yahoo/yfinance price parser on the real raw-data snapshot and on crafted bad inputs.

Real files are found only through ROTATION_RAW_DIR (tests skip when it is unset); crafted
inputs are built as bytes in the test, nothing from the snapshot is copied into the project.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _parsing import eol_variants, raw_file, raw_params, ts

from rotation.data.parsers import read_prices
from rotation.errors import ParseError, ValidationError

PRICE_PARAMS = raw_params("prices", (".csv",))


@pytest.mark.snapshot
@pytest.mark.parametrize("rel", PRICE_PARAMS)
def test_prices_every_real_file_parses(raw_dir, rel):
    path = raw_file(raw_dir, "prices", rel)
    df = read_prices(path.read_bytes(), path.name)
    canon = ["open", "high", "low", "close", "adj_close", "volume"]
    assert list(df.columns) == [c for c in canon if c in df.columns]
    assert "close" in df.columns or "adj_close" in df.columns
    assert all(dt == np.float64 for dt in df.dtypes)
    assert isinstance(df.index, pd.DatetimeIndex) and df.index.name == "date"
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert (df.index == df.index.normalize()).all()
    assert isinstance(df.attrs["dropped_null_rows"], int)


PRICE_FACTS = [
    # file, rows after dropping, first, last, columns, dropped
    ("IDX_RUA.csv", 8667 - 29, "1987-09-10", "2022-01-28", ["open", "high", "low", "close", "adj_close", "volume"], 29),
    ("IDX_RUT.csv", 9686, "1987-09-10", "2026-02-23", ["open", "high", "low", "close", "volume"], 0),
    ("IDX_GSPC.csv", 24748, "1927-12-30", "2026-07-13", ["open", "high", "low", "close"], 0),
    ("MDY.csv", 5759, "2000-01-03", "2022-11-18", ["open", "high", "low", "close", "adj_close", "volume"], 0),
    ("XLC.csv", 2041, "2018-06-19", "2026-08-03", ["close"], 0),
    ("alt/AOSL.dieperdev.csv", 3489, "2010-04-29", "2024-03-08",
     ["open", "high", "low", "close", "adj_close", "volume"], 0),
    ("alt/IDX_GSPC.culolom.csv", 24777, "1927-12-30", "2026-08-21", ["close", "volume"], 0),
    ("alt/IWB.franco-rey.csv", 4842, "2005-01-03", "2024-03-28",
     ["open", "high", "low", "close", "adj_close", "volume"], 0),
]


@pytest.mark.snapshot
@pytest.mark.parametrize("name,rows,first,last,columns,dropped", PRICE_FACTS,
                         ids=[f[0].split("/")[-1] for f in PRICE_FACTS])
def test_prices_key_facts(raw_dir, name, rows, first, last, columns, dropped):
    path = raw_dir / "prices" / name
    df = read_prices(path.read_bytes(), path.name)
    assert len(df) == rows
    assert df.index[0] == ts(first) and df.index[-1] == ts(last)
    assert list(df.columns) == columns
    assert df.attrs["dropped_null_rows"] == dropped


@pytest.mark.snapshot
def test_prices_rua_null_rows_dropped(raw_dir):
    path = raw_dir / "prices" / "IDX_RUA.csv"
    df = read_prices(path.read_bytes(), path.name)
    assert ts("2018-12-24") not in df.index and ts("2021-08-02") not in df.index
    assert df[["open", "high", "low", "close", "adj_close"]].notna().all().all()


@pytest.mark.snapshot
def test_prices_checks_from_provenance(raw_dir):
    rut = read_prices((raw_dir / "prices" / "IDX_RUT.csv").read_bytes(), "IDX_RUT.csv")
    assert rut.loc["2024-12-31", "close"] == pytest.approx(2230.16, abs=0.01)
    gspc = read_prices((raw_dir / "prices" / "IDX_GSPC.csv").read_bytes(), "IDX_GSPC.csv")
    assert gspc.loc["2024-12-31", "close"] == pytest.approx(5881.63, abs=0.01)


@pytest.mark.snapshot
@pytest.mark.parametrize("name", ["IDX_RUA.csv", "IDX_RUT.csv", "alt/IWB.franco-rey.csv"])
def test_prices_line_endings_give_identical_frames(raw_dir, name):
    data = (raw_dir / "prices" / name).read_bytes()
    parsed = {k: read_prices(v, name) for k, v in eol_variants(data).items()}
    for df in parsed.values():
        pd.testing.assert_frame_equal(df, parsed["lf"])
        assert df.attrs == parsed["lf"].attrs


def test_prices_crafted_layouts():
    text = (
        "Datetime,Volume,Adj Close,Close,Open,Dividends\r\n"
        "2020-01-02 00:00:00-05:00,100,9.5,10,9.8,0\r\n"
        "2020-01-03 00:00:00-05:00,null,null,null,null,0\r\n"
        "2020-01-06 00:00:00-05:00,,,11,,0"
    )
    df = read_prices(text.encode(), "p.csv")
    assert list(df.columns) == ["open", "close", "adj_close", "volume"]
    assert list(df.index) == [ts("2020-01-02"), ts("2020-01-06")]
    assert df.attrs["dropped_null_rows"] == 1
    assert df.attrs["ignored_columns"] == ["Dividends"]
    assert df.attrs["lines"] == (2, 4)  # the line of each row kept (messages about a row name it)
    assert np.isnan(df.loc["2020-01-06", "open"]) and df.loc["2020-01-06", "close"] == 11.0


P_HDR = "Date,Open,High,Low,Close,Adj Close,Volume\n"
P_ROW1 = "2020-01-02,1,2,0.5,1.5,1.4,100\n"


@pytest.mark.parametrize(
    "data,exc,pattern",
    [
        pytest.param(b"", ParseError, r"^p\.csv \(line 1\): the file is empty", id="empty"),
        pytest.param(P_HDR.encode(), ParseError, r"^p\.csv \(line 2\): .*no data rows", id="empty-body"),
        pytest.param(b"<!doctype html>\n<html>Too Many Requests</html>", ParseError, r"^p\.csv \(line 1\): .*HTML page",
                     id="html"),
        pytest.param(b"Day,Close\n2020-01-02,1\n", ParseError, r"^p\.csv \(line 1\): .*no 'Date' column",
                     id="no-date-column"),
        pytest.param(b"Date,Open,Volume\n2020-01-02,1,2\n", ParseError,
                     r"^p\.csv \(line 1\): .*no 'Close' or 'Adj Close'",
                     id="no-close-column"),
        pytest.param((P_HDR + P_ROW1 + "2020-01-02,1,2,0.5,1.5,1.4,100\n").encode(), ValidationError,
                     r"^p\.csv \(line 3, column 'Date'\): date '2020-01-02' duplicates the date '2020-01-02' on line 2",
                     id="duplicate-date"),
        pytest.param((P_HDR + P_ROW1 + "2019-12-31,1,2,0.5,1.5,1.4,100\n").encode(), ValidationError,
                     r"^p\.csv \(line 3, column 'Date'\): .*earlier than", id="decreasing-date"),
        pytest.param((P_HDR + P_ROW1 + "2020-01-03,1,2,0.5,abc,1.4,100\n").encode(), ParseError,
                     r"^p\.csv \(line 3, column 'Close'\): value 'abc' is not a number", id="non-numeric"),
        pytest.param((P_HDR + P_ROW1 + "03/01/2020,1,2,0.5,1.5,1.4,100\n").encode(), ParseError,
                     r"^p\.csv \(line 3, column 'Date'\): date '03/01/2020' is not a YYYY-MM-DD", id="bad-date"),
        pytest.param((P_HDR + P_ROW1 + "2020-01-03,1,2,0.5,0,1.4,100\n").encode(), ValidationError,
                     r"^p\.csv \(line 3, column 'Close'\): value 0.0 breaks the rule 'prices must be > 0'",
                     id="zero-price"),
        pytest.param((P_HDR + P_ROW1 + "2020-01-03,1,2,-0.5,1,1.4,100\n").encode(), ValidationError,
                     r"^p\.csv \(line 3, column 'Low'\): value -0.5", id="negative-price"),
        pytest.param((P_HDR + P_ROW1 + "2020-01-03,1,2,0.5,1,1.4,-1\n").encode(), ValidationError,
                     r"^p\.csv \(line 3, column 'Volume'\): .*volume must be >= 0", id="negative-volume"),
        pytest.param((P_HDR + P_ROW1 + P_HDR + "2020-01-03,1,2,0.5,1,1.4,1\n").encode(), ParseError,
                     r"^p\.csv \(line 3, column 'Date'\): a repeated header row", id="repeated-header"),
        pytest.param((P_HDR + P_ROW1 + "2020-01-03,1,2,0.5").encode(), ParseError,
                     r"^p\.csv \(line 3\): row has 4 cells, the header .* has 7", id="truncated"),
    ],
)
def test_prices_rejects(data, exc, pattern):
    with pytest.raises(exc, match=pattern):
        read_prices(data, "p.csv")


def test_prices_no_trailing_newline_and_cr_only():
    text = P_HDR + P_ROW1 + "2020-01-03,1,2,0.5,1.6,1.5,200"
    a = read_prices(text.encode(), "p.csv")
    b = read_prices(text.replace("\n", "\r").encode(), "p.csv")
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 2
    with pytest.raises(ParseError, match=r"\(line 3, column 'Close'\)"):
        read_prices(text.replace("1.6", "x").replace("\n", "\r").encode(), "p.csv")
