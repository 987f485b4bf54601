"""The :class:`Store`: one folder of raw files, processed files and the manifest that names them."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from rotation import config
from rotation.data.store import housekeeping, pins
from rotation.data.store.files import sha256_bytes, sha256_file
from rotation.data.store.manifest import (
    SIDECAR,
    empty_manifest,
    loose_manifest,
    manifest_checksum,
    path_problem,
    raw_intact,
    read_manifest,
    referenced,
    write_manifest,
)
from rotation.data.store.problems import Problem, ProblemKind, StoreProblemError, storage_problem
from rotation.data.store.transaction import CommitResult, Transaction
from rotation.errors import DatasetNotFoundError, StoreError

__all__ = ["Store", "RawCopy", "LOCK_TIMEOUT"]

#: Seconds a writer waits for another writer's lock before giving up.
LOCK_TIMEOUT = 600.0


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
    recorded : tuple of str
        The sha256 its import recorded (in ``.import.json`` and in the manifest); empty when
        neither says (a file put there by hand).
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
    recorded: tuple[str, ...] = ()


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
        return empty_manifest()

    def manifest(self) -> dict[str, Any]:
        """The manifest readers use (an empty one when the store is new), its checksum and paths verified.

        In a process of a ``rotation run`` (:data:`~rotation.data.store.pins.PIN_ENV` set to a pin of
        this store) it is the version pinned at the start of the run (:mod:`~rotation.data.store.pins`),
        shared by every read of the process: do not change it. Otherwise it is
        :meth:`current_manifest`.

        Raises
        ------
        StoreProblemError
            The manifest cannot be read, is not valid JSON, has an unknown version, its content
            does not match its checksum (edited or damaged) or it names a path outside the store's
            folders; ``pin-gone`` when the run's pin is released.
        """
        pinned = pins.pinned_manifest(self.root)
        return pinned if pinned is not None else self.current_manifest()

    def current_manifest(self) -> dict[str, Any]:
        """The published ``manifest.json`` as a fresh dict, verified as :meth:`manifest` says (writers use this)."""
        return read_manifest(self.manifest_path, self.root)

    def pin(self) -> contextlib.AbstractContextManager[str | None]:
        """Pin the current version for the block and set ``ROTATION_STORE_PIN`` (see :func:`pins.run_pin`)."""
        return pins.run_pin(self.root)

    def has(self, key: str) -> bool:
        """True when dataset ``key`` is in the store."""
        return key in self.manifest()["datasets"]

    def iter_datasets(self) -> Iterator[str]:
        yield from self.manifest()["datasets"]

    # ------------------------------------------------------------------ writing
    @contextlib.contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
        """Hold the store-wide writer lock (``filelock``); wait up to ``timeout`` seconds for it.

        Raises
        ------
        StoreProblemError
            Another writer held it for ``timeout`` seconds (``locked``), or the lock file cannot
            be created (``unwritable``).
        """
        from filelock import FileLock, Timeout

        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if self._filelock is None:
                self._filelock = FileLock(str(self.lock_path))
            lock = self._filelock
            lock.acquire(timeout=timeout)
        except Timeout as exc:
            what = f"another writer has held the store lock {self.lock_path} for {timeout:.0f} s"
            raise StoreProblemError(Problem("locked", self.lock_path.name, what, self.root)) from exc
        except OSError as exc:
            raise storage_problem(exc, self.root, "take the writer lock") from exc
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
            Start from an empty manifest instead of the current one (used by a rebuild;
            the current manifest may be unreadable).
        """
        with self.lock(timeout):
            base = self.empty_manifest() if replace_all else self.current_manifest()
            if not replace_all:
                self._collect_garbage(base)
            tx = Transaction(self.root, base, json.loads(json.dumps(base)), replace_all=replace_all)
            try:
                yield tx
                if tx.manifest != base or replace_all:
                    write_manifest(self.manifest_path, tx.manifest)
            except BaseException as exc:
                tx.rollback()
                if isinstance(exc, OSError):
                    raise storage_problem(exc, self.root, "write the manifest") from exc
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
        *,
        facts: Mapping[str, Mapping[str, str]],
    ) -> CommitResult:
        """Store one remote file and the datasets parsed from it, as a transaction of its own.

        See :meth:`Transaction.stage` for the parameters.
        """
        with self.transaction() as tx:
            return tx.stage(source, remote_id, raw_name, raw_bytes, frames, meta, origin, how, facts=facts)

    # ------------------------------------------------------------------ housekeeping
    def _keep(self, manifest: Mapping[str, Any], *, remove_dead_pins: bool = False) -> set[str]:
        """What must stay: every path ``manifest`` and the store's live pins name."""
        keep = referenced(manifest)
        for pinned in pins.live_pin_manifests(self.root, remove_dead=remove_dead_pins):
            keep |= referenced(pinned)
        return keep

    def leftovers(self, manifest: Mapping[str, Any] | None = None) -> list[str]:
        """The store's own files that neither the manifest nor a live run's pin names, and temporary files.

        They are what a killed or failed writer left behind (or an old version waiting to be
        removed); readers never see them. The next writer removes them. Files the store did not
        create are never among them (see :meth:`foreign`).
        """
        manifest = self.current_manifest() if manifest is None else manifest
        keep = self._keep(manifest)
        return sorted(rel for rel in housekeeping.survey(self.root).own if rel not in keep)

    def foreign(self) -> list[str]:
        """What is under ``raw/`` and ``processed/`` that the store did not create (links included), in words.

        Never removed, never followed by a clean-up; reported by ``rotation data verify``.
        """
        return [f"{rel} is {what}" for rel, what in housekeeping.survey(self.root).foreign]

    def _collect_garbage(self, manifest: Mapping[str, Any]) -> list[str]:
        """Remove :meth:`leftovers`, dead pins and empty id folders (call with the lock held)."""
        keep = self._keep(manifest, remove_dead_pins=True)
        return housekeeping.remove_own(self.root, housekeeping.survey(self.root), keep)

    def clean(self, timeout: float = 0.0) -> list[str] | None:
        """Remove leftovers if no writer is active (None when one is: they may be its files)."""
        if not self.root.exists():
            return []
        try:
            with self.lock(timeout):
                return self._collect_garbage(self.current_manifest())
        except StoreError:
            return None

    # ------------------------------------------------------------------ read
    def read(self, key: str) -> pd.DataFrame | pd.Series:
        """Read dataset ``key`` (no date filtering), its checksum verified; see :meth:`read_verified`."""
        return self.read_verified(key)[0]

    def read_verified(self, key: str, *, current: bool = False) -> tuple[pd.DataFrame | pd.Series, dict[str, Any]]:
        """Read dataset ``key`` from the files one manifest names, checking the file's sha256.

        ``key`` is the dataset's exact key as the manifest names it (:func:`rotation.data.load`
        accepts any spelling the catalog knows). A dataset stored from a Series is returned as one.
        The manifest is :meth:`manifest` (a run's pinned version), or with ``current`` the published one.

        Returns
        -------
        (Series or DataFrame, dict)
            The data and the manifest entry it was verified against.

        Raises
        ------
        DatasetNotFoundError
            Not in the store.
        StoreProblemError
            The file is missing, unreadable, or does not match its checksum (or the manifest its
            own); the message names the dataset and the file.
        """
        for attempt in range(5):
            manifest = self.current_manifest() if current else self.manifest()
            entry = manifest["datasets"].get(key)
            if entry is None:
                raise DatasetNotFoundError(f"dataset {key!r} is not in the local store {self.root}")
            path = self.root / entry["path"]
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                # a writer may have published a new manifest and removed this file: read it again
                if attempt < 4 and self._manifest_changed(manifest):
                    continue
                if pins.pinned_manifest(self.root) is manifest:
                    what = (f"the store file {path} of dataset {key!r} is gone: this process reads the store version "
                            "pinned at the start of its run, and a writer that could not see the pin removed it")
                    raise StoreProblemError(Problem("pin-gone", entry["path"], what, self.root, key)) from None
                raise self._dataset_problem("processed-missing", key, manifest,
                                            f"the store file {path} of dataset {key!r} is missing") from None
            except OSError as exc:
                what = f"the store file {path} of dataset {key!r} cannot be read ({exc})"
                raise StoreProblemError(Problem("unreadable", entry["path"], what, self.root, key)) from exc
            break
        if sha256_bytes(data) != entry["sha256"]:
            raise self._dataset_problem(
                "processed-damaged", key, manifest,
                f"the store file {path} of dataset {key!r} does not match its sha256 in the manifest "
                "(modified or damaged on disk), so it is not used",
            )
        try:
            frame = pd.read_parquet(io.BytesIO(data), engine="pyarrow")
        except (OSError, ValueError) as exc:  # pragma: no cover - checksum matched a file that never parsed
            raise self._dataset_problem("processed-damaged", key, manifest,
                                        f"the store file {path} for dataset {key!r} cannot be read ({exc})") from exc
        frame.index.name = "date"
        if entry.get("shape") == "series":
            s = frame.iloc[:, 0]
            s.name = key
            return s, entry
        return frame, entry

    def _manifest_changed(self, seen: Mapping[str, Any]) -> bool:
        try:
            now = self.manifest()
        except StoreError:
            return False
        return manifest_checksum(now) != manifest_checksum(seen)

    def _dataset_problem(
        self, kind: ProblemKind, key: str, manifest: Mapping[str, Any], what: str
    ) -> StoreProblemError:
        """A damaged or missing processed file of dataset ``key``, with the raw file it came from."""
        e = manifest["datasets"][key]
        rf = manifest["remote_files"].get(e["remote_file"]) or {"source": e["source"], "remote_id": e["remote_id"]}
        intact = "path" in rf and raw_intact(self.root, rf)
        return StoreProblemError(Problem(kind, e["path"], what, self.root, key, rf, intact))

    def dataset_intact(self, key: str, manifest: Mapping[str, Any]) -> bool:
        """Dataset ``key``'s processed file and the raw file it came from exist and match their sha256."""
        e = manifest["datasets"][key]
        p = self.root / e["path"]
        ok = p.exists() and sha256_file(p) == e["sha256"]
        rf = manifest["remote_files"].get(e["remote_file"])
        if rf is not None:
            ok = ok and raw_intact(self.root, rf)
        return ok

    # ------------------------------------------------------------------ verify
    def verify(self) -> list[Problem]:
        """Recompute every checksum (and the manifest's own); return the problems found (empty when all is well).

        Leftover files of an interrupted writer are not problems (readers never see them);
        see :meth:`leftovers`. :func:`rotation.data.advice.repairs` adds the repair of each.
        """
        try:
            manifest = self.current_manifest()
        except StoreProblemError as exc:
            return [exc.problem]
        problems: list[Problem] = []
        raw_ok: dict[str, bool] = {}
        for name, rf in sorted(manifest["remote_files"].items()):
            p = self.root / rf["path"]
            raw_ok[name] = False
            if not p.exists():
                problems.append(Problem("raw-missing", rf["path"], "raw file is missing", self.root, remote=rf))
            elif p.stat().st_size != rf["bytes"]:
                what = (f"raw file has {p.stat().st_size} bytes, the manifest says {rf['bytes']} "
                        "(truncated or modified)")
                problems.append(Problem("raw-damaged", rf["path"], what, self.root, remote=rf))
            elif sha256_file(p) != rf["sha256"]:
                what = "raw file checksum does not match the manifest (modified)"
                problems.append(Problem("raw-damaged", rf["path"], what, self.root, remote=rf))
            else:
                raw_ok[name] = True
        for key, e in sorted(manifest["datasets"].items()):
            p = self.root / e["path"]
            rf = manifest["remote_files"].get(e["remote_file"], {"source": e["source"], "remote_id": e["remote_id"]})
            intact = raw_ok.get(e["remote_file"], False)
            if not p.exists():
                what = f"processed file of dataset {key!r} is missing"
                problems.append(Problem("processed-missing", e["path"], what, self.root, key, rf, intact))
            elif sha256_file(p) != e["sha256"]:
                what = f"processed file of dataset {key!r} does not match its checksum (modified or truncated)"
                problems.append(Problem("processed-damaged", e["path"], what, self.root, key, rf, intact))
        reported = {p.path for p in problems}
        for rel, h in sorted((manifest.get("held") or {}).items()):
            if rel not in reported:
                problems.append(Problem("raw-damaged", rel, h.get("why", "held by a rebuild that could not use it"),
                                        self.root, remote=h.get("remote") or None))
        return problems

    # ------------------------------------------------------------------ raw copies (for a rebuild)
    def raw_copies(self) -> list[RawCopy]:
        """Every file under ``raw/`` with what its ``.import.json`` (or the manifest) says about it.

        The manifest is read as far as it can be (a damaged one may still name paths, a missing
        one nothing): :func:`rotation.data.ingest.rebuild` re-creates ``processed/`` and the
        manifest from these alone. Folders linked from elsewhere (data on another disk) are read
        through. Call it with the writer lock held.
        """
        try:
            current = self.current_manifest()
        except StoreError:
            current = loose_manifest(self.manifest_path)
        by_path = {rf["path"]: rf for rf in current.get("remote_files", {}).values()
                   if isinstance(rf, dict) and not path_problem(rf.get("path"))}
        return [_raw_copy(self.root, p, by_path) for p in _raw_files(self.root / "raw")]


