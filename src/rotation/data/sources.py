"""Live sources: small reader objects that download one original file each.

* FRED: :class:`pandas_datareader.fred.FredReader` (``fredgraph.csv?id=<SERIES>``).
* Ken French: :class:`pandas_datareader.famafrench.FamaFrenchReader` (``<dataset>_CSV.zip``).
* Prices: :class:`YahooChartReader`, Yahoo Finance's chart API (the JSON endpoint the
  ``yfinance`` package uses), with split/dividend-adjusted closes. pandas-datareader 0.11
  no longer ships a Yahoo or Stooq reader, so this one is built on its ``_BaseReader``.

The readers only download bytes: we keep the original file, and parse it with our
own parsers (pandas-datareader's Fama-French parser breaks on the 2025 layout,
its issue 1007). Every reader gets an explicit ``start`` (pandas-datareader's
default is five years ago), a timeout and retries with a growing pause, and a
failure raises :class:`rotation.errors.FetchError` naming the URL and the cause.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pandas as pd
import requests
from pandas_datareader._utils import RemoteDataError
from pandas_datareader.base import _BaseReader
from pandas_datareader.famafrench import FamaFrenchReader
from pandas_datareader.fred import FredReader

from rotation.data import catalog
from rotation.errors import FetchError, ParseError

__all__ = ["Download", "download", "YahooChartReader", "yahoo_session", "read_yahoo_chart", "HISTORY_START", "USER_AGENT"]

#: Every reader asks for the full history from this date.
HISTORY_START = dt.datetime(1900, 1, 1)
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) rotation-research/0.1 (+pandas-datareader)"


@dataclass(frozen=True)
class Download:
    """One downloaded original file."""

    source: str
    remote_id: str
    url: str
    raw_name: str
    data: bytes


class YahooChartReader(_BaseReader):
    """Daily bars for one Yahoo Finance symbol from the chart API, as raw JSON bytes.

    ``session`` may be a ``requests.Session`` or, assigned after construction, any object
    with the same ``get``/``close`` API (the default is a ``curl_cffi`` session).
    """

    def __init__(self, symbols: str, *args: Any, session: Any = None, **kwargs: Any) -> None:
        plain = session is None or isinstance(session, requests.Session)
        super().__init__(symbols, *args, session=session if plain else None, **kwargs)
        if not plain:
            self.session = session

    @property
    def url(self) -> str:
        return f"https://query1.finance.yahoo.com/v8/finance/chart/{self.symbols}"

    @property
    def params(self) -> dict[str, Any]:
        start = int(pd.Timestamp(self.start).tz_localize("UTC").timestamp())
        end = int(pd.Timestamp(self.end).tz_localize("UTC").timestamp()) + 86400
        return {
            "period1": start,
            "period2": end,
            "interval": "1d",
            "events": "div,split",
            "includeAdjustedClose": "true",
        }

    def _get_response(self, url: str, params: Any = None, headers: Any = None) -> Any:
        """GET with retries and a doubling pause, for ``requests`` and ``curl_cffi`` sessions alike.

        pandas-datareader's loop only catches ``requests`` exceptions; the default Yahoo
        session is a ``curl_cffi`` one (see :func:`yahoo_session`), whose errors are
        ``OSError`` subclasses.
        """
        pause = self.pause
        last = ""
        for attempt in range(self.retry_count + 1):
            try:
                response = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
            except (requests.RequestException, OSError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    return response
                last = f"HTTP {response.status_code}"
                if response.status_code == 429:
                    last += (" Too Many Requests: Yahoo is rate-limiting this address; wait a few minutes and "
                             "retry, or import price files you downloaded (`rotation data import DIR`)")
                elif response.status_code == 404:
                    last += f" Not Found: is {self.symbols!r} a Yahoo symbol?"
                    break
            if attempt < self.retry_count:
                time.sleep(pause)
                pause *= self.pause_multiplier
        raise RemoteDataError(f"Unable to read URL: {url}\n{last}")


def yahoo_session() -> Any:
    """The default session for Yahoo: ``curl_cffi`` impersonating Chrome.

    Since 2025 Yahoo answers plain ``requests`` clients with HTTP 429 (the reason the
    ``yfinance`` package moved to ``curl_cffi``). Falls back to a ``requests`` session
    with a browser User-Agent if ``curl_cffi`` is not installed.
    """
    try:
        from curl_cffi import requests as curl_requests
    except ImportError:  # pragma: no cover - curl_cffi is a declared dependency
        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        return session
    return curl_requests.Session(impersonate="chrome")


def _configure(reader: _BaseReader, browser_headers: bool = True) -> _BaseReader:
    reader.pause_multiplier = 2.0  # 0.5 s, 1 s, 2 s ... between retries
    # curl_cffi sends the headers of the browser it impersonates; a custom User-Agent would give it away
    reader.headers = {"User-Agent": USER_AGENT} if browser_headers else None
    return reader


def download(
    source: str,
    remote_id: str,
    *,
    session: requests.Session | None = None,
    timeout: float = 30.0,
    retry_count: int = 3,
    pause: float = 0.5,
) -> Download:
    """Download one remote file's original bytes.

    Parameters
    ----------
    source : {"famafrench", "fred", "prices"}
    remote_id : str
        Ken French dataset name, FRED series id or Yahoo ticker.
    session : requests.Session, optional
        Injected session (caching, proxies, tests).
    timeout : float
        Seconds per HTTP request.
    retry_count : int
        Retries after the first attempt; the pause doubles after each.
    pause : float
        Seconds before the first retry.

    Raises
    ------
    FetchError
        After the retries, naming the URL and the cause.
    """
    catalog.remote_file(source, remote_id)
    kw = dict(start=HISTORY_START, end=dt.datetime.now(), retry_count=retry_count, pause=pause, timeout=timeout, session=session)
    if source == "fred":
        reader = _configure(FredReader(remote_id, **kw))
        url, params, raw_name = reader.url, {"id": remote_id}, f"{remote_id}.csv"
    elif source == "famafrench":
        reader = _configure(FamaFrenchReader(remote_id, **kw))
        url, params, raw_name = reader.url, None, f"{remote_id}_CSV.zip"
    elif source == "prices":
        own = session is None
        reader = _configure(YahooChartReader(remote_id, **kw), browser_headers=not own)
        if own:  # pandas-datareader only accepts a requests.Session in __init__; swap it in afterwards
            reader.session.close()
            reader.session = yahoo_session()
        url, params, raw_name = reader.url, reader.params, catalog.price_filename(remote_id, "json")
    else:  # pragma: no cover
        raise FetchError(f"unknown source {source!r}")
    shown = url + (f"?id={remote_id}" if source == "fred" else "")
    try:
        response = reader._get_response(url, params=params, headers=reader.headers)
        data = response.content
    except RemoteDataError as exc:
        raise FetchError(f"download of {source} {remote_id!r} failed after {retry_count + 1} attempts: {shown}: {_first_line(exc)}") from exc
    except requests.RequestException as exc:
        raise FetchError(f"download of {source} {remote_id!r} failed: {shown}: {exc}") from exc
    finally:
        if session is None:  # close only what we opened; an injected session stays usable
            reader.close()
    if not data:
        raise FetchError(f"download of {source} {remote_id!r} returned an empty body: {shown}")
    expected = response.headers.get("Content-Length")
    if expected is not None and expected.isdigit() and int(expected) != len(data):
        raise FetchError(
            f"download of {source} {remote_id!r} was truncated: {len(data)} of {expected} bytes: {shown}. Try again."
        )
    return Download(source, remote_id, shown, raw_name, data)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return " / ".join(t for t in text[:3] if t)


def read_yahoo_chart(data: bytes, source: str) -> pd.DataFrame:
    """Parse Yahoo chart-API JSON into the price-frame contract.

    Returns a frame with ``open, high, low, close, adj_close, volume`` indexed by the
    session date (exchange time zone). A bar for a session that had not closed when the
    data was served (the last bar, dated the day of ``regularMarketTime``, which is
    before that session's regular close) is dropped and counted in
    ``attrs["dropped_unclosed_rows"]``. Bars whose prices are all null are dropped
    (``attrs["dropped_null_rows"]``).
    """
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(source, f"not valid JSON from the Yahoo chart API ({exc}); the download may be truncated") from exc
    chart = doc.get("chart") if isinstance(doc, dict) else None
    if not isinstance(chart, dict):
        raise ParseError(source, "JSON has no 'chart' object; not a Yahoo chart-API response")
    if chart.get("error"):
        err = chart["error"]
        raise ParseError(source, f"Yahoo answered with an error: {err.get('code')}: {err.get('description')}")
    try:
        result = chart["result"][0]
        meta = result.get("meta", {})
        stamps = result["timestamp"]
        quote = result["indicators"]["quote"][0]
    except (KeyError, IndexError, TypeError) as exc:
        raise ParseError(source, f"Yahoo chart JSON lacks {exc}; no price bars in the response") from exc
    tz = zoneinfo.ZoneInfo(meta.get("exchangeTimezoneName") or "America/New_York")
    idx = pd.to_datetime(pd.Series(stamps, dtype="int64"), unit="s", utc=True).dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    frame = pd.DataFrame(
        {c: pd.to_numeric(pd.Series(quote.get(c, [None] * len(stamps))), errors="coerce") for c in ("open", "high", "low", "close", "volume")}
    )
    adj = result["indicators"].get("adjclose")
    if adj:
        frame["adj_close"] = pd.to_numeric(pd.Series(adj[0].get("adjclose")), errors="coerce")
    frame.index = pd.DatetimeIndex(idx, name="date")
    price_cols = [c for c in ("open", "high", "low", "close", "adj_close") if c in frame]
    null = frame[price_cols].isna().all(axis=1)
    frame = frame.loc[~null]
    dropped_unclosed = 0
    mt, period = meta.get("regularMarketTime"), (meta.get("currentTradingPeriod") or {}).get("regular") or {}
    if mt is not None and period.get("end") is not None and len(frame):
        last_trade = pd.Timestamp(mt, unit="s", tz="UTC").tz_convert(tz)
        if frame.index[-1] == last_trade.tz_localize(None).normalize() and mt < period["end"]:
            frame = frame.iloc[:-1]
            dropped_unclosed = 1
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()][0].date()
        raise ParseError(source, f"two bars for the same session {dup}")
    if (frame[price_cols] <= 0).any().any():
        raise ParseError(source, "non-positive price in the Yahoo response")
    frame = frame[[c for c in ("open", "high", "low", "close", "adj_close", "volume") if c in frame]].astype("float64")
    frame.attrs["dropped_null_rows"] = int(null.sum())
    frame.attrs["dropped_unclosed_rows"] = dropped_unclosed
    return frame
