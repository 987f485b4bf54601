"""What to tell the user about the store: how to get a missing dataset, how to repair a damaged file.

The store (:mod:`rotation.data.store`) reports *what* is wrong as a
:class:`~rotation.data.store.Problem` -- which file, which dataset, what kind of damage --
and this module is the one place that turns it into the command that repairs it:

* a processed file whose raw file is intact: ``rotation data rebuild`` (which re-creates it
  from that raw file with the options it was imported with);
* a damaged raw file (or a processed file whose raw file is damaged too): the
  ``rotation data import ORIGINAL [--dataset ID] [--end ID=DATE]`` that produced it, or
  ``rotation data fetch KEY`` for a fetched one;
* a damaged manifest: ``rotation data rebuild``;
* a refused write, a held lock, a refused read: what to check and to run again;
* a run's pinned store version that is gone (``ROTATION_STORE_PIN``): run again.

The messages users see -- ``rotation data verify``, :func:`rotation.data.load`, the ingest
functions -- come from here: :func:`repairs` for a verify, :func:`advised` around the store
calls of every user-facing function, :func:`not_stored` for a dataset that is not in the store.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rotation.data import catalog
from rotation.data.store import Problem, Store, StoreProblemError

__all__ = ["fix", "message", "advised", "Repair", "repairs", "not_stored"]


def fix(problem: Problem) -> str:
    """The command (or check) that repairs ``problem``, as the text after ``Fix:``."""
    root = problem.root
    if problem.kind == "unreadable":
        return "check the folder's permissions."
    if problem.kind == "manifest-damaged":
        return (f"run `rotation data rebuild` (re-creates processed/ and the manifest from the raw files in "
                f"{root / 'raw'}); if raw/ is damaged too, delete {root} and import or fetch again.")
    if problem.kind == "unwritable":
        return (f"make {root} writable and free some space (or choose another store with --data-dir), then run the "
                "command again.")
    if problem.kind == "pin-gone":
        return ("run the notebooks again with `rotation run` (a new run pins the store as it is then); outside "
                "a run, unset ROTATION_STORE_PIN to read the store as it is.")
    if problem.kind == "locked":
        return ("wait for the other `rotation data import`, `fetch` or `rebuild` to finish and run the command "
                "again (if no such process is running, the lock is stale and is released automatically).")
    if problem.kind in ("processed-missing", "processed-damaged") and problem.raw_intact and problem.remote:
        return (f"run `rotation data rebuild`, which re-creates it from its raw file {problem.remote['path']} "
                "with the same options")
    if problem.remote:
        return _recreate(problem.remote)
    return "run `rotation data rebuild`"


def _recreate(remote: Mapping[str, Any]) -> str:
    """The command that re-creates a remote file's data as it was, cuts included."""
    src, rid = remote.get("source"), remote.get("remote_id")
    rf = catalog.REMOTE_FILES.get(f"{src}/{rid}")
    key = rf.datasets[0] if rf and rf.datasets else rid
    origin = remote.get("origin")
    end = (remote.get("options") or {}).get("end")
    cut = f" --end {rid}={end}" if end else ""
    if remote.get("acquired_by") == "import" and origin:
        named = "" if catalog.identify(origin) == (src, rid) else f" --dataset {rid}"
        return f"re-import the original file: `rotation data import {shlex.quote(str(origin))}{named}{cut}`"
    return f"re-create it with `rotation data fetch {key}` (online) or `rotation data import DIR{cut}` (offline)"


def message(problem: Problem) -> str:
    """What users read about ``problem``: what is wrong, then ``Fix:`` and the repair."""
    return f"{problem.what}. Fix: {fix(problem)}"


@contextlib.contextmanager
def advised() -> Iterator[None]:
    """Add the repair to the message of a :class:`~rotation.data.store.StoreProblemError` raised inside.

    The exception is re-raised as it was (same type, same ``problem``, same traceback), its
    message now :func:`message`; nested blocks add the repair once.
    """
    try:
        yield
    except StoreProblemError as exc:
        if exc.args == (exc.problem.what,):
            exc.args = (message(exc.problem),)
        raise


@dataclass(frozen=True)
class Repair:
    """A problem found by :meth:`rotation.data.store.Store.verify` and the command that repairs it."""

    problem: Problem
    fix: str

    @property
    def path(self) -> str:
        return self.problem.path

    def __str__(self) -> str:
        return f"{self.problem.path}: {self.problem.what}. Fix: {self.fix}"


def repairs(store: Store) -> list[Repair]:
    """Verify every checksum of ``store`` (:meth:`~rotation.data.store.Store.verify`); each problem with its repair."""
    return [Repair(p, fix(p)) for p in store.verify()]


def _example_filename(d: catalog.Dataset) -> str:
    if d.source == "fred":
        return f"fred/{d.remote_id}.csv"
    if d.source == "prices":
        return f"prices/{catalog.price_filename(d.remote_id)}"
    return f"famafrench/{d.remote_id}_CSV.zip"


def not_stored(root: Path, key: str, *, offline: bool = False) -> str:
    """Why dataset ``key`` cannot be loaded from the store at ``root``, and the two ways to get it."""
    d = catalog.get(key)
    how = (
        f"Get it in one of two ways: (1) download it: `rotation data fetch {d.key}` "
        f"(needs internet; fetches {d.source} {d.remote_id!r}); or (2) import a downloaded original file: "
        f"`rotation data import DIR` (a folder holding e.g. {_example_filename(d)})."
    )
    msg = f"dataset {d.key!r} is not in the local store {root}. {how}"
    return "offline mode (ROTATION_OFFLINE) is on and " + msg if offline else msg
