"""Re-create ``processed/`` and the manifest from ``raw/`` alone (``rotation data rebuild``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from rotation.data import catalog
from rotation.data.advice import advised, fix
from rotation.data.processing import process
from rotation.data.store import LOCK_TIMEOUT, Problem, RawCopy, Store, sha256_bytes
from rotation.data.store.manifest import loose_manifest, raw_id
from rotation.errors import StoreError

__all__ = ["rebuild"]


def rebuild(
    store: Store | None = None, progress: Callable[[str], None] | None = None, timeout: float = LOCK_TIMEOUT
) -> list[tuple[str, str, str]]:
    """Re-create ``processed/`` and the manifest from ``raw/`` alone.

    Every raw file is first checked against the sha256 its import recorded (in ``.import.json``
    next to it and in the manifest), then parsed again with the options it was imported with,
    so the rebuilt data are the ones the original import produced. When one remote file has
    several raw copies (an interrupted writer's), the one the current manifest names wins, else
    the one acquired last. Works when the manifest is truncated or edited. The new manifest is
    published by one transaction (:meth:`rotation.data.store.Store.transaction`).

    A raw file that was modified since its import, or no longer parses, is *refused*: its remote
    file keeps the datasets the manifest in force published (when it can be read), the file stays
    where it is as evidence, and the new manifest holds it (``held``), so no clean-up removes it
    and ``rotation data verify`` reports it, with the repair -- importing the original download
    again -- until that is done. A remote file whose raw file is missing keeps its published
    datasets too (verify reports the missing file). Nothing is dropped silently.

    Parameters
    ----------
    store : Store, optional
        Default: the store at :func:`rotation.config.data_dir`.
    progress : callable, optional
        Called with each raw file's name before it is parsed.
    timeout : float
        Seconds to wait for another writer.

    Returns
    -------
    list of (raw path, remote file, status)
        status is ``rebuilt``, ``superseded``, ``refused: ...`` (what is wrong, what was kept and the
        fix), ``kept: ...`` or ``skipped: ...`` (a file the store has no record of).

    Raises
    ------
    StoreError
        Another writer held the lock, or the store could not be written (nothing was
        changed); the message says how to fix it.
    """
    store = store or Store()
    with advised(), store.lock(timeout):
        out: list[tuple[str, str, str]] = []
        groups: dict[str, list[RawCopy]] = {}
        for copy in store.raw_copies():
            ident = (copy.source, copy.remote_id) if copy.source and copy.remote_id else catalog.identify(copy.path)
            if ident is None:
                out.append((copy.rel, "", "skipped: name not recognised and no .import.json"))
                continue
            groups.setdefault("/".join(ident), []).append(copy)
        published = _published(store)
        # the lock is re-entrant for this Store (filelock counts acquisitions)
        with store.transaction(timeout=0, replace_all=True) as tx:
            for name, copies in sorted(groups.items()):
                copies.sort(key=lambda c: (c.published, c.acquired_at, str(c.path)))
                *others, chosen = copies
                out.extend((o.rel, name, "superseded") for o in others)
                if progress:
                    progress(chosen.path.name)
                out.append(_rebuild_one(store, tx, name, chosen, published))
            for name in sorted(set(published["remote_files"]) - set(groups)):
                rel = published["remote_files"][name]["path"]
                kept = tx.hold(rel, name, "raw file is missing", published["remote_files"][name], published)
                out.append((rel, name, f"kept: the raw file is missing; kept as published: {_names(kept)}. "
                                       f"Fix: {fix(_problem(store, rel, '', published['remote_files'][name]))}"))
    return out


def _published(store: Store) -> dict[str, Any]:
    """The manifest in force, when it can be trusted (else an empty one: a damaged manifest publishes nothing)."""
    try:
        return store.current_manifest()
    except StoreError:
        return store.empty_manifest()


def _refusal(copy: RawCopy, source: str, remote_id: str, data: bytes) -> str | None:
    """Why ``copy`` is not the file its import recorded (None when it is)."""
    if not copy.recorded:
        return None
    actual = sha256_bytes(data)
    wrong = [r for r in copy.recorded if r != actual]
    if wrong:
        return (f"raw file was modified after it was imported: its sha256 starts {actual[:12]}, the import recorded "
                f"{wrong[0][:12]}")
    folder = copy.path.parent.name
    if len(folder) == 16 and folder != raw_id(actual, source, remote_id, copy.options):
        return (f"raw file and its .import.json were modified after the import: their folder {folder} is named "
                "after other bytes or options")
    return None


def _rebuild_one(store: Store, tx: Any, name: str, chosen: RawCopy, published: Mapping[str, Any]
                 ) -> tuple[str, str, str]:
    """Check and parse one remote file's chosen raw copy and stage it; or refuse it and keep what was published."""
    source, remote_id = name.split("/", 1)
    try:
        data = chosen.path.read_bytes()
    except OSError as exc:
        data, why = b"", f"raw file cannot be read ({exc.strerror or exc})"
    else:
        why = _refusal(chosen, source, remote_id, data)
    if why is None and not chosen.recorded:
        return (chosen.rel, name, "skipped: no sha256 was recorded for it at import (no .import.json, and the "
                                  f"manifest does not name it); import it with `rotation data import {chosen.path}`")
    if why is None:
        end = chosen.options.get("end")
        try:
            proc = process(source, remote_id, data, chosen.path.name, end=pd.Timestamp(end) if end else None)
        except Exception as exc:  # noqa: BLE001 - any parse failure is reported, never a silent drop
            why = f"raw file cannot be parsed any more ({type(exc).__name__}: {exc})"
        else:
            tx.stage(source, remote_id, chosen.path.name, data, proc.frames, proc.meta, chosen.origin,
                     chosen.how, facts=proc.facts)
            return (chosen.rel, name, "rebuilt")
    remote = {"source": source, "remote_id": remote_id, "path": chosen.rel, "origin": chosen.origin,
              "options": chosen.options, "acquired_by": chosen.how}
    loose = loose_manifest(store.manifest_path) if not published["datasets"] else {}
    files = [e.get("path") for e in loose.get("datasets", {}).values()
             if isinstance(e, dict) and e.get("remote_file") == name]
    kept = tx.hold(chosen.rel, name, why, remote, published, files)
    what = f"kept as published: {_names(kept)}" if kept else "nothing of it was published"
    return (chosen.rel, name, f"refused: {why}. {what}; the file stays as evidence. "
                              f"Fix: {fix(_problem(store, chosen.rel, why, remote))}")


def _problem(store: Store, rel: str, why: str, remote: Mapping[str, Any]) -> Problem:
    return Problem("raw-damaged", rel, why, store.root, remote=remote)


def _names(keys: tuple[str, ...]) -> str:
    return ("dataset " if len(keys) == 1 else "datasets ") + ", ".join(keys)
