"""What can be wrong in a store, reported as data: a :class:`Problem` says which file, which dataset and
what kind of damage. The store never says how to repair it; :mod:`rotation.data.advice` does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rotation.errors import StoreError

__all__ = ["Problem", "ProblemKind", "StoreProblemError", "storage_problem"]

ProblemKind = Literal[
    "manifest-damaged",  # not JSON, an unknown version, or its content does not match its checksum
    "raw-missing",
    "raw-damaged",  # another size or sha256 than the manifest says, or held by a rebuild that could not use it
    "processed-missing",
    "processed-damaged",  # another sha256 than the manifest says, or not parquet
    "unreadable",  # the filesystem refused a read (permissions)
    "unwritable",  # the filesystem refused a write (read-only, full); nothing was changed
    "locked",  # another writer held the lock for the whole timeout
    "pin-gone",  # the store version pinned for a run (ROTATION_STORE_PIN) is released or its files are gone
]


@dataclass(frozen=True)
class Problem:
    """What is wrong in the store, and where: found by ``Store.verify`` or raised by a read or a write.

    Attributes
    ----------
    kind : ProblemKind
        What kind of damage (``"processed-damaged"``, ``"raw-missing"``, ``"manifest-damaged"``...).
    path : str
        The file concerned, relative to the store root (``"manifest.json"``, ``"raw/fred/<id>/DGS10.csv"``);
        for a refused write, the path the filesystem named.
    what : str
        What is wrong, in words (no advice: :func:`rotation.data.advice.fix` composes the repair).
    root : Path
        The store's root.
    dataset : str or None
        The dataset concerned, for a processed file.
    remote : mapping or None
        The manifest entry of the raw file concerned (source, remote_id, path, origin, options,
        acquired_by), or of the raw file a damaged dataset came from: what a repair needs.
    raw_intact : bool
        For a processed file: the raw file it came from exists and matches its sha256, so the
        dataset can be re-created from it.
    """

    kind: ProblemKind
    path: str
    what: str
    root: Path
    dataset: str | None = None
    remote: Mapping[str, Any] | None = None
    raw_intact: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


class StoreProblemError(StoreError):
    """A store error described by a :class:`Problem` (``.problem``); the message is ``problem.what``.

    :func:`rotation.data.advice.advised` adds the command that repairs it to the message users see.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.what)
        self.problem = problem


def storage_problem(exc: OSError, root: Path, doing: str) -> StoreProblemError:
    """A filesystem refusal while ``doing`` something in the store at ``root``.

    The message names the path and the reason, and says that nothing was changed.
    """
    where = getattr(exc, "filename", None) or root
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    what = (f"could not {doing} in the store {root}: {reason} ({where}). Nothing was changed: the store is as "
            "it was")
    return StoreProblemError(Problem("unwritable", str(where), what, root))
