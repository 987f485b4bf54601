"""Clean-ups remove only the store's own files, never follow or remove a link, and report what is not theirs.

Issue 26, row 3: with ``raw/fred`` a symbolic link to a folder on another disk, the first
``rotation data verify`` unlinked it (and said "ok"); the next one found 29 problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation.data.api import load
from rotation.data.ingest import import_paths, rebuild
from rotation.data.store import Store

from _helpers import rotation_cli

RAW = ["prices/IWM.csv", "fred/DGS10.csv", "fred/T10Y2Y.csv"]


rotation = rotation_cli


@pytest.fixture
def store(raw_dir, tmp_path) -> Store:
    st = Store(tmp_path / "store")
    assert import_paths([raw_dir / r for r in RAW], store=st).ok
    return st


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_a_source_folder_linked_from_another_disk_is_read_through_and_never_removed(store, raw_dir, tmp_path):
    disk = tmp_path / "other-disk"
    disk.mkdir()
    (store.root / "raw/fred").rename(disk / "fred")
    (store.root / "raw/fred").symlink_to(disk / "fred", target_is_directory=True)
    behind = files(disk / "fred")

    for _ in range(2):  # the first verify used to unlink it, the second then found the files missing
        done = rotation(store.root, "data", "verify")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"note: raw/fred is a symbolic link to {disk / 'fred'}: the store reads "
                                      "through it but never removes it")
        assert "ok: 3 datasets" in done.stdout
        assert (store.root / "raw/fred").is_symlink() and files(disk / "fred") == behind

    # a writer's clean-up (an import that replaces DGS10) and a rebuild leave it too, and read through it
    assert rotation(store.root, "data", "import", raw_dir / "fred/DGS10.csv", "--end", "2020-01-31").returncode == 0
    assert (store.root / "raw/fred").is_symlink() and behind <= files(disk / "fred")  # nothing behind it removed
    assert load("DGS10", store=store).index[-1].strftime("%Y-%m") == "2020-01"
    done = rotation(store.root, "data", "rebuild")
    assert done.returncode == 0, done.stderr
    assert "rebuilt 3 datasets" in done.stdout and (store.root / "raw/fred").is_symlink()
    assert load("T10Y2Y", store=store).equals(Store(store.root).read("T10Y2Y"))


def test_a_dangling_link_is_reported_not_removed(store, tmp_path):
    gone = tmp_path / "unmounted"
    (store.root / "raw/fred").rename(tmp_path / "moved")
    (store.root / "raw/fred").symlink_to(gone, target_is_directory=True)
    done = rotation(store.root, "data", "verify")
    assert done.returncode == 1 and "raw file is missing" in done.stderr
    assert "raw/fred is a symbolic link" in done.stdout
    assert (store.root / "raw/fred").is_symlink()
    assert rotation(store.root, "data", "import", tmp_path / "nothing-here").returncode != 0
    assert (store.root / "raw/fred").is_symlink()


def test_cleanup_removes_only_the_stores_own_names(store, tmp_path):
    root = store.root
    outside = tmp_path / "outside.parquet"
    outside.write_bytes(b"mine")
    foreign = {
        "raw/README.txt": b"my notes",
        "raw/fred/DGS10-by-hand.csv": b"kept",
        "processed/mine.csv": b"kept",
    }
    for rel, data in foreign.items():
        (root / rel).write_bytes(data)
    (root / "processed/link-0123456789abcdef.parquet").symlink_to(outside)  # a link with the store's own name
    (root / "raw/elsewhere").symlink_to(tmp_path, target_is_directory=True)
    own = ["processed/IWM-0123456789abcdef.parquet", "processed/.IWM-0123456789abcdef.parquet.1a2b3c4d5e6f.tmp",
           ".manifest.json.1a2b3c4d5e6f.tmp", "raw/prices/feedfacefeedface/IWM.csv"]
    (root / "raw/prices/feedfacefeedface").mkdir()
    for rel in own:
        (root / rel).write_bytes(b"left by a killed writer")

    assert store.leftovers() == sorted(own)
    assert store.verify() == []
    removed = store.clean()
    assert sorted(removed or []) == sorted(own)
    assert not (root / "raw/prices/feedfacefeedface").exists()
    for rel, data in foreign.items():
        assert (root / rel).read_bytes() == data
    assert (root / "processed/link-0123456789abcdef.parquet").is_symlink() and outside.read_bytes() == b"mine"
    assert (root / "raw/elsewhere").is_symlink()
    notes = store.foreign()
    assert "processed/link-0123456789abcdef.parquet is a symbolic link to " + str(outside) + \
        ": the store reads through it but never removes it or anything behind it" in notes
    assert "raw/README.txt is a file the store did not create: left as it is" in notes
    assert len(notes) == 5
    # a rebuild leaves them all too (it reads the raw files it knows, through links)
    rebuild(store)
    assert all((root / rel).exists() for rel in foreign) and (root / "raw/elsewhere").is_symlink()
