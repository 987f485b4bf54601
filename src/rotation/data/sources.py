"""Live sources: small reader objects that download one original file each.

* FRED: ``fredgraph.csv?id=<SERIES>`` (the URL of :class:`pandas_datareader.fred.FredReader`).
* Ken French: ``<dataset>_CSV.zip`` (the URL of :class:`pandas_datareader.famafrench.FamaFrenchReader`).
* Prices: :class:`YahooChartReader`, Yahoo Finance's chart API (the JSON endpoint the
  ``yfinance`` package uses), with split/dividend-adjusted closes, over a ``curl_cffi``
  session (:func:`yahoo_session`). pandas-datareader 0.11 no longer ships a Yahoo reader.

The readers only build a URL and its query: every request goes through one retry
loop, :func:`get`, with an explicit :class:`RetryPolicy` (attempts, pause, backoff,
connect and read timeouts), for ``requests`` and ``curl_cffi`` sessions alike. We
keep the original file, and parse it with our own parsers (pandas-datareader's
Fama-French parser breaks on the 2025 layout, its issue 1007). Every reader asks
for the full history (an explicit ``start``; pandas-datareader's default is five
years ago), and a failure raises :class:`rotation.errors.FetchError` naming the URL
and the cause.

A :class:`Network` shared by the requests of one fetch counts the attempts in a
row that got no HTTP answer at all: the connection failed (DNS, refused, connect
timeout) or it was accepted and nothing came back in time (a TLS handshake or a
response that never arrives: a dead proxy, a firewall or a captive portal that
accepts and never answers). After ``Network.max_connection_failures`` of them, or
once the fetch's time budget is spent, :class:`NoNetworkError` stops the whole
fetch with one message instead of trying every file. An HTTP answer of any status
resets the count.

Timeouts (:class:`RetryPolicy`): 10 s to connect (TCP, TLS and proxy handshakes)
and 10 s of silence while waiting for the answer or reading it. A server that
answers at all sends its first bytes within a second or two (FRED builds its CSV
on the fly in well under 10 s, Ken French and Yahoo serve at once), so 10 s is
several times what a working server needs, and a network that never answers is
given up after 3 x 10 s plus the retry pauses (about 32 s) instead of trying
every file. ``rotation data fetch --timeout`` raises it for a slow link (a
``curl_cffi`` session, Yahoo's, bounds a whole request by connect + read timeout).
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
from pandas_datareader.famafrench import FamaFrenchReader
from pandas_datareader.fred import FredReader

from rotation.data import catalog
from rotation.data.parsers.common import encoding_note
from rotation.errors import FetchError, ParseError

__all__ = ["Download", "download", "get", "RetryPolicy", "Network", "NoNetworkError", "YahooChartReader",
           "yahoo_session", "read_yahoo_chart", "HISTORY_START", "USER_AGENT", "CONNECT_TIMEOUT", "READ_TIMEOUT"]

#: Every reader asks for the full history from this date.
HISTORY_START = dt.datetime(1900, 1, 1)
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) rotation-research/0.1 (+pandas-datareader)"
#: Seconds to wait for a server: to connect, and of silence while waiting for or reading its answer.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 10.0
#: HTTP statuses worth another attempt (rate limit, server trouble).
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class NoNetworkError(FetchError):
    """The network is unreachable (several attempts in a row got no answer, or the fetch's time is up)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How one file's download is retried.

    Attributes
    ----------
    retries : int
        Attempts after the first.
    pause : float
        Seconds before the first retry; multiplied by ``backoff`` after each.
    backoff : float
        Pause multiplier (2: 0.5 s, 1 s, 2 s ...).
    timeout : float
        Seconds of silence allowed while waiting for the server's answer or reading it (read timeout).
    connect_timeout : float
        Seconds to wait for a connection, TLS and proxy handshakes included (at most ``timeout``).
    """

    retries: int = 3
    pause: float = 0.5
    backoff: float = 2.0
    timeout: float = READ_TIMEOUT
    connect_timeout: float = CONNECT_TIMEOUT

    @property
    def timeouts(self) -> tuple[float, float]:
        """``(connect, read)`` seconds, the form both ``requests`` and ``curl_cffi`` accept."""
        return (min(self.connect_timeout, self.timeout), self.timeout)

    def timeouts_within(self, left: float | None) -> tuple[float, float]:
        """:attr:`timeouts`, each cut to the ``left`` seconds of the fetch's time budget (None: no budget)."""
        if left is None:
            return self.timeouts
        connect, read = self.timeouts
        left = max(left, 0.1)
        return (min(connect, left), min(read, left))


class Network:
    """State shared by the requests of one fetch: attempts in a row without an answer, and a deadline.

    Parameters
    ----------
    max_connection_failures : int
        Attempts in a row (any file) that got no HTTP answer -- the connection failed, or the server
        accepted it and sent nothing before the timeout -- after which the fetch stops.
    max_seconds : float or None
        Time budget of the whole fetch (wall clock); None for no bound.
    """

    def __init__(self, max_connection_failures: int = 3, max_seconds: float | None = 900.0) -> None:
        self.max_connection_failures = max_connection_failures
        self.max_seconds = max_seconds
        self.started = time.monotonic()
        self.consecutive = 0
        self.last_error = ""

    def remaining(self) -> float | None:
        if self.max_seconds is None:
            return None
        return self.max_seconds - (time.monotonic() - self.started)

    def check(self) -> None:
        """Raise :class:`NoNetworkError` when the network looks down or the time is up."""
        if self.consecutive >= self.max_connection_failures:
            raise NoNetworkError(
                f"no network: {self.consecutive} attempts in a row got no answer (last: {self.last_error}); "
                "the network is down, or something on the way (a proxy, a firewall, a captive portal) accepts "
                f"connections and never answers. Fix: {_OFFLINE_HINT}; if the servers are only slow, raise --timeout"
            )
        left = self.remaining()
        if left is not None and left <= 0:
            raise NoNetworkError(
                f"no network: the fetch used its {self.max_seconds:.0f} s time limit (last error: "
                f"{self.last_error or 'none'}). Fix: {_OFFLINE_HINT}; or raise --max-time"
            )

    def no_answer(self, reason: str) -> None:
        """An attempt got no HTTP answer (connection failed, or nothing came back in time)."""
        self.consecutive += 1
        self.last_error = reason

    def answered(self) -> None:
        self.consecutive = 0


_OFFLINE_HINT = ("work with the store as it is with `--offline` (or ROTATION_OFFLINE=1), or import files downloaded "
                 "elsewhere with `rotation data import DIR`")


def get(
    session: Any,
    url: str,
    *,
    params: Any = None,
    headers: Any = None,
    policy: RetryPolicy = RetryPolicy(),
    network: Network | None = None,
    what: str = "",
) -> Any:
    """GET ``url`` with ``policy``'s retries; return the HTTP 200 response.

    ``session`` is a ``requests.Session``, a ``curl_cffi`` session, or anything with the
    same ``get(url, params=, headers=, timeout=)``. Network errors and the statuses in
    :data:`RETRY_STATUSES` are retried with a growing pause; 404 and other statuses are not.
    Every attempt that gets no HTTP answer (connection failed, or nothing came back before
    the timeout) counts toward ``network``'s limit; any answer resets it. The timeouts are
    cut to what is left of the fetch's time budget.

    Raises
    ------
    FetchError
        After the last attempt, naming the URL, the attempts and the cause.
    NoNetworkError
        When ``network`` says the network is down or the fetch's time is up.
    """
    network = network or Network(max_seconds=None)
    pause = policy.pause
    last = ""
    attempts = 0
    for attempt in range(policy.retries + 1):
        network.check()
        attempts += 1
        try:
            response = session.get(url, params=params, headers=headers,
                                    timeout=policy.timeouts_within(network.remaining()))
        except (requests.RequestException, OSError) as exc:
            last = f"{type(exc).__name__}: {exc}"  # no HTTP answer: refused, DNS, TLS, timeouts all count
            network.no_answer(last)
        else:
            network.answered()
            if response.status_code == 200:
                return response
            last = f"HTTP {response.status_code}"
            if response.status_code == 429:
                last += (" Too Many Requests: the server is rate-limiting this address; wait a few minutes and "
                         "retry, or import files you downloaded (`rotation data import DIR`)")
            elif response.status_code == 404:
                last += f" Not Found: is {what or url!r} the right name?"
                break
            elif response.status_code not in RETRY_STATUSES:
                break
        if attempt < policy.retries:
            network.check()
            left = network.remaining()
            time.sleep(pause if left is None else max(0.0, min(pause, left)))
            pause *= policy.backoff
    network.check()
    raise FetchError(f"failed after {attempts} attempts: {url}: {last}")


@dataclass(frozen=True)
class Download:
    """One downloaded original file."""

    source: str
    remote_id: str
    url: str
    raw_name: str
    data: bytes


class YahooChartReader:
    """Daily bars for one Yahoo Finance symbol from the chart API, as raw JSON bytes.

    Parameters
    ----------
    symbols : str
        One Yahoo symbol (``"IWM"``, ``"^RUT"``).
    start, end : datetime-like
        First and last day asked for (``end`` inclusive).
    retry_count, pause, timeout : optional
        The :class:`RetryPolicy` (retries, first pause, read timeout).
    session : optional
        A ``requests`` or ``curl_cffi`` session; default :func:`yahoo_session`, closed by :meth:`close`.
    """

    def __init__(self, symbols: str, start: Any = HISTORY_START, end: Any = None, *, retry_count: int = 3,
                 pause: float = 0.5, timeout: float = READ_TIMEOUT, session: Any = None) -> None:
        self.symbols = symbols
        self.start = pd.Timestamp(start)
        self.end = pd.Timestamp(end if end is not None else dt.datetime.now())
        self.policy = RetryPolicy(retries=retry_count, pause=pause, timeout=timeout)
        self._own = session is None
        self.session = yahoo_session() if session is None else session
        # curl_cffi sends the headers of the browser it impersonates; a custom User-Agent would give it away
        self.headers = None if self._own else {"User-Agent": USER_AGENT}

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

    def fetch(self, network: Network | None = None) -> Any:
        """The HTTP response (status 200) of the chart request, after the policy's retries."""
        return get(self.session, self.url, params=self.params, headers=self.headers, policy=self.policy,
                   network=network, what=f"{self.symbols} (a Yahoo symbol)")

    def close(self) -> None:
        """Close the session if this reader opened it."""
        if self._own:
            self.session.close()


def yahoo_session(timeout: float = READ_TIMEOUT) -> Any:
    """The default session for Yahoo: ``curl_cffi`` impersonating Chrome, with a default timeout.

    Since 2025 Yahoo answers plain ``requests`` clients with HTTP 429 (the reason the
    ``yfinance`` package moved to ``curl_cffi``). Retries are not left to the session:
    :func:`get` applies one explicit :class:`RetryPolicy` to every source. Falls back to a
    ``requests`` session with a browser User-Agent if ``curl_cffi`` is not installed.
    """
    try:
        from curl_cffi import requests as curl_requests
    except ImportError:  # pragma: no cover - curl_cffi is a declared dependency
        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        return session
    return curl_requests.Session(impersonate="chrome", timeout=timeout)


def download(
    source: str,
    remote_id: str,
    *,
    session: requests.Session | None = None,
    timeout: float = READ_TIMEOUT,
    retry_count: int = 3,
    pause: float = 0.5,
    network: Network | None = None,
    today: pd.Timestamp | None = None,
) -> Download:
    """Download one remote file's original bytes.

    Parameters
    ----------
    source : {"famafrench", "fred", "prices"}
    remote_id : str
        Ken French dataset name, FRED series id or Yahoo ticker.
    session : requests.Session, optional
        Injected session (caching, proxies, tests); default: a ``requests`` session for
        FRED and Ken French, :func:`yahoo_session` for Yahoo.
    timeout : float
        Seconds of silence allowed while waiting for or reading an answer (read timeout; connecting gets
        at most :data:`CONNECT_TIMEOUT`).
    retry_count : int
        Retries after the first attempt; the pause doubles after each.
    pause : float
        Seconds before the first retry.
    network : Network, optional
        Shared by the downloads of one fetch (gives up when the network is down).
    today : Timestamp, optional
        FRED-MD monthly vintages are asked for up to this month (default: this computer's date).

    Raises
    ------
    FetchError
        After the retries, naming the URL and the cause.
    NoNetworkError
        The network is down or the fetch's time is up.
    """
    catalog.remote_file(source, remote_id)
    if source in ("fredmd", "rtdsm"):
        policy = RetryPolicy(retries=retry_count, pause=pause, timeout=timeout)
        return _download_vintages(source, remote_id, session, policy, network, today or pd.Timestamp.now())
    kw = dict(start=HISTORY_START, end=dt.datetime.now(), retry_count=retry_count, pause=pause, timeout=timeout,
              session=session)
    policy = RetryPolicy(retries=retry_count, pause=pause, timeout=timeout)
    headers: dict[str, str] | None = {"User-Agent": USER_AGENT}
    if source == "fred":
        url, params, raw_name = FredReader(remote_id, **kw).url, {"id": remote_id}, f"{remote_id}.csv"
    elif source == "famafrench":
        url, params, raw_name = FamaFrenchReader(remote_id, **kw).url, None, f"{remote_id}_CSV.zip"
    elif source == "prices":
        reader = YahooChartReader(remote_id, **kw)
        url, params, raw_name = reader.url, reader.params, catalog.price_filename(remote_id, "json")
    else:  # pragma: no cover
        raise FetchError(f"unknown source {source!r}")
    shown = url + (f"?id={remote_id}" if source == "fred" else "")
    try:
        if source == "prices":
            response = reader.fetch(network)
        else:
            own = session or requests.Session()
            try:
                response = get(own, url, params=params, headers=headers, policy=policy, network=network,
                               what=f"{remote_id} (a {source} name)")
            finally:
                if session is None:
                    own.close()
        data = response.content
    except NoNetworkError:
        raise
    except FetchError as exc:
        raise FetchError(f"download of {source} {remote_id!r} {str(exc).replace(url, shown, 1)}") from exc
    except (requests.RequestException, OSError) as exc:
        raise FetchError(f"download of {source} {remote_id!r} failed: {shown}: {exc}") from exc
    finally:
        if source == "prices":
            reader.close()
    if not data:
        raise FetchError(f"download of {source} {remote_id!r} returned an empty body: {shown}")
    expected = response.headers.get("Content-Length")
    if expected is not None and expected.isdigit() and int(expected) != len(data):
        raise FetchError(
            f"download of {source} {remote_id!r} was truncated: {len(data)} of {expected} bytes: {shown}. Try again."
        )
    return Download(source, remote_id, shown, raw_name, data)


def _download_vintages(source: str, remote_id: str, session: Any, policy: RetryPolicy, network: Network | None,
                       today: pd.Timestamp) -> Download:
    """A real-time file (:mod:`rotation.data.vintage_sources`) through :func:`get`."""
    from rotation.data.vintage_sources import download_vintages

    own = session or requests.Session()

    def fetch_one(url: str, what: str) -> bytes:
        try:
            response = get(own, url, headers={"User-Agent": USER_AGENT}, policy=policy, network=network, what=what)
        except NoNetworkError:
            raise
        except FetchError as exc:
            raise FetchError(f"download of {source} {remote_id!r} {exc}") from exc
        if not response.content:
            raise FetchError(f"download of {source} {remote_id!r} returned an empty body: {url}")
        return response.content

    try:
        url, raw_name, data = download_vintages(source, remote_id, fetch_one, today)
    finally:
        if session is None:
            own.close()
    return Download(source, remote_id, url, raw_name, data)


def read_yahoo_chart(data: bytes, source: str) -> pd.DataFrame:
    """Parse Yahoo chart-API JSON into the price-frame contract.

    Returns a frame with ``open, high, low, close, adj_close, volume`` indexed by the
    session date (exchange time zone). A bar for a session that had not closed when the
    data was served (the last bar, dated the day of ``regularMarketTime``, which is
    before that session's regular close) is dropped and counted in
    ``attrs["dropped_unclosed_rows"]``. Bars whose prices are all null are dropped
    (``attrs["dropped_null_rows"]``).
    """
    note = encoding_note(data)
    if note is not None:
        raise ParseError(source, f"not Yahoo chart-API JSON, which is UTF-8. {note}")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(source, f"not valid JSON from the Yahoo chart API ({exc}); the download may be "
                                 "truncated. Fix: download it again") from exc
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
    idx = (pd.to_datetime(pd.Series(stamps, dtype="int64"), unit="s", utc=True)
           .dt.tz_convert(tz).dt.tz_localize(None).dt.normalize())
    frame = pd.DataFrame(
        {c: pd.to_numeric(pd.Series(quote.get(c, [None] * len(stamps))), errors="coerce")
         for c in ("open", "high", "low", "close", "volume")}
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
