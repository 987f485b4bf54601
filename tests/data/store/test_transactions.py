"""The store keeps its promise: one writer at a time, old-or-new reads, checksums on read, provenance."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

import rotation.outputs
from rotation.data.advice import advised
from rotation.data.api import load, small_large, status
from rotation.data.ingest import import_paths, rebuild
from rotation.data.store import Store, manifest_checksum
from rotation.errors import StoreError

RAW = ["prices/IWM.csv", "prices/SPY.csv", "fred/DGS10.csv", "famafrench/F-F_Research_Data_Factors_CSV.zip"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_DATA_DIR", str(tmp_path / "default_store"))
    monkeypatch.setenv("ROTATION_OFFLINE", "1")


@pytest.fixture
def store(raw_dir, tmp_path) -> Store:
    st = Store(tmp_path / "store")
    assert import_paths([raw_dir / r for r in RAW], store=st, end={"IWM": "2026-07-10"}).ok
    return st


# --------------------------------------------------------------------------- lock
def test_a_second_writer_waits_for_the_lock(store, raw_dir):
    other = Store(store.root)  # another writer (its own lock handle, as another process has)
    with store.lock():
        with pytest.raises(StoreError, match=r"another writer has held the store lock .*\.lock for 0 s$"):
            with other.transaction(timeout=0.2):
                pass
        with pytest.raises(StoreError, match=r"the store lock .*\.lock.* Fix: wait for the other "
                                             r"`rotation data import`, `fetch` or `rebuild` to finish"), advised():
            with other.transaction(timeout=0.2):
                pass
        with pytest.raises(StoreError, match=r"another writer .* Fix: wait for the other `rotation data import`"):
            rebuild(other, timeout=0.2)  # what `rotation data rebuild` prints
    with other.transaction(timeout=0.2):  # free again
        pass


def test_writers_in_threads_are_serialised(raw_dir, tmp_path):
    """Two imports into an empty store at once: both succeed and neither loses the other's datasets."""
    root = tmp_path / "store"
    errors: list[BaseException] = []

    def run(files):
        try:
            assert import_paths([raw_dir / f for f in files], store=Store(root)).ok
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(RAW[:2],)), threading.Thread(target=run, args=(RAW[2:],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    st = Store(root)
    assert set(st.manifest()["datasets"]) >= {"IWM", "SPY", "DGS10", "ff3_monthly", "ff3_annual"}
    assert st.verify() == []


def test_concurrent_cli_imports_lose_nothing(raw_dir, tmp_path):
    root = tmp_path / "store"
    env = {**os.environ, "ROTATION_DATA_DIR": str(root), "ROTATION_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "rotation.cli", "data", "import"]
    procs = [subprocess.Popen([*cmd, str(raw_dir / "prices")], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE),
             subprocess.Popen([*cmd, str(raw_dir / "fred/DGS10.csv"), str(raw_dir / "fred/T10Y2Y.csv")], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    st = Store(root)
    names = set(st.manifest()["datasets"])
    assert {"DGS10", "T10Y2Y", "IWM", "SPY", "^RUT"} <= names
    assert st.verify() == [] and st.leftovers() == []


# --------------------------------------------------------------------------- old or new, never a mix
def test_reader_holding_an_old_manifest_rereads_after_a_commit(store, raw_dir):
    old = store.manifest()
    assert import_paths([raw_dir / "prices/IWM.csv"], store=Store(store.root)).ok  # the cut removed: a new file
    new = store.manifest()
    assert new["datasets"]["IWM"]["path"] != old["datasets"]["IWM"]["path"]
    assert not (store.root / old["datasets"]["IWM"]["path"]).exists()  # old file removed after the publish
    frame = load("IWM", store=store)
    assert frame.index[-1] == pd.Timestamp("2026-07-13")


def test_killed_writer_leftovers_are_invisible_then_removed(store, raw_dir):
    before = store.manifest()
    # what a writer killed before its commit point leaves: new files the manifest does not name, a temp file
    (store.root / "processed/IWM-0123456789abcdef.parquet").write_bytes(b"half written")
    (store.root / "processed/.IWM-0123456789abcdef.parquet.1a2b3c.tmp").write_bytes(b"x" * 1000)
    (store.root / "raw/prices/feedfacefeedface").mkdir()
    (store.root / "raw/prices/feedfacefeedface/IWM.csv").write_bytes(b"partial")
    assert store.verify() == []  # the published store is intact ...
    assert len(store.leftovers()) == 3  # ... and the leftovers are reported
    pd.testing.assert_frame_equal(load("IWM", store=store), Store(store.root).read("IWM"))
    assert store.clean() is not None
    assert store.leftovers() == []
    assert store.manifest() == before
    assert not (store.root / "raw/prices/feedfacefeedface").exists()


# --------------------------------------------------------------------------- checksums on read
def test_flipped_byte_is_refused_on_load(store):
    rel = store.manifest()["datasets"]["ff3_monthly"]["path"]
    path = store.root / rel
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"store file .*ff3_monthly-[0-9a-f]{16}\.parquet of dataset 'ff3_monthly' "
                                         r"does not match its sha256.*Fix: run `rotation data rebuild`"):
        load("ff3_monthly", store=store)
    assert rebuild(store)
    load("ff3_monthly", store=store)


def test_flipped_byte_is_refused_by_small_large(store):
    rel = store.manifest()["datasets"]["SPY"]["path"]
    path = store.root / rel
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="'SPY' does not match its sha256"):
        small_large("iwm_spy", "M", store=store)


def test_edited_manifest_value_is_detected(store):
    doc = json.loads(store.manifest_path.read_text())
    doc["datasets"]["DGS10"]["rows"] -= 1
    store.manifest_path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    with pytest.raises(StoreError, match=r"manifest .* does not match its own checksum.*rotation data rebuild"):
        load("DGS10", store=store)
    (problem,) = store.verify()
    assert problem.path == "manifest.json" and "own checksum" in problem.what
    rebuild(store)
    assert store.verify() == []
    doc2 = store.manifest()
    assert doc2["datasets"]["DGS10"]["rows"] == doc["datasets"]["DGS10"]["rows"] + 1
    assert doc2["checksum"] == manifest_checksum(doc2)


def test_version_1_store_is_still_read_and_upgraded_by_a_rebuild(store):
    """Stores written before manifest checksums (version 1) load, and ``rebuild`` moves them to the new layout."""
    doc = store.manifest()
    for e in doc["datasets"].values():
        old = store.root / e["path"]
        new = old.with_name(old.name.split("-")[0] + ".parquet")
        old.rename(new)
        e["path"] = new.relative_to(store.root).as_posix()
    doc["version"] = 1
    del doc["checksum"]
    store.manifest_path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    want = load("IWM", store=store)
    assert store.verify() == []
    rebuild(store)
    assert store.manifest()["version"] == 2
    pd.testing.assert_frame_equal(load("IWM", store=store), want)
    assert want.index[-1] == pd.Timestamp("2026-07-10")  # the cut survived the rebuild


# --------------------------------------------------------------------------- provenance at read time
def test_every_load_notes_what_it_read(store, monkeypatch):
    seen: list[tuple[str, dict]] = []
    monkeypatch.setattr(rotation.outputs, "note_read", lambda dataset, **kw: seen.append((dataset, kw)))
    load("DGS10", start="2020-01-01", end="2020-12-31", store=store)
    small_large("iwm_spy", "M", store=store)
    assert [d for d, _ in seen] == ["DGS10", "IWM", "SPY"]
    m = store.manifest()["datasets"]
    for dataset, kw in seen:
        assert kw == {"sha256": m[dataset]["sha256"], "first": m[dataset]["first"], "last": m[dataset]["last"],
                      "rows": m[dataset]["rows"]}
    assert seen[1][1]["last"] == "2026-07-10"


# --------------------------------------------------------------------------- status
def test_status_age_is_the_last_observations(store):
    rows = {r["key"]: r for r in status(store, today=pd.Timestamp("2026-07-20").date())}
    assert rows["IWM"]["age_days"] == 10 and rows["IWM"]["stale"] is False
    rows = {r["key"]: r for r in status(store, today=pd.Timestamp("2026-09-20").date())}
    assert rows["IWM"]["stale"] is True


def test_files_respect_umask(raw_dir, tmp_path):
    old = os.umask(0o027)
    try:
        st = Store(tmp_path / "s")
        assert import_paths([raw_dir / "fred/DGS10.csv"], store=st).ok
    finally:
        os.umask(old)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in Path(st.root).rglob("*")
             if p.is_file() and p.name != ".lock"}
    assert set(modes.values()) == {"0o640"}, modes


# --------------------------------------------------------------------------- kill -9
@pytest.mark.parametrize("delay", [0.0, 0.15, 0.3])
def test_kill_9_during_the_commit_leaves_the_old_or_the_new_store(store, raw_dir, delay):
    """SIGKILL an import once its first new file appears (the commit phase): old or new, never a mix."""
    import signal
    import time

    old = {k: e["sha256"] for k, e in store.manifest()["datasets"].items()}
    def files() -> set[Path]:
        return {p for top in ("raw", "processed") for p in (store.root / top).rglob("*") if p.is_file()}

    before = files()
    env = {**os.environ, "ROTATION_DATA_DIR": str(store.root), "ROTATION_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "rotation.cli", "data", "import", *(str(raw_dir / r) for r in RAW),
                             "--end", "2015-12-31"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None and not (files() - before):
        time.sleep(0.001)
    time.sleep(delay)
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not finished or delay > 0  # with no delay the kill lands inside the commit phase
    st = Store(store.root)
    now = {k: e["sha256"] for k, e in st.manifest()["datasets"].items()}
    assert st.verify() == []
    if now != old:  # the commit point was passed: every dataset is new
        assert all(now[k] != old[k] for k in old) and set(now) == set(old)
        assert st.manifest()["datasets"]["IWM"]["last"] == "2015-12-31"
    st.clean(timeout=5)
    assert st.leftovers() == []
