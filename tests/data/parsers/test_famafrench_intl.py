"""The Ken French parser on the library's international files: Bloomberg vintages, LF and CRLF line endings,
no copyright footer, -99.99 as NaN, daily dates.

The real files are read through ROTATION_RAW_DIR (``famafrench/international/``; the tests skip without it);
the crafted files are built as bytes here, nothing of the snapshot is copied into the project.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _parsing import eol_variants, ts

from rotation.data.parsers import read_famafrench

INTL = "famafrench/international"
F3 = ["Mkt-RF", "SMB", "HML", "RF"]
F5 = ["Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF"]
SBM = ["SMALL LoBM", "ME1 BM2", "SMALL HiBM", "BIG LoBM", "ME2 BM2", "BIG HiBM"]

# (file, vintage, line ending, [(title, frequency, rows, first, last)], columns)
INTL_FACTS = [
    ("Developed_3_Factors.csv", "202512", "crlf",
     [("", "M", 426, "1990-07-31", "2025-12-31"), ("Annual Factors: January-December", "A", 35, "1991-12-31",
                                                  "2025-12-31")], F3),
    ("Europe_3_Factors.csv", "202504", "lf",
     [("", "M", 418, "1990-07-31", "2025-04-30"), ("Annual Factors: January-December", "A", 34, "1991-12-31",
                                                  "2024-12-31")], F3),
    ("Japan_3_Factors.csv", "202503", "crlf",
     [("", "M", 417, "1990-07-31", "2025-03-31"), ("Annual Factors: January-December", "A", 34, "1991-12-31",
                                                  "2024-12-31")], F3),
    ("Asia_Pacific_ex_Japan_3_Factors.csv", "202509", "crlf",
     [("", "M", 423, "1990-07-31", "2025-09-30"), ("Annual Factors: January-December", "A", 34, "1991-12-31",
                                                  "2024-12-31")], F3),
    ("Emerging_5_Factors.csv", "202603", "lf",
     [("", "M", 405, "1992-07-31", "2026-03-31"), ("Annual Factors: January-December", "A", 36, "1990-12-31",
                                                  "2025-12-31")], F5),
    ("North_America_5_Factors.csv", "202005", "lf",
     [("", "M", 359, "1990-07-31", "2020-05-31"), ("Annual Factors: January-December", "A", 29, "1991-12-31",
                                                  "2019-12-31")], F5),
    ("Europe_3_Factors_Daily.csv", "202603", "lf", [("", "D", 9327, "1990-07-02", "2026-03-31")], F3),
    ("Europe_5_Factors_Daily.csv", "202603", "lf", [("", "D", 9327, "1990-07-02", "2026-03-31")], F5),
    ("Developed_ex_US_5_Factors_Daily.csv", "202603", "lf", [("", "D", 9327, "1990-07-02", "2026-03-31")], F5),
    ("Developed_6_Portfolios_ME_BE-ME.csv", "202404", "crlf",
     [("Average Value Weighted Returns -- Monthly", "M", 406, "1990-07-31", "2024-04-30"),
      ("Average Equal Weighted Returns -- Monthly", "M", 406, "1990-07-31", "2024-04-30"),
      ("Average Value Weighted Returns -- Annual", "A", 33, "1991-12-31", "2023-12-31"),
      ("Average Equal Weighted Returns -- Annual", "A", 33, "1991-12-31", "2023-12-31"),
      ("Number of Firms in Portfolios", "M", 406, "1990-07-31", "2024-04-30"),
      ("Average Firm Size", "M", 406, "1990-07-31", "2024-04-30")], SBM),
]


@pytest.mark.snapshot
@pytest.mark.parametrize("name,vintage,eol,tables,columns", INTL_FACTS, ids=[f[0] for f in INTL_FACTS])
def test_international_file_facts(raw_dir, name, vintage, eol, tables, columns):
    path = raw_dir / INTL / name
    data = path.read_bytes()
    assert (b"\r\n" in data) is (eol == "crlf")  # the snapshot mixes LF and CRLF files
    ff = read_famafrench(data, path.name)
    assert ff.vintage == vintage
    assert ff.header.startswith(f"This file was created using the {vintage} Bloomberg database.")
    got = [(t.title, t.frequency, len(t.frame), t.frame.index[0], t.frame.index[-1]) for t in ff.tables]
    assert got == [(title, f, n, ts(a), ts(b)) for title, f, n, a, b in tables]
    for t in ff.tables:
        assert list(t.frame.columns) == columns
        assert t.frame.index.name == "date" and t.frame.index.is_unique and t.frame.index.is_monotonic_increasing


@pytest.mark.snapshot
@pytest.mark.parametrize("name", [f[0] for f in INTL_FACTS])
def test_footerless_file_reads_to_its_last_line(raw_dir, name):
    """No copyright footer: the last table runs to the end of the file, and its last row is the file's last line."""
    path = raw_dir / INTL / name
    text = path.read_bytes().decode("utf-8")
    assert "copyright" not in text.lower()
    last_line = text.rstrip("\r\n").replace("\r\n", "\n").rsplit("\n", 1)[-1]
    date, *cells = (c.strip() for c in last_line.split(","))
    last = read_famafrench(path.read_bytes(), path.name).tables[-1].frame
    assert last.index[-1].strftime("%Y%m%d" if len(date) == 8 else "%Y%m" if len(date) == 6 else "%Y") == date
    np.testing.assert_array_equal(last.iloc[-1].to_numpy(), np.array([float(c) for c in cells]))


