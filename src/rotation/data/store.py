"""The local store: immutable raw files, processed parquet files and a manifest.

Layout (under :func:`rotation.config.data_dir`)::

    raw/<source>/<id>/<original file name>    byte-for-byte what was downloaded or imported
    raw/<source>/<id>/.import.json            how it was imported (remote file, cuts, origin)
    processed/<key>-<sha256[:16]>.parquet     one file per dataset, in the units of the catalog
    manifest.json                             what is where, with sha256 checksums (and its own)
    .lock                                     held by the one writer (``filelock``)

The store is changed only in a :meth:`Store.transaction`, the unit of a whole
``rotation data import`` or ``fetch``:

1. the writer takes the store-wide lock (a second writer waits for it);
2. every new file is written under a *new* name (content-addressed: ``<id>`` is a
   digest of the raw bytes and the import options; processed names carry their
   sha256), so nothing a reader can see changes;
3. the new manifest is published by one atomic rename (``os.replace``) -- the
   commit point;
4. files the new manifest no longer names, and temporary files of a writer that
   was killed, are removed.

A reader (:meth:`Store.read`) opens the manifest once and reads the files it
names, checking each file's sha256, so it sees the old store or the new one,
never a mix; the manifest carries a checksum of its own content, so an edited
value is detected too. A writer killed at any moment leaves the previous manifest
in force; its leftover files are removed by the next writer (and reported by
:meth:`Store.verify` until then). :meth:`Store.rebuild` re-creates ``processed/``
and the manifest from ``raw/`` alone.

Files are created with mode ``0666 & ~umask`` (0644 under the usual umask), so a
shared store is readable by colleagues.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rotation import config
from rotation.data import catalog
from rotation.errors import DatasetNotFoundError, OfflineError, StoreError

__all__ = ["Store", "Transaction", "CommitResult", "Problem", "RawCopy", "sha256_bytes", "sha256_file", "atomic_write_bytes",
           "staleness", "LOCK_TIMEOUT"]

MANIFEST_VERSION = 2
#: Manifest versions this code reads (version 1: no manifest checksum, files named ``<key>.parquet``).
READABLE_VERSIONS = (1, 2)
#: Seconds a writer waits for another writer's lock before giving up.
LOCK_TIMEOUT = 600.0
SIDECAR = ".import.json"
_TMP_SUFFIX = ".tmp"


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
    """A fresh temporary name next to ``target`` (``.<name>.<random>.tmp``)."""
    return target.parent / f".{target.name}.{secrets.token_hex(6)}{_TMP_SUFFIX}"


def _write_new(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Create ``path`` (must not exist) with ``data``; mode 0666 & ~umask, as ``open`` creates files."""
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        if sync:
            os.fsync(fh.fileno())


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename (mode 0666 & ~umask)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_path(target)
    try:
        _write_new(tmp, data)
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
    for pkg in ("rotation", "pandas", "numpy", "pyarrow"):
        with contextlib.suppress(md.PackageNotFoundError):
            out[pkg] = md.version(pkg)
    return out


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("utf-8")


def manifest_checksum(manifest: Mapping[str, Any]) -> str:
    """sha256 of the manifest's content without its ``checksum`` field (canonical JSON)."""
    return sha256_bytes(_canonical({k: v for k, v in manifest.items() if k != "checksum"}))


def _raw_id(raw_sha: str, source: str, remote_id: str, options: Mapping[str, Any]) -> str:
    return sha256_bytes(_canonical([raw_sha, source, remote_id, dict(options)]))[:16]


def _storage_error(exc: OSError, root: Path, doing: str) -> StoreError:
    """A filesystem failure as a message naming the path and the fix."""
    where = getattr(exc, "filename", None) or root
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return StoreError(
        f"could not {doing} in the store {root}: {reason} ({where}). Nothing was changed: the store is as it was. "
        f"Fix: make {root} writable and free some space (or choose another store with --data-dir), then run the "
        "command again."
    )


