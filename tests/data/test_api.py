"""``load`` and ``small_large`` on the real snapshot, checked against independent computations."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotation.data.api import PROXIES, compound, load, small_large, staleness, store_summary
from rotation.data.ingest import import_paths
from rotation.data.store import Store
from rotation.errors import DatasetNotFoundError, ParameterError


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_DATA_DIR", str(tmp_path / "default_store"))
    monkeypatch.setenv("ROTATION_OFFLINE", "1")


@pytest.fixture(scope="module")
def store(raw_dir, tmp_path_factory) -> Store:
    """The whole snapshot imported once into a module-private store."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROTATION_OFFLINE", "1")
        st = Store(tmp_path_factory.mktemp("api") / "store")
        report = import_paths([raw_dir], store=st)
    assert report.ok
    return st


def raw_prices(raw_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(raw_dir / "prices" / name, parse_dates=["Date"], index_col="Date")


def raw_ff_first_table(path: Path) -> pd.DataFrame:
    """The first table of a Ken French CSV, in published percent, read with plain pandas."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(",") and "Lo 30" in line)
    body = [lines[start]]
    for line in lines[start + 1:]:
        if not line[:6].strip().isdigit():
            break
        body.append(line)
    frame = pd.read_csv(io.StringIO("\n".join(body)), index_col=0, skipinitialspace=True)
    frame.index = pd.PeriodIndex(frame.index.astype(str), freq="M")
    return frame


# --------------------------------------------------------------------------- load
@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        pytest.param("DGS10", "2020-01-02", "2020-01-31", id="fred-series"),
        pytest.param("IWM", "2020-03-02", "2020-03-31", id="prices-frame"),
        pytest.param("size_vw_monthly", "2000-01-31", "2000-12-31", id="ff-month-ends"),
        pytest.param("ff3_daily", pd.Timestamp("2019-12-02"), pd.Timestamp("2019-12-31"), id="timestamps"),
    ],
)
def test_load_bounds_are_inclusive(store, key, start, end):
    obj = load(key, start, end, store=store)
    assert obj.index.name == "date"
    assert obj.index[0] == pd.Timestamp(start)
    assert obj.index[-1] == pd.Timestamp(end)
    full = load(key, store=store)
    expected = full.loc[(full.index >= pd.Timestamp(start)) & (full.index <= pd.Timestamp(end))]
    assert len(obj) == len(expected) > 0


def test_load_open_bounds(store):
    full = load("DGS10", store=store)
    assert isinstance(full, pd.Series) and full.name == "DGS10"
    after = load("DGS10", start="2025-01-01", store=store)
    before = load("DGS10", end="1962-01-31", store=store)
    assert after.index[-1] == full.index[-1] and after.index[0] >= pd.Timestamp("2025-01-01")
    assert before.index[0] == full.index[0] and before.index[-1] <= pd.Timestamp("1962-01-31")
    assert load("DGS10", start="", end=None, store=store).equals(full)


def test_load_uses_the_env_store(store, monkeypatch):
    monkeypatch.setenv("ROTATION_DATA_DIR", str(store.root))
    pd.testing.assert_series_equal(load("USREC"), load("USREC", store=store))


def test_load_is_case_insensitive(store):
    s = load("dgs10", store=store)
    assert s.name == "DGS10"


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        pytest.param("DGS1O", "DGS10", id="typo-fred"),
        pytest.param("size_vw_montly", "size_vw_monthly", id="typo-ff"),
        pytest.param("IWMM", "IWM", id="typo-ticker"),
    ],
)
def test_load_unknown_key_suggests(store, key, suggestion):
    with pytest.raises(DatasetNotFoundError,
                       match=rf"unknown dataset '{key}'\. Did you mean: .*{suggestion}.*rotation data status"):
        load(key, store=store)


def test_load_unknown_key_without_close_match(store):
    with pytest.raises(DatasetNotFoundError, match=r"unknown dataset 'zzzzzz'\. `rotation data status` lists"):
        load("zzzzzz", store=store)


@pytest.mark.parametrize(
    ("start", "end", "pattern"),
    [
        pytest.param("2020-02-01", "2020-01-01", r"start 2020-02-01 is after end 2020-01-01; swap them",
                     id="start-after-end"),
        pytest.param("yesterday-ish", None, r"start must be a date like '2000-01-31', got 'yesterday-ish'",
                     id="bad-start"),
        pytest.param(None, "2020-13-45", r"end must be a date like '2000-01-31', got '2020-13-45'", id="bad-end"),
    ],
)
def test_load_bad_dates(store, start, end, pattern):
    with pytest.raises(ParameterError, match=pattern):
        load("DGS10", start, end, store=store)


# --------------------------------------------------------------------------- small_large: shape
CASES = [
    pytest.param("ff30_vw", "M", id="ff30_vw-M"),
    pytest.param("ff30_vw", "W", id="ff30_vw-W"),
    pytest.param("ff30_vw", "D", id="ff30_vw-D"),
    pytest.param("iwm_spy", "D", id="iwm_spy-D"),
    pytest.param("iwm_spy", "W", id="iwm_spy-W"),
    pytest.param("iwm_spy", "M", id="iwm_spy-M"),
    pytest.param("rut_gspc", "M", id="rut_gspc-M"),
]


@pytest.mark.parametrize(("proxy", "frequency"), CASES)
def test_small_large_shape(store, proxy, frequency):
    out = small_large(proxy, frequency, store=store)
    assert list(out.columns) == ["small", "large"]
    assert out.index.name == "date"
    assert not out.isna().any().any()
    assert out.index.is_monotonic_increasing and out.index.is_unique
    assert len(out) > 100
    assert (out > -1).all().all()
    if frequency == "M":
        assert out.index.is_month_end.all()
    elif frequency == "W":
        assert (out.index.day_of_week == 4).all()
    else:  # NYSE traded on Saturdays until 1952
        assert (out.loc["1953":].index.day_of_week < 5).all()
    assert out.attrs["proxy"] == proxy
    assert out.attrs["frequency"] == frequency
    assert out.attrs["basis"] == PROXIES[proxy].basis
    assert out.attrs["datasets"]


@pytest.mark.parametrize(
    ("proxy", "frequency", "first", "last"),
    [
        # IWM starts Fri 2000-05-26 and ends Mon 2026-07-13: May 2000 and July 2026 are partial
        pytest.param("iwm_spy", "M", "2000-06-30", "2026-06-30", id="iwm_spy-M"),
        # the week of 2026-07-13 has one day only; the first week (Tue 05-30 after Memorial Day) is complete
        pytest.param("iwm_spy", "W", "2000-06-02", "2026-07-10", id="iwm_spy-W"),
        pytest.param("iwm_spy", "D", "2000-05-30", "2026-07-13", id="iwm_spy-D"),
        # ^RUT runs 1987-09-10 .. 2026-02-23
        pytest.param("rut_gspc", "M", "1987-10-31", "2026-01-31", id="rut_gspc-M"),
        # the daily size file starts Thu 1926-07-01 (partial week) and ends Fri 2025-05-30
        pytest.param("ff30_vw", "W", "1926-07-09", "2025-05-30", id="ff30_vw-W"),
        pytest.param("ff30_vw", "M", "1926-07-31", "2026-02-28", id="ff30_vw-M"),
    ],
)
def test_small_large_partial_periods_dropped(store, proxy, frequency, first, last):
    out = small_large(proxy, frequency, store=store)
    assert out.index[0] == pd.Timestamp(first)
    assert out.index[-1] == pd.Timestamp(last)


# --------------------------------------------------------------------------- small_large: values
def test_iwm_spy_monthly_equals_close_ratio(store, raw_dir):
    out = small_large("iwm_spy", "M", store=store)
    for col, name in (("small", "IWM.csv"), ("large", "SPY.csv")):
        close = raw_prices(raw_dir, name)["Close"]
        expected = close.loc["2020-03-31"] / close.loc["2020-02-28"] - 1
        assert out.loc["2020-03-31", col] == pytest.approx(expected, rel=1e-10, abs=1e-12)
    assert out.loc["2020-03-31", "small"] < -0.2  # March 2020: IWM fell about 21%


def test_iwm_spy_weekly_equals_close_ratio(store, raw_dir):
    out = small_large("iwm_spy", "W", store=store)
    close = raw_prices(raw_dir, "IWM.csv")["Close"]
    expected = close.loc["2020-03-20"] / close.loc["2020-03-13"] - 1
    assert out.loc["2020-03-20", "small"] == pytest.approx(expected, rel=1e-10)


def test_rut_gspc_monthly_equals_close_ratio(store, raw_dir):
    out = small_large("rut_gspc", "M", store=store)
    close = raw_prices(raw_dir, "IDX_GSPC.csv")["Close"]
    expected = close.loc["2008-10-31"] / close.loc["2008-09-30"] - 1
    assert out.loc["2008-10-31", "large"] == pytest.approx(expected, rel=1e-10)


def test_ff30_vw_monthly_equals_published_percent(store, raw_dir):
    out = small_large("ff30_vw", "M", store=store)
    raw = raw_ff_first_table(raw_dir / "famafrench/Portfolios_Formed_on_ME.CSV")
    for month in ("2020-03", "1929-10", "1926-07"):
        period = pd.Period(month, freq="M")
        stamp = period.to_timestamp(how="end").normalize()
        assert out.loc[stamp, "small"] == pytest.approx(raw.loc[period, "Lo 30"] / 100, abs=1e-12)
        assert out.loc[stamp, "large"] == pytest.approx(raw.loc[period, "Hi 30"] / 100, abs=1e-12)
    assert len(out) == len(raw)


def test_ff30_vw_weekly_compounds_daily(store, raw_dir):
    out = small_large("ff30_vw", "W", store=store)
    daily = pd.read_csv(raw_dir / ("famafrench/alt/"
                                   "Portfolios_Formed_on_ME_Daily__reformatted_single_table_to_20250530.csv"),
                        index_col=0)
    daily.index = pd.to_datetime(daily.index.astype(str), format="%Y%m%d")
    week = daily.loc["2020-03-16":"2020-03-20", "Lo 30"] / 100
    assert len(week) == 5
    assert out.loc["2020-03-20", "small"] == pytest.approx(np.prod(1 + week) - 1, rel=1e-10)
    d = small_large("ff30_vw", "D", store=store)
    assert d.loc["2020-03-16", "small"] == pytest.approx(daily.loc["2020-03-16", "Lo 30"] / 100, abs=1e-12)


def test_start_end_bound_period_ends(store):
    out = small_large("iwm_spy", "M", start="2020-01-31", end="2020-12-31", store=store)
    assert list(out.index) == list(pd.date_range("2020-01-31", "2020-12-31", freq="ME"))


def test_compound_leaves_empty_periods_nan():
    r = pd.Series([0.1, 0.1], index=pd.DatetimeIndex(["2020-01-15", "2020-03-15"]))
    out = compound(r, "ME")
    assert out.loc["2020-01-31"] == pytest.approx(0.1)
    assert np.isnan(out.loc["2020-02-29"])


# --------------------------------------------------------------------------- small_large: bad parameters
@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        pytest.param({"proxy": "ff35_vw"}, r"proxy must be one of ff30_vw, .*rut_gspc; got 'ff35_vw'", id="bad-proxy"),
        pytest.param({"proxy": "iwm_spy", "frequency": "Q"}, r"frequency must be 'D', 'W' or 'M'; got 'Q'",
                     id="bad-frequency"),
        pytest.param({"proxy": "iwm_spy", "frequency": "m"}, r"frequency must be 'D', 'W' or 'M'; got 'm'",
                     id="lowercase-frequency"),
        pytest.param({"proxy": "iwm_spy", "start": "1990-01-01", "end": "1995-01-01"},
                     r"no M returns for proxy 'iwm_spy' between 1990-01-01 and 1995-01-01; "
                     r"the data covers 2000-05-30 to 2026-07-13",
                     id="no-data-in-range"),
        pytest.param({"proxy": "iwm_spy", "start": "not a date"}, r"start must be a date", id="bad-start"),
    ],
)
def test_small_large_bad_parameters(store, kwargs, pattern):
    with pytest.raises(ParameterError, match=pattern):
        small_large(store=store, **kwargs)


def test_store_summary(store):
    rows = {r["key"]: r for r in store_summary(store)}
    assert rows["IWM"]["last"] == "2026-07-13"
    assert set(rows["IWM"]) == {"key", "source", "remote_id", "rows", "first", "last", "sha256", "raw_sha256",
                                "acquired_at"}


# --------------------------------------------------------------------------- status: staleness
@pytest.mark.parametrize(
    ("last", "freq", "lag", "today", "stale"),
    [
        ("2026-07-10", "D", 0, "2026-07-24", False),   # 10 business days later
        ("2026-07-10", "D", 0, "2026-07-27", True),    # 11
        ("2025-03-31", "D", 0, "2026-07-27", True),    # a series that ended in 2025
        ("2026-05-31", "M", 0, "2026-08-30", False),   # June's value due 06-30, two months' grace
        ("2026-05-31", "M", 0, "2026-08-31", True),
        ("2026-05-01", "M", 30, "2026-09-01", False),  # FRED monthly dated the 1st, published a month later
        ("2026-03-31", "Q", 0, "2026-08-30", False),
        ("2024-12-31", "A", 0, "2026-07-01", True),
    ],
)
def test_staleness_by_frequency(last, freq, lag, today, stale):
    assert staleness(pd.Timestamp(last).date(), freq, lag, pd.Timestamp(today).date()) is stale
