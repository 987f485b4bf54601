"""Live fetch (``rotation data fetch``) with the HTTP layer mocked by ``responses``.

The mocked servers answer with the REAL files of the snapshot (``ROTATION_RAW_DIR``);
the Yahoo chart-API JSON is built from ``prices/IWM.csv``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import requests
import responses

from rotation.data import sources
from rotation.data.api import load
from rotation.data.ingest import fetch, import_paths
from rotation.data.store import Store
from rotation.errors import OfflineError

FRED_URL = re.compile(r"https://fred\.stlouisfed\.org/graph/fredgraph\.csv\?id=DGS10$")
FF_URL = re.compile(r"https?://mba\.tuck\.dartmouth\.edu/pages/faculty/ken\.french/ftp/F-F_Research_Data_Factors_CSV\.zip$")
YAHOO_URL = re.compile(r"https://query1\.finance\.yahoo\.com/v8/finance/chart/IWM(\?.*)?$")
URLS = {"DGS10": FRED_URL, "F-F_Research_Data_Factors": FF_URL, "IWM": YAHOO_URL}
REMOTES = {"DGS10": "fred/DGS10", "F-F_Research_Data_Factors": "famafrench/F-F_Research_Data_Factors",
           "IWM": "prices/IWM"}
TZ = "America/New_York"
HTML = (b"<!DOCTYPE html>\n<html><head><title>Error</title></head>\n"
        b"<body><p>The server is temporarily unable to service your request.</p></body></html>\n")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as ``{relative posix path: bytes}``."""
    root = Path(root)
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _epoch(ts: pd.Timestamp) -> int:
    return int(ts.timestamp())


def yahoo_chart(raw_dir: Path, market_time: str = "13:14") -> bytes:
    """A Yahoo chart-API response holding prices/IWM.csv, served on its last day at ``market_time`` ET."""
    px = pd.read_csv(raw_dir / "prices/IWM.csv", parse_dates=["Date"], index_col="Date")
    assert not px.isna().any().any()
    opens = (px.index + pd.Timedelta(hours=9, minutes=30)).tz_localize(TZ)
    stamps = [_epoch(t) for t in opens]
    last = px.index[-1]
    hh, mm = (int(x) for x in market_time.split(":"))

    def at(h: int, m: int) -> int:
        return _epoch((last + pd.Timedelta(hours=h, minutes=m)).tz_localize(TZ))

    doc = {
        "chart": {
            "result": [
                {
                    "meta": {
                        "currency": "USD",
                        "symbol": "IWM",
                        "exchangeTimezoneName": TZ,
                        "regularMarketTime": at(hh, mm),
                        "currentTradingPeriod": {
                            "regular": {"timezone": "EDT", "start": at(9, 30), "end": at(16, 0), "gmtoffset": -14400},
                        },
                    },
                    "timestamp": stamps,
                    "indicators": {
                        "quote": [
                            {
                                "open": px["Open"].tolist(),
                                "high": px["High"].tolist(),
                                "low": px["Low"].tolist(),
                                "close": px["Close"].tolist(),
                                "volume": [None] * len(px),
                            }
                        ],
                        "adjclose": [{"adjclose": px["Close"].tolist()}],
                    },
                }
            ],
            "error": None,
        }
    }
    return json.dumps(doc).encode()


_REAL_YAHOO_SESSION = sources.yahoo_session


def _requests_session_for_yahoo():
    """`responses` intercepts `requests` only, so the mocked Yahoo endpoint gets a requests session."""
    import requests

    session = requests.Session()
    session.headers["User-Agent"] = sources.USER_AGENT
    return session


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_DATA_DIR", str(tmp_path / "default_store"))
    monkeypatch.delenv("ROTATION_OFFLINE", raising=False)
    monkeypatch.setattr(sources, "yahoo_session", _requests_session_for_yahoo)


@pytest.fixture(scope="module")
def bodies(raw_dir) -> dict[str, bytes]:
    return {
        "DGS10": (raw_dir / "fred/DGS10.csv").read_bytes(),
        "F-F_Research_Data_Factors": (raw_dir / "famafrench/F-F_Research_Data_Factors_CSV.zip").read_bytes(),
        "IWM": yahoo_chart(raw_dir),
    }


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        yield rs