@dataclass(frozen=True)
class CommitResult:
    """What a commit did to one remote file's entry: ``added``, ``updated`` or ``unchanged``."""

    remote: str
    status: str
    datasets: tuple[str, ...]
    raw_path: str
    raw_sha256: str


@dataclass(frozen=True)
class RawCopy:
    """A file under ``raw/`` and how it was acquired (from its ``.import.json``, else the manifest).

    Attributes
    ----------
    path : Path
        The file.
    rel : str
        Its path relative to the store root (``raw/<source>/<id>/<name>``).
    source, remote_id : str or None
        Which remote file it is, when recorded (else the caller identifies it by name).
    options : dict
        The import options it was stored with (``{"end": "2026-07-10"}``).
    origin : str
        URL fetched or path imported (the file itself when unknown).
    how : str
        ``"fetch"`` or ``"import"``.
    acquired_at : str
        When (ISO 8601, UTC), ``""`` when unknown.
    published : bool
        The current manifest names it.
    """

    path: Path
    rel: str
    source: str | None
    remote_id: str | None
    options: dict[str, Any]
    origin: str
    how: str
    acquired_at: str
    published: bool


@dataclass(frozen=True)
class Problem:
    """A problem found by :meth:`Store.verify`: which file, what is wrong, how to repair it."""

    path: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}. Fix: {self.fix}"


