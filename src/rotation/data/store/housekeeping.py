"""Which files under ``raw/`` and ``processed/`` the store made, and removing the ones no manifest needs.

The store removes only what it created, recognised by name and never through a link:

* ``processed/<name>.parquet`` (a regular file directly in ``processed/``);
* ``raw/<source>/<id>/<file>`` (a regular file in a folder named by a 16-hex-digit id, directly under a
  source folder), and those id folders once empty;
* temporary files ``.<name>.<random>.tmp`` in those folders and in the store's root.

Everything else -- a symbolic link anywhere (a source folder moved to another disk and linked back,
a linked file), a file or folder of another name -- is *foreign*: it is never removed, never
followed while cleaning, and reported (:func:`survey`). Reading follows links as any program does:
a manifest path through a linked folder reads the file on the other disk.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rotation.data.store.files import TMP_SUFFIX

__all__ = ["Survey", "survey", "is_tmp", "remove_own", "ID_FOLDER"]

#: The name of a raw file's folder: the start of a digest (:func:`rotation.data.store.manifest.raw_id`).
ID_FOLDER = re.compile(r"^[0-9a-f]{16}$")


def is_tmp(name: str) -> bool:
    """A temporary file of :func:`rotation.data.store.files.atomic_write_bytes` (``.<name>.<random>.tmp``)."""
    return name.startswith(".") and name.endswith(TMP_SUFFIX)


@dataclass
class Survey:
    """What is under ``raw/`` and ``processed/`` (and the root's temporary files), links not followed.

    Attributes
    ----------
    own : list of str
        The store's own files (relative posix paths): candidates for removal when no manifest names them.
    id_folders : list of str
        The store's own raw id folders (removed when empty).
    foreign : list of (str, str)
        ``(path, what it is)`` of everything the store did not create: never removed.
    """

    own: list[str] = field(default_factory=list)
    id_folders: list[str] = field(default_factory=list)
    foreign: list[tuple[str, str]] = field(default_factory=list)

    def note(self, entry: os.DirEntry[str], rel: str) -> None:
        if entry.is_symlink():
            try:
                target = os.readlink(entry.path)
            except OSError:
                target = "?"
            self.foreign.append((rel, f"a symbolic link to {target}: the store reads through it but never removes it "
                                      "or anything behind it"))
        else:
            kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            self.foreign.append((rel, f"a {kind} the store did not create: left as it is"))


def _entries(path: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(path) as it:
            return sorted(it, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _plain_dir(entry: os.DirEntry[str]) -> bool:
    return entry.is_dir(follow_symlinks=False)


def _plain_file(entry: os.DirEntry[str]) -> bool:
    return entry.is_file(follow_symlinks=False)


def _top(root: Path, name: str, out: Survey) -> Path | None:
    """``root/name`` when it is a real folder; a link there is foreign (and not entered)."""
    path = root / name
    if path.is_symlink():
        for e in _entries(root):
            if e.name == name:
                out.note(e, name)
        return None
    return path if path.is_dir() else None


def survey(root: Path) -> Survey:
    """The store's own files and everything else under ``raw/`` and ``processed/``, links never followed."""
    out = Survey()
    out.own += [e.name for e in _entries(root) if _plain_file(e) and is_tmp(e.name)]
    processed = _top(root, "processed", out)
    for e in _entries(processed) if processed else []:
        rel = f"processed/{e.name}"
        if _plain_file(e) and (e.name.endswith(".parquet") or is_tmp(e.name)):
            out.own.append(rel)
        else:
            out.note(e, rel)
    raw = _top(root, "raw", out)
    for src in _entries(raw) if raw else []:
        if _plain_dir(src):
            _source_folder(Path(src.path), f"raw/{src.name}", out)
        elif _plain_file(src) and is_tmp(src.name):
            out.own.append(f"raw/{src.name}")
        else:
            out.note(src, f"raw/{src.name}")
    return out


def _source_folder(path: Path, rel: str, out: Survey) -> None:
    """``raw/<source>``: its id folders and their files are the store's; anything else is foreign."""
    for d in _entries(path):
        sub = f"{rel}/{d.name}"
        if _plain_dir(d) and ID_FOLDER.match(d.name):
            out.id_folders.append(sub)
            for f in _entries(Path(d.path)):
                if _plain_file(f):
                    out.own.append(f"{sub}/{f.name}")
                else:
                    out.note(f, f"{sub}/{f.name}")
        elif _plain_file(d) and is_tmp(d.name):
            out.own.append(sub)
        else:
            out.note(d, sub)


def remove_own(root: Path, found: Survey, keep: Iterable[str]) -> list[str]:
    """Remove the store's own files that ``keep`` does not name, then its empty id folders; what was removed.

    Call it with the writer lock held. A path that turned into a link since the survey is left alone.
    """
    kept = set(keep)
    removed = []
    for rel in found.own:
        if rel in kept:
            continue
        path = root / rel
        with contextlib.suppress(FileNotFoundError):
            if path.is_symlink() or not path.is_file():
                continue
            path.unlink()
            removed.append(rel)
    for rel in found.id_folders:
        with contextlib.suppress(OSError):
            (root / rel).rmdir()  # only when empty; a link is not a folder to rmdir
    return removed
