"""Staging the changes of one writer: new files under new names, a new manifest in memory.

Nothing staged is visible to readers until ``Store.transaction`` publishes the new manifest
(:mod:`rotation.data.store.local`); if the writer fails, :meth:`Transaction.rollback` removes
what it wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rotation.data.store.files import atomic_write_bytes, sha256_bytes, sha256_file
from rotation.data.store.manifest import SIDECAR, path_problem, raw_id, referenced, remote_file_intact
from rotation.data.store.problems import storage_problem

__all__ = ["Transaction", "CommitResult"]


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for pkg in ("rotation", "pandas", "numpy", "pyarrow"):
        with contextlib.suppress(md.PackageNotFoundError):
            out[pkg] = md.version(pkg)
    return out


def _safe(key: str) -> str:
    return key.replace("^", "IDX_").replace("/", "_")


@dataclass(frozen=True)
class CommitResult:
    """What a commit did to one remote file's entry: ``added``, ``updated`` or ``unchanged``."""

    remote: str
    status: str
    datasets: tuple[str, ...]
    raw_path: str
    raw_sha256: str


@dataclass
class Transaction:
    """The changes of one import, fetch or rebuild, published together by ``Store.transaction``.

    Use :meth:`stage` once per remote file. Nothing a reader sees changes until the
    ``with`` block ends without an exception.
    """

    root: Path
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
        *,
        facts: Mapping[str, Mapping[str, str]],
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
            Processed datasets by key, already validated. A Series is stored as a one-column
            frame and read back as a Series (the manifest's ``shape``).
        meta : mapping
            Extra facts for the manifest (vintage, ``end`` cut, dropped rows...). ``end``
            is an import option: it is kept so a rebuild or repair reproduces the data.
        origin : str
            URL fetched or path imported.
        how : {"fetch", "import"}
        facts : mapping of str to mapping
            For every key of ``frames``, what the manifest records about the dataset:
            ``{"frequency": "D", "units": "percent per year"}`` (the catalog's; see
            :attr:`rotation.data.processing.Processed.facts`).

        Raises
        ------
        StoreProblemError
            The filesystem refused a write (read-only, full); the message names the path.
        """
        manifest = self.manifest
        name = f"{source}/{remote_id}"
        self._release_held(name)  # this remote file parsed again: what a rebuild held of it is settled
        raw_sha = sha256_bytes(raw_bytes)
        end = meta.get("end")
        options = {"end": None if end is None else str(pd.Timestamp(end).date())}
        rid = raw_id(raw_sha, source, remote_id, options)
        raw_rel = f"raw/{source}/{rid}/{raw_name}"
        prev = manifest["remote_files"].get(name)
        if (
            prev is not None
            and prev.get("sha256") == raw_sha
            and prev.get("options") == options
            and prev.get("path") == raw_rel
            and set(prev.get("datasets", [])) == set(frames)
            and remote_file_intact(self.root, prev, manifest)
        ):
            return CommitResult(name, "unchanged", tuple(frames), raw_rel, raw_sha)
        acquired_at = _now()
        common = {"source": source, "remote_id": remote_id, "remote_file": name, "raw_sha256": raw_sha,
                  "acquired_at": acquired_at, "acquired_by": how}
        try:
            raw_dir = self.root / f"raw/{source}/{rid}"
            self._mkdir(raw_dir)
            self._put(raw_dir / raw_name, raw_bytes)
            sidecar = {"source": source, "remote_id": remote_id, "raw_name": raw_name, "sha256": raw_sha,
                       "options": options, "origin": origin, "acquired_by": how, "acquired_at": acquired_at}
            self._put(raw_dir / SIDECAR, json.dumps(sidecar, indent=2, sort_keys=True).encode("utf-8") + b"\n",
                      overwrite=True)
            self._mkdir(self.root / "processed")
            entries = {key: {**common, **self._put_dataset(key, obj, facts[key])} for key, obj in frames.items()}
        except OSError as exc:
            raise storage_problem(exc, self.root, f"write {raw_name}") from exc
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

    def hold(self, rel: str, remote_file: str, why: str, remote: Mapping[str, Any],
             published: Mapping[str, Any] | None = None, files: Sequence[str] = ()) -> tuple[str, ...]:
        """Keep raw file ``rel``, which could not be used (modified since its import, or no longer parsable).

        The new manifest names it under ``held``, with ``files`` (e.g. the datasets a damaged manifest
        named for it): no clean-up removes them and ``Store.verify`` reports the file, with the repair
        ``remote`` allows, until its remote file is imported again. When ``published`` (the manifest in
        force) has the remote file, its entry and datasets are kept as they were published.

        Returns
        -------
        tuple of str
            The datasets kept.
        """
        entry: dict[str, Any] = {"remote_file": remote_file, "why": why, "remote": dict(remote)}
        extra = sorted({f for f in files if not path_problem(f)})
        if extra:
            entry["files"] = extra
        self.manifest.setdefault("held", {})[rel] = entry
        old = (published or {}).get("remote_files", {}).get(remote_file)
        if old is None:
            return ()
        self.manifest["remote_files"][remote_file] = json.loads(json.dumps(old))
        kept = tuple(k for k in old.get("datasets", []) if k in published["datasets"])  # type: ignore[index]
        for key in kept:
            self.manifest["datasets"][key] = json.loads(json.dumps(published["datasets"][key]))  # type: ignore[index]
        return kept

    def _release_held(self, remote_file: str) -> None:
        held = self.manifest.get("held") or {}
        for rel in [r for r, h in held.items() if h.get("remote_file") == remote_file]:
            del held[rel]

    def _put_dataset(self, key: str, obj: pd.DataFrame | pd.Series, facts: Mapping[str, str]) -> dict[str, Any]:
        """Write one dataset's parquet file (named by its sha256); its manifest fields."""
        frame = obj.to_frame(name=key) if isinstance(obj, pd.Series) else obj
        buf = io.BytesIO()
        frame.to_parquet(buf, engine="pyarrow", index=True)
        data = buf.getvalue()
        sha = sha256_bytes(data)
        rel = f"processed/{_safe(key)}-{sha[:16]}.parquet"
        self._put(self.root / rel, data)
        idx = frame.index
        return {
            "path": rel,
            "sha256": sha,
            "bytes": len(data),
            "rows": int(len(frame)),
            "columns": [str(c) for c in frame.columns],
            "first": idx[0].date().isoformat() if len(idx) else None,
            "last": idx[-1].date().isoformat() if len(idx) else None,
            "frequency": facts["frequency"],
            "units": facts["units"],
            "shape": "series" if isinstance(obj, pd.Series) else "frame",
        }

    def _mkdir(self, path: Path) -> None:
        missing = [p for p in (path, *path.parents) if not p.exists() and self.root in (p, *p.parents)]
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
        named = referenced(self.base)
        for p in reversed(self.created):
            with contextlib.suppress(OSError):
                if p.is_dir():
                    p.rmdir()  # only when empty
                elif p.relative_to(self.root).as_posix() not in named:
                    p.unlink()