def serve(rs: responses.RequestsMock, bodies: dict[str, bytes], **overrides) -> dict[str, responses.BaseResponse]:
    """Register every remote file: the real body, or ``overrides[remote_id]`` (kwargs of ``rs.add``)."""
    out = {}
    for rid, url in URLS.items():
        kwargs = overrides.get(rid, {"body": bodies[rid], "status": 200})
        out[rid] = rs.add(responses.GET, url, **kwargs)
    return out


def run_fetch(store: Store, keys=("DGS10", "F-F_Research_Data_Factors", "IWM"), **kw):
    kw.setdefault("retry_count", 1)
    return fetch(list(keys), store=store, pause=0, progress=False, **kw)


def rows_by_remote(report) -> dict[str, object]:
    return {r.remote: r for r in report.rows}


@pytest.fixture
def fetched(tmp_path, bodies, mock) -> Store:
    """A store filled by a successful fetch of the three files."""
    store = Store(tmp_path / "store")
    serve(mock, bodies)
    report = run_fetch(store)
    assert report.ok, report.to_frame().to_string()
    assert {r.status for r in report.rows} == {"added"}
    mock.reset()
    return store


# --------------------------------------------------------------------------- success
def test_fetch_keeps_raw_bytes_and_matches_import(fetched, bodies, raw_dir, tmp_path):
    m = fetched.manifest()["remote_files"]
    for rid, remote in REMOTES.items():
        rf = m[remote]
        assert (fetched.root / rf["path"]).read_bytes() == bodies[rid], remote
        assert rf["acquired_by"] == "fetch"
        assert rf["origin"].startswith("http")
    assert re.fullmatch(r"raw/fred/[0-9a-f]{16}/DGS10\.csv", m["fred/DGS10"]["path"])
    assert re.fullmatch(r"raw/famafrench/[0-9a-f]{16}/F-F_Research_Data_Factors_CSV\.zip",
                        m["famafrench/F-F_Research_Data_Factors"]["path"])
    assert re.fullmatch(r"raw/prices/[0-9a-f]{16}/IWM\.json", m["prices/IWM"]["path"])
    assert m["fred/DGS10"]["origin"] == "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10"

    imported = Store(tmp_path / "imported")
    report = import_paths(
        [raw_dir / "fred/DGS10.csv", raw_dir / "famafrench/F-F_Research_Data_Factors_CSV.zip",
         raw_dir / "prices/IWM.csv"],
        store=imported, end={"IWM": "2026-07-10"},
    )
    assert report.ok
    for key in ("DGS10", "ff3_monthly", "ff3_annual"):
        got, want = fetched.read(key), imported.read(key)
        if isinstance(got, pd.Series):
            pd.testing.assert_series_equal(got, want)
        else:
            pd.testing.assert_frame_equal(got, want)
    cols = ["open", "high", "low", "close", "adj_close"]
    pd.testing.assert_frame_equal(fetched.read("IWM")[cols], imported.read("IWM")[cols])
    assert fetched.read("IWM")["volume"].isna().all()
    assert fetched.verify() == []


@pytest.mark.parametrize(
    ("market_time", "last_stored", "dropped"),
    [
        pytest.param("13:14", "2026-07-10", True, id="intraday-last-bar-dropped"),
        pytest.param("16:00", "2026-07-13", False, id="after-close-last-bar-kept"),
        pytest.param("18:30", "2026-07-13", False, id="evening-last-bar-kept"),
    ],
)
def test_unclosed_last_bar_is_not_stored(tmp_path, bodies, raw_dir, mock, market_time, last_stored, dropped):
    store = Store(tmp_path / "store")
    serve(mock, bodies, IWM={"body": yahoo_chart(raw_dir, market_time), "status": 200})
    report = run_fetch(store, ["IWM"])
    (row,) = report.rows
    assert row.status == "added"
    iwm = store.read("IWM")
    assert iwm.index[-1] == pd.Timestamp(last_stored)
    assert store.manifest()["datasets"]["IWM"]["last"] == last_stored
    assert store.manifest()["remote_files"]["prices/IWM"]["meta"]["dropped_unclosed_rows"] == int(dropped)
    assert ("had not closed" in row.detail) is dropped
    raw = pd.read_csv(raw_dir / "prices/IWM.csv", parse_dates=["Date"], index_col="Date")
    assert len(iwm) == len(raw) - int(dropped)


