"""The fault catalogue: every way the store and the runner have been attacked, as cases that must hold.

A case is a function decorated with :func:`case`: it gets a :class:`Context` (the snapshot, a scratch
folder of its own, a reference store imported once, helpers to run the ``rotation`` command) and returns
``Held(True, "what was checked")`` or ``Held(False, "what went wrong")``; an exception counts as not held.
``benchmarks/reliability.py`` imports every module of this package, runs the cases (all, or those
matching ``-k``), prints one line per case and ``N of N held``, and exits non-zero unless all held.

Modules by area: ``store`` (integrity, kills, concurrency, read-only and full disks, pinning),
``ingest`` (files, encodings, dates, the network), ``runner`` (parameters, grids, signals, paths,
what a run writes). Add a case where its area is; ids are ``<area>.<short-name>``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Held", "Context", "Case", "case", "CASES"]


@dataclass(frozen=True)
class Held:
    """A case's outcome: ``held`` and one line saying what was checked or what went wrong."""

    held: bool
    detail: str


@dataclass
class Context:
    """What a case gets. ``scratch`` is a fresh empty folder of its own (removed afterwards)."""

    raw: Path
    cuts: Path
    reference: Path
    scratch: Path
    env: dict[str, str] = field(default_factory=dict)

    def store_copy(self, name: str = "store") -> Path:
        """A private copy of the reference store (imported once from the snapshot with the CI cuts)."""
        dst = self.scratch / name
        shutil.copytree(self.reference, dst, ignore=shutil.ignore_patterns(".lock"), symlinks=True)
        return dst

    def rotation(self, *args: str, store: Path | None = None, timeout: float = 600,
                 input: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``rotation [--data-dir STORE] ARGS`` as a user would (a fresh process), capturing its output."""
        cmd = [sys.executable, "-m", "rotation.cli"]
        if store is not None:
            cmd += ["--data-dir", str(store)]
        return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout, input=input,
                              env={**self.env, **(env or {})}, cwd=self.scratch)

    def popen(self, *args: str, store: Path | None = None, env: dict[str, str] | None = None,
              **kw: object) -> subprocess.Popen[str]:
        """Start ``rotation ...`` in the background (for kills, signals and races)."""
        cmd = [sys.executable, "-m", "rotation.cli"]
        if store is not None:
            cmd += ["--data-dir", str(store)]
        return subprocess.Popen([*cmd, *args], env={**self.env, **(env or {})}, cwd=self.scratch, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    run: Callable[[Context], Held]
    slow: bool = False


CASES: list[Case] = []


CaseFunction = Callable[[Context], Held]


def case(id: str, title: str, *, slow: bool = False) -> Callable[[CaseFunction], CaseFunction]:
    """Register a case: ``@case("store.rebuild-edited-raw", "a raw file edited after import, then rebuild")``."""
    def register(fn: CaseFunction) -> CaseFunction:
        if any(c.id == id for c in CASES):
            raise ValueError(f"fault case {id!r} is registered twice")
        CASES.append(Case(id, title, fn, slow))
        return fn

    return register


def base_env() -> dict[str, str]:
    """The environment every case's processes run in: offline, warnings quiet, figures off screen."""
    return {**os.environ, "ROTATION_OFFLINE": "1", "PYTHONWARNINGS": "ignore", "MPLBACKEND": "Agg"}


def select(cases: Sequence[Case], patterns: Sequence[str]) -> list[Case]:
    """The cases whose id contains any of ``patterns`` (all when none given)."""
    return [c for c in cases if not patterns or any(p in c.id for p in patterns)]
