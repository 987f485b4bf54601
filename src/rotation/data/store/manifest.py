"""The manifest (``manifest.json``): what is where in the store, with checksums, and a checksum of its own.

Its content::

    {"version": 2,
     "remote_files": {"<source>/<remote_id>": {"path": "raw/<source>/<id>/<name>", "sha256", "bytes", "origin",
                                              "acquired_by", "acquired_at", "options", "datasets", "meta",
                                              "versions", ...}},
     "datasets": {"<key>": {"path": "processed/<key>-<sha[:16]>.parquet", "sha256", "rows", "first", "last",
                            "frequency", "units", "shape", "remote_file", "raw_sha256", ...}},
     "held": {"raw/<source>/<id>/<name>": {"remote_file", "why", "remote", "files"}},   (only when not empty)
     "checksum": "<sha256 of the rest, canonical JSON>"}

Each raw file has a sidecar ``.import.json`` next to it (how it was imported), named by the
manifest too. ``held`` names raw files a rebuild could not use (modified since their import, or
no longer parsable), kept as evidence with the files of their last published datasets: nothing a
manifest names is ever removed, and ``Store.verify`` reports each until the original is imported
again. Version 1 manifests (no checksum) are still read.

Every path a manifest names is relative to the store's root and lies in its own folders:
``processed/<file>.parquet`` or ``raw/<source>/.../<file>``, no ``..``, no absolute path
(:func:`path_problem`). A manifest naming anything else was edited, whatever its checksum says,
and is refused like a damaged one, on every read and by ``verify``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from rotation.data.store.files import atomic_write_bytes, sha256_bytes, sha256_file
from rotation.data.store.problems import Problem, StoreProblemError

__all__ = ["MANIFEST_VERSION", "READABLE_VERSIONS", "SIDECAR", "manifest_checksum", "raw_id", "empty_manifest",
           "read_manifest", "check_manifest", "write_manifest", "loose_manifest", "referenced", "raw_intact",
           "remote_file_intact", "path_problem", "manifest_paths"]

MANIFEST_VERSION = 2
#: Manifest versions this code reads (version 1: no manifest checksum, files named ``<key>.parquet``).
READABLE_VERSIONS = (1, 2)
#: Name of the file next to each raw file that says how it was imported.
SIDECAR = ".import.json"


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("utf-8")


def manifest_checksum(manifest: Mapping[str, Any]) -> str:
    """sha256 of the manifest's content without its ``checksum`` field (canonical JSON)."""
    return sha256_bytes(_canonical({k: v for k, v in manifest.items() if k != "checksum"}))


def raw_id(raw_sha: str, source: str, remote_id: str, options: Mapping[str, Any]) -> str:
    """The ``<id>`` folder of a raw file: a digest of its bytes, which remote file it is and its import options."""
    return sha256_bytes(_canonical([raw_sha, source, remote_id, dict(options)]))[:16]


def empty_manifest() -> dict[str, Any]:
    """The manifest of an empty store."""
    return {"version": MANIFEST_VERSION, "remote_files": {}, "datasets": {}}


