"""The real-time parsers on the snapshot's real files (FRED-MD vintages, RTDSM workbooks) and on broken copies."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pytest

from rotation.data.parsers.realtime import read_fredmd_csv, read_fredmd_zip, read_rtdsm
from rotation.errors import ParseError

SERIES = ("UNRATE", "PAYEMS", "INDPRO", "CLAIMSx", "UMCSENTx", "CPIAUCSL", "M2SL")


@pytest.fixture(scope="module")
def fredmd_monthly(raw_dir) -> zipfile.ZipFile:
    return zipfile.ZipFile(raw_dir / "realtime/fred-md/FRED-MD_monthly_vintages_2015-01_2024-03.zip")


def _raw_rows(data: bytes) -> list[list[str]]:
    """The file's rows with the csv module (independent of the parser)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_two_digit_year_file_parses_to_1959_2023(fredmd_monthly):
    data = fredmd_monthly.read("2023-11.csv")
    rows = _raw_rows(data)
    assert rows[2][0] == "1/1/59"  # the re-saved file really has two-digit years
    frame = read_fredmd_csv(data, "2023-11.csv", SERIES)
    assert frame.index[0] == pd.Timestamp("1959-01-01")
    assert frame.index[-1] == pd.Timestamp("2023-10-01")
    assert frame.index.is_monotonic_increasing and frame.index.year.max() == 2023
    assert len(frame) == sum(1 for r in rows[2:] if any(c.strip() for c in r))


def test_transform_row_is_not_data(fredmd_monthly):
    data = fredmd_monthly.read("2024-03.csv")
    rows = _raw_rows(data)
    assert rows[1][0].startswith("Transform")
    frame = read_fredmd_csv(data, "2024-03.csv", SERIES)
    header, first = rows[0], rows[2]
    dated = [r for r in rows[1:] if r and "/" in r[0]]
    assert len(frame) == len(dated) == len(rows) - 2  # every row but the header and Transform:
    assert frame.index[0] == pd.Timestamp("1959-01-01")
    assert frame["PAYEMS"].iloc[0] == float(first[header.index("PAYEMS")])


def test_trailing_all_comma_row_and_crlf(raw_dir, fredmd_monthly):
    manifest = pd.read_csv(raw_dir / "realtime/fred-md/MANIFEST.csv", dtype=str)
    vintage = manifest.query("trailing_empty_row == 'True' and line_endings == 'CRLF'")["vintage"].iloc[0]
    data = fredmd_monthly.read(f"{vintage}.csv")
    assert b"\r\n" in data
    rows = _raw_rows(data.replace(b"\r\n", b"\n"))
    assert not any(c.strip() for c in rows[-1])  # the all-comma row
    frame = read_fredmd_csv(data, f"{vintage}.csv", SERIES)
    assert frame.index[-1] == (pd.Period(vintage, "M") - 1).start_time
    assert frame.notna().any(axis=1).all()


def test_payrolls_2024_02_in_fredmd_and_rtdsm(raw_dir, fredmd_monthly):
    frame = read_fredmd_csv(fredmd_monthly.read("2024-03.csv"), "2024-03.csv", SERIES)
    rows = _raw_rows(fredmd_monthly.read("2024-03.csv"))
    raw = next(r for r in rows if r[0] == "2/1/2024")[rows[0].index("PAYEMS")]
    assert frame.loc["2024-02-01", "PAYEMS"] == float(raw) == 157808
    prefix, table = read_rtdsm((raw_dir / "realtime/philly-rtdsm/employMvMd.xlsx").read_bytes(), "employMvMd.xlsx")
    assert prefix == "EMPLOY"
    assert table.loc["2024-02-01", "2024-03"] == 157808  # EMPLOY24M3


def test_rtdsm_quarterly_labels_and_missing_cells(raw_dir):
    prefix, table = read_rtdsm((raw_dir / "realtime/philly-rtdsm/rucQvMd.xlsx").read_bytes(), "rucQvMd.xlsx")
    assert prefix == "RUC" and table.columns[0] == "1965Q4" and table.columns[-1] == "2025Q4"
    assert table["2025Q4"].last_valid_index() == pd.Timestamp("2025-08-01")  # shutdown: ends at 2025:08
    assert table["1965Q4"].isna().any()  # #N/A cells are NaN


def test_zip_has_every_member_in_order(raw_dir):
    path = raw_dir / "realtime/fred-md/FRED-MD_monthly_vintages_1999-08_2014-12.zip"
    files = read_fredmd_zip(path.read_bytes(), path.name, SERIES)
    names = sorted(n for n in zipfile.ZipFile(path).namelist() if n.endswith(".csv"))
    assert [f"{f.vintage}.csv" for f in files] == names
    assert all(f.frame.index[-1] == (f.vintage - 1).start_time for f in files)  # vintage minus one month


def _spoil(text: str, date: str, column: str, value: str) -> tuple[str, int]:
    """The file with one cell replaced, and the 1-based line of that cell."""
    lines = text.split("\n")
    col = lines[0].split(",").index(column)
    n = next(i for i, line in enumerate(lines) if line.startswith(date + ","))
    cells = lines[n].split(",")
    cells[col] = value
    lines[n] = ",".join(cells)
    return "\n".join(lines), n + 1


@pytest.mark.parametrize(("column", "value", "what"), [("sasdate", "2/30/2024", "sasdate"),
                                                       ("PAYEMS", "n/a", "not a number")])
def test_bad_fredmd_file_names_line_and_fix(fredmd_monthly, column, value, what):
    text = fredmd_monthly.read("2024-03.csv").decode("utf-8")
    spoiled, line = _spoil(text, "1/1/2024", column, value)
    with pytest.raises(ParseError, match=rf"2024-03\.csv.*line {line}.*{what}.*Fix"):
        read_fredmd_csv(spoiled.encode("utf-8"), "2024-03.csv", SERIES)


def test_not_a_fredmd_file_or_workbook():
    with pytest.raises(ParseError, match="sasdate"):
        read_fredmd_csv(b"observation_date,UNRATE\n2020-01-01,3.5\n", "x.csv", SERIES)
    with pytest.raises(ParseError, match="not an xlsx"):
        read_rtdsm(b"DATE,EMPLOY26M1\n", "employMvMd.xlsx")
    with pytest.raises(ParseError, match="no FRED-MD vintage"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("readme.txt", "x")
        read_fredmd_zip(buf.getvalue(), "x.zip", SERIES)