def _raw_files(raw_root: Path) -> list[Path]:
    """The files under ``raw/`` (not hidden), each real folder once: the store's own folders first, then the
    folders linked from elsewhere (data on another disk), read through."""
    seen: set[str] = set()
    out: list[Path] = []
    links: list[str] = []

    def walk(top: str, follow: bool) -> None:
        for folder, dirs, names in os.walk(top, followlinks=follow):
            real = os.path.realpath(folder)
            if real in seen:
                dirs[:] = []
                continue
            seen.add(real)
            dirs.sort()
            if not follow:
                links.extend(os.path.join(folder, d) for d in dirs if os.path.islink(os.path.join(folder, d)))
            out.extend(Path(folder) / n for n in names
                       if not n.startswith(".") and os.path.isfile(os.path.join(folder, n)))

    walk(str(raw_root), False)
    for link in sorted(links):
        walk(link, True)
    return sorted(out)


def _raw_copy(root: Path, p: Path, by_path: Mapping[str, Mapping[str, Any]]) -> RawCopy:
    rel = p.relative_to(root).as_posix()
    info: dict[str, Any] = {}
    side = p.parent / SIDECAR
    if side.exists():
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(side.read_text(encoding="utf-8"))
            info = loaded if isinstance(loaded, dict) else {}
    old = by_path.get(rel, {})
    recorded = tuple(dict.fromkeys(s for s in (info.get("sha256"), old.get("sha256")) if isinstance(s, str)))
    return RawCopy(
        path=p, rel=rel, source=info.get("source") or old.get("source"),
        remote_id=info.get("remote_id") or old.get("remote_id"),
        options=info.get("options") or old.get("options") or {},
        origin=info.get("origin") or old.get("origin") or str(p),
        how=info.get("acquired_by") or old.get("acquired_by") or "import",
        acquired_at=info.get("acquired_at") or old.get("acquired_at") or "",
        published=rel in by_path, recorded=recorded,
    )
