"""Re-create ``processed/`` and the manifest from ``raw/`` alone (``rotation data rebuild``)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from rotation.data import catalog
from rotation.data.advice import advised
from rotation.data.processing import process
from rotation.data.store import LOCK_TIMEOUT, RawCopy, Store
from rotation.errors import RotationError

__all__ = ["rebuild"]


def rebuild(
    store: Store | None = None, progress: Callable[[str], None] | None = None, timeout: float = LOCK_TIMEOUT
) -> list[tuple[str, str, str]]:
    """Re-create ``processed/`` and the manifest from ``raw/`` alone.

    Every raw file is parsed again with the options it was imported with (kept next to
    it in ``.import.json``, or in a version-1 manifest), so the rebuilt data are the
    ones the original import produced. When one remote file has several raw copies
    (an interrupted writer's), the one the current manifest names wins, else the one
    acquired last. Works when the manifest is truncated or edited. The new manifest is
    published by one transaction (:meth:`rotation.data.store.Store.transaction`).

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
        status is ``rebuilt``, ``superseded`` or the reason the file was skipped.

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
        # the lock is re-entrant for this Store (filelock counts acquisitions)
        with store.transaction(timeout=0, replace_all=True) as tx:
            for name, copies in sorted(groups.items()):
                copies.sort(key=lambda c: (c.published, c.acquired_at, str(c.path)))
                *others, chosen = copies
                out.extend((o.rel, name, "superseded") for o in others)
                source, remote_id = name.split("/", 1)
                if progress:
                    progress(chosen.path.name)
                data = chosen.path.read_bytes()
                end = chosen.options.get("end")
                try:
                    proc = process(source, remote_id, data, chosen.path.name, end=pd.Timestamp(end) if end else None)
                except (RotationError, ValueError) as exc:
                    out.append((chosen.rel, name, f"skipped: {exc}"))
                    continue
                tx.stage(source, remote_id, chosen.path.name, data, proc.frames, proc.meta, chosen.origin,
                         chosen.how, facts=proc.facts)
                out.append((chosen.rel, name, "rebuilt"))
    return out
