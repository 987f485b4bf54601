"""The local store: immutable raw files, processed parquet files and a manifest.

Layout (under :func:`rotation.config.data_dir`)::

    raw/<source>/<original file name>     byte-for-byte what was downloaded or imported
    processed/<key>.parquet               one file per dataset, in the units of the catalog
    manifest.json                         what is where, with sha256 checksums

Every write goes to a temporary file in the same folder and is then renamed over
the target (``os.replace``), and the manifest is written last. A fetch or import
that fails before the commit leaves every file exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from rotation import config
from rotation.data import catalog
from rotation.errors import DatasetNotFoundError, OfflineError, StoreError

__all__ = ["Store", "CommitResult", "Problem", "sha256_bytes", "sha256_file", "atomic_write_bytes"]

MANIFEST_VERSION = 1


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes (streamed)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _tmp_path(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(name)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_path(target)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for pkg in ("rotation", "pandas", "numpy", "pyarrow", "pandas-datareader"):
        with contextlib.suppress(md.PackageNotFoundError):
            out[pkg] = md.version(pkg)
    return out


@dataclass(frozen=True)
class CommitResult:
    """What a commit did to one remote file's entry: ``added``, ``updated`` or ``unchanged``."""

    remote: str
    status: str
    datasets: tuple[str, ...]
    raw_path: str
    raw_sha256: str


@dataclass(frozen=True)
class Problem:
    """A problem found by :meth:`Store.verify`: which file, what is wrong, how to repair it."""

    path: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}. Fix: {self.fix}"


