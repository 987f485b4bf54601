"""The local store: commit/read round-trip, manifest, atomicity, verify and status."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotation.data.advice import advised, message, not_stored, repairs
from rotation.data.api import load, status
from rotation.data.store import MANIFEST_VERSION, Store, sha256_bytes
from rotation.errors import DatasetNotFoundError, StoreError


# --------------------------------------------------------------------------- helpers
def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as ``{relative posix path: bytes}``."""
    root = Path(root)
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def temp_files(root: Path) -> list[str]:
    return [p for p in snapshot(root) if p.endswith(".tmp") or Path(p).name.startswith(".")
            and Path(p).name not in (".import.json", ".lock")]


def _dates(n: int, start: str = "2020-01-02") -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.bdate_range(start, periods=n), name="date")


def fred_series(n: int = 10, offset: float = 0.0) -> pd.Series:
    return pd.Series(np.linspace(1.0, 2.0, n) + offset, index=_dates(n), name="DGS10", dtype="float64")


def price_frame(n: int = 10, offset: float = 0.0) -> pd.DataFrame:
    base = np.linspace(100.0, 110.0, n) + offset
    return pd.DataFrame(
        {"open": base, "high": base + 1, "low": base - 1, "close": base, "adj_close": base,
         "volume": np.arange(n) * 1e3},
        index=_dates(n),
    )


def ff3_frames(offset: float = 0.0) -> dict[str, pd.DataFrame]:
    monthly_idx = pd.DatetimeIndex(pd.date_range("2000-01-31", periods=12, freq="ME"), name="date")
    annual_idx = pd.DatetimeIndex(pd.date_range("2000-12-31", periods=3, freq="YE"), name="date")
    cols = ["Mkt-RF", "SMB", "HML", "RF"]
    m = pd.DataFrame(np.full((12, 4), 0.01 + offset), index=monthly_idx, columns=cols)
    a = pd.DataFrame(np.full((3, 4), 0.10 + offset), index=annual_idx, columns=cols)
    return {"ff3_monthly": m, "ff3_annual": a}


def facts(**frequency: str) -> dict[str, dict[str, str]]:
    """What the manifest records about each dataset (the catalog's facts; made up here)."""
    return {key: {"frequency": freq, "units": "test units"} for key, freq in frequency.items()}


def commit_fred(store: Store, raw: bytes = b"observation_date,DGS10\n2020-01-02,1.0\n", offset: float = 0.0):
    return store.commit("fred", "DGS10", "DGS10.csv", raw, {"DGS10": fred_series(offset=offset)}, {}, origin="test",
                        how="import", facts=facts(DGS10="D"))


def commit_iwm(store: Store, raw: bytes = b"Date,Close\n2020-01-02,100\n", offset: float = 0.0):
    return store.commit("prices", "IWM", "IWM.csv", raw, {"IWM": price_frame(offset=offset)}, {}, origin="test",
                        how="fetch", facts=facts(IWM="D"))


def commit_ff3(store: Store, raw: bytes = b"ff3 v1", offset: float = 0.0):
    return store.commit(
        "famafrench", "F-F_Research_Data_Factors", "F-F_Research_Data_Factors_CSV.zip", raw,
        ff3_frames(offset), {"vintage": "x"}, origin="test", how="import", facts=facts(ff3_monthly="M", ff3_annual="A"),
    )


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_DATA_DIR", str(tmp_path / "default_store"))
    monkeypatch.setenv("ROTATION_OFFLINE", "1")


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "store")


# --------------------------------------------------------------------------- round trip
def test_new_store_is_empty(store):
    assert store.manifest() == {"version": MANIFEST_VERSION, "remote_files": {}, "datasets": {}}
    assert status(store) == []
    assert store.verify() == []
    assert not store.has("DGS10")


def test_commit_read_roundtrip_series(store):
    res = commit_fred(store)
    assert res.status == "added"
    assert res.datasets == ("DGS10",)
    got = store.read("DGS10")
    assert isinstance(got, pd.Series)
    assert got.index.name == "date"
    assert got.name == "DGS10"
    pd.testing.assert_series_equal(got, fred_series(), check_freq=False)


def test_commit_read_roundtrip_frame(store):
    commit_iwm(store)
    got = store.read("IWM")
    assert isinstance(got, pd.DataFrame)
    assert got.index.name == "date"
    assert list(got.columns) == ["open", "high", "low", "close", "adj_close", "volume"]
    pd.testing.assert_frame_equal(got, price_frame(), check_freq=False)