def read_manifest(path: Path, root: Path) -> dict[str, Any]:
    """The manifest at ``path`` (of the store at ``root``), its checksum and paths verified; empty when there is none.

    Raises
    ------
    StoreProblemError
        ``unreadable`` (the filesystem refused the read) or ``manifest-damaged`` (not valid JSON,
        an unknown version, a content that does not match its checksum, or a path outside the
        store's own folders).
    """
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return empty_manifest()
    except OSError as exc:
        raise StoreProblemError(Problem("unreadable", path.name, f"cannot read the store manifest {path}: {exc}",
                                        root)) from exc
    try:
        data = json.loads(text.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _damaged(path, root, f"is not valid JSON ({exc}), e.g. truncated") from exc
    return check_manifest(data, path, root)


def _damaged(path: Path, root: Path, what: str) -> StoreProblemError:
    return StoreProblemError(Problem("manifest-damaged", path.name, f"the store manifest {path} {what}", root))


def check_manifest(data: Any, path: Path, root: Path) -> dict[str, Any]:
    """``data`` (a parsed manifest read from ``path``) with its version, checksum and every path it names checked.

    Raises
    ------
    StoreProblemError
        ``manifest-damaged``: an unknown version, a content that does not match its checksum, or
        a path outside the store's own folders (see :func:`path_problem`).
    """
    if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
        version = data.get("version") if isinstance(data, dict) else None
        raise _damaged(path, root, f"has version {version!r}, this rotation reads {READABLE_VERSIONS}")
    if data["version"] >= 2 and data.get("checksum") != manifest_checksum(data):
        raise _damaged(path, root, "does not match its own checksum: it was edited or damaged after it was written")
    data.setdefault("remote_files", {})
    data.setdefault("datasets", {})
    try:
        for what, rel in manifest_paths(data):
            why = path_problem(rel)
            if why:
                raise _damaged(path, root, f"names {rel!r} for {what}, {why}: it was edited (its checksum proves "
                                           "nothing against an edit that recomputed it), so it is not used")
    except (AttributeError, KeyError, TypeError) as exc:
        raise _damaged(path, root, f"is not laid out as a store manifest ({type(exc).__name__}: {exc})") from exc
    return data


def manifest_paths(manifest: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """``(what, path)`` for every path the manifest names (datasets, raw files, held files)."""
    for key, e in manifest["datasets"].items():
        yield f"dataset {key!r}", e["path"]
    for name, rf in manifest["remote_files"].items():
        yield f"the raw file of {name!r}", rf["path"]
    for rel, h in (manifest.get("held") or {}).items():
        yield "a held raw file", rel
        for extra in h.get("files", []):
            yield f"a file held with {rel!r}", extra


#: A path of the store's own folders (the fast check; :func:`path_problem` says why another is not one).
_STORE_PATH = re.compile(r"^(?:processed/(?!\.{1,2}$)[^/\\\x00]+\.parquet"
                         r"|raw(?:/(?!\.{1,2}(?:/|$))[^/\\\x00]+){2,})$")


def path_problem(rel: Any) -> str | None:
    """Why ``rel`` is not a path of the store's own folders (None when it is).

    A store path is relative, written with ``/``, without ``.``, ``..`` or empty parts, and is
    either ``processed/<file>.parquet`` or ``raw/<source>/.../<file>``. The check is on the name
    only: a folder you replace with a symbolic link (data on another disk) is read through.
    """
    if isinstance(rel, str) and _STORE_PATH.match(rel):
        return None
    if not isinstance(rel, str) or not rel:
        return "not a path"
    if "\\" in rel or "\x00" in rel or rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
        return "an absolute path or one with a backslash, outside the store"
    parts = PurePosixPath(rel).parts  # manifest paths are written with "/" on every system
    if PurePosixPath(rel).as_posix() != rel or ".." in parts:
        return "a path that leaves (or may leave) the store's folders"
    if parts[0] == "processed" and len(parts) == 2 and parts[1].endswith(".parquet"):
        return None
    if parts[0] == "raw" and len(parts) >= 3:
        return None
    return "outside the store's own folders (processed/<file>.parquet or raw/<source>/.../<file>)"


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    """Publish ``manifest`` at ``path`` in one atomic replace, as the current version with its checksum."""
    body = {k: v for k, v in manifest.items() if k != "checksum" and not (k == "held" and not v)}
    body["version"] = MANIFEST_VERSION
    body["checksum"] = manifest_checksum(body)
    text = json.dumps(body, indent=2, sort_keys=True) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def loose_manifest(path: Path) -> dict[str, Any]:
    """Whatever of a damaged manifest can still be read (for a rebuild); empty if nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def referenced(manifest: Mapping[str, Any]) -> set[str]:
    """Every path (relative to the store root) the manifest names: processed files, raw files, their sidecars,
    and the files it holds (raw files a rebuild could not use and the files kept with them)."""
    named = {e["path"] for e in manifest["datasets"].values()}
    for rf in manifest["remote_files"].values():
        named.add(rf["path"])
        named.add(str(Path(rf["path"]).parent / SIDECAR))
    for rel, h in (manifest.get("held") or {}).items():
        named.add(rel)
        named.add(str(Path(rel).parent / SIDECAR))
        named.update(h.get("files", []))
    return named


def raw_intact(root: Path, remote_entry: Mapping[str, Any]) -> bool:
    """The raw file of a remote-file entry exists and matches its sha256."""
    raw = root / remote_entry["path"]
    return raw.exists() and sha256_file(raw) == remote_entry["sha256"]


def remote_file_intact(root: Path, remote_entry: Mapping[str, Any], manifest: Mapping[str, Any]) -> bool:
    """The raw file of a remote-file entry and every dataset parsed from it exist and match their sha256."""
    if not raw_intact(root, remote_entry):
        return False
    for key in remote_entry.get("datasets", []):
        e = manifest["datasets"].get(key)
        if e is None:
            return False
        p = root / e["path"]
        if not p.exists() or sha256_file(p) != e["sha256"]:
            return False
    return True
