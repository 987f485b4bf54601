"""Every path a manifest names lies in the store's own folders, checked on every read and by verify.

Issue 26, row 6: a manifest edited to point a dataset outside the store, its checksum recomputed,
made ``load`` read ``/etc/passwd`` and return a forged parquet file as DGS10, and ``verify`` delete the
genuine file and say "ok".
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from rotation.data.api import load
from rotation.data.ingest import import_paths
from rotation.data.store import Store, manifest_checksum
from rotation.data.store.manifest import path_problem
from rotation.errors import StoreError

from _helpers import rotation_cli

RAW = ["prices/IWM.csv", "fred/DGS10.csv"]


rotation = rotation_cli


@pytest.fixture
def store(raw_dir, tmp_path) -> Store:
    st = Store(tmp_path / "store")
    assert import_paths([raw_dir / r for r in RAW], store=st).ok
    return st


def forge(store: Store, edit) -> dict:
    """Edit the manifest with ``edit(doc)`` and recompute its checksum, as an attacker who read the code would."""
    doc = json.loads(store.manifest_path.read_text())
    edit(doc)
    doc["checksum"] = manifest_checksum(doc)
    store.manifest_path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    return doc


@pytest.mark.parametrize("where", ["/etc/passwd", "../forged.parquet", "processed/../../forged.parquet",
                                   "processed/sub/x.parquet", "raw/../processed/x.parquet", "C:\\forged.parquet",
                                   "manifest.json", "processed/./x.parquet", "processed//x.parquet"])
def test_a_dataset_path_outside_the_store_is_refused_on_read_and_by_verify(store, tmp_path, where):
    genuine = store.current_manifest()["datasets"]["DGS10"]["path"]
    want = load("DGS10", store=store)
    forged = want * 100
    forged.to_frame().to_parquet(tmp_path / "forged.parquet")
    forge(store, lambda d: d["datasets"]["DGS10"].update(path=where))

    with pytest.raises(StoreError, match=r"names .* for dataset 'DGS10', .*it was edited .*Fix: run `rotation data "
                                         r"rebuild`"):
        load("DGS10", store=store)
    with pytest.raises(StoreError, match="for dataset 'DGS10'"):
        load("IWM", store=store)  # the whole manifest is refused, as for any edit
    done = rotation(store.root, "data", "verify")
    assert done.returncode == 1 and f"names {where!r} for dataset 'DGS10'" in done.stderr
    assert (store.root / genuine).exists()  # nothing was cleaned up against the forged manifest
    refused = rotation(store.root, "data", "import", tmp_path / "nothing.csv")
    assert refused.returncode == 1 and (store.root / genuine).exists()
    # the advised repair restores the genuine data
    assert rotation(store.root, "data", "rebuild").returncode == 0
    pd.testing.assert_series_equal(load("DGS10", store=store), want)


def test_a_raw_path_outside_the_store_is_refused(store):
    forge(store, lambda d: d["remote_files"]["fred/DGS10"].update(path="/etc/passwd"))
    with pytest.raises(StoreError, match=r"names '/etc/passwd' for the raw file of 'fred/DGS10'"):
        load("DGS10", store=store)
    (problem,) = store.verify()
    assert problem.kind == "manifest-damaged" and problem.path == "manifest.json"


def test_a_held_path_outside_the_store_is_refused(store):
    forge(store, lambda d: d.update(held={"raw/fred/0123456789abcdef/DGS10.csv": {"files": ["/home/me/thesis.tex"]}}))
    with pytest.raises(StoreError, match=r"names '/home/me/thesis.tex' for a file held with"):
        Store(store.root).manifest()


def test_a_forged_file_inside_a_linked_folder_is_still_checked_by_its_sha256(store, tmp_path):
    """Through a link (data on another disk) the name is the store's; the bytes are still checked."""
    disk = tmp_path / "disk"
    shutil.move(store.root / "processed", disk)
    (store.root / "processed").symlink_to(disk, target_is_directory=True)
    load("DGS10", store=store)
    path = store.root / store.current_manifest()["datasets"]["DGS10"]["path"]
    path.write_bytes(path.read_bytes()[:-10] + b"0" * 10)
    with pytest.raises(StoreError, match="does not match its sha256"):
        load("DGS10", store=store)


@pytest.mark.parametrize(("rel", "ok"), [
    ("processed/DGS10-0123456789abcdef.parquet", True), ("processed/DGS10.parquet", True),
    ("raw/fred/0123456789abcdef/DGS10.csv", True), ("raw/fred/DGS10.csv", True),
    ("processed/x.csv", False), ("raw/x", False), ("/abs/processed/x.parquet", False), ("", False), (None, False),
    ("raw/fred/../../../etc/passwd", False), ("processed/x.parquet\x00", False), ("data/processed/x.parquet", False),
])
def test_path_problem(rel, ok):
    assert (path_problem(rel) is None) is ok
