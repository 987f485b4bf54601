"""Parsers of the original data-file formats, one module per source.

* :mod:`~rotation.data.parsers.famafrench`: Kenneth R. French Data Library CSV files and ``*_CSV.zip``;
* :mod:`~rotation.data.parsers.fred`: FRED series CSV files;
* :mod:`~rotation.data.parsers.realtime`: the real-time vintage files (FRED-MD vintage CSVs and zips, the
  Philadelphia Fed RTDSM xlsx workbooks);
* :mod:`~rotation.data.parsers.prices`: Yahoo Finance / yfinance daily price CSV files
  (the Yahoo chart-API JSON of a live fetch is read by :func:`rotation.data.sources.read_yahoo_chart`);
* :mod:`~rotation.data.parsers.common`: what they share (decoding, HTML refusal, lines and CSV cells,
  float conversion, increasing dates).

Every reader takes the raw file bytes plus the file name (``source``, used in messages)
and either returns clean pandas objects or raises :class:`rotation.errors.ParseError`
(or its subclass :class:`rotation.errors.ValidationError`) naming the file, the 1-based
line in the (decompressed) text and the column where known, what is wrong, and how to fix it.

Conventions shared by all readers
---------------------------------
* The index is a ``DatetimeIndex`` named ``"date"`` with ``datetime64[ns]`` resolution,
  strictly increasing, without duplicates.
* Values are ``float64``.
* Text is decoded as UTF-8 (a BOM is dropped), falling back to cp1252 then latin-1; when a
  file that is not UTF-8 fails to parse, the error also says where its first non-UTF-8 byte
  is and how to save it as UTF-8 (:func:`~rotation.data.parsers.common.explains_encoding`).
* CRLF, LF and bare CR line endings are all accepted; line numbers count lines of the
  decoded text whatever the line ending.
* A body that looks like an HTML page (an error or login page served instead of the data)
  is rejected by :func:`sniff_html` before parsing.
"""

from rotation.data.parsers.common import sniff_html
from rotation.data.parsers.famafrench import FFFile, FFTable, read_famafrench
from rotation.data.parsers.fred import read_fred
from rotation.data.parsers.prices import read_prices
from rotation.data.parsers.realtime import FredMDFile, read_fredmd_csv, read_fredmd_zip, read_rtdsm

__all__ = ["FFTable", "FFFile", "read_famafrench", "read_fred", "read_prices", "sniff_html", "FredMDFile",
           "read_fredmd_csv", "read_fredmd_zip", "read_rtdsm"]
