"""The fault catalogue (``benchmarks/faults/``) run against scratch stores built from the snapshot.

Imports every module of ``benchmarks/faults`` (``store``, ``ingest``, ``runner``...), imports the snapshot
once into a reference store (with ``tests/snapshot-cuts.txt``), then runs each case in a scratch folder of
its own, as a user would (fresh ``rotation`` processes, real signals and kills), and prints one line per
case and the total::

    [held]     store.rebuild-edited-raw      a raw file edited after import, then rebuild: refused, ...
    ...
    50 of 50 held

Exit status 0 only when every case held. Run: ``make reliability`` or
``ROTATION_RAW_DIR=... python benchmarks/reliability.py [-k PATTERN ...] [--fast] [--list]``
(``--fast`` leaves out the slow cases: kill and concurrency series, whole-notebook runs).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import faults

from _common import CUTS, raw_dir


def _load_cases() -> list[faults.Case]:
    for mod in pkgutil.iter_modules(faults.__path__):
        if not mod.name.startswith("legacy"):
            importlib.import_module(f"faults.{mod.name}")
    return list(faults.CASES)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-k", action="append", default=[], help="run only the cases whose id contains this")
    ap.add_argument("--fast", action="store_true", help="leave out the slow cases")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args()
    cases = faults.select(_load_cases(), args.k)
    if args.fast:
        cases = [c for c in cases if not c.slow]
    if args.list:
        for c in cases:
            print(f"{c.id:40s} {c.title}")
        return 0
    raw = raw_dir()
    work = Path(tempfile.mkdtemp(prefix="rotation-faults-"))
    env = faults.base_env()
    try:
        reference = work / "reference"
        subprocess.run([sys.executable, "-m", "rotation.cli", "--data-dir", str(reference), "data", "import",
                        str(raw), "--end-file", str(CUTS)], env=env, check=True, capture_output=True)
        held = 0
        width = max((len(c.id) for c in cases), default=10)
        for c in cases:
            scratch = work / c.id
            scratch.mkdir()
            t0 = time.perf_counter()
            try:
                out = c.run(faults.Context(raw=raw, cuts=CUTS, reference=reference, scratch=scratch, env=env))
            except Exception as exc:  # noqa: BLE001 - a case that crashes did not hold
                out = faults.Held(False, f"crashed: {type(exc).__name__}: {exc}; "
                                         + traceback.format_exc(limit=2).splitlines()[-2].strip())
            held += out.held
            mark = "[held]    " if out.held else "[NOT HELD]"
            print(f"{mark} {c.id:{width}s}  {c.title}: {out.detail} ({time.perf_counter() - t0:.1f} s)", flush=True)
            shutil.rmtree(scratch, ignore_errors=True)
        print(f"{held} of {len(cases)} held")
        return 0 if held == len(cases) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