def test_second_fetch_of_same_body_is_unchanged(fetched, bodies, mock):
    before = snapshot(fetched.root)
    serve(mock, bodies)
    report = run_fetch(fetched)
    assert report.ok
    assert {r.status for r in report.rows} == {"unchanged"}
    assert snapshot(fetched.root) == before


def test_fetch_of_new_body_is_updated(fetched, bodies, mock):
    lines = bodies["DGS10"].split(b"\n")
    shorter = b"\n".join(lines[:-50]) + b"\n"  # an older vintage
    serve(mock, bodies, DGS10={"body": shorter, "status": 200})
    report = run_fetch(fetched, ["DGS10"])
    assert [r.status for r in report.rows] == ["updated"]
    assert (fetched.root / fetched.manifest()["remote_files"]["fred/DGS10"]["path"]).read_bytes() == shorter
    assert fetched.verify() == []


def test_fetch_by_dataset_key(tmp_path, bodies, mock):
    calls = serve(mock, bodies)
    report = run_fetch(Store(tmp_path / "store"), ["ff3_monthly", "ff3_annual"])
    assert [(r.remote, r.status) for r in report.rows] == [("famafrench/F-F_Research_Data_Factors", "added")]
    assert calls["F-F_Research_Data_Factors"].call_count == 1
    assert calls["DGS10"].call_count == 0


# --------------------------------------------------------------------------- failures
def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


FAILURES = [
    pytest.param("DGS10", lambda b: {"body": requests.exceptions.ConnectTimeout("simulated: connect timed out")},
                 r"fred 'DGS10' failed after 2 attempts: "
                 r"https://fred\.stlouisfed\.org/graph/fredgraph\.csv\?id=DGS10.*timed out",
                 id="fred-connect-timeout"),
    pytest.param("F-F_Research_Data_Factors", lambda b: {"body": "Internal Server Error", "status": 500},
                 r"failed after 2 attempts: https?://mba\.tuck\.dartmouth\.edu/.*F-F_Research_Data_Factors_CSV\.zip",
                 id="ff-http-500"),
    pytest.param("IWM", lambda b: {"body": '{"finance":{"error":"busy"}}', "status": 503},
                 r"prices 'IWM' failed after 2 attempts: https://query1\.finance\.yahoo\.com/v8/finance/chart/IWM",
                 id="yahoo-http-503"),
    pytest.param("F-F_Research_Data_Factors", lambda b: {"body": _half(b["F-F_Research_Data_Factors"]), "status": 200},
                 r"F-F_Research_Data_Factors_CSV\.zip.*zip",
                 id="ff-truncated-zip"),
    pytest.param("DGS10", lambda b: {"body": _half(b["DGS10"]), "status": 200},
                 r"fredgraph\.csv\?id=DGS10 \(line \d+\): row has 1 cells.*truncated",
                 id="fred-cut-mid-line"),
    pytest.param("DGS10", lambda b: {"body": _half(b["DGS10"]), "status": 200,
                                     "headers": {"Content-Length": str(len(b["DGS10"]))}},
                 r"fredgraph\.csv\?id=DGS10.*(IncompleteRead|truncated)",
                 id="fred-content-length-larger-than-body"),
    pytest.param("IWM", lambda b: {"body": _half(b["IWM"]), "status": 200},
                 r"chart/IWM.*not valid JSON.*truncated",
                 id="yahoo-truncated-json"),
    pytest.param("DGS10", lambda b: {"body": HTML, "status": 200, "content_type": "text/html"},
                 r"fredgraph\.csv\?id=DGS10.*HTML page",
                 id="fred-html-200"),
    pytest.param("F-F_Research_Data_Factors", lambda b: {"body": HTML, "status": 200, "content_type": "text/html"},
                 r"F-F_Research_Data_Factors_CSV\.zip.*HTML",
                 id="ff-html-200"),
    pytest.param("IWM", lambda b: {"body": HTML, "status": 200, "content_type": "text/html"},
                 r"chart/IWM.*HTML page",
                 id="yahoo-html-200"),
    pytest.param("IWM", lambda b: {"json": {"chart": {"result": None, "error": {
                                       "code": "Not Found", "description": "No data found, symbol may be delisted"}}},
                                   "status": 200},
                 r"chart/IWM.*Yahoo answered with an error: Not Found",
                 id="yahoo-error-json"),
    pytest.param("DGS10", lambda b: {"body": b"", "status": 200},
                 r"empty body: https://fred\.stlouisfed\.org/graph/fredgraph\.csv\?id=DGS10",
                 id="fred-empty-body"),
]


