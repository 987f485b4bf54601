"""Tests of rotation.data.parsers on the real raw-data snapshot and on crafted bad inputs.

Real files are found only through ROTATION_RAW_DIR (tests skip when it is unset); crafted
inputs are built as bytes in the test, nothing from the snapshot is copied into the project.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotation.data.parsers import FFFile, read_famafrench, read_fred, read_prices, sniff_html
from rotation.errors import ParseError, ValidationError

_RAW_ENV = os.environ.get("ROTATION_RAW_DIR")


def _raw_params(sub: str, exts: tuple[str, ...]) -> list:
    """Parameters (relative paths under ``<raw>/<sub>``) for every data file, found at collection time."""
    if not _RAW_ENV or not (Path(_RAW_ENV) / sub).is_dir():
        return [pytest.param(None, id=f"{sub}-unavailable")]
    base = Path(_RAW_ENV) / sub
    files = sorted(p for p in base.rglob("*") if p.is_file() and p.name.lower().endswith(exts))
    return [pytest.param(p.relative_to(base).as_posix(), id=p.relative_to(base).as_posix()) for p in files]


def _raw_file(raw_dir: Path, sub: str, rel: str | None) -> Path:
    if rel is None:
        pytest.skip(f"no {sub}/ folder under ROTATION_RAW_DIR")
    return raw_dir / sub / rel


def _loc(source: str, line: int) -> str:
    """Regex for the start of a message naming the file and line."""
    return re.escape(f"{source} (line {line}")


def _ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


# ======================================================================================
# Fama/French: real files
# ======================================================================================

FF_PARAMS = _raw_params("famafrench", (".csv", ".zip"))


@pytest.mark.snapshot
@pytest.mark.parametrize("rel", FF_PARAMS)
def test_famafrench_every_real_file_parses(raw_dir, rel):
    path = _raw_file(raw_dir, "famafrench", rel)
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
    ("F-F_Research_Data_Factors_daily.CSV", 0, "", "D", 26110, "1926-07-01", "2025-10-31", ["Mkt-RF", "SMB", "HML", "RF"]),
    ("F-F_Research_Data_5_Factors_2x3.CSV", 0, "", "M", 754, "1963-07-31", "2026-04-30",
     ["Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF"]),
    ("F-F_Research_Data_5_Factors_2x3.CSV", 1, "Annual Factors: January-December", "A", 62, "1964-12-31", "2025-12-31", None),
    ("F-F_Research_Data_5_Factors_2x3_daily.CSV", 0, "", "D", 15690, "1963-07-01", "2025-10-31", None),
    ("F-F_Momentum_Factor.CSV", 0, "", "M", 1176, "1927-01-31", "2024-12-31", ["Mom"]),
    ("F-F_Momentum_Factor.CSV", 1, "Annual Factors: January-December", "A", 97, "1927-12-31", "2023-12-31", ["Mom"]),
    ("F-F_Momentum_Factor_daily.CSV", 0, "", "D", 26009, "1926-11-03", "2025-10-31", ["Mom"]),
    ("Portfolios_Formed_on_ME.CSV", 0, "Average Value Weight Returns -- Monthly", "M", 1196, "1926-07-31", "2026-02-28", None),
    ("Portfolios_Formed_on_ME.CSV", 1, "Average Equal Weighted Returns -- Monthly", "M", 1196, "1926-07-31", "2026-02-28", None),
    ("Portfolios_Formed_on_ME.CSV", 2, "Value Weight Returns -- Annual from January to December", "A", 99,
     "1927-12-31", "2025-12-31", None),
    ("Portfolios_Formed_on_ME.CSV", 3, "Equal Weight Returns -- Annual from January to December", "A", 99,
     "1927-12-31", "2025-12-31", None),
    ("Portfolios_Formed_on_ME.CSV", 4, "Number of Firms in Portfolios", "M", 1196, "1926-07-31", "2026-02-28", None),
    ("Portfolios_Formed_on_ME.CSV", 5, "Average Firm Size", "M", 1196, "1926-07-31", "2026-02-28", None),
    ("6_Portfolios_2x3.CSV", 0, "Average Value Weighted Returns -- Monthly", "M", 1182, "1926-07-31", "2024-12-31",
     ["SMALL LoBM", "ME1 BM2", "SMALL HiBM", "BIG LoBM", "ME2 BM2", "BIG HiBM"]),
    ("6_Portfolios_2x3.CSV", 1, "Average Equal Weighted Returns -- Monthly", "M", 1182, "1926-07-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 2, "Average Value Weighted Returns -- Annual", "A", 98, "1927-12-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 3, "Average Equal Weighted Returns -- Annual", "A", 98, "1927-12-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 4, "Number of Firms in Portfolios", "M", 1182, "1926-07-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 5, "Average Market Cap", "M", 1182, "1926-07-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 8, None, "M", 738, "1963-07-31", "2024-12-31", None),
    ("6_Portfolios_2x3.CSV", 9, None, "M", 738, "1963-07-31", "2024-12-31", None),
    ("alt/F-F_Research_Data_Factors_daily__202604_isodates.csv", 0, "", "D", 26233, "1926-07-01", "2026-04-30",
     ["Mkt-RF", "SMB", "HML", "RF"]),
    ("alt/F-F_Research_Data_5_Factors_2x3_daily__202604_isodates.csv", 0, "", "D", 15813, "1963-07-01", "2026-04-30", None),
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
    assert t.frame.index[0] == _ts(first)
    assert t.frame.index[-1] == _ts(last)
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
    if not _RAW_ENV or not (Path(_RAW_ENV) / "famafrench").is_dir():
        return [pytest.param(None, id="famafrench-unavailable")]
    base = Path(_RAW_ENV) / "famafrench"
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


def _eol_variants(data: bytes) -> dict[str, bytes]:
    text = data.decode("utf-8").replace("\r\n", "\n")
    return {"lf": text.encode(), "cr": text.replace("\n", "\r").encode(), "crlf": text.replace("\n", "\r\n").encode()}


@pytest.mark.snapshot
@pytest.mark.parametrize("name", ["F-F_Research_Data_Factors.CSV", "6_Portfolios_2x3.CSV",
                                  "alt/F-F_Momentum_Factor_daily__202604_isodates.csv"])
def test_famafrench_line_endings_give_identical_frames(raw_dir, name):
    data = (raw_dir / "famafrench" / name).read_bytes()
    parsed = {k: read_famafrench(v, name) for k, v in _eol_variants(data).items()}
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
    with pytest.raises(ParseError, match=_loc("cut.CSV", expected_line) + r".*cells"):
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
    assert list(ff.tables[0].frame.index) == [_ts("1926-07-31"), _ts("1926-08-31")]
    assert list(ff.tables[1].frame.index) == [_ts("1927-12-31"), _ts("1928-12-31")]
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
        pytest.param(b"\n\n<html>\n<head><title>Error</title></head>", r"^e\.CSV \(line 1\): .*HTML page", id="html-late"),
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
                     _loc("bad.CSV", 6) + r", column 'date'\): date '192607' duplicates the date '192607' on line 5",
                     id="duplicate-date"),
        pytest.param(_ff_bad("192608,   2.89,  -2.55", "192607,   2.64,  -1.14"), ValidationError,
                     _loc("bad.CSV", 6) + r".*earlier than", id="decreasing-date"),
        pytest.param(_ff_bad("192607,   abc,  -2.55"), ParseError,
                     _loc("bad.CSV", 5) + r", column 'Mkt-RF'\): value 'abc' is not a number", id="non-numeric"),
        pytest.param(_ff_bad("192607,   2.89,  -2.55", "192608,   2.64,  "), ParseError,
                     _loc("bad.CSV", 6) + r", column 'SMB'\): value is empty", id="empty-cell"),
        pytest.param(_ff_bad("192607,   2.89,  nan"), ParseError, _loc("bad.CSV", 5) + r", column 'SMB'\)",
                     id="nan-text"),
        pytest.param(_ff_bad("192607,   2.89"), ParseError,
                     _loc("bad.CSV", 5) + r"\): row has 2 cells but the table header on line 4 has 3",
                     id="too-few-cells"),
        pytest.param(_ff_bad("192607,   2.89,  -2.55,  1.0"), ParseError, _loc("bad.CSV", 5) + r"\): row has 4 cells",
                     id="too-many-cells"),
        pytest.param(_ff_bad("192607,   2.89,  -2.55", "19260801,   2.64,  -1.14"), ParseError,
                     _loc("bad.CSV", 6) + r".*date format YYYYMM", id="mixed-date-format"),
        pytest.param(_ff_bad("192613,   2.89,  -2.55"), ParseError,
                     _loc("bad.CSV", 5) + r".*not a valid calendar date", id="bad-month"),
        pytest.param(_ff_bad("Jul 26,   2.89,  -2.55"), ParseError, _loc("bad.CSV", 5) + r".*is not a date",
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
    for v in _eol_variants(data).values():
        with pytest.raises(ParseError, match=_loc("bad.CSV", 5)):
            read_famafrench(v, "bad.CSV")


def test_famafrench_table_lookup_lists_titles():
    ff = read_famafrench(FF_GOOD.encode(), "good.CSV")
    assert ff.table("january").frequency == "A"
    with pytest.raises(ParseError, match=r"good\.CSV: no table title matches 'weekly'.*Annual Factors"):
        ff.table("weekly")


# ======================================================================================
# FRED
# ======================================================================================

FRED_PARAMS = _raw_params("fred", (".csv",))


@pytest.mark.snapshot
@pytest.mark.parametrize("rel", FRED_PARAMS)
def test_fred_every_real_file_parses(raw_dir, rel):
    path = _raw_file(raw_dir, "fred", rel)
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
    assert s.index[0] == _ts(first) and s.index[-1] == _ts(last)
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
    parsed = {k: read_fred(v, name) for k, v in _eol_variants(data).items()}
    for s in parsed.values():
        pd.testing.assert_series_equal(s, parsed["lf"])


@pytest.mark.parametrize(
    "header",
    ["observation_date,DGS10", "DATE,DGS10", "date,value", "Date,Value", '"Date","DGS10"', '"observation_date","DGS10"'],
)
def test_fred_header_variants(header):
    text = f"{header}\n2020-01-02,1.88\n2020-01-03,.\n2020-01-06,\n2020-01-07,1.83\n"
    s = read_fred(text.encode(), "DGS10.csv")
    assert s.name == "DGS10"
    assert s.index.name == "date" and s.dtype == np.float64
    assert s.isna().tolist() == [False, True, True, False]
    assert s.index[1] == _ts("2020-01-03")


def test_fred_us_dates_are_month_first():
    s = read_fred(b"DATE,DFEDTAR\n9/27/1982,10.25\n12/31/1982,8.5\n1/1/1983,8.5\n", "DFEDTAR.csv")
    assert list(s.index) == [_ts("1982-09-27"), _ts("1982-12-31"), _ts("1983-01-01")]
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
                     r"^f\.csv \(line 3, column 'DATE'\): date '2020-02-01' is not a M/D/YYYY date", id="mixed-formats"),
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


# ======================================================================================
# Prices
# ======================================================================================

PRICE_PARAMS = _raw_params("prices", (".csv",))


@pytest.mark.snapshot
@pytest.mark.parametrize("rel", PRICE_PARAMS)
def test_prices_every_real_file_parses(raw_dir, rel):
    path = _raw_file(raw_dir, "prices", rel)
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
@pytest.mark.parametrize("name,rows,first,last,columns,dropped", PRICE_FACTS, ids=[f[0].split("/")[-1] for f in PRICE_FACTS])
def test_prices_key_facts(raw_dir, name, rows, first, last, columns, dropped):
    path = raw_dir / "prices" / name
    df = read_prices(path.read_bytes(), path.name)
    assert len(df) == rows
    assert df.index[0] == _ts(first) and df.index[-1] == _ts(last)
    assert list(df.columns) == columns
    assert df.attrs["dropped_null_rows"] == dropped


@pytest.mark.snapshot
def test_prices_rua_null_rows_dropped(raw_dir):
    path = raw_dir / "prices" / "IDX_RUA.csv"
    df = read_prices(path.read_bytes(), path.name)
    assert _ts("2018-12-24") not in df.index and _ts("2021-08-02") not in df.index
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
    parsed = {k: read_prices(v, name) for k, v in _eol_variants(data).items()}
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
    assert list(df.index) == [_ts("2020-01-02"), _ts("2020-01-06")]
    assert df.attrs["dropped_null_rows"] == 1
    assert df.attrs["ignored_columns"] == ["Dividends"]
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
        pytest.param(b"Date,Open,Volume\n2020-01-02,1,2\n", ParseError, r"^p\.csv \(line 1\): .*no 'Close' or 'Adj Close'",
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


# ======================================================================================
# sniff_html
# ======================================================================================


@pytest.mark.parametrize(
    "body",
    [b"<!DOCTYPE html>\n<html>", b"\xef\xbb\xbf  <html lang='en'>", b"<?xml version='1.0'?><html/>",
     b"\r\n\r\n<HEAD><TITLE>x</TITLE>"],
    ids=["doctype", "bom-html", "xhtml", "upper-head"],
)
def test_sniff_html_rejects_pages(body):
    with pytest.raises(ParseError, match=r"^page\.csv \(line 1\): the body is an HTML page"):
        sniff_html(body, "page.csv")


@pytest.mark.parametrize("body", [b"Date,Close\n2020-01-02,1\n", b"This file was created", b""], ids=["csv", "ff", "empty"])
def test_sniff_html_accepts_data(body):
    assert sniff_html(body, "ok.csv") is None