def test_commit_read_roundtrip_several_tables(store):
    commit_ff3(store)
    for key, frame in ff3_frames().items():
        pd.testing.assert_frame_equal(store.read(key), frame, check_freq=False)


def test_read_missing_dataset_says_how_to_get_it(store, monkeypatch):
    monkeypatch.delenv("ROTATION_OFFLINE")
    with pytest.raises(DatasetNotFoundError,
                       match=rf"^dataset 'DGS10' is not in the local store {re.escape(str(store.root))}$"):
        store.read("DGS10")
    # the two ways to get it are composed by rotation.data.advice (what load raises, see test_fetching.py)
    assert re.search(r"'DGS10' is not in the local store.*rotation data fetch DGS10.*rotation data import",
                     not_stored(store.root, "DGS10"))
    assert not_stored(store.root, "dgs10") == not_stored(store.root, "DGS10")


# --------------------------------------------------------------------------- manifest
def test_manifest_fields(store):
    raw = b"observation_date,DGS10\n2020-01-02,1.0\n2020-01-03,1.1\n"
    res = commit_fred(store, raw)
    m = store.manifest()
    rf = m["remote_files"]["fred/DGS10"]
    assert rf["sha256"] == hashlib.sha256(raw).hexdigest() == sha256_bytes(raw) == res.raw_sha256
    assert rf["bytes"] == len(raw)
    assert re.fullmatch(r"raw/fred/[0-9a-f]{16}/DGS10\.csv", rf["path"])  # content-addressed folder, original name
    assert (store.root / rf["path"]).read_bytes() == raw
    assert rf["datasets"] == ["DGS10"]
    assert rf["acquired_by"] == "import"
    e = m["datasets"]["DGS10"]
    s = fred_series()
    assert e["rows"] == len(s)
    assert e["first"] == s.index[0].date().isoformat()
    assert e["last"] == s.index[-1].date().isoformat()
    assert e["raw_sha256"] == rf["sha256"]
    assert e["sha256"] == hashlib.sha256((store.root / e["path"]).read_bytes()).hexdigest()
    assert e["frequency"] == "D"
    assert e["shape"] == "series"


def test_recommit_identical_bytes_is_unchanged_and_byte_identical(store):
    assert commit_fred(store).status == "added"
    assert commit_iwm(store).status == "added"
    before = snapshot(store.root)
    res = commit_fred(store)
    assert res.status == "unchanged"
    after = snapshot(store.root)
    assert after == before
    assert after["manifest.json"] == before["manifest.json"]


def test_commit_new_bytes_is_updated(store):
    commit_fred(store)
    old_sha = store.manifest()["remote_files"]["fred/DGS10"]["sha256"]
    new_raw = b"observation_date,DGS10\n2020-01-02,1.5\n"
    res = commit_fred(store, new_raw, offset=0.5)
    assert res.status == "updated"
    rf = store.manifest()["remote_files"]["fred/DGS10"]
    assert rf["sha256"] == sha256_bytes(new_raw) != old_sha
    assert (store.root / rf["path"]).read_bytes() == new_raw
    pd.testing.assert_series_equal(store.read("DGS10"), fred_series(offset=0.5), check_freq=False)
    assert store.verify() == []
    assert temp_files(store.root) == []