@pytest.mark.parametrize(("target", "override", "pattern"), FAILURES)
def test_failed_download_leaves_store_unchanged(fetched, bodies, mock, target, override, pattern):
    before = snapshot(fetched.root)
    calls = serve(mock, bodies, **{target: override(bodies)})
    report = run_fetch(fetched)

    rows = rows_by_remote(report)
    assert not report.ok
    bad = rows[REMOTES[target]]
    assert bad.status == "failed"
    assert re.search(pattern, bad.detail, re.S), bad.detail
    assert [r.remote for r in report.failed] == [REMOTES[target]]
    for rid, remote in REMOTES.items():
        if rid != target:
            assert rows[remote].status == "unchanged", rows[remote]
            assert calls[rid].call_count == 1
    assert snapshot(fetched.root) == before
    assert fetched.verify() == []


def test_failure_on_empty_store_writes_nothing(tmp_path, bodies, mock):
    store = Store(tmp_path / "store")
    serve(mock, bodies, DGS10={"body": HTML, "status": 200})
    report = run_fetch(store, ["DGS10"])
    assert [r.status for r in report.rows] == ["failed"]
    assert snapshot(store.root) == {}


def test_every_attempt_is_made_on_http_500(tmp_path, bodies, mock):
    calls = serve(mock, bodies, DGS10={"body": "oops", "status": 500})
    report = run_fetch(Store(tmp_path / "store"), ["DGS10"], retry_count=2)
    assert report.failed and "after 3 attempts" in report.failed[0].detail
    assert calls["DGS10"].call_count == 3


def test_retry_after_500_succeeds(tmp_path, bodies, mock):
    first = mock.add(responses.GET, FRED_URL, body="Internal Server Error", status=500)
    second = mock.add(responses.GET, FRED_URL, body=bodies["DGS10"], status=200)
    store = Store(tmp_path / "store")
    report = run_fetch(store, ["DGS10"], retry_count=1)
    assert [r.status for r in report.rows] == ["added"]
    assert first.call_count == 1 and second.call_count == 1
    assert len(mock.calls) == 2
    assert (store.root / store.manifest()["remote_files"]["fred/DGS10"]["path"]).read_bytes() == bodies["DGS10"]


def test_retry_after_timeout_succeeds(tmp_path, bodies, mock):
    mock.add(responses.GET, FRED_URL, body=requests.exceptions.ReadTimeout("simulated read timeout"))
    mock.add(responses.GET, FRED_URL, body=bodies["DGS10"], status=200)
    report = run_fetch(Store(tmp_path / "store"), ["DGS10"], retry_count=1)
    assert [r.status for r in report.rows] == ["added"]
    assert len(mock.calls) == 2


def test_no_retry_when_retry_count_zero(tmp_path, bodies, mock):
    mock.add(responses.GET, FRED_URL, body="Internal Server Error", status=500)
    mock.add(responses.GET, FRED_URL, body=bodies["DGS10"], status=200)
    report = run_fetch(Store(tmp_path / "store"), ["DGS10"], retry_count=0)
    assert [r.status for r in report.rows] == ["failed"]
    assert "after 1 attempts" in report.rows[0].detail
    assert len(mock.calls) == 1


def test_requests_carry_user_agent_and_params(tmp_path, bodies, mock):
    serve(mock, bodies)
    run_fetch(Store(tmp_path / "store"), ["DGS10", "IWM"])
    assert len(mock.calls) == 2
    for call in mock.calls:
        assert "rotation" in call.request.headers["User-Agent"]
    yahoo = next(c.request for c in mock.calls if "yahoo" in c.request.url)
    assert "interval=1d" in yahoo.url
    assert "includeAdjustedClose=true" in yahoo.url
    period1 = int(re.search(r"period1=(-?\d+)", yahoo.url).group(1))
    assert period1 < _epoch(pd.Timestamp("1950-01-01", tz="UTC"))


