"""Tests of what the parsers share (rotation.data.parsers.common)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.data.parsers import read_famafrench, read_fred, read_prices, sniff_html
from rotation.data.parsers.common import (
    body_rows,
    check_increasing,
    csv_cells,
    date_index,
    decode,
    encoding_note,
    split_lines,
    strip_trailing_blank,
    to_float,
)
from rotation.errors import ParseError, ValidationError


@pytest.mark.parametrize(
    "body",
    [b"<!DOCTYPE html>\n<html>", b"\xef\xbb\xbf  <html lang='en'>", b"<?xml version='1.0'?><html/>",
     b"\r\n\r\n<HEAD><TITLE>x</TITLE>"],
    ids=["doctype", "bom-html", "xhtml", "upper-head"],
)
def test_sniff_html_rejects_pages(body):
    with pytest.raises(ParseError, match=r"^page\.csv \(line 1\): the body is an HTML page"):
        sniff_html(body, "page.csv")


@pytest.mark.parametrize("body", [b"Date,Close\n2020-01-02,1\n", b"This file was created", b""],
                         ids=["csv", "ff", "empty"])
def test_sniff_html_accepts_data(body):
    assert sniff_html(body, "ok.csv") is None


def test_decode_falls_back_to_cp1252_and_refuses_empty_and_binary():
    assert decode("\ufeffDate,Close\n".encode("utf-8"), "a.csv") == "Date,Close\n"  # the BOM is dropped
    assert decode("caf\xe9,1\n".encode("cp1252"), "a.csv") == "caf\xe9,1\n"
    with pytest.raises(ParseError, match=r"^a\.csv \(line 1\): the file is empty"):
        decode(b" \n", "a.csv")
    with pytest.raises(ParseError, match="binary data"):
        decode(b"PK\x03\x04\x00\x00", "a.csv")


def test_split_lines_only_on_line_endings():
    assert split_lines("a\r\nb\rc\nd\x0ce\n") == ["a", "b", "c", "d\x0ce"]  # a form feed is no line break
    assert split_lines("a\n\n") == ["a", ""]
    assert csv_cells('"Date","Mkt-RF",x') == ["Date", "Mkt-RF", "x"]
    assert strip_trailing_blank(["a", "", " "]) == ["a"]


def test_body_rows_name_the_line():
    assert body_rows(["h1,h2", "1,2", "3,4"], "f.csv", 2, "h1,h2") == [["1", "2"], ["3", "4"]]
    with pytest.raises(ParseError, match=r"^f\.csv \(line 3\): row has 3 cells, the header \(h1,h2\) has 2"):
        body_rows(["h1,h2", "1,2", "3,4,5"], "f.csv", 2, "h1,h2")
    with pytest.raises(ParseError, match=r"\(line 2\): blank line inside the data"):
        body_rows(["h1,h2", "", "3,4"], "f.csv", 2, "h1,h2")


def test_to_float_reports_the_first_bad_cell():
    values, pos, raw = to_float(pd.Series([" 1.5", ".", "x", "y"]), frozenset({"."}))
    assert values[0] == 1.5 and np.isnan(values[1])
    assert (pos, raw) == (2, "x")
    assert to_float(pd.Series(["1", "inf"]), frozenset())[1:] == (1, "inf")
    assert to_float(pd.Series(["1", "2"]), frozenset())[1:] == (None, None)


def test_check_increasing_names_both_lines():
    idx = date_index(pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-02"]))
    assert idx.name == "date" and str(idx.dtype) == "datetime64[ns]"
    with pytest.raises(ValidationError, match=r"^f\.csv \(line 7, column 'Date'\): date '2020-01-02' duplicates "
                                              r"the date '2020-01-02' on line 6"):
        check_increasing(idx, ["2020-01-01", "2020-01-02", "2020-01-02"], np.array([5, 6, 7]), "f.csv", "Date")
    check_increasing(idx[:2], ["2020-01-01", "2020-01-02"], np.array([5, 6]), "f.csv", "Date")


# --------------------------------------------------------------------------- encodings (issue 26)
@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_encoding_note_names_the_line_and_byte(eol):
    data = eol.join([b"observation_date,DGS10", b"2020-01-02,1.5", "2020-01-03,1.5\xe9".encode("latin-1"), b""])
    note = encoding_note(data)
    assert note is not None
    assert "not UTF-8 text: line 3 holds the byte 0xE9 ('\xe9' in Latin-1/Windows-1252)" in note
    assert "Fix: save it as UTF-8" in note
    assert encoding_note("caf\xe9".encode()) is None  # UTF-8
    assert encoding_note(b"PK\x03\x04\x00\x00\xff") is None  # binary: refused for that reason instead


LATIN1_CASES = [
    # reader, file name, bytes (a Latin-1 character where the parser trips), line of the error
    (read_fred, "DGS10.csv", "observation_date,DGS10\n2020-01-02,1.5\n2020-01-03,1,5\xa0%\n".encode("latin-1"), 3),
    (read_prices, "IWM.csv", "Date,Close\n2020-01-02,10.5\n2020-01-03,10\xb75\n".encode("latin-1"), 3),
    (read_famafrench, "F-F_Research_Data_Factors.CSV",
     "Cr\xe9\xe9 avec CRSP\n\n,Mkt-RF,RF\n202001,1.0,0.1\n202002,1.0\xb0,0.1\n".encode("latin-1"), 5),
]


@pytest.mark.parametrize(("reader", "name", "data", "line"), LATIN1_CASES, ids=["fred", "prices", "famafrench"])
def test_a_latin1_file_that_fails_says_it_is_not_utf8(reader, name, data, line):
    with pytest.raises(ParseError) as info:
        reader(data, name)
    msg = str(info.value)
    assert msg.startswith(f"{name} (line {line}"), msg
    assert "The file is not UTF-8 text: line" in msg and "Fix: save it as UTF-8" in msg
    assert info.value.line == line
    # the same mistake in a UTF-8 file is reported without the note
    with pytest.raises(ParseError) as plain:
        reader(data.decode("latin-1").encode("utf-8"), name)
    assert "not UTF-8" not in str(plain.value)


def test_a_latin1_zip_member_names_the_member():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("F-F_Research_Data_Factors.csv", LATIN1_CASES[2][2])
    with pytest.raises(ParseError, match=r"^F-F_Research_Data_Factors_CSV\.zip:F-F_Research_Data_Factors\.csv "
                                         r"\(line 5.*not UTF-8 text: line 1 holds the byte 0xE9"):
        read_famafrench(buf.getvalue(), "F-F_Research_Data_Factors_CSV.zip")


def test_a_latin1_file_that_parses_is_read():
    ff = read_famafrench("Cr\xe9\xe9 avec CRSP\n\n,Mkt-RF,RF\n202001,1.0,0.1\n".encode("latin-1"), "ff.CSV")
    assert ff.header == "Cr\xe9\xe9 avec CRSP"
    assert ff.tables[0].frame.shape == (1, 2)


def test_yahoo_json_that_is_not_utf8_says_so():
    from rotation.data.sources import read_yahoo_chart

    with pytest.raises(ParseError, match=r"^IWM\.json: not Yahoo chart-API JSON, which is UTF-8\. The file is not "
                                         r"UTF-8 text: line 2 holds the byte 0xE9.*Fix: save it as UTF-8"):
        read_yahoo_chart('{"chart":\n "\xe9"}'.encode("latin-1"), "IWM.json")