@dataclass
class Transaction:
    """The changes of one import or fetch, published together by :meth:`Store.transaction`.

    Use :meth:`stage` once per remote file. Nothing a reader sees changes until the
    ``with`` block ends without an exception.
    """

    store: Store
    base: dict[str, Any]
    manifest: dict[str, Any]
    created: list[Path] = field(default_factory=list)
    replace_all: bool = False

    def stage(
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
        """Write one remote file and the datasets parsed from it under new names.

        Parameters
        ----------
        source, remote_id : str
            Which remote file (see :mod:`rotation.data.catalog`).
        raw_name : str
            Original file name, kept in ``raw/<source>/<id>/<raw_name>``.
        raw_bytes : bytes
            The original file, kept byte-for-byte.
        frames : mapping of str to DataFrame or Series
            Processed datasets by key, already validated.
        meta : mapping
            Extra facts for the manifest (vintage, ``end`` cut, dropped rows...). ``end``
            is an import option: it is kept so a rebuild or repair reproduces the data.
        origin : str
            URL fetched or path imported.
        how : {"fetch", "import"}

        Raises
        ------
        StoreError
            The filesystem refused a write (read-only, full); the message names the path.
        """
        store = self.store
        manifest = self.manifest
        name = f"{source}/{remote_id}"
        raw_sha = sha256_bytes(raw_bytes)
        end = meta.get("end")
        options = {"end": None if end is None else str(pd.Timestamp(end).date())}
        rid = _raw_id(raw_sha, source, remote_id, options)
        raw_rel = f"raw/{source}/{rid}/{raw_name}"
        prev = manifest["remote_files"].get(name)
        if (
            prev is not None
            and prev.get("sha256") == raw_sha
            and prev.get("options") == options
            and prev.get("path") == raw_rel
            and set(prev.get("datasets", [])) == set(frames)
            and store._intact(prev, manifest)
        ):
            return CommitResult(name, "unchanged", tuple(frames), raw_rel, raw_sha)
        acquired_at = _now()
        try:
            raw_dir = store.root / f"raw/{source}/{rid}"
            self._mkdir(raw_dir)
            self._put(raw_dir / raw_name, raw_bytes)
            sidecar = {"source": source, "remote_id": remote_id, "raw_name": raw_name, "sha256": raw_sha,
                       "options": options, "origin": origin, "acquired_by": how, "acquired_at": acquired_at}
            self._put(raw_dir / SIDECAR, json.dumps(sidecar, indent=2, sort_keys=True).encode("utf-8") + b"\n",
                      overwrite=True)
            entries: dict[str, dict[str, Any]] = {}
            self._mkdir(store.root / "processed")
            for key, obj in frames.items():
                frame = obj.to_frame(name=key) if isinstance(obj, pd.Series) else obj
                buf = io.BytesIO()
                frame.to_parquet(buf, engine="pyarrow", index=True)
                data = buf.getvalue()
                sha = sha256_bytes(data)
                rel = f"processed/{_safe(key)}-{sha[:16]}.parquet"
                self._put(store.root / rel, data)
                ds = catalog.get(key)
                idx = frame.index
                entries[key] = {
                    "source": source,
                    "remote_id": remote_id,
                    "remote_file": name,
                    "path": rel,
                    "sha256": sha,
                    "bytes": len(data),
                    "rows": int(len(frame)),
                    "columns": [str(c) for c in frame.columns],
                    "first": idx[0].date().isoformat() if len(idx) else None,
                    "last": idx[-1].date().isoformat() if len(idx) else None,
                    "frequency": ds.frequency,
                    "units": ds.units,
                    "shape": ds.shape,
                    "raw_sha256": raw_sha,
                    "acquired_at": acquired_at,
                    "acquired_by": how,
                }
        except OSError as exc:
            raise _storage_error(exc, store.root, f"write {raw_name}") from exc
        for key in (prev.get("datasets", []) if prev else []):
            if key not in frames:
                manifest["datasets"].pop(key, None)
        manifest["remote_files"][name] = {
            "source": source,
            "remote_id": remote_id,
            "path": raw_rel,
            "sha256": raw_sha,
            "bytes": len(raw_bytes),
            "origin": origin,
            "acquired_by": how,
            "acquired_at": acquired_at,
            "options": options,
            "datasets": sorted(frames),
            "meta": {k: v for k, v in meta.items() if k != "end"},
            "versions": _versions(),
        }
        manifest["datasets"].update(entries)
        return CommitResult(name, "updated" if prev else "added", tuple(frames), raw_rel, raw_sha)

    def _mkdir(self, path: Path) -> None:
        missing = [p for p in (path, *path.parents) if not p.exists() and self.store.root in (p, *p.parents)]
        path.mkdir(parents=True, exist_ok=True)
        self.created.extend(reversed(missing))

    def _put(self, target: Path, data: bytes, overwrite: bool = False) -> None:
        """Write ``data`` at ``target`` unless the same bytes are there (a damaged copy is replaced)."""
        existed = target.exists()
        if existed and not overwrite and sha256_file(target) == sha256_bytes(data):
            return
        atomic_write_bytes(target, data)
        if not existed:
            self.created.append(target)

    def rollback(self) -> None:
        """Remove the files this transaction created (the published manifest never named them)."""
        named = self.store._referenced(self.base)
        for p in reversed(self.created):
            with contextlib.suppress(OSError):
                if p.is_dir():
                    p.rmdir()  # only when empty
                elif p.relative_to(self.store.root).as_posix() not in named:
                    p.unlink()


class Store:
    """The local data store rooted at ``root`` (default :func:`rotation.config.data_dir`)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else config.data_dir()
        self._filelock: Any = None  # one FileLock per Store, so nested use in one process re-enters it

    # ------------------------------------------------------------------ paths
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def lock_path(self) -> Path:
        return self.root / ".lock"

    def raw_dir(self, source: str) -> Path:
        return self.root / "raw" / source

    # ------------------------------------------------------------------ manifest
    @staticmethod
    def empty_manifest() -> dict[str, Any]:
        return {"version": MANIFEST_VERSION, "remote_files": {}, "datasets": {}}

    def manifest(self) -> dict[str, Any]:
        """The manifest as a dict (an empty one when the store is new), its checksum verified.

        Raises
        ------
        StoreError
            The manifest is not valid JSON, has an unknown version, or its content does not
            match its checksum (edited or damaged). The message gives the repair command.
        """
        try:
            text = self.manifest_path.read_bytes()
        except FileNotFoundError:
            return self.empty_manifest()
        except OSError as exc:
            raise StoreError(f"cannot read the store manifest {self.manifest_path}: {exc}. "
                             "Fix: check the folder's permissions.") from exc
        fix = (f"Fix: run `rotation data rebuild` (re-creates processed/ and the manifest from the raw files "
               f"in {self.root / 'raw'}); if raw/ is damaged too, delete {self.root} and import or fetch again.")
        try:
            data = json.loads(text.decode("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"the store manifest {self.manifest_path} is not valid JSON ({exc}), "
                             f"e.g. truncated. {fix}") from exc
        if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
            version = data.get("version") if isinstance(data, dict) else None
            raise StoreError(f"the store manifest {self.manifest_path} has version {version!r}, this rotation "
                             f"reads {READABLE_VERSIONS}. {fix}")
        if data["version"] >= 2 and data.get("checksum") != manifest_checksum(data):
            raise StoreError(f"the store manifest {self.manifest_path} does not match its own checksum: "
                             f"it was edited or damaged after it was written. {fix}")
        data.setdefault("remote_files", {})
        data.setdefault("datasets", {})
        return data

    def _write_manifest(self, manifest: Mapping[str, Any]) -> None:
        body = {k: v for k, v in manifest.items() if k != "checksum"}
        body["version"] = MANIFEST_VERSION
        body["checksum"] = manifest_checksum(body)
        text = json.dumps(body, indent=2, sort_keys=True) + "\n"
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

    # ------------------------------------------------------------------ writing
    @contextlib.contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
        """Hold the store-wide writer lock (``filelock``); wait up to ``timeout`` seconds for it.

        Raises
        ------
        StoreError
            Another writer held it for ``timeout`` seconds, or the lock file cannot be created.
        """
        from filelock import FileLock, Timeout

        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if self._filelock is None:
                self._filelock = FileLock(str(self.lock_path))
            lock = self._filelock
            lock.acquire(timeout=timeout)
        except Timeout as exc:
            raise StoreError(
                f"another `rotation data import` or `fetch` has held the store lock {self.lock_path} for "
                f"{timeout:.0f} s. Fix: wait for it to finish and run the command again (if no such process is "
                "running, the lock is stale and is released automatically)."
            ) from exc
        except OSError as exc:
            raise _storage_error(exc, self.root, "take the writer lock") from exc
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def transaction(self, *, timeout: float = LOCK_TIMEOUT, replace_all: bool = False) -> Iterator[Transaction]:
        """One writer's changes, published by one atomic manifest replace.

        Takes the writer lock, removes leftovers of a killed writer, yields a
        :class:`Transaction`; when the block ends without an exception, writes the new
        manifest (the commit point) and removes the files it no longer names. On an
        exception, the files written so far are removed and the store is as it was.

        Parameters
        ----------
        timeout : float
            Seconds to wait for another writer.
        replace_all : bool
            Start from an empty manifest instead of the current one (used by :meth:`rebuild`;
            the current manifest may be unreadable).
        """
        with self.lock(timeout):
            base = self.empty_manifest() if replace_all else self.manifest()
            if not replace_all:
                self._collect_garbage(base)
            tx = Transaction(self, base, json.loads(json.dumps(base)), replace_all=replace_all)
            try:
                yield tx
                if tx.manifest != base or replace_all:
                    self._write_manifest(tx.manifest)
            except BaseException as exc:
                tx.rollback()
                if isinstance(exc, OSError):
                    raise _storage_error(exc, self.root, "write the manifest") from exc
                raise
            with contextlib.suppress(OSError):
                self._collect_garbage(tx.manifest)

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
        """Store one remote file and the datasets parsed from it, as a transaction of its own.

        See :meth:`Transaction.stage` for the parameters.
        """
        with self.transaction() as tx:
            return tx.stage(source, remote_id, raw_name, raw_bytes, frames, meta, origin, how)

    # ------------------------------------------------------------------ housekeeping
    def _referenced(self, manifest: Mapping[str, Any]) -> set[str]:
        named = {e["path"] for e in manifest["datasets"].values()}
        for rf in manifest["remote_files"].values():
            named.add(rf["path"])
            named.add(str(Path(rf["path"]).parent / SIDECAR))
        return named

    def leftovers(self, manifest: Mapping[str, Any] | None = None) -> list[str]:
        """Files under ``raw/`` and ``processed/`` that the manifest does not name, and temporary files.

        They are what a killed or failed writer left behind (or an old version waiting to be
        removed); readers never see them. The next writer removes them.
        """
        manifest = self.manifest() if manifest is None else manifest
        named = self._referenced(manifest)
        out = [p.name for p in self.root.glob(f".*{_TMP_SUFFIX}")] if self.root.exists() else []
        for top in ("raw", "processed"):
            base = self.root / top
            if not base.exists():
                continue
            for p in base.rglob("*"):
                if p.is_file() or p.is_symlink():
                    rel = p.relative_to(self.root).as_posix()
                    if rel not in named:
                        out.append(rel)
        return sorted(out)

    def _collect_garbage(self, manifest: Mapping[str, Any]) -> list[str]:
        """Remove :meth:`leftovers` and empty folders (call with the lock held)."""
        removed = self.leftovers(manifest)
        for rel in removed:
            with contextlib.suppress(FileNotFoundError):
                (self.root / rel).unlink()
        for top in ("raw", "processed"):
            base = self.root / top
            if base.exists():
                for d in sorted((p for p in base.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                    with contextlib.suppress(OSError):
                        d.rmdir()
        return removed

    def clean(self, timeout: float = 0.0) -> list[str] | None:
        """Remove leftovers if no writer is active (None when one is: they may be its files)."""
        if not self.root.exists():
            return []
        try:
            with self.lock(timeout):
                return self._collect_garbage(self.manifest())
        except StoreError:
            return None

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
        """Read dataset ``key`` (no date filtering), its checksum verified; see :meth:`read_verified`."""
        return self.read_verified(key)[0]

    def read_verified(self, key: str) -> tuple[pd.DataFrame | pd.Series, dict[str, Any]]:
        """Read dataset ``key`` from the files one manifest names, checking the file's sha256.

        Returns
        -------
        (Series or DataFrame, dict)
            The data and the manifest entry it was verified against.

        Raises
        ------
        DatasetNotFoundError, OfflineError
            Not in the store.
        StoreError
            The file is missing, unreadable, or does not match its checksum; the message
            names the dataset, the file and the repair command.
        """
        d = catalog.get(key)
        for attempt in range(5):
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
                data = path.read_bytes()
            except FileNotFoundError:
                # a writer may have published a new manifest and removed this file: read it again
                if attempt < 4 and self._manifest_changed(manifest):
                    continue
                raise StoreError(f"the store file {path} of dataset {d.key!r} is missing. "
                                 f"Fix: {self.repair_command(d.key, manifest)}") from None
            except OSError as exc:
                raise StoreError(f"the store file {path} of dataset {d.key!r} cannot be read ({exc}). "
                                 "Fix: check the folder's permissions.") from exc
            break
        if sha256_bytes(data) != entry["sha256"]:
            raise StoreError(
                f"the store file {path} of dataset {d.key!r} does not match its sha256 in the manifest "
                f"(modified or damaged on disk), so it is not used. Fix: {self.repair_command(d.key, manifest)}"
            )
        try:
            frame = pd.read_parquet(io.BytesIO(data), engine="pyarrow")
        except (OSError, ValueError) as exc:  # pragma: no cover - checksum matched a file that never parsed
            raise StoreError(f"the store file {path} for dataset {d.key!r} cannot be read ({exc}). "
                             f"Fix: {self.repair_command(d.key, manifest)}") from exc
        frame.index.name = "date"
        if d.shape == "series":
            s = frame.iloc[:, 0]
            s.name = d.key
            return s, entry
        return frame, entry

    def _manifest_changed(self, seen: Mapping[str, Any]) -> bool:
        try:
            now = self.manifest()
        except StoreError:
            return False
        return manifest_checksum(now) != manifest_checksum(seen)

    def repair_command(self, key: str, manifest: Mapping[str, Any] | None = None) -> str:
        """The command that restores dataset ``key`` as it was (from raw/ when the raw file is intact)."""
        manifest = self.manifest() if manifest is None else manifest
        e = manifest["datasets"].get(key)
        rf = manifest["remote_files"].get(e["remote_file"]) if e else None
        if rf is not None:
            raw = self.root / rf["path"]
            if raw.exists() and sha256_file(raw) == rf["sha256"]:
                return ("run `rotation data rebuild`, which re-creates it from its raw file "
                        f"{rf['path']} with the same options")
            return _fix_for(rf)
        return "run `rotation data rebuild`"

    # ------------------------------------------------------------------ raw copies (for a rebuild)
    def raw_copies(self) -> list[RawCopy]:
        """Every file under ``raw/`` with what its ``.import.json`` (or the manifest) says about it.

        The manifest is read as far as it can be (a damaged one still names paths, a missing one
        nothing): a rebuild (:func:`rotation.data.ingest.rebuild`) uses this to re-create
        ``processed/`` and the manifest from ``raw/`` alone. Call it with the writer lock held.
        """
        try:
            current = self.manifest()
        except StoreError:
            current = _loose_manifest(self.manifest_path)
        by_path = {rf["path"]: rf for rf in current.get("remote_files", {}).values() if isinstance(rf, dict)}
        raw_root = self.root / "raw"
        if not raw_root.exists():
            return []
        out = []
        for p in sorted(p for p in raw_root.rglob("*") if p.is_file() and not p.name.startswith(".")):
            rel = p.relative_to(self.root).as_posix()
            info: dict[str, Any] = {}
            side = p.parent / SIDECAR
            if side.exists():
                with contextlib.suppress(OSError, ValueError):
                    info = json.loads(side.read_text(encoding="utf-8"))
            old = by_path.get(rel, {})
            out.append(RawCopy(
                path=p, rel=rel, source=info.get("source") or old.get("source"),
                remote_id=info.get("remote_id") or old.get("remote_id"),
                options=info.get("options") or old.get("options") or {},
                origin=info.get("origin") or old.get("origin") or str(p),
                how=info.get("acquired_by") or old.get("acquired_by") or "import",
                acquired_at=info.get("acquired_at") or old.get("acquired_at") or "",
                published=rel in by_path,
            ))
        return out

    # ------------------------------------------------------------------ status / verify
    def status(self, check: bool = True, today: dt.date | None = None) -> list[dict[str, Any]]:
        """One row per catalog dataset that is in the store.

        Columns: key, source, remote_id, rows, first, last, acquired_at, acquired_by,
        age_days (calendar days from the last observation to ``today``), stale (True when
        the next observation is overdue for the dataset's frequency, see :func:`staleness`),
        sha256, raw_sha256, checksum_ok.
        """
        manifest = self.manifest()
        today = today or dt.datetime.now(dt.UTC).date()
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
            d = catalog.get(key)
            last = pd.Timestamp(e["last"]).date() if e.get("last") else None
            age = (today - last).days if last else None
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
                    "age_days": age,
                    "stale": bool(last is not None and staleness(last, d.frequency, d.release_lag_days or 0, today)),
                    "sha256": e["sha256"],
                    "raw_sha256": e["raw_sha256"],
                    "checksum_ok": ok,
                }
            )
        return rows

    def verify(self) -> list[Problem]:
        """Recompute every checksum (and the manifest's own); return the problems found (empty when all is well).

        Leftover files of an interrupted writer are not problems (readers never see them);
        see :meth:`leftovers`.
        """
        try:
            manifest = self.manifest()
        except StoreError as exc:
            return [Problem("manifest.json", str(exc).split(" Fix: ")[0],
                            "run `rotation data rebuild` (re-creates processed/ and the manifest from raw/)")]
        problems: list[Problem] = []
        raw_ok: dict[str, bool] = {}
        for name, rf in sorted(manifest["remote_files"].items()):
            p = self.root / rf["path"]
            fix = _fix_for(rf)
            raw_ok[name] = False
            if not p.exists():
                problems.append(Problem(rf["path"], "raw file is missing", fix))
            elif p.stat().st_size != rf["bytes"]:
                problems.append(
                    Problem(rf["path"], f"raw file has {p.stat().st_size} bytes, the manifest says {rf['bytes']} (truncated or modified)", fix)
                )
            elif sha256_file(p) != rf["sha256"]:
                problems.append(Problem(rf["path"], "raw file checksum does not match the manifest (modified)", fix))
            else:
                raw_ok[name] = True
        for key, e in sorted(manifest["datasets"].items()):
            p = self.root / e["path"]
            rf = manifest["remote_files"].get(e["remote_file"], {"source": e["source"], "remote_id": e["remote_id"]})
            fix = ("run `rotation data rebuild` (re-creates it from its raw file with the options it was imported with)"
                   if raw_ok.get(e["remote_file"]) else _fix_for(rf))
            if not p.exists():
                problems.append(Problem(e["path"], f"processed file of dataset {key!r} is missing", fix))
            elif sha256_file(p) != e["sha256"]:
                problems.append(Problem(e["path"], f"processed file of dataset {key!r} does not match its checksum (modified or truncated)", fix))
        return problems

    def iter_datasets(self) -> Iterator[str]:
        yield from self.manifest()["datasets"]


def staleness(last: dt.date, frequency: str, release_lag_days: int, today: dt.date) -> bool:
    """True when a dataset whose last observation is dated ``last`` should have a newer one by ``today``.

    The next observation is due at the end of the period after ``last``'s plus the
    publication lag (``release_lag_days``, calendar days). A daily series is stale when
    more than 10 business days have passed since that; weekly: 3 weeks; monthly and
    quarterly: 2 months; annual: 6 months.
    """
    t, lt = pd.Timestamp(today), pd.Timestamp(last)
    lag = pd.Timedelta(days=release_lag_days)
    if frequency == "D":
        return len(pd.bdate_range(lt + lag + pd.Timedelta(days=1), t)) > 10
    if frequency == "W":
        return t > lt + pd.Timedelta(weeks=1) + lag + pd.Timedelta(weeks=3)
    offsets = pd.tseries.offsets
    period, months = {"M": (offsets.MonthEnd, 2), "Q": (offsets.QuarterEnd, 2), "A": (offsets.YearEnd, 6)}.get(
        frequency, (offsets.MonthEnd, 2))
    grace = pd.DateOffset(months=months)
    due = lt + period(0) + period(1) + lag  # the next period's end, plus the publication lag
    return bool(t > due + grace)


def _safe(key: str) -> str:
    return key.replace("^", "IDX_").replace("/", "_")


def _loose_manifest(path: Path) -> dict[str, Any]:
    """Whatever of a damaged manifest can still be read (for :meth:`Store.rebuild`); empty if nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _example_filename(d: catalog.Dataset) -> str:
    if d.source == "fred":
        return f"fred/{d.remote_id}.csv"
    if d.source == "prices":
        return f"prices/{catalog.price_filename(d.remote_id)}"
    return f"famafrench/{d.remote_id}_CSV.zip"


def _fix_for(rf: Mapping[str, Any]) -> str:
    """The command that re-creates a remote file's data as it was, cuts included."""
    src, rid = rf.get("source"), rf.get("remote_id")
    keys = catalog.REMOTE_FILES.get(f"{src}/{rid}")
    key = keys.datasets[0] if keys and keys.datasets else rid
    origin = rf.get("origin")
    end = (rf.get("options") or {}).get("end")
    cut = f" --end {rid}={end}" if end else ""
    if rf.get("acquired_by") == "import" and origin:
        named = "" if _identifies(origin, src, rid) else f" --dataset {rid}"
        return f"re-import the original file: `rotation data import {shlex.quote(str(origin))}{named}{cut}`"
    return f"re-create it with `rotation data fetch {key}` (online) or `rotation data import DIR{cut}` (offline)"


def _identifies(path: str, source: Any, remote_id: Any) -> bool:
    return catalog.identify(path) == (source, remote_id)