# --------------------------------------------------------------------------- readers get an explicit start
@pytest.mark.parametrize(
    ("reader", "key"),
    [
        pytest.param(sources.FredReader, "DGS10", id="FredReader"),
        pytest.param(sources.FamaFrenchReader, "F-F_Research_Data_Factors", id="FamaFrenchReader"),
        pytest.param(sources.YahooChartReader, "IWM", id="YahooChartReader"),
    ],
)
def test_readers_get_an_explicit_start(tmp_path, bodies, mock, monkeypatch, reader, key):
    seen: list[dict] = []
    original = reader.__init__

    def recording_init(self, *args, **kwargs):
        seen.append(kwargs)
        original(self, *args, **kwargs)

    monkeypatch.setattr(reader, "__init__", recording_init)
    serve(mock, bodies)
    report = run_fetch(Store(tmp_path / "store"), [key], timeout=7.5)
    assert report.ok, report.rows
    (kw,) = seen
    assert kw["start"] is not None
    assert pd.Timestamp(kw["start"]) <= pd.Timestamp("1926-01-01")
    assert kw["end"] is not None and pd.Timestamp(kw["end"]).date() >= dt.date.today() - dt.timedelta(days=1)
    assert kw["timeout"] == 7.5
    assert kw["retry_count"] == 1


# --------------------------------------------------------------------------- offline
@pytest.mark.parametrize("value", ["1", "true", "YES", "on"])
def test_fetch_offline_raises(tmp_path, monkeypatch, mock, value):
    monkeypatch.setenv("ROTATION_OFFLINE", value)
    store = Store(tmp_path / "store")
    with pytest.raises(OfflineError, match=r"(?s)offline.*`rotation data fetch`.*`rotation data import"):
        run_fetch(store, ["DGS10"])
    assert len(mock.calls) == 0
    assert snapshot(store.root) == {}


def test_load_missing_dataset_offline_names_both_ways(tmp_path, monkeypatch, mock):
    monkeypatch.setenv("ROTATION_OFFLINE", "1")
    store = Store(tmp_path / "store")
    with pytest.raises(OfflineError, match=r"(?s)offline.*'DGS10' is not in the local store.*"
                                           r"`rotation data fetch DGS10`.*`rotation data import DIR`.*fred/DGS10\.csv"):
        load("DGS10", store=store)
    with pytest.raises(OfflineError, match=r"'\^RUT'.*rotation data fetch \^RUT.*prices/IDX_RUT\.csv"):
        load("^RUT", store=store)
    assert len(mock.calls) == 0


def test_load_missing_dataset_online_fetches_it(tmp_path, bodies, mock):
    serve(mock, bodies)
    store = Store(tmp_path / "store")
    s = load("DGS10", start="2020-01-01", end="2020-12-31", store=store)
    assert s.index.min() >= pd.Timestamp("2020-01-01") and s.index.max() <= pd.Timestamp("2020-12-31")
    assert len(mock.calls) == 1
    load("DGS10", store=store)
    assert len(mock.calls) == 1  # now in the store: no second download


# ---------------------------------------------------------------- Yahoo session and retries
def test_default_yahoo_session_impersonates_a_browser():
    from curl_cffi import requests as curl_requests

    session = _REAL_YAHOO_SESSION()
    try:
        assert isinstance(session, curl_requests.Session)
    finally:
        session.close()


class _FakeResponse:
    def __init__(self, status: int, body: bytes = b"{}"):
        self.status_code = status
        self.content = body
        self.headers = {}