# --------------------------------------------------------------------------- atomicity
def _fail_on_call(real, n: int, what: str):
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise OSError(f"simulated failure of {what} (call {n})")
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize(
    ("target", "call"),
    [
        pytest.param("to_parquet", 1, id="to_parquet-first-table"),
        pytest.param("to_parquet", 2, id="to_parquet-second-table"),
        pytest.param("os.replace", 1, id="replace-raw"),
        pytest.param("os.replace", 2, id="replace-first-table"),
        pytest.param("os.replace", 3, id="replace-second-table"),
        pytest.param("os.replace", 4, id="replace-manifest"),
    ],
)
def test_failed_commit_leaves_store_byte_identical(store, monkeypatch, target, call):
    commit_fred(store)
    commit_ff3(store)
    before = snapshot(store.root)
    if target == "to_parquet":
        monkeypatch.setattr(pd.DataFrame, "to_parquet", _fail_on_call(pd.DataFrame.to_parquet, call, target))
    else:
        monkeypatch.setattr(os, "replace", _fail_on_call(os.replace, call, target))
    with pytest.raises(StoreError, match=r"simulated failure.*Nothing was changed") as caught:
        commit_ff3(store, raw=b"ff3 v2", offset=0.5)
    assert caught.value.problem.kind == "unwritable" and "Fix:" not in str(caught.value)  # the store gives no advice
    assert re.search(r"simulated failure.*Nothing was changed.*Fix: make .* writable", message(caught.value.problem))
    monkeypatch.undo()
    after = snapshot(store.root)
    assert temp_files(store.root) == []
    assert sorted(after) == sorted(before)
    changed = [p for p in before if after[p] != before[p]]
    assert changed == []
    assert store.verify() == []
    # the store still works and the retried commit goes through
    monkeypatch.setenv("ROTATION_OFFLINE", "1")
    assert commit_ff3(store, raw=b"ff3 v2", offset=0.5).status == "updated"
    assert store.verify() == []


def test_failed_first_commit_leaves_no_files(store, monkeypatch):
    monkeypatch.setattr(pd.DataFrame, "to_parquet", _fail_on_call(pd.DataFrame.to_parquet, 1, "to_parquet"))
    with pytest.raises(StoreError, match="simulated failure"):
        commit_iwm(store)
    assert [p for p in snapshot(store.root) if p != ".lock"] == []
    assert not store.has("IWM")


# --------------------------------------------------------------------------- verify / status
@pytest.fixture
def filled(store) -> Store:
    commit_fred(store)
    commit_iwm(store)
    commit_ff3(store)
    assert store.verify() == []
    return store


