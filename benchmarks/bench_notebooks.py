"""Notebook benchmark: each notebook's run time next to an import-only notebook.

Both run through the same runner (`rotation.runner.run_notebooks`) in the same process
and kernel, against a store holding the imported snapshot; the ratio is notebook time /
import-only time (target <= 1.5). Prints figures, asserts nothing.
Run: `make bench` or `ROTATION_RAW_DIR=... python benchmarks/bench_notebooks.py [NAME ...]`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from _common import fresh_store_dir, raw_dir, snapshot_ends

from rotation.data.importer import import_paths
from rotation.data.store import Store
from rotation.runner import list_notebooks, run_notebooks

IMPORT_ONLY = """\
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
import statsmodels.api as sm
from IPython.display import Markdown, display

import rotation.data
from rotation import cycles, inference, outcomes, plots, returns, signals
from rotation.report import record
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


def _timed(names: list[str], nb_dir: Path | None, out: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    summary = run_notebooks(names, out=out, progress=False, notebooks_dir=nb_dir)
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
    print(f"{'notebook':28s} {'seconds':>8s} {'import-only':>12s} {'ratio':>6s}  target <= 1.5")
    for name in wanted:
        base = _timed(["99_import_only"], base_dir, work / f"base-{name}")["99_import_only"]
        t = _timed([name], None, work / f"run-{name}")[name]
        ratio = t / base
        print(f"{name:28s} {t:8.2f} {base:12.2f} {ratio:6.2f}  {'ok' if ratio <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