class _FlakySession:
    """Answers (or raises) from a list, one item per request."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = 0
        self.timeouts = []

    def get(self, url, params=None, headers=None, timeout=None):
        self.calls += 1
        self.timeouts.append(timeout)
        a = self.answers.pop(0)
        if isinstance(a, Exception):
            raise a
        return a

    def close(self):
        pass


def _yahoo(symbol, sess, retry_count):
    from rotation.data.sources import YahooChartReader

    return YahooChartReader(symbol, start=pd.Timestamp("2000-01-01"), end=pd.Timestamp("2001-01-01"),
                            retry_count=retry_count, pause=0, timeout=12.0, session=sess)


def test_yahoo_reader_is_no_pandas_datareader_subclass():
    from pandas_datareader.base import _BaseReader

    from rotation.data.sources import YahooChartReader

    assert not issubclass(YahooChartReader, _BaseReader)


def test_yahoo_reader_retries_curl_errors_and_429():
    from curl_cffi.requests.exceptions import Timeout

    sess = _FlakySession([Timeout("timed out"), _FakeResponse(429), _FakeResponse(200, b"ok")])
    assert _yahoo("IWM", sess, 2).fetch().content == b"ok"
    assert sess.calls == 3
    assert sess.timeouts == [(10.0, 12.0)] * 3  # (connect, read) seconds on every request


def test_yahoo_reader_gives_up_with_the_reason():
    from rotation.errors import FetchError

    sess = _FlakySession([_FakeResponse(429), _FakeResponse(429)])
    with pytest.raises(FetchError, match=r"failed after 2 attempts.*HTTP 429 Too Many Requests.*"
                                         r"rotation data import DIR"):
        _yahoo("IWM", sess, 1).fetch()
    sess404 = _FlakySession([_FakeResponse(404)])
    with pytest.raises(FetchError, match="is 'NOPE \\(a Yahoo symbol\\)' the right name"):
        _yahoo("NOPE", sess404, 3).fetch()
    assert sess404.calls == 1


# --------------------------------------------------------------------------- no network
def test_fetch_gives_up_fast_without_a_network(tmp_path, mock):
    """DNS failures on every request: one 'no network' error after 3 attempts, not 4 tries x every file."""
    import time

    from rotation.data.sources import NoNetworkError

    for _rid, url in ((r"DGS10", r"https://fred\.stlouisfed\.org/.*"), ("ff", r"https?://mba\.tuck\.dartmouth\.edu/.*"),
                     ("yahoo", r"https://query1\.finance\.yahoo\.com/.*")):
        mock.add(responses.GET, re.compile(url),
                 body=requests.exceptions.ConnectionError("simulated: Failed to resolve host "
                                                          "(Name or service not known)"))
    store = Store(tmp_path / "store")
    t0 = time.monotonic()
    with pytest.raises(NoNetworkError, match=r"no network: 3 attempts in a row got no answer.*Failed to resolve.*"
                                             r"--offline.*ROTATION_OFFLINE=1.*`rotation data import DIR`"):
        fetch(None, store=store, pause=0.5, progress=False, retry_count=3)
    assert time.monotonic() - t0 < 30
    assert len(mock.calls) == 3
    assert snapshot(store.root) == {}


@pytest.mark.parametrize("error", [
    requests.exceptions.ConnectionError("Failed to resolve host"),
    requests.exceptions.ConnectTimeout("proxy never answered"),
    requests.exceptions.ReadTimeout("HTTPSConnectionPool(host='fred.stlouisfed.org', port=443): Read timed out."),
    requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead"),
    "curl-dns", "curl-connect-timeout", "curl-operation-timeout",
], ids=["dns", "connect-timeout", "read-timeout", "broken-body", "curl-dns", "curl-connect-timeout",
        "curl-operation-timeout"])
def test_every_attempt_without_an_answer_counts(error):
    """Connect and read failures alike count toward the 3 in a row that end a fetch (issue 26, row 9)."""
    from curl_cffi.requests import exceptions as cx

    from rotation.data.sources import Network, NoNetworkError, RetryPolicy, get

    curl = {"curl-dns": cx.DNSError("Could not resolve host: fred.stlouisfed.org"),
            "curl-connect-timeout": cx.Timeout("Connection timed out after 10001 milliseconds"),
            "curl-operation-timeout": cx.Timeout("Operation timed out after 20000 milliseconds with 0 bytes received")}
    error = curl.get(error, error)
    network = Network(max_connection_failures=3, max_seconds=None)
    sess = _FlakySession([error] * 10)
    with pytest.raises(NoNetworkError, match=r"3 attempts in a row got no answer"):
        get(sess, "https://example.invalid/x", policy=RetryPolicy(retries=9, pause=0), network=network)
    assert sess.calls == 3


def test_an_answer_resets_the_count():
    from rotation.data.sources import Network, RetryPolicy, get
    from rotation.errors import FetchError

    network = Network(max_connection_failures=3, max_seconds=None)
    timeout = requests.exceptions.ReadTimeout("Read timed out.")
    sess = _FlakySession([timeout, timeout, _FakeResponse(503), timeout, timeout, _FakeResponse(200, b"ok")])
    answer = get(sess, "https://example.invalid/x", policy=RetryPolicy(retries=5, pause=0), network=network)
    assert answer.content == b"ok"
    assert network.consecutive == 0
    sess = _FlakySession([timeout, timeout, _FakeResponse(404)])
    with pytest.raises(FetchError, match="HTTP 404"):
        get(sess, "https://example.invalid/x", policy=RetryPolicy(retries=5, pause=0), network=network)


def test_requests_never_wait_past_the_time_budget():
    from rotation.data.sources import Network, RetryPolicy, get

    sess = _FlakySession([_FakeResponse(200, b"ok")])
    get(sess, "https://example.invalid/x", policy=RetryPolicy(timeout=10.0), network=Network(max_seconds=2.0))
    connect, read = sess.timeouts[0]
    assert 0 < connect <= 2.0 and 0 < read <= 2.0
    assert RetryPolicy().timeouts == (10.0, 10.0)  # the defaults: see rotation.data.sources for why


def test_fetch_time_is_bounded(tmp_path, mock):
    from rotation.data.sources import NoNetworkError

    mock.add(responses.GET, re.compile(r"https?://.*"), body="busy", status=503)
    with pytest.raises(NoNetworkError, match=r"time limit"):
        fetch(None, store=Store(tmp_path / "store"), pause=0.2, progress=False, retry_count=50, max_seconds=1.0)


def test_cli_fetch_without_network_is_one_message(tmp_path, mock, capsys, monkeypatch):
    from rotation.cli import main

    mock.add(responses.GET, re.compile(r"https?://.*"),
             body=requests.exceptions.ConnectionError("simulated: connection refused"))
    monkeypatch.setattr(sources, "yahoo_session", _requests_session_for_yahoo)
    code = main(["--data-dir", str(tmp_path / "store"), "data", "fetch", "-q", "DGS10", "IWM"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: no network:") and "Traceback" not in err


# --------------------------------------------------------------------------- dates after today
def test_fetch_refuses_bars_dated_after_today(tmp_path, bodies, mock, monkeypatch):
    """A served file whose last observations are after today (ROTATION_TODAY) is refused; nothing is stored."""
    monkeypatch.setenv("ROTATION_TODAY", "2026-07-01")
    serve(mock, bodies)
    store = Store(tmp_path / "store")
    report = run_fetch(store, ["IWM", "DGS10"])
    rows = rows_by_remote(report)
    assert rows["prices/IWM"].status == "failed"
    assert re.match(r"https://query1\.finance\.yahoo\.com/v8/finance/chart/IWM\S*: the row dated 2026-07-\d\d is "
                    r"after today, 2026-07-01, so it cannot have been observed yet", rows["prices/IWM"].detail)
    assert re.match(r"https://fred\.stlouisfed\.org/graph/fredgraph\.csv\?id=DGS10 \(line \d+\): the row dated "
                    r"2026-07-02 is after today", rows["fred/DGS10"].detail)
    assert snapshot(store.root) == {}


# --------------------------------------------------------------------------- a network that never answers
class _NeverAnswers:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte (a dead proxy or portal)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.held.append(conn)  # kept open, never answered

    @property
    def connections(self) -> int:
        return len(self.held)


@contextlib.contextmanager
def never_answering_server() -> Iterator[_NeverAnswers]:
    srv = _NeverAnswers()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.stop.set()
        srv.thread.join(2)
        for conn in [*srv.held, srv.server]:
            conn.close()


_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def _through(env: dict[str, str], proxy: str) -> dict[str, str]:
    """``env`` with every request sent through ``proxy`` (and nothing exempt from it)."""
    out = {k: v for k, v in env.items() if k.lower() not in _PROXY_VARS}
    return {**out, "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy, "https_proxy": proxy}


def test_a_network_that_never_answers_ends_a_whole_fetch_in_well_under_a_minute(tmp_path):
    """Issue 26, row 9, as a user meets it: `rotation data fetch` (every dataset, default options) through a
    proxy that accepts connections and never answers ends in well under a minute with the offline hint."""
    store = tmp_path / "store"
    with never_answering_server() as srv:
        env = _through({k: v for k, v in os.environ.items() if k != "ROTATION_OFFLINE"}, srv.url)
        t0 = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "rotation.cli", "--data-dir", str(store), "data", "fetch", "-q"],
                              env=env, capture_output=True, text=True, timeout=300)
        elapsed = time.monotonic() - t0
        connections = srv.connections
    assert done.returncode == 1, done.stderr
    assert elapsed < 45, f"a dead network took {elapsed:.0f} s to give up"
    err = done.stderr
    assert err.startswith("error: no network: 3 attempts in a row got no answer"), err
    assert "Read timed out" in err and "Traceback" not in err
    assert "--offline" in err and "ROTATION_OFFLINE=1" in err and "rotation data import DIR" in err
    assert connections == 3  # one file's three attempts, not four attempts for each of the 65 files
    assert snapshot(store) == {}


def _resolve_to(port: int):
    """A ``socket.getaddrinfo`` that sends every host name to 127.0.0.1:``port`` (DNS pointing at a dead host)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, _port, *args, **kw):
        return real("127.0.0.1", port, *args, **kw)

    return getaddrinfo