class Store:
    """The local data store rooted at ``root`` (default :func:`rotation.config.data_dir`)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else config.data_dir()

    # ------------------------------------------------------------------ paths
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def raw_dir(self, source: str) -> Path:
        return self.root / "raw" / source

    def processed_path(self, key: str) -> Path:
        safe = key.replace("^", "IDX_").replace("/", "_")
        return self.root / "processed" / f"{safe}.parquet"

    # ------------------------------------------------------------------ manifest
    def manifest(self) -> dict[str, Any]:
        """The manifest as a dict (an empty one when the store is new)."""
        if not self.manifest_path.exists():
            return {"version": MANIFEST_VERSION, "remote_files": {}, "datasets": {}}
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(
                f"the store manifest {self.manifest_path} is not valid JSON ({exc}). Fix: re-import the data "
                "(`rotation data import DIR` or `rotation data fetch`), which rebuilds it; or delete the "
                f"folder {self.root} and start again."
            ) from exc
        if data.get("version") != MANIFEST_VERSION:
            raise StoreError(
                f"the store manifest {self.manifest_path} has version {data.get('version')!r}, "
                f"this rotation expects {MANIFEST_VERSION}. Fix: delete {self.root} and re-import."
            )
        return data

    def _write_manifest(self, manifest: Mapping[str, Any]) -> None:
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        atomic_write_bytes(self.manifest_path, text.encode("utf-8"))

    def has(self, key: str) -> bool:
        """True when dataset ``key`` is in the store."""
        return key in self.manifest()["datasets"]

    def entry(self, key: str) -> dict[str, Any]:
        """The manifest entry of dataset ``key``."""
        ds = self.manifest()["datasets"]
        if key not in ds:
            raise DatasetNotFoundError(self.missing_message(key))
        return ds[key]

    def missing_message(self, key: str) -> str:
        d = catalog.get(key)
        how = (
            f"Get it in one of two ways: (1) download it: `rotation data fetch {d.key}` "
            f"(needs internet; fetches {d.source} {d.remote_id!r}); or (2) import a downloaded original file: "
            f"`rotation data import DIR` (a folder holding e.g. {_example_filename(d)})."
        )
        return f"dataset {key!r} is not in the local store {self.root}. {how}"

    # ------------------------------------------------------------------ commit
    def commit(
        self,
        source: str,
        remote_id: str,
        raw_name: str,
        raw_bytes: bytes,
        frames: Mapping[str, pd.DataFrame | pd.Series],
        meta: Mapping[str, Any],
        origin: str,
        how: str,
    ) -> CommitResult:
        """Store one remote file and the datasets parsed from it, atomically.

        Parameters
        ----------
        source, remote_id : str
            Which remote file (see :mod:`rotation.data.catalog`).
        raw_name : str
            File name to keep the original under (``raw/<source>/<raw_name>``).
        raw_bytes : bytes
            The original file, kept byte-for-byte.
        frames : mapping of str to DataFrame or Series
            Processed datasets by key, already validated.
        meta : mapping
            Extra facts for the manifest (vintage, end cut, dropped rows...).
        origin : str
            URL fetched or path imported.
        how : {"fetch", "import"}
        """
        manifest = self.manifest()
        name = f"{source}/{remote_id}"
        raw_sha = sha256_bytes(raw_bytes)
        raw_rel = f"raw/{source}/{raw_name}"
        prev = manifest["remote_files"].get(name)
        options = {k: meta.get(k) for k in ("end",)}

        if (
            prev is not None
            and prev.get("sha256") == raw_sha
            and prev.get("options") == options
            and prev.get("path") == raw_rel
            and set(prev.get("datasets", [])) == set(frames)
            and self._intact(prev, manifest)
        ):
            return CommitResult(name, "unchanged", tuple(frames), raw_rel, raw_sha)

        # 1. write every new file to a temporary name; nothing visible changes yet
        staged: list[tuple[Path, Path]] = []
        entries: dict[str, dict[str, Any]] = {}
        try:
            raw_target = self.root / raw_rel
            raw_target.parent.mkdir(parents=True, exist_ok=True)
            tmp = _tmp_path(raw_target)
            staged.append((tmp, raw_target))
            tmp.write_bytes(raw_bytes)
            for key, obj in frames.items():
                target = self.processed_path(key)
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = _tmp_path(target)
                staged.append((tmp, target))
                frame = obj.to_frame(name=key) if isinstance(obj, pd.Series) else obj
                frame.to_parquet(tmp, engine="pyarrow", index=True)
                ds = catalog.get(key)
                idx = frame.index
                entries[key] = {
                    "source": source,
                    "remote_id": remote_id,
                    "remote_file": name,
                    "path": str(target.relative_to(self.root)),
                    "sha256": sha256_file(tmp),
                    "rows": int(len(frame)),
                    "columns": [str(c) for c in frame.columns],
                    "first": idx[0].date().isoformat() if len(idx) else None,
                    "last": idx[-1].date().isoformat() if len(idx) else None,
                    "frequency": ds.frequency,
                    "units": ds.units,
                    "shape": ds.shape,
                    "raw_sha256": raw_sha,
                    "acquired_at": _now(),
                    "acquired_by": how,
                }
        except BaseException:
            for tmp, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            raise

        # 2. rename into place, then the manifest (the commit point); on failure put
        #    back the previous bytes of every target so nothing visible changes
        previous = {t: (t.read_bytes() if t.exists() else None) for t in (*(t for _, t in staged), self.manifest_path)}
        old_raw = prev.get("path") if prev else None
        dropped = [key for key in (prev.get("datasets", []) if prev else []) if key not in frames]
        try:
            for tmp, target in staged:
                os.replace(tmp, target)
            for key in dropped:
                manifest["datasets"].pop(key, None)
            manifest["remote_files"][name] = {
                "source": source,
                "remote_id": remote_id,
                "path": raw_rel,
                "sha256": raw_sha,
                "bytes": len(raw_bytes),
                "origin": origin,
                "acquired_by": how,
                "acquired_at": _now(),
                "options": options,
                "datasets": sorted(frames),
                "meta": {k: v for k, v in meta.items() if k != "end"},
                "versions": _versions(),
            }
            manifest["datasets"].update(entries)
            self._write_manifest(manifest)
        except BaseException:
            for tmp, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            for target, old in previous.items():
                with contextlib.suppress(OSError):
                    if old is None:
                        target.unlink(missing_ok=True)
                    elif not target.exists() or target.read_bytes() != old:
                        atomic_write_bytes(target, old)
            raise
        for key in dropped:
            with contextlib.suppress(FileNotFoundError):
                self.processed_path(key).unlink()
        if old_raw and old_raw != raw_rel:
            with contextlib.suppress(FileNotFoundError):
                (self.root / old_raw).unlink()
        return CommitResult(name, "updated" if prev else "added", tuple(frames), raw_rel, raw_sha)

    def _intact(self, remote_entry: Mapping[str, Any], manifest: Mapping[str, Any]) -> bool:
        raw = self.root / remote_entry["path"]
        if not raw.exists() or sha256_file(raw) != remote_entry["sha256"]:
            return False
        for key in remote_entry.get("datasets", []):
            e = manifest["datasets"].get(key)
            if e is None:
                return False
            p = self.root / e["path"]
            if not p.exists() or sha256_file(p) != e["sha256"]:
                return False
        return True

    # ------------------------------------------------------------------ read
    def read(self, key: str) -> pd.DataFrame | pd.Series:
        """Read dataset ``key`` from the store (no date filtering)."""
        d = catalog.get(key)
        manifest = self.manifest()
        entry = manifest["datasets"].get(d.key)
        if entry is None:
            cls = OfflineError if config.offline() else DatasetNotFoundError
            msg = self.missing_message(d.key)
            if config.offline():
                msg = "offline mode (ROTATION_OFFLINE) is on and " + msg
            raise cls(msg)
        path = self.root / entry["path"]
        try:
            frame = pd.read_parquet(path, engine="pyarrow")
        except (OSError, ValueError) as exc:  # missing or corrupt parquet
            raise StoreError(
                f"the store file {path} for dataset {d.key!r} cannot be read ({exc}). "
                f"Fix: run `rotation data verify`, then re-import or `rotation data fetch {d.key}`."
            ) from exc
        frame.index.name = "date"
        if d.shape == "series":
            s = frame.iloc[:, 0]
            s.name = d.key
            return s
        return frame

    # ------------------------------------------------------------------ status / verify
    def status(self, check: bool = True) -> list[dict[str, Any]]:
        """One row per catalog dataset that is in the store.

        Columns: key, source, remote_id, rows, first, last, acquired_at, age_days, checksum_ok.
        """
        manifest = self.manifest()
        now = dt.datetime.now(dt.UTC)
        rows = []
        for key in catalog.CATALOG:
            e = manifest["datasets"].get(key)
            if e is None:
                continue
            ok = None
            if check:
                p = self.root / e["path"]
                ok = p.exists() and sha256_file(p) == e["sha256"]
                rf = manifest["remote_files"].get(e["remote_file"])
                if rf is not None:
                    rp = self.root / rf["path"]
                    ok = ok and rp.exists() and sha256_file(rp) == rf["sha256"]
            acquired = dt.datetime.fromisoformat(e["acquired_at"].replace("Z", "+00:00"))
            rows.append(
                {
                    "key": key,
                    "source": e["source"],
                    "remote_id": e["remote_id"],
                    "rows": e["rows"],
                    "first": e["first"],
                    "last": e["last"],
                    "acquired_at": e["acquired_at"],
                    "acquired_by": e.get("acquired_by"),
                    "age_days": round((now - acquired).total_seconds() / 86400, 1),
                    "sha256": e["sha256"],
                    "raw_sha256": e["raw_sha256"],
                    "checksum_ok": ok,
                }
            )
        return rows

    def verify(self) -> list[Problem]:
        """Recompute every checksum; return the problems found (empty when all is well)."""
        manifest = self.manifest()
        problems: list[Problem] = []
        for _name, rf in sorted(manifest["remote_files"].items()):
            p = self.root / rf["path"]
            fix = _fix_for(rf)
            if not p.exists():
                problems.append(Problem(rf["path"], "raw file is missing", fix))
            elif p.stat().st_size != rf["bytes"]:
                problems.append(
                    Problem(rf["path"], f"raw file has {p.stat().st_size} bytes, the manifest says {rf['bytes']} (truncated or modified)", fix)
                )
            elif sha256_file(p) != rf["sha256"]:
                problems.append(Problem(rf["path"], "raw file checksum does not match the manifest (modified)", fix))
        for key, e in sorted(manifest["datasets"].items()):
            p = self.root / e["path"]
            rf = manifest["remote_files"].get(e["remote_file"], {"source": e["source"], "remote_id": e["remote_id"]})
            fix = _fix_for(rf)
            if not p.exists():
                problems.append(Problem(e["path"], f"processed file of dataset {key!r} is missing", fix))
            elif sha256_file(p) != e["sha256"]:
                problems.append(Problem(e["path"], f"processed file of dataset {key!r} does not match its checksum (modified or truncated)", fix))
        return problems

    def iter_datasets(self) -> Iterator[str]:
        yield from self.manifest()["datasets"]


def _example_filename(d: catalog.Dataset) -> str:
    if d.source == "fred":
        return f"fred/{d.remote_id}.csv"
    if d.source == "prices":
        return f"prices/{catalog.price_filename(d.remote_id)}"
    return f"famafrench/{d.remote_id}_CSV.zip"


def _fix_for(rf: Mapping[str, Any]) -> str:
    src, rid = rf.get("source"), rf.get("remote_id")
    keys = catalog.REMOTE_FILES.get(f"{src}/{rid}")
    key = keys.datasets[0] if keys and keys.datasets else rid
    origin = rf.get("origin")
    how = f"`rotation data import {origin}`" if rf.get("acquired_by") == "import" and origin else "`rotation data import DIR`"
    return f"re-create it with `rotation data fetch {key}` (online) or {how} (offline)"
