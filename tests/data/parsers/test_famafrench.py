"""Tests of the Ken French parser on the real raw-data snapshot and on crafted bad inputs.

Real files are found only through ROTATION_RAW_DIR (tests skip when it is unset); crafted
inputs are built as bytes in the test, nothing from the snapshot is copied into the project.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _parsing import RAW_ENV, eol_variants, loc, raw_file, raw_params, ts

from rotation.data.parsers import FFFile, read_famafrench
from rotation.errors import ParseError, ValidationError

FF_PARAMS = raw_params("famafrench", (".csv", ".zip"))


@pytest.mark.snapshot
@pytest.mark.parametrize("rel", FF_PARAMS)
def test_famafrench_every_real_file_parses(raw_dir, rel):
    path = raw_file(raw_dir, "famafrench", rel)
    ff = read_famafrench(path.read_bytes(), path.name)
    assert isinstance(ff, FFFile)
    assert ff.tables
    for t in ff.tables:
        fr = t.frame
        assert t.frequency in {"D", "M", "A"}
        assert isinstance(fr.index, pd.DatetimeIndex) and fr.index.name == "date"
        assert fr.index.is_monotonic_increasing and fr.index.is_unique
        assert len(fr) > 0 and fr.shape[1] > 0
        assert all(dt == np.float64 for dt in fr.dtypes)
        assert not any(re.fullmatch(r"\d+-Dec", c) for c in fr.columns)
        assert all(c == c.strip() and c for c in fr.columns)
        assert not ((fr == -99.99) | (fr == -999)).any().any()
        if t.frequency == "M":
            assert fr.index.is_month_end.all()
        if t.frequency == "A":
            assert ((fr.index.month == 12) & (fr.index.day == 31)).all()


# (file, table position, title, frequency, rows, first date, last date, columns or None)
FF_FACTS = [
    ("F-F_Research_Data_Factors.CSV", 0, "", "M", 1196, "1926-07-31", "2026-02-28", ["Mkt-RF", "SMB", "HML", "RF"]),
    ("F-F_Research_Data_Factors.CSV", 1, "Annual Factors: January-December", "A", 99, "1927-12-31", "2025-12-31", None),
    ("F-F_Research_Data_Factors_CSV.zip", 0, "", "M", 1196, "1926-07-31", "2026-02-28", None),
    ("F-F_Research_Data_Factors_daily.CSV", 0, "", "D", 26110, "1926-07-01", "2025-10-31",
     ["Mkt-RF", "SMB", "HML", "RF"]),
    ("F-F_Research_Data_5_Factors_2x3.CSV", 0, "", "M", 754, "1963-07-31", "2026-04-30",
     ["Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF"]),
    ("F-F_Research_Data_5_Factors_2x3.CSV", 1, "Annual Factors: January-December", "A", 62, "1964-12-31",
     "2025-12-31", None),
    ("F-F_Research_Data_5_Factors_2x3_daily.CSV", 0, "", "D", 15690, "1963-07-01", "2025-10-31", None),
    ("F-F_Momentum_Factor.CSV", 0, "", "M", 1176, "1927-01-31", "2024-12-31", ["Mom"]),
    ("F-F_Momentum_Factor.CSV", 1, "Annual Factors: January-December", "A", 97, "1927-12-31", "2023-12-31", ["Mom"]),
    ("F-F_Momentum_Factor_daily.CSV", 0, "", "D", 26009, "1926-11-03", "2025-10-31", ["Mom"]),
    ("Portfolios_Formed_on_ME.CSV", 0, "Average Value Weight Returns -- Monthly", "M", 1196, "1926-07-31",
     "2026-02-28", None),
    ("Portfolios_Formed_on_ME.CSV", 1, "Average Equal Weighted Returns -- Monthly", "M", 1196, "1926-07-31",
     "2026-02-28", None),
    ("Portfolios_Formed_on_ME.CSV", 2, "Value Weight Returns -- Annual from January to December", "A", 99,
     "1927-12-31", "2025-12-31", None),
    ("Portfolios_Formed_on_ME.CSV", 3, "Equal Weight Returns -- Annual from January to December", "A", 99,
     "1927-12-31", "2025-12-31", None),
    ("Portfolios_Formed_on_ME.CSV", 4, "Number of Firms in Portfolios", "M", 1196, "1926-07-31", "2026-02-28", None),
    ("Portfolios_Formed_on_ME.CSV", 5, "Average Firm Size", "M", 1196, "1926-07-31", "2026-02-28", None),
    ("6_Portfolios_2x3.CSV", 0, "Average Value Weighted Returns -- Monthly", "M", 1182, "1926-07-31", "2024-12-31",
     ["SMALL LoBM", "ME1 BM2", "SMALL HiBM", "BIG LoBM", "ME2 BM2", "BIG HiBM"]),
    ("6_Portfolios_2x3.CSV", 1, "Average Equal Weighted Returns -- Monthly", "M", 1182, "1926-07-31", "2024-12-31",
     None),
    ("6_Portfolios_2x3.CSV", 2, "Average Value Weighted Returns -- Annual", "A", 98, "1927-12-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 3, "Average Equal Weighted Returns -- Annual", "A", 98, "1927-12-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 4, "Number of Firms in Portfolios", "M", 1182, "1926-07-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 5, "Average Market Cap", "M", 1182, "1926-07-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 8, None, "M", 738, "1963-07-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 9, None, "M", 738, "1963-07-31", "2024-12-31", None),
    ("alt/F-F_Research_Data_Factors_daily__202604_isodates.csv", 0, "", "D", 26233, "1926-07-01", "2026-04-30",
     ["Mkt-RF", "SMB", "HML", "RF"]),
    ("alt/F-F_Research_Data_5_Factors_2x3_daily__202604_isodates.csv", 0, "", "D", 15813, "1963-07-01", "2026-04-30",
     None),
    ("alt/F-F_Momentum_Factor_daily__202604_isodates.csv", 0, "", "D", 26132, "1926-11-03", "2026-04-30", ["Mom"]),
    ("alt/Portfolios_Formed_on_ME_Daily__reformatted_single_table_to_20250530.csv", 0, "", "D", 26003,
     "1926-07-01", "2025-05-30", None),
]


@pytest.mark.snapshot
@pytest.mark.parametrize(
    "name,pos,title,freq,rows,first,last,columns",
    [pytest.param(*f, id=f"{f[0].split('/')[-1]}-t{f[1]}") for f in FF_FACTS],
)
def test_famafrench_key_facts(raw_dir, name, pos, title, freq, rows, first, last, columns):
    path = raw_dir / "famafrench" / name
    ff = read_famafrench(path.read_bytes(), path.name)
    t = ff.tables[pos]
    if title is not None:
        assert t.title == title
    assert t.frequency == freq
    assert len(t.frame) == rows
    assert t.frame.index[0] == ts(first)
    assert t.frame.index[-1] == ts(last)
    if columns is not None:
        assert list(t.frame.columns) == columns


@pytest.mark.snapshot
@pytest.mark.parametrize(
    "name,ntables,vintage",
    [
        ("F-F_Research_Data_Factors.CSV", 2, "202602"),
        ("F-F_Research_Data_Factors_daily.CSV", 1, "202510"),
        ("F-F_Research_Data_5_Factors_2x3.CSV", 2, "202604"),
        ("F-F_Research_Data_5_Factors_2x3_daily.CSV", 1, "202510"),
        ("F-F_Momentum_Factor.CSV", 2, "202412"),
        ("F-F_Momentum_Factor_daily.CSV", 1, "202510"),
        ("Portfolios_Formed_on_ME.CSV", 6, "202602"),
        ("6_Portfolios_2x3.CSV", 10, "202412"),
        ("alt/F-F_Research_Data_Factors_daily__202604_isodates.csv", 1, "202604"),
        ("alt/Portfolios_Formed_on_ME_Daily__reformatted_single_table_to_20250530.csv", 1, None),
    ],
    ids=lambda v: v.split("/")[-1] if isinstance(v, str) and "." in v else None,
)
def test_famafrench_table_count_and_vintage(raw_dir, name, ntables, vintage):
    path = raw_dir / "famafrench" / name
    ff = read_famafrench(path.read_bytes(), path.name)
    assert len(ff.tables) == ntables
    assert ff.vintage == vintage
    if vintage:
        assert ff.header.startswith("This file was created")
        assert f"{vintage} CRSP database" in ff.header
        assert "Copyright" not in ff.header
    else:
        assert ff.header == ""


@pytest.mark.snapshot
def test_famafrench_factors_values(raw_dir):
    path = raw_dir / "famafrench" / "F-F_Research_Data_Factors.CSV"
    ff = read_famafrench(path.read_bytes(), path.name)
    monthly = ff.table("^$").frame
    assert monthly.loc["1926-07-31"].tolist() == [2.89, -2.55, -2.39, 0.22]
    annual = ff.table("annual").frame
    assert annual.loc["2025-12-31", "Mkt-RF"] == 13.30
    assert ff.header.splitlines()[0] == "This file was created using the 202602 CRSP database."


@pytest.mark.snapshot
def test_famafrench_portfolios_on_me(raw_dir):
    path = raw_dir / "famafrench" / "Portfolios_Formed_on_ME.CSV"
    ff = read_famafrench(path.read_bytes(), path.name)
    assert len(ff.tables) == 6
    expected_cols = ["<= 0", "Lo 30", "Med 40", "Hi 30", "Lo 20", "Qnt 2", "Qnt 3", "Qnt 4", "Hi 20", "Lo 10"] + [
        f"Dec {i}" for i in range(2, 10)
    ] + ["Hi 10"]
    for t in ff.tables:
        assert list(t.frame.columns) == expected_cols
    for pos in (0, 1, 2, 3, 5):  # return tables and Average Firm Size: "<= 0" is -99.99 in every row
        fr = ff.tables[pos].frame
        assert fr["<= 0"].isna().all()
        assert fr.drop(columns="<= 0").notna().all().all()
    assert ff.tables[4].frame.notna().all().all()  # Number of Firms has no marker
    vw = ff.table(r"value weight returns -- monthly")
    assert vw is ff.tables[0]
    assert ff.table("EQUAL WEIGHTED RETURNS -- MONTHLY") is ff.tables[1]
    assert ff.table("Annual") is ff.tables[2]


@pytest.mark.snapshot
def test_famafrench_6_portfolios_multiline_titles(raw_dir):
    path = raw_dir / "famafrench" / "6_Portfolios_2x3.CSV"
    ff = read_famafrench(path.read_bytes(), path.name)
    t6 = ff.tables[6]
    assert t6.title.startswith("For portfolios formed in June of year t Value Weight Average of BE/ME Calculated")
    assert t6.title.endswith("adjusted for net stock issuance to Dec t-1")
    assert "  " not in t6.title and "\n" not in t6.title
    assert ff.table(r"BE_FYt-1/ME_June") is ff.tables[7]
    assert ff.table(r"Average of OP") is ff.tables[8]
    assert ff.table(r"investment") is ff.tables[9]


@pytest.mark.snapshot
def test_famafrench_momentum_label_stripped(raw_dir):
    path = raw_dir / "famafrench" / "F-F_Momentum_Factor.CSV"
    ff = read_famafrench(path.read_bytes(), path.name)
    assert [list(t.frame.columns) for t in ff.tables] == [["Mom"], ["Mom"]]


@pytest.mark.snapshot
def test_famafrench_iso_dates_match_original_layout(raw_dir):
    """The re-dated 202604 copy agrees with the 202510 original on RF over the common window."""
    orig = read_famafrench((raw_dir / "famafrench" / "F-F_Research_Data_Factors_daily.CSV").read_bytes(), "orig")
    alt_path = raw_dir / "famafrench" / "alt" / "F-F_Research_Data_Factors_daily__202604_isodates.csv"
    alt = read_famafrench(alt_path.read_bytes(), alt_path.name)
    a, b = orig.tables[0].frame, alt.tables[0].frame
    common = a.index.intersection(b.index)
    assert len(common) == len(a)
    pd.testing.assert_series_equal(a.loc[common, "RF"], b.loc[common, "RF"])


@pytest.mark.snapshot
def test_famafrench_alt_single_table(raw_dir):
    path = raw_dir / "famafrench" / "alt" / "Portfolios_Formed_on_ME_Daily__reformatted_single_table_to_20250530.csv"
    ff = read_famafrench(path.read_bytes(), path.name)
    (t,) = ff.tables
    assert t.title == "" and t.frequency == "D"
    assert t.frame["<= 0"].isna().all()
    assert "Dec 2" in t.frame.columns and "2-Dec" not in t.frame.columns
    assert t.frame.loc["1926-07-01", "Lo 30"] == 0.38


def _zip_csv_pairs() -> list:
    if not RAW_ENV or not (Path(RAW_ENV) / "famafrench").is_dir():
        return [pytest.param(None, id="famafrench-unavailable")]
    base = Path(RAW_ENV) / "famafrench"
    return [pytest.param(z.name, id=z.name) for z in sorted(base.glob("*_CSV.zip"))]


@pytest.mark.snapshot
@pytest.mark.parametrize("zip_name", _zip_csv_pairs())
def test_famafrench_zip_equals_csv(raw_dir, zip_name):
    if zip_name is None:
        pytest.skip("no famafrench/ folder under ROTATION_RAW_DIR")
    z = raw_dir / "famafrench" / zip_name
    csv_path = z.with_name(zip_name.replace("_CSV.zip", ".CSV"))
    a = read_famafrench(z.read_bytes(), z.name)
    b = read_famafrench(csv_path.read_bytes(), csv_path.name)
    assert a.header == b.header and a.vintage == b.vintage
    assert [t.title for t in a.tables] == [t.title for t in b.tables]
    for ta, tb in zip(a.tables, b.tables, strict=True):
        assert ta.frequency == tb.frequency
        pd.testing.assert_frame_equal(ta.frame, tb.frame)


@pytest.mark.snapshot
@pytest.mark.parametrize("name", ["F-F_Research_Data_Factors.CSV", "6_Portfolios_2x3.CSV",
                                  "alt/F-F_Momentum_Factor_daily__202604_isodates.csv"])
def test_famafrench_line_endings_give_identical_frames(raw_dir, name):
    data = (raw_dir / "famafrench" / name).read_bytes()
    parsed = {k: read_famafrench(v, name) for k, v in eol_variants(data).items()}
    ref = parsed["crlf"]
    for k, ff in parsed.items():
        assert ff.header.replace("\r", "") == ref.header, k
        assert [t.title for t in ff.tables] == [t.title for t in ref.tables], k
        for ta, tb in zip(ff.tables, ref.tables, strict=True):
            pd.testing.assert_frame_equal(ta.frame, tb.frame)
            assert ta.line == tb.line


@pytest.mark.snapshot
def test_famafrench_truncated_real_zip(raw_dir):
    data = (raw_dir / "famafrench" / "F-F_Research_Data_Factors_CSV.zip").read_bytes()
    with pytest.raises(ParseError, match=r"F-F_Research_Data_Factors_CSV\.zip.*(zip|truncated)"):
        read_famafrench(data[: len(data) // 2], "F-F_Research_Data_Factors_CSV.zip")


@pytest.mark.snapshot
def test_famafrench_truncated_real_csv_names_line(raw_dir):
    data = (raw_dir / "famafrench" / "F-F_Research_Data_Factors_daily.CSV").read_bytes()
    text = data.decode()
    cut = text.index("\n", len(text) // 2) + 1 + 12  # 12 characters into a data row
    expected_line = text[:cut].count("\n") + 1
    with pytest.raises(ParseError, match=loc("cut.CSV", expected_line) + r".*cells"):
        read_famafrench(text[:cut].encode(), "cut.CSV")


@pytest.mark.snapshot
def test_famafrench_largest_file_is_fast(raw_dir):
    files = [p for p in (raw_dir / "famafrench").rglob("*") if p.suffix.lower() in (".csv", ".zip")]
    largest = max(files, key=lambda p: p.stat().st_size)
    data = largest.read_bytes()
    read_famafrench(data, largest.name)  # warm-up
    t0 = time.perf_counter()
    ff = read_famafrench(data, largest.name)
    elapsed = time.perf_counter() - t0
    rows = sum(len(t.frame) for t in ff.tables)
    print(f"\nread_famafrench({largest.name}, {len(data):,} bytes, {rows:,} rows): {elapsed * 1000:.0f} ms")
    assert elapsed < 1.5  # target is < 0.5 s; loose bound against slow CI machines


# ======================================================================================
# Fama/French: crafted inputs (no snapshot needed)
# ======================================================================================

FF_GOOD = (
    "This file was created using the 202602 CRSP database.\r\n"
    "Some description.\r\n"
    "\r\n"
    ",Mkt-RF,SMB\r\n"
    "192607,   2.89,  -2.55\r\n"
    "192608,   2.64,  -1.14\r\n"
    "\r\n"
    " Annual Factors: January-December \r\n"
    ",Mkt-RF,SMB\r\n"
    "  1927,  29.47,  -2.04\r\n"
    "  1928,  35.39,   4.51\r\n"
    "\r\n"
    "Copyright 2026 Eugene F. Fama and Kenneth R. French\r\n"
)


def test_famafrench_crafted_good():
    ff = read_famafrench(FF_GOOD.encode(), "good.CSV")
    assert ff.vintage == "202602"
    assert ff.header == "This file was created using the 202602 CRSP database.\nSome description."
    assert [t.title for t in ff.tables] == ["", "Annual Factors: January-December"]
    assert [t.frequency for t in ff.tables] == ["M", "A"]
    assert list(ff.tables[0].frame.index) == [ts("1926-07-31"), ts("1926-08-31")]
    assert list(ff.tables[1].frame.index) == [ts("1927-12-31"), ts("1928-12-31")]
    assert [t.line for t in ff.tables] == [4, 9]


def test_famafrench_quoted_header_cells_and_dec_labels():
    text = '"","<= 0","2-Dec","9-Dec","Hi 10  "\n19260701,-99.99,1.0,-999,-99.990\n19260702,1,2,3,4\n'
    ff = read_famafrench(text.encode(), "q.csv")
    fr = ff.tables[0].frame
    assert list(fr.columns) == ["<= 0", "Dec 2", "Dec 9", "Hi 10"]
    assert fr.iloc[0].isna().tolist() == [True, False, True, True]
    assert ff.tables[0].frequency == "D"


def test_famafrench_zip_in_memory_and_cp1252():
    text = FF_GOOD.replace("Some description.", "Caf\xe9 data.")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("good.CSV", text.encode("cp1252"))
    ff = read_famafrench(buf.getvalue(), "good_CSV.zip")
    assert "Caf\xe9 data." in ff.header
    assert len(ff.tables) == 2


def test_famafrench_truncated_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("good.CSV", FF_GOOD * 50)
    data = buf.getvalue()
    with pytest.raises(ParseError, match=r"^x_CSV\.zip: not a readable zip archive.*download"):
        read_famafrench(data[: len(data) - 40], "x_CSV.zip")


def test_famafrench_zip_with_two_members():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.csv", FF_GOOD)
        zf.writestr("b.csv", FF_GOOD)
    with pytest.raises(ParseError, match=r"two\.zip: the zip archive holds 2 files"):
        read_famafrench(buf.getvalue(), "two.zip")


@pytest.mark.parametrize(
    "data,pattern",
    [
        pytest.param(b"", r"^e\.CSV \(line 1\): the file is empty", id="empty"),
        pytest.param(b"  \r\n\r\n", r"^e\.CSV \(line 1\): the file is empty", id="blank"),
        pytest.param(b"<!DOCTYPE html><html><body>404 Not Found</body></html>", r"^e\.CSV \(line 1\): .*HTML page",
                     id="html"),
        pytest.param(b"\n\n<html>\n<head><title>Error</title></head>", r"^e\.CSV \(line 1\): .*HTML page",
                     id="html-late"),
        pytest.param(b"just some text\r\nno table here\r\n", r"^e\.CSV: no table found", id="no-table"),
        pytest.param(b"hdr\r\n\r\n,A,B\r\n\r\n", r"^e\.CSV \(line 3\): .*no data rows", id="header-without-rows"),
        pytest.param(b"\x00\x01\x02binary", r"^e\.CSV: .*binary", id="binary"),
    ],
)
def test_famafrench_rejects(data, pattern):
    with pytest.raises(ParseError, match=pattern):
        read_famafrench(data, "e.CSV")


def _ff_bad(row5: str, row6: str = "192608,   2.64,  -1.14") -> bytes:
    lines = FF_GOOD.split("\r\n")
    lines[4], lines[5] = row5, row6
    return "\r\n".join(lines).encode()


@pytest.mark.parametrize(
    "data,exc,pattern",
    [
        pytest.param(_ff_bad("192607,   2.89,  -2.55", "192607,   2.64,  -1.14"), ValidationError,
                     loc("bad.CSV", 6) + r", column 'date'\): date '192607' duplicates the date '192607' on line 5",
                     id="duplicate-date"),
        pytest.param(_ff_bad("192608,   2.89,  -2.55", "192607,   2.64,  -1.14"), ValidationError,
                     loc("bad.CSV", 6) + r".*earlier than", id="decreasing-date"),
        pytest.param(_ff_bad("192607,   abc,  -2.55"), ParseError,
                     loc("bad.CSV", 5) + r", column 'Mkt-RF'\): value 'abc' is not a number", id="non-numeric"),
        pytest.param(_ff_bad("192607,   2.89,  -2.55", "192608,   2.64,  "), ParseError,
                     loc("bad.CSV", 6) + r", column 'SMB'\): value is empty", id="empty-cell"),
        pytest.param(_ff_bad("192607,   2.89,  nan"), ParseError, loc("bad.CSV", 5) + r", column 'SMB'\)",
                     id="nan-text"),
        pytest.param(_ff_bad("192607,   2.89"), ParseError,
                     loc("bad.CSV", 5) + r"\): row has 2 cells but the table header on line 4 has 3",
                     id="too-few-cells"),
        pytest.param(_ff_bad("192607,   2.89,  -2.55,  1.0"), ParseError, loc("bad.CSV", 5) + r"\): row has 4 cells",
                     id="too-many-cells"),
        pytest.param(_ff_bad("192607,   2.89,  -2.55", "19260801,   2.64,  -1.14"), ParseError,
                     loc("bad.CSV", 6) + r".*date format YYYYMM", id="mixed-date-format"),
        pytest.param(_ff_bad("192613,   2.89,  -2.55"), ParseError,
                     loc("bad.CSV", 5) + r".*not a valid calendar date", id="bad-month"),
        pytest.param(_ff_bad("Jul 26,   2.89,  -2.55"), ParseError, loc("bad.CSV", 5) + r".*is not a date",
                     id="not-a-date"),
    ],
)
def test_famafrench_bad_rows(data, exc, pattern):
    with pytest.raises(exc, match=pattern) as info:
        read_famafrench(data, "bad.CSV")
    assert info.value.source == "bad.CSV"
    assert info.value.line is not None


def test_famafrench_error_line_is_the_same_for_every_line_ending():
    data = _ff_bad("192607,   abc,  -2.55")
    for v in eol_variants(data).values():
        with pytest.raises(ParseError, match=loc("bad.CSV", 5)):
            read_famafrench(v, "bad.CSV")


def test_famafrench_table_lookup_lists_titles():
    ff = read_famafrench(FF_GOOD.encode(), "good.CSV")
    assert ff.table("january").frequency == "A"
    with pytest.raises(ParseError, match=r"good\.CSV: no table title matches 'weekly'.*Annual Factors"):
        ff.table("weekly")


def test_famafrench_rows_know_their_lines():
    ff = read_famafrench(b"Header text\r\n\r\n,Mkt-RF,RF\r\n202001,1.0,0.1\r\n202002,2.0,0.1\r\n\r\n"
                         b" Annual Factors\r\n,Mkt-RF,RF\r\n2020,3.0,1.2\r\n", "ff.CSV")
    monthly, annual = ff.tables
    assert list(monthly.lines) == [4, 5] and list(annual.lines) == [9]