@pytest.mark.parametrize(("key", "route"), [
    ("F-F_Research_Data_Factors", "proxy"),   # plain HTTP: the request is sent, the answer never comes
    ("DGS10", "proxy"),                       # HTTPS: the proxy never answers CONNECT
    ("IWM", "proxy"),                         # Yahoo over curl_cffi
    ("F-F_Research_Data_Factors", "direct"),  # the server itself accepts and never answers
    ("DGS10", "direct"),                      # ... and the TLS handshake never completes
])
def test_every_source_gives_up_on_a_server_that_never_answers(tmp_path, monkeypatch, key, route):
    store = Store(tmp_path / "store")
    monkeypatch.setattr(sources, "yahoo_session", _REAL_YAHOO_SESSION)
    for var in [v for v in os.environ if v.lower() in _PROXY_VARS]:
        monkeypatch.delenv(var)
    with never_answering_server() as srv:
        if route == "proxy":
            for var, value in _through({}, srv.url).items():
                monkeypatch.setenv(var, value)
        else:
            monkeypatch.setattr(socket, "getaddrinfo", _resolve_to(srv.port))
        t0 = time.monotonic()
        with pytest.raises(sources.NoNetworkError, match=r"3 attempts in a row got no answer.*--offline"):
            fetch([key], store=store, timeout=1.0, pause=0.1, retry_count=5, progress=False)
        elapsed = time.monotonic() - t0
        assert srv.connections == 3
    assert elapsed < 10
    assert snapshot(store.root) == {}