def test_verify_reports_each_problem_by_path(filled):
    m = filled.manifest()
    iwm_processed = filled.root / m["datasets"]["IWM"]["path"]
    dgs10_raw = filled.root / m["remote_files"]["fred/DGS10"]["path"]
    annual = filled.root / m["datasets"]["ff3_annual"]["path"]
    data = bytearray(iwm_processed.read_bytes())
    data[len(data) // 2] ^= 0xFF
    iwm_processed.write_bytes(bytes(data))
    dgs10_raw.write_bytes(dgs10_raw.read_bytes()[:10])
    annual.unlink()

    iwm_rel, dgs10_rel = m["datasets"]["IWM"]["path"], m["remote_files"]["fred/DGS10"]["path"]
    annual_rel = m["datasets"]["ff3_annual"]["path"]
    problems = {p.path: p for p in filled.verify()}
    assert set(problems) == ({iwm_rel, dgs10_rel, annual_rel, m["datasets"]["DGS10"]["path"]}
                             - {m["datasets"]["DGS10"]["path"]})
    assert "does not match its checksum" in problems[iwm_rel].what
    assert "truncated" in problems[dgs10_rel].what
    assert "missing" in problems[annual_rel].what
    for p in problems.values():
        assert p.path in str(p)
    assert {p: (problems[p].kind, problems[p].dataset) for p in problems} == {
        iwm_rel: ("processed-damaged", "IWM"), dgs10_rel: ("raw-damaged", None),
        annual_rel: ("processed-missing", "ff3_annual")}
    assert problems[iwm_rel].raw_intact and problems[annual_rel].raw_intact
    fixes = {r.path: r.fix for r in repairs(filled)}
    assert set(fixes) == set(problems)
    # a processed file whose raw file is intact is repaired from raw/ ...
    assert "rotation data rebuild" in fixes[iwm_rel]
    assert "rotation data rebuild" in fixes[annual_rel]
    # ... a damaged raw file needs the original again: the import it came from (store: origin "test")
    assert "rotation data import test" in fixes[dgs10_rel]


def test_verify_reports_modified_raw_of_same_size(filled):
    rel = filled.manifest()["remote_files"]["prices/IWM"]["path"]
    raw = filled.root / rel
    data = raw.read_bytes()
    raw.write_bytes(data[:-2] + b"9\n")
    (problem,) = filled.verify()
    assert problem.path == rel
    (repair,) = repairs(filled)
    assert "rotation data fetch IWM" in repair.fix
    assert "checksum" in problem.what


def test_status_checksum_ok(filled):
    rows = {r["key"]: r for r in status(filled)}
    assert set(rows) == {"DGS10", "IWM", "ff3_monthly", "ff3_annual"}
    assert all(r["checksum_ok"] for r in rows.values())
    assert rows["DGS10"]["rows"] == 10
    p = filled.root / filled.manifest()["datasets"]["DGS10"]["path"]
    p.write_bytes(p.read_bytes() + b"x")
    rows = {r["key"]: r for r in status(filled)}
    assert rows["DGS10"]["checksum_ok"] is False
    assert rows["IWM"]["checksum_ok"] is True
    assert all(r["checksum_ok"] is None for r in status(filled, check=False))


def test_status_raw_modified_marks_its_datasets(filled):
    raw = filled.root / filled.manifest()["remote_files"]["famafrench/F-F_Research_Data_Factors"]["path"]
    raw.write_bytes(b"edited")
    rows = {r["key"]: r for r in status(filled)}
    assert rows["ff3_monthly"]["checksum_ok"] is False
    assert rows["ff3_annual"]["checksum_ok"] is False
    assert rows["DGS10"]["checksum_ok"] is True


def test_modified_store_is_not_unchanged_on_recommit(filled):
    """A damaged store is repaired by committing the same bytes again."""
    p = filled.root / filled.manifest()["datasets"]["DGS10"]["path"]
    p.write_bytes(b"garbage")
    assert commit_fred(filled).status == "updated"
    assert filled.verify() == []
    pd.testing.assert_series_equal(filled.read("DGS10"), fred_series(), check_freq=False)


def test_read_corrupt_parquet_raises_store_error(filled):
    (filled.root / filled.manifest()["datasets"]["IWM"]["path"]).write_bytes(b"not parquet")
    with pytest.raises(StoreError, match=r"IWM-[0-9a-f]+\.parquet of dataset 'IWM' does not match its sha256"):
        filled.read("IWM")
    with pytest.raises(StoreError, match=r"IWM-[0-9a-f]+\.parquet of dataset 'IWM' does not match its sha256.*"
                                         r"rotation data rebuild"):
        load("IWM", store=filled)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        pytest.param('{"version": 1, "remote_files": {', r"not valid JSON.*rotation data rebuild", id="truncated-json"),
        pytest.param("\xff\xfe garbage", r"not valid JSON.*rotation data rebuild", id="not-utf8"),
        pytest.param('{"version": 99, "remote_files": {}, "datasets": {}}', r"version 99.*rotation data rebuild",
                     id="wrong-version"),
    ],
)
def test_corrupt_manifest_raises_store_error(filled, text, pattern):
    data = text.encode("latin-1") if text.startswith("\xff") else text.encode()
    filled.manifest_path.write_bytes(data)
    what = pattern.split(".*")[0]
    with pytest.raises(StoreError, match=what):
        filled.manifest()
    with pytest.raises(StoreError, match=what):
        filled.read("DGS10")
    with pytest.raises(StoreError, match=pattern):  # what users read names the repair
        load("DGS10", store=filled)
    with pytest.raises(StoreError, match=pattern), advised():
        filled.manifest()
    (problem,) = filled.verify()
    (repair,) = repairs(filled)
    assert problem.path == "manifest.json" and problem.kind == "manifest-damaged"
    assert "rotation data rebuild" in repair.fix


def test_manifest_is_sorted_json(filled):
    text = filled.manifest_path.read_text()
    assert text.endswith("\n")
    assert json.loads(text) == filled.manifest()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_raw_copies_say_how_each_raw_file_was_acquired(filled):
    """What a rebuild starts from: every raw file and its .import.json, even when the manifest is damaged."""
    m = filled.manifest()["remote_files"]
    copies = {c.rel: c for c in filled.raw_copies()}
    assert set(copies) == {rf["path"] for rf in m.values()}
    iwm = copies[m["prices/IWM"]["path"]]
    assert (iwm.source, iwm.remote_id, iwm.how, iwm.origin, iwm.options, iwm.published) == (
        "prices", "IWM", "fetch", "test", {"end": None}, True)
    assert iwm.path == filled.root / iwm.rel and iwm.acquired_at == m["prices/IWM"]["acquired_at"]
    filled.manifest_path.write_text("{")
    after = {c.rel: (c.source, c.remote_id, c.published) for c in filled.raw_copies()}
    assert after == {rel: (c.source, c.remote_id, False) for rel, c in copies.items()}
