"""Grid benchmark: a 4-combination robustness grid with ``jobs=2`` against the same 4 runs one at a time.

The grid is notebook 01 (``01_relative_strength``) over ``proxy=ff30_vw,ff10_vw`` x
``start=1926-07-31,1963-07-31`` (every combination servable: no skips), with fewer bootstrap
replications than the defaults so that one run takes seconds (``null_reps=100``,
``bootstrap_reps=400``). Printed, all measured in this one run on a store holding the imported
snapshot:

- **one at a time**: ``rotation.runner.run_notebooks`` once per combination, in turn (what an
  analyst does without ``--grid``);
- **grid, jobs 2**: ``rotation.runner.grid.run_grid`` with ``jobs=2`` (a local process pool, two
  kernels at once), robustness page and run-page notes included;
- the speed-up, one at a time / grid (target >= 1.7 on 2 cores).

One warm-up run first (imports, fonts). Prints figures, asserts nothing.
Run: ``make bench`` or ``ROTATION_RAW_DIR=... python benchmarks/bench_grid.py``
(``ROTATION_BENCH_STORE=DIR`` uses an already imported store).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from _common import fresh_store_dir, raw_dir, snapshot_ends

from rotation.data.importer import import_paths
from rotation.data.store import Store
from rotation.runner import run_notebooks
from rotation.runner.grid import combinations, combo_label, run_grid

NOTEBOOK = "01_relative_strength"
GRID: dict[str, list[object]] = {"proxy": ["ff30_vw", "ff10_vw"], "start": ["1926-07-31", "1963-07-31"]}
FIXED: dict[str, object] = {"null_reps": 100, "bootstrap_reps": 400}
JOBS = 2
TARGET = 1.7


def _one_at_a_time(out: Path) -> float:
    t0 = time.perf_counter()
    for combo in combinations(GRID):
        summary = run_notebooks([NOTEBOOK], params={**FIXED, **combo}, out=out / combo_label(combo), jobs=1,
                                progress=False)
        if not summary.ok:
            sys.exit(summary.to_text())
    return time.perf_counter() - t0


def _grid(out: Path) -> float:
    t0 = time.perf_counter()
    summary = run_grid([NOTEBOOK], GRID, params=FIXED, out=out, jobs=JOBS, progress=False)
    wall = time.perf_counter() - t0
    if not summary.ok or any(c["status"] != "ok" for c in summary.combos):
        sys.exit(summary.to_text())
    return wall


def main() -> None:
    store_dir = Path(os.environ["ROTATION_BENCH_STORE"]) if os.environ.get("ROTATION_BENCH_STORE") else None
    if store_dir is None:
        store_dir = fresh_store_dir()
        import_paths([raw_dir()], store=Store(store_dir), end=snapshot_ends())
    os.environ["ROTATION_DATA_DIR"] = str(store_dir)
    os.environ["ROTATION_OFFLINE"] = "1"
    work = Path(tempfile.mkdtemp(prefix="rotation-bench-grid-"))
    first = combinations(GRID)[0]
    run_notebooks([NOTEBOOK], params={**FIXED, **first}, out=work / "warmup", progress=False)  # warm caches once

    serial = _one_at_a_time(work / "one-at-a-time")
    grid = _grid(work / "grid")
    speedup = serial / grid
    n = len(combinations(GRID))
    spec = " x ".join(k + "=" + ",".join(map(str, v)) for k, v in GRID.items())
    fixed = ", ".join(f"{k}={v}" for k, v in FIXED.items())
    verdict = "ok" if speedup >= TARGET else "MISSED"
    print(f"{NOTEBOOK}: {n} combinations ({spec}), {fixed}; {os.cpu_count()} cores")
    print(f"{'one at a time (rotation run per combination)':48s} {serial:8.1f} s")
    print(f"{'grid, rotation run --grid --jobs ' + str(JOBS):48s} {grid:8.1f} s   speed-up {speedup:5.2f}  "
          f"target >= {TARGET}  {verdict}")


if __name__ == "__main__":
    main()