@pytest.mark.snapshot
@pytest.mark.parametrize("name", ["Japan_3_Factors.csv", "Europe_3_Factors.csv"], ids=["crlf-file", "lf-file"])
def test_line_endings_do_not_change_the_tables(raw_dir, name):
    data = (raw_dir / INTL / name).read_bytes()
    parsed = {eol: read_famafrench(body, name) for eol, body in eol_variants(data).items()}
    for eol in ("cr", "crlf"):
        assert parsed[eol].header == parsed["lf"].header
        for a, b in zip(parsed[eol].tables, parsed["lf"].tables, strict=True):
            assert a.title == b.title
            pd.testing.assert_frame_equal(a.frame, b.frame)


@pytest.mark.snapshot
def test_emerging_annual_missing_markers_are_nan(raw_dir):
    """The only -99.99 in the snapshot: Emerging's annual rows 1990-1992, before its monthly data start."""
    ff = read_famafrench((raw_dir / INTL / "Emerging_5_Factors.csv").read_bytes(), "Emerging_5_Factors.csv")
    monthly, annual = ff.tables
    assert not monthly.frame.isna().any().any()
    missing = annual.frame.isna()
    assert int(missing.to_numpy().sum()) == 8
    assert missing.loc["1990":"1992", "SMB"].all() and missing.loc["1990":"1992", "CMA"].all()
    assert missing.loc["1990":"1991", "RMW"].all() and not missing.loc["1992", "RMW"].any()
    assert annual.frame.loc["1990-12-31", "Mkt-RF"] == -13.24  # values as published (percent) in the parser
    assert not missing.loc["1993":].any().any()


@pytest.mark.snapshot
@pytest.mark.parametrize("name", ["Europe_3_Factors_Daily.csv", "Developed_ex_US_5_Factors_Daily.csv"])
def test_daily_dates_are_trading_days(raw_dir, name):
    t = read_famafrench((raw_dir / INTL / name).read_bytes(), name).tables[0]
    idx = t.frame.index
    assert t.frequency == "D" and isinstance(idx, pd.DatetimeIndex)
    assert (idx.day_of_week < 5).all()  # weekdays only
    assert idx[0] == ts("1990-07-02") and idx[-1] == ts("2026-03-31")
    assert idx.to_series().diff().max() <= pd.Timedelta(days=5)  # no gap longer than a long weekend


# --------------------------------------------------------------------------- crafted (no snapshot needed)
CRAFTED = (
    "This file was created using the 202512 Bloomberg database.\n"
    "\n"
    "Missing data are indicated by -99.99.\n"
    "\n\n\n"
    ",Mkt-RF,SMB,HML,RF\n"
    "199007    ,0.77    ,0.53   ,-0.36    ,0.68\n"
    "199008   ,-9.43   ,-99.99    ,1.01    ,0.66\n"
    "199009  ,-11.50    ,1.50    ,0.97    ,0.60\n"
    "\n\n\n"
    " Annual Factors: January-December\n"
    ",Mkt-RF,SMB,HML,RF\n"
    "1991   ,20.10  ,-99.990   ,2.20    ,5.60\n"
    "1992   ,-5.00    ,1.25   ,-0.75    ,3.50\n"
)


@pytest.mark.parametrize("eol", ["lf", "crlf", "cr"])
@pytest.mark.parametrize("trailing", ["", "\n", "\n\n\n"], ids=["no-final-newline", "final-newline", "blank-lines"])
def test_crafted_footerless_file(eol, trailing):
    body = eol_variants((CRAFTED.rstrip("\n") + trailing).encode())[eol]
    ff = read_famafrench(body, "Developed_3_Factors.csv")
    assert ff.vintage == "202512"
    monthly, annual = ff.tables
    assert (monthly.title, monthly.frequency, annual.title, annual.frequency) == (
        "", "M", "Annual Factors: January-December", "A")
    assert list(monthly.frame.index) == [ts("1990-07-31"), ts("1990-08-31"), ts("1990-09-30")]
    assert list(annual.frame.index) == [ts("1991-12-31"), ts("1992-12-31")]
    assert np.isnan(monthly.frame.loc["1990-08-31", "SMB"]) and np.isnan(annual.frame.loc["1991-12-31", "SMB"])
    assert monthly.frame.loc["1990-09-30", "Mkt-RF"] == -11.50
    assert annual.frame.loc["1992-12-31", "RF"] == 3.50
    assert int(monthly.frame.isna().sum().sum()) == 1 and int(annual.frame.isna().sum().sum()) == 1
