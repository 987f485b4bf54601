"""Importing the real-time folder (FRED-MD vintage zips, RTDSM workbooks) of the snapshot."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from rotation.data.ingest import import_paths, rebuild
from rotation.data.parsers.realtime import read_rtdsm
from rotation.data.store import Store, sha256_bytes


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and not p.name.startswith(".lock")}


@pytest.fixture(scope="module")
def realtime_import(raw_dir, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("rt-store"))
    t0 = time.perf_counter()
    report = import_paths([raw_dir / "realtime"], store=store)
    return store, report, time.perf_counter() - t0


def test_whole_folder_is_imported_well_under_a_minute(realtime_import, raw_dir):
    store, report, seconds = realtime_import
    assert report.ok, report.to_frame().to_string()
    added = {Path(r.file).name for r in report.rows if r.status == "added"}
    expected = {p.name for p in (raw_dir / "realtime").rglob("*") if p.suffix in (".zip", ".xlsx")}
    assert added == expected
    assert {r.status for r in report.rows if Path(r.file).name == "MANIFEST.csv"} == {"skipped"}
    assert seconds < 45, f"importing the real-time folder took {seconds:.1f} s"


def test_raw_bytes_kept_and_checksummed(realtime_import, raw_dir):
    store, _, _ = realtime_import
    manifest = store.manifest()
    for name in ("rtdsm/employMvMd", "fredmd/FRED-MD_monthly"):
        entry = manifest["remote_files"][name]
        kept = (store.root / entry["path"]).read_bytes()
        original = next(p for p in (raw_dir / "realtime").rglob("*") if p.name == Path(entry["path"]).name)
        assert kept == original.read_bytes() and entry["sha256"] == sha256_bytes(kept)
    assert store.verify() == []


def test_stored_tables_match_the_files(realtime_import, raw_dir):
    store, _, _ = realtime_import
    payems = store.read("fredmd_PAYEMS_monthly")
    assert payems.loc["2024-02-29", "2024-03"] == 157808
    assert payems.index.name == "date" and payems.index.is_monotonic_increasing
    _, employ = read_rtdsm((raw_dir / "realtime/philly-rtdsm/employMvMd.xlsx").read_bytes(), "employMvMd.xlsx")
    stored = store.read("rtdsm_employMvMd")
    assert list(stored.columns) == list(employ.dropna(axis=1, how="all").columns)
    assert stored.loc["2024-02-29", "2024-03"] == employ.loc["2024-02-01", "2024-03"]
    hist = store.read("fredmd_UNRATE_historical")
    assert hist.columns[0] == "1999-08" and hist.columns[-1] == "2014-12"
    two_digit = store.read("fredmd_UNRATE_monthly")["2023-11"].dropna()
    assert two_digit.index[0] == pd.Timestamp("1959-01-31") and two_digit.index[-1] == pd.Timestamp("2023-10-31")


def _spoiled_zip(original: bytes, member: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(original))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member:
                data = data.replace(b"\n2/1/2024,", b"\n2/1/2024x,", 1)
            out.writestr(info, data)
    return buf.getvalue()


def test_bad_file_is_refused_and_the_store_unchanged(raw_dir, tmp_path):
    store = Store(tmp_path / "store")
    pre = import_paths([raw_dir / "realtime/philly-rtdsm/ROUTPUTQvQd.xlsx"], store=store)
    assert pre.ok
    before = _files(store.root)
    bad = tmp_path / "in" / "FRED-MD_monthly_vintages_2015-01_2024-03.zip"
    bad.parent.mkdir()
    bad.write_bytes(_spoiled_zip((raw_dir / "realtime/fred-md" / bad.name).read_bytes(), "2024-03.csv"))
    (bad.parent / "employMvMd.xlsx").write_bytes(b"<html><body>Access denied</body></html>")
    report = import_paths([bad.parent], store=store)
    assert not report.ok
    rows = {Path(r.file).name: r for r in report.rows}
    assert rows[bad.name].status == "rejected"
    assert "2024-03.csv" in rows[bad.name].detail and "line" in rows[bad.name].detail
    assert "Fix" in rows[bad.name].detail
    assert rows["employMvMd.xlsx"].status == "rejected"
    assert _files(store.root) == before


def test_rebuild_reproduces_a_vintage_table(raw_dir, tmp_path):
    store = Store(tmp_path / "store")
    assert import_paths([raw_dir / "realtime/philly-rtdsm/ROUTPUTQvQd.xlsx"], store=store).ok
    before = store.read("rtdsm_ROUTPUTQvQd")
    sha = store.manifest()["datasets"]["rtdsm_ROUTPUTQvQd"]["sha256"]
    statuses = [st for _, _, st in rebuild(store)]
    assert statuses == ["rebuilt"]
    assert store.manifest()["datasets"]["rtdsm_ROUTPUTQvQd"]["sha256"] == sha
    pd.testing.assert_frame_equal(store.read("rtdsm_ROUTPUTQvQd"), before)