# --------------------------------------------------------------------------- DFEDTAR
def test_fetch_dfedtar_in_fred_layout_matches_the_spreadsheet_copy(tmp_path, raw_dir, mock):
    """FRED serves DFEDTAR with ISO dates; the snapshot copy has M/D/YYYY dates. Both give one series."""
    snap = (raw_dir / "fred/DFEDTAR.csv").read_bytes()
    iso = pd.read_csv(raw_dir / "fred/DFEDTAR.csv", dtype=str)
    iso["DATE"] = pd.to_datetime(iso["DATE"], format="%m/%d/%Y").dt.strftime("%Y-%m-%d")
    body = ("observation_date,DFEDTAR\n" + "".join(f"{d},{v}\n" for d, v in iso.itertuples(index=False))).encode()
    assert body != snap
    mock.add(responses.GET, re.compile(r"https://fred\.stlouisfed\.org/graph/fredgraph\.csv\?id=DFEDTAR$"),
             body=body, status=200)
    fetched = Store(tmp_path / "fetched")
    report = fetch(["DFEDTAR"], store=fetched, pause=0, progress=False, retry_count=1)
    assert report.ok, report.to_frame().to_string()
    imported = Store(tmp_path / "imported")
    assert import_paths([raw_dir / "fred/DFEDTAR.csv"], store=imported).ok
    a, b = load("DFEDTAR", store=fetched), load("DFEDTAR", store=imported)
    pd.testing.assert_series_equal(a, b)
    assert a.index[0] == pd.Timestamp("1982-09-27") and a.index[-1] == pd.Timestamp("2008-12-15")
