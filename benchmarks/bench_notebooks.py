"""Notebook benchmark: the suite against the floor, --jobs 2 against --jobs 1, each notebook's ratio.

Printed, all measured in this one run on a store holding the imported snapshot:

- the **floor**: as many notebooks as the suite has, each only importing pandas, numpy,
  statsmodels, seaborn and matplotlib, executed one after another by papermill itself (no
  runner, no reports): the unavoidable cost of a kernel per notebook;
- the **suite**: ``rotation.runner.run_notebooks`` on every notebook, reports included, with
  ``jobs=1`` and ``jobs=2``; the ratio suite / floor (target <= 1.5) and the speed-up of
  ``jobs=2`` (target >= 1.7 on 2 cores);
- **per notebook**: its execution time in the ``jobs=1`` suite against an import-only notebook
  (the imports the notebooks share, rotation's included) run by the same runner, median of
  three (target <= 1.5).

Prints figures, asserts nothing. Growth with the sample length: ``bench_growth.py``.
Run: ``make bench`` or ``ROTATION_RAW_DIR=... python benchmarks/bench_notebooks.py [NAME ...]``
(``ROTATION_BENCH_STORE=DIR`` uses an already imported store).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from rotation.data.ingest import import_paths
from rotation.data.store import Store
from rotation.runner import list_notebooks, run_notebooks
from rotation.runner.execution import KERNEL_ARGUMENTS, kernel_environment

from _common import fresh_store_dir, raw_dir, snapshot_ends

IMPORT_ONLY = """\
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
import statsmodels.api as sm
from IPython.display import Markdown, display

import rotation.data
from rotation.studies import cycles, outcomes, returns, signals
from rotation.stats import intervals
from rotation.present import plots
from rotation.notebook.record import record
"""


def _baseline(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    params = nbformat.v4.new_code_cell('x: int = 0  # unused')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(IMPORT_ONLY)]
    path = folder / "99_import_only.ipynb"
    nbformat.write(nb, path)
    return path


FLOOR = """\
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
import statsmodels.api as sm
"""


def _floor(folder: Path, count: int) -> float:
    """Seconds papermill alone takes for ``count`` notebooks that only import the stack."""
    import papermill

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(FLOOR)]
    src = folder / "floor.ipynb"
    nbformat.write(nb, src)
    kernel = _kernel()
    t0 = time.perf_counter()
    with kernel_environment():  # the kernels' environment under `rotation run` (inline figures), for a fair floor
        for i in range(count):
            papermill.execute_notebook(str(src), str(folder / f"floor-{i}.ipynb"), kernel_name=kernel,
                                       progress_bar=False, cwd=str(folder), extra_arguments=KERNEL_ARGUMENTS)
    return time.perf_counter() - t0


def _kernel() -> str:
    from rotation.runner import resolve_kernel

    return resolve_kernel()


def _timed(names: list[str] | None, nb_dir: Path | None, out: Path, jobs: int = 1) -> dict[str, float]:
    t0 = time.perf_counter()
    summary = run_notebooks(names, out=out, progress=False, notebooks_dir=nb_dir, jobs=jobs)
    wall = time.perf_counter() - t0
    if not summary.ok:
        sys.exit(summary.to_text())
    return {r.name: r.seconds for r in summary.results} | {"_wall": wall}


def main() -> None:
    store_dir = Path(os.environ.get("ROTATION_BENCH_STORE", "")) if os.environ.get("ROTATION_BENCH_STORE") else None
    if store_dir is None:
        store_dir = fresh_store_dir()
        import_paths([raw_dir()], store=Store(store_dir), end=snapshot_ends())
    os.environ["ROTATION_DATA_DIR"] = str(store_dir)
    os.environ["ROTATION_OFFLINE"] = "1"
    wanted = sys.argv[1:] or [p.stem for p in list_notebooks()]
    work = Path(tempfile.mkdtemp(prefix="rotation-bench-nb-"))
    base_dir = work / "baseline"
    base_dir.mkdir()
    _baseline(base_dir)
    _timed(["99_import_only"], base_dir, work / "warmup")  # warm caches (imports, fonts) once

    floor = _floor(work, len(wanted))
    suite1 = _timed(wanted, None, work / "suite-jobs1", jobs=1)
    suite2 = _timed(wanted, None, work / "suite-jobs2", jobs=2)
    base = statistics.median(_timed(["99_import_only"], base_dir, work / f"base-{i}")["99_import_only"]
                             for i in range(3))
    ratio, speedup = suite1["_wall"] / floor, suite1["_wall"] / suite2["_wall"]
    print(f"{len(wanted)} notebooks on {os.cpu_count()} cores")
    print(f"{'floor (papermill, imports only)':40s} {floor:8.1f} s")
    print(f"{'suite, rotation run --jobs 1':40s} {suite1['_wall']:8.1f} s   ratio to floor {ratio:5.2f}  "
          f"target <= 1.5  {'ok' if ratio <= 1.5 else 'MISSED'}")
    print(f"{'suite, rotation run --jobs 2':40s} {suite2['_wall']:8.1f} s   speed-up {speedup:5.2f}        "
          f"target >= 1.7  {'ok' if speedup >= 1.7 else 'MISSED'}")
    print()
    print(f"{'notebook':28s} {'seconds':>8s} {'import-only':>12s} {'ratio':>6s}  target <= 1.5")
    for name in wanted:
        t = suite1[name]
        print(f"{name:28s} {t:8.2f} {base:12.2f} {t / base:6.2f}  {'ok' if t / base <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
