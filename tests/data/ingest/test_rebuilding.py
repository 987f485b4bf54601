"""``rotation data rebuild`` never adopts a raw file that is not what its import recorded, and drops nothing silently.

Issue 26, rows 1 and 2: a raw file edited after import (one digit), or damaged so that it no longer parses,
was adopted (or its datasets dropped and the file removed) by a rebuild that exited 0. Each test runs the
``rotation`` command as a user does (a fresh process) on a store imported from the real snapshot.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

import rotation.data.ingest.rebuilding as rebuilding
from rotation.data.api import load
from rotation.data.ingest import import_paths, rebuild
from rotation.data.store import Store

from _helpers import rotation_cli

RAW = ["prices/IWM.csv", "fred/DGS10.csv", "famafrench/F-F_Research_Data_Factors_CSV.zip"]


rotation = rotation_cli


@pytest.fixture
def downloads(raw_dir, tmp_path) -> Path:
    """The user's original downloads (copies of the snapshot's files), from which the store is imported."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    for rel in RAW:
        (folder / Path(rel).name).write_bytes((raw_dir / rel).read_bytes())
    return folder


@pytest.fixture
def store(downloads, tmp_path) -> Store:
    st = Store(tmp_path / "store")
    assert import_paths([downloads], store=st, end={"IWM": "2026-07-10"}).ok
    return st


def raw_path(store: Store, remote: str) -> Path:
    return store.root / store.current_manifest()["remote_files"][remote]["path"]


def shas(store: Store) -> dict[str, str]:
    return {k: e["sha256"] for k, e in store.current_manifest()["datasets"].items()}


def edit_one_digit(path: Path) -> None:
    """Change the last digit of the last line (what a slip in a text editor does)."""
    lines = path.read_bytes().rstrip(b"\n").split(b"\n")
    last = bytearray(lines[-1])
    i = max(j for j, c in enumerate(last) if chr(c).isdigit())
    last[i] = ord("7") if last[i] != ord("7") else ord("3")
    lines[-1] = bytes(last)
    path.write_bytes(b"\n".join(lines) + b"\n")


# --------------------------------------------------------------------------- row 1: edited after import
def test_rebuild_refuses_a_raw_file_edited_after_import(store, downloads):
    before, published = shas(store), load("DGS10", store=store)
    raw = raw_path(store, "fred/DGS10")
    edit_one_digit(raw)
    edited = raw.read_bytes()

    done = rotation(store.root, "data", "rebuild")
    assert done.returncode == 1, done.stdout
    assert "refused: raw file was modified after it was imported" in done.stdout
    assert raw.relative_to(store.root).as_posix() in done.stderr  # the file is named, and the fix
    assert f"re-import the original file: `rotation data import {downloads / 'DGS10.csv'}`" in done.stderr
    assert shas(store) == before  # every published dataset kept, the refused one included
    pd.testing.assert_series_equal(load("DGS10", store=store), published)
    assert raw.read_bytes() == edited  # the evidence stays

    verify = rotation(store.root, "data", "verify")
    assert verify.returncode == 1 and "DGS10.csv: raw file checksum does not match" in verify.stderr
    assert raw.exists()
    # the advised repair: import the original download again
    assert rotation(store.root, "data", "import", downloads / "DGS10.csv").returncode == 0
    assert rotation(store.root, "data", "verify").returncode == 0
    assert "held" not in store.current_manifest() and shas(store) == before


def test_rebuild_refuses_a_raw_file_whose_import_record_was_edited_too(store):
    """Edited bytes with their .import.json made to agree: the raw file's folder is named after the original bytes."""
    raw = raw_path(store, "fred/DGS10")
    edit_one_digit(raw)
    side = raw.parent / ".import.json"
    doc = json.loads(side.read_text())
    doc["sha256"] = hashlib.sha256(raw.read_bytes()).hexdigest()
    side.write_text(json.dumps(doc))
    store.manifest_path.write_text("{")  # and no manifest to tell
    rows = {r: s for _, r, s in rebuild(store)}
    assert rows["fred/DGS10"].startswith("refused: raw file and its .import.json were modified after the import")
    assert raw.exists() and raw.relative_to(store.root).as_posix() in store.current_manifest()["held"]
    assert "DGS10" not in store.current_manifest()["datasets"]  # a damaged manifest publishes nothing to keep


# --------------------------------------------------------------------------- row 2: no longer parses
def test_rebuild_refuses_a_raw_file_that_no_longer_parses(store, downloads):
    before = shas(store)
    raw = raw_path(store, "famafrench/F-F_Research_Data_Factors")
    raw.write_bytes(raw.read_bytes()[:300])  # a damaged zip

    done = rotation(store.root, "data", "rebuild")
    assert done.returncode == 1
    assert f"rebuilt {len(before)} datasets" in done.stdout  # none dropped
    assert shas(store) == before and raw.exists()
    assert "Fix: re-import the original file: `rotation data import" in done.stderr
    # the next writer's clean-up keeps the evidence and the published files
    assert rotation(store.root, "data", "import", downloads / "IWM.csv", "--end", "IWM=2026-07-10").returncode == 0
    assert raw.exists() and shas(store) == before
    assert load("ff3_monthly", store=store).index[-1] == pd.Timestamp(store.current_manifest()["datasets"]
                                                                        ["ff3_monthly"]["last"])


def test_an_intact_raw_file_that_no_longer_parses_is_held_and_reported(store, downloads, monkeypatch):
    """The same bytes, refused by the parser (a new version of the code): held, reported, released by an import."""
    real = rebuilding.process

    def process(source, remote_id, data, name, end=None):
        if remote_id == "DGS10":
            raise ValueError("line 3: not a number")
        return real(source, remote_id, data, name, end=end)

    before = shas(store)
    monkeypatch.setattr(rebuilding, "process", process)
    rows = {r: s for _, r, s in rebuild(store)}
    assert rows["fred/DGS10"].startswith("refused: raw file cannot be parsed any more (ValueError: line 3")
    assert "kept as published: dataset DGS10" in rows["fred/DGS10"]
    assert shas(store) == before
    (problem,) = store.verify()
    assert problem.kind == "raw-damaged" and problem.path.endswith("DGS10.csv") and "parsed" in problem.what
    monkeypatch.setattr(rebuilding, "process", real)
    assert import_paths([downloads / "DGS10.csv"], store=store).ok
    assert store.verify() == [] and "held" not in store.current_manifest()


def test_rebuild_keeps_the_datasets_of_a_missing_raw_file(store):
    before = shas(store)
    raw = raw_path(store, "fred/DGS10")
    raw.unlink()
    done = rotation(store.root, "data", "rebuild")
    assert done.returncode == 1 and "kept: the raw file is missing" in done.stdout
    assert shas(store) == before
    load("DGS10", store=store)
    assert any(p.kind == "raw-missing" for p in store.verify())


def test_a_file_the_store_has_no_record_of_is_not_adopted(store, downloads):
    stray = store.root / "raw/fred/DGS2.csv"
    stray.write_bytes(b"observation_date,DGS2\n2020-01-02,1.5\n")
    rows = {p: s for p, _, s in rebuild(store)}
    assert rows["raw/fred/DGS2.csv"].startswith("skipped: no sha256 was recorded for it at import")
    assert "DGS2" not in store.current_manifest()["datasets"] and stray.exists()
