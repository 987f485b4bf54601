"""Robustness grids: the same notebooks under every combination of some parameters.

``rotation run --grid proxy=ff30_vw,iwm_spy --grid start=1926-07-31,1963-07-31 01`` runs the
cartesian product; each combination is a normal run folder (``<out>/<label>/``, written by
:func:`rotation.runner.run_notebooks`, with its own reports and manifests) and all of them
read the same store, read-only.  This module parses and expands the grid and runs it; when every
combination is done, :mod:`rotation.runner.robustness` writes the grid folder's ``grid.json``
(combinations and outcomes) and ``robustness.html`` (every claim's verdict and headline effect under
each combination, with a consistency label: :data:`rotation.evidence.consistency.CONSISTENCY`), and
renders each combination's run page (``<label>/index.html``) again with a note linking to
``../robustness.html`` and, on its scorecard, a "depends on the proxy" flag for every claim whose
verdict changes with the proxy when the grid's other values are held fixed; ``rotation results --grid``
prints the same table.

Every value of the grid is checked with the notebooks' parameter rules before anything runs;
a combination whose proxy's data start after its ``start`` is *skipped* with the reason; a
failing combination does not stop the others.

Execution is a local process pool (``jobs`` combinations at once, each with its own kernel, and each
kernel with one BLAS thread unless ``OMP_NUM_THREADS``/``OPENBLAS_NUM_THREADS``/``MKL_NUM_THREADS`` are set)
or an existing Dask distributed cluster (``executor="dask"``, ``scheduler="tcp://HOST:PORT"``):
each combination is one Dask task that runs :func:`run_notebooks` on a worker and writes its
files under ``out`` (workers need the package, a Jupyter kernel and read access to the store
and to ``out``; write access to ``out`` for the results, which come back as files).
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import itertools
import math
import multiprocessing
import os
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rotation.errors import ParameterError
from rotation.notebook.parameters import shown
from rotation.runner import interrupt
from rotation.runner.discovery import select_notebooks
from rotation.runner.execution import (
    BLAS_THREAD_VARIABLES,
    available_cores,
    check_out_dir,
    claim_out_dir,
    new_run_dir,
    resolve_kernel,
)
from rotation.runner.partial import finish_interrupted_grid
from rotation.runner.robustness import ROBUSTNESS_PAGE, write_grid_file, write_grid_pages

__all__ = ["parse_grid", "check_grid", "check_grid_size", "combinations", "combo_label", "combo_labels",
           "skip_reason", "run_grid", "GridSummary", "connect", "DASK_CONNECT_TIMEOUT", "GRID_MAX", "LABEL_MAX"]


def parse_grid(items: Sequence[str] | Mapping[str, Any]) -> dict[str, list[object]]:
    """``["proxy=a,b", "start=x,y"]`` (or a YAML mapping ``{proxy: [a, b]}``) -> ``{name: [values]}``.

    Raises
    ------
    ParameterError
        No ``=``, an empty value list, or the same name twice.
    """
    grid: dict[str, list[object]] = {}
    pairs: list[tuple[str, list[object]]] = []
    if isinstance(items, Mapping):
        for name, values in items.items():
            if values is None:
                vals: list[object] = []
            elif isinstance(values, (list, tuple)):
                vals = list(values)
            elif isinstance(values, Mapping):
                raise ParameterError(f"grid parameter {name!r} in the -f file must be a list of values, got the "
                                     f"mapping {dict(values)!r}; write `{name}: [V1, V2]`")
            else:
                vals = [values]
            pairs.append((str(name), vals))
    else:
        for item in items:
            if "=" not in item:
                raise ParameterError(f"--grid takes NAME=V1,V2,..., got {item!r}; "
                                     "write e.g. --grid proxy=ff30_vw,iwm_spy")
            name, text = item.split("=", 1)
            vals = [v.strip() for v in text.split(",")] if text.strip() else []
            if "" in vals:
                raise ParameterError(f"--grid {item!r} has an empty value (position {vals.index('') + 1}); "
                                     f"remove the extra comma, e.g. --grid {name.strip()}=V1,V2")
            pairs.append((name.strip(), list(vals)))
    for name, vals in pairs:
        if not name:
            raise ParameterError("a grid parameter has no name; write NAME=V1,V2, e.g. --grid proxy=ff30_vw,iwm_spy")
        if not vals:
            raise ParameterError(f"grid parameter {name!r} has an empty value list; give at least one value, "
                                 f"e.g. --grid {name}=V1,V2")
        if name in grid:
            raise ParameterError(f"grid parameter {name!r} is given twice; list all its values once: "
                                 f"--grid {name}=V1,V2")
        grid[name] = vals
    return grid


def combinations(grid: Mapping[str, Sequence[object]]) -> list[dict[str, object]]:
    """The cartesian product of the grid, in the order given (last name varies fastest)."""
    names = list(grid)
    return [dict(zip(names, vals, strict=True)) for vals in itertools.product(*(grid[n] for n in names))]


LABEL_MAX = 100
"""Longest folder name of a combination before its digest (the combination's values in full are in grid.json)."""


def combo_label(combo: Mapping[str, object]) -> str:
    """A folder name for one combination, e.g. ``proxy-iwm_spy__start-1963-07-31``.

    Characters other than letters, digits and ``_.=-`` become ``_``; when that changed the text (``x/y``,
    ``x?y`` and ``x y`` would all read ``x_y``) or it is longer than :data:`LABEL_MAX`, the first 8 hex
    digits of the exact text's SHA-256 are appended, so different combinations get different folders.
    """
    text = "__".join(f"{k}-{v}" for k, v in combo.items())
    safe = re.sub(r"[^A-Za-z0-9_.=-]+", "_", text)
    if safe == text and len(safe) <= LABEL_MAX:
        return safe or "default"
    return f"{safe[:LABEL_MAX]}_{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def combo_labels(combos: Sequence[Mapping[str, object]]) -> list[str]:
    """:func:`combo_label` of each combination, made unique ignoring case (``-2``, ``-3``... on a clash) so
    that no two combinations share a folder, on case-insensitive file systems too."""
    seen: set[str] = set()
    labels = []
    for combo in combos:
        label = base = combo_label(combo)
        n = 2
        while label.casefold() in seen:
            label = f"{base}-{n}"
            n += 1
        seen.add(label.casefold())
        labels.append(label)
    return labels


def check_grid(notebooks: Sequence[Path], grid: Mapping[str, Sequence[object]],
               params: Mapping[str, object] | None = None) -> None:
    """Refuse a grid with an unknown name or any value the notebooks' rules refuse (before anything runs).

    Each value is checked alone with :func:`rotation.runner.plan_parameters`; the error names the grid
    parameter and the offending value. Then each combination, for the rules between parameters
    (:data:`rotation.notebook.rules.RELATIONS`: ``start <= end``...).
    """
    from rotation.runner.parameters import notebook_parameters, plan_parameters

    specs = [notebook_parameters(nb) for nb in notebooks]
    for name in grid:
        if params and name in params:
            raise ParameterError(f"parameter {name!r} is both fixed (-p/-f) and in the grid; keep it in one place")
    for name, values in grid.items():
        for value in values:
            try:
                plan_parameters(list(notebooks), {**dict(params or {}), name: value}, specs)
            except ParameterError as exc:
                raise ParameterError(f"grid value {name}={shown(value)} is refused: {exc}") from None
    for combo in combinations(grid):  # the rules between parameters (start <= end...) on each combination
        try:
            plan_parameters(list(notebooks), {**dict(params or {}), **combo}, specs)
        except ParameterError as exc:
            given = ", ".join(f"{k}={shown(v)}" for k, v in combo.items())
            raise ParameterError(f"grid combination {given} is refused: {exc}") from None


GRID_MAX = 200
"""Most combinations a grid runs without ``--large-grid`` (``allow_large=True``)."""


def check_grid_size(grid: Mapping[str, Sequence[object]], n_notebooks: int, allow_large: bool) -> int:
    """The number of combinations; refused over :data:`GRID_MAX` unless ``allow_large`` (before anything runs)."""
    n = math.prod(len(v) for v in grid.values())
    if n > GRID_MAX and not allow_large:
        sizes = " x ".join(f"{k}: {len(v)} values" for k, v in grid.items())
        raise ParameterError(
            f"the grid has {n:,} combinations ({sizes}), more than {GRID_MAX}; each runs the selected notebook(s) "
            f"in a kernel of its own ({n * n_notebooks:,} notebook runs). Use fewer values, or pass --large-grid "
            "(allow_large=True) to run it anyway")
    return n


def skip_reason(combo: Mapping[str, object]) -> str | None:
    """Why a combination cannot be served, or None: a proxy whose stored data start after ``start``.

    Reads the store's first dates (:func:`rotation.data.coverage`); monthly datasets of the proxy
    first, its daily ones otherwise.  Unknown or missing data give None (the run reports it).
    """
    proxy, start = combo.get("proxy"), combo.get("start")
    if not proxy or not start:
        return None
    try:
        import pandas as pd

        from rotation.data import coverage
        from rotation.data.api import PROXIES

        p = PROXIES[str(proxy)]
        cov = coverage().set_index("key")
        keys = [k for k in p.datasets("M") if k in cov.index and bool(cov.loc[k, "stored"])]
        if not keys:
            return None
        first = max(pd.Timestamp(cov.loc[k, "first"]) for k in keys)
        begin = pd.Timestamp(str(start))
    except Exception:  # the notebook itself will say what is wrong
        return None
    # a month-end start is served by data starting within that month
    if first.to_period("M") > begin.to_period("M"):
        return (f"proxy {proxy!r} has data from {first.date()} only (datasets {', '.join(keys)}), "
                f"after start={start}")
    return None


def _run_combo(names: list[str] | None, params: dict[str, object], out: str, kernel: str | None,
               timeout: int | None, notebooks_dir: str | None, env: dict[str, str]) -> dict[str, Any]:
    """One combination (in a worker process or on a Dask worker): a normal run, summarised as plain data.

    ``env`` (the client's ``ROTATION_*`` variables and any BLAS thread counts it set) is set for the run and
    restored afterwards; the runner gives each kernel one BLAS thread unless a count is set
    (:func:`rotation.runner.execution.kernel_environment`), on every executor alike, so a local pool and
    Dask give identical results.
    """
    from rotation.runner import run_notebooks
    from rotation.runner.execution import temporary_environ

    try:
        with temporary_environ(env):
            summary = run_notebooks(names, params=params, out=out, jobs=1, kernel_name=kernel, progress=False,
                                    timeout=timeout, notebooks_dir=notebooks_dir, force=True)
    except Exception as exc:  # noqa: BLE001 - reported as a failed combination
        return _failed(exc)
    failed = [r.error.describe() if r.error else f"{r.name} failed" for r in summary.failed]
    status = interrupt.INTERRUPTED if summary.interrupted else "ok" if summary.ok else "failed"
    return {"status": status, "error": "; ".join(failed), "notebooks": {r.name: r.status for r in summary.results}}


@dataclass(frozen=True)
class GridSummary:
    """Outcome of :func:`run_grid`: one entry per combination (``status`` ok / skipped / failed / interrupted)."""

    out_dir: Path
    grid: dict[str, list[object]]
    combos: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c["status"] not in ("failed", interrupt.INTERRUPTED) for c in self.combos)

    @property
    def interrupted(self) -> bool:
        """A signal (Ctrl-C, SIGTERM) stopped the grid before every combination finished."""
        return any(c["status"] == interrupt.INTERRUPTED for c in self.combos)

    def to_text(self) -> str:
        """The summary table: one line per combination, with the reason or the failing cell."""
        width = max([len("combination")] + [len(c["label"]) for c in self.combos])
        sw = max([7] + [len(c["status"]) for c in self.combos])
        lines = [f"{'combination':<{width}}  {'status':<{sw}}  detail", f"{'-' * width}  {'-' * sw}  ------"]
        for c in self.combos:
            lines.append(f"{c['label']:<{width}}  {c['status']:<{sw}}  {c.get('error') or c.get('reason') or ''}")
        n = {s: sum(c["status"] == s for c in self.combos) for s in ("ok", "skipped", "failed", interrupt.INTERRUPTED)}
        stopped = f", {n[interrupt.INTERRUPTED]} interrupted" if n[interrupt.INTERRUPTED] else ""
        lines.append(f"{n['ok']} ok, {n['skipped']} skipped, {n['failed']} failed{stopped}; "
                     f"robustness: {self.out_dir / ROBUSTNESS_PAGE}")
        return "\n".join(lines)


def _rotation_env() -> dict[str, str]:
    """The client's variables a worker needs: ``ROTATION_*`` (store, runs, offline), the backend, the hash
    seed and any BLAS thread count set by the user."""
    keep = ("MPLBACKEND", "PYTHONHASHSEED", *BLAS_THREAD_VARIABLES)  # the runner's names
    return {k: v for k, v in os.environ.items() if k.startswith("ROTATION_") or k in keep}


def run_grid(
    names: Sequence[str] | None,
    grid: Mapping[str, Sequence[object]],
    params: Mapping[str, object] | None = None,
    out: Path | str | None = None,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    kernel_name: str | None = None,
    progress: bool = True,
    timeout: int | None = 1800,
    notebooks_dir: Path | str | None = None,
    force: bool = False,
    client: Any = None,
    allow_large: bool = False,
) -> GridSummary:
    """Run ``names`` once per combination of ``grid`` (see the module docstring).

    Parameters
    ----------
    grid : mapping name -> list of values
        From :func:`parse_grid`; values as on a command line (strings) or typed.
    params : mapping, optional
        Parameters fixed for every combination.
    jobs : int, optional
        Combinations run at once locally (default, and at most: the number of cores).
    executor : {"local", "dask"}
        ``"dask"`` submits each combination to the Dask cluster at ``scheduler`` (or ``client``).
    client : distributed.Client, optional
        An existing client (e.g. of a ``LocalCluster``) instead of ``scheduler``.
    allow_large : bool
        Run a grid of more than :data:`GRID_MAX` combinations (``--large-grid``).

    Raises
    ------
    ParameterError
        Unknown notebook or grid parameter, a refused value, an empty value list, more than :data:`GRID_MAX`
        combinations without ``allow_large``, a bad executor, a Dask scheduler that does not answer -- all
        before anything runs.  A failing combination does not raise: see ``GridSummary.ok`` and each
        combination's ``status`` and ``error``.
    """
    if executor not in ("local", "dask"):
        raise ParameterError(f"executor must be 'local' or 'dask', got {executor!r}")
    if executor == "dask" and scheduler is None and client is None:
        raise ParameterError("--executor dask needs --scheduler tcp://HOST:PORT (the address `dask scheduler` prints)")
    if jobs is None:
        jobs = os.cpu_count() or 1
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ParameterError(f"jobs must be a positive integer, got {jobs!r}")
    grid = parse_grid(grid)  # type: ignore[arg-type]
    if not grid:
        raise ParameterError("the grid has no parameters; give at least one, e.g. --grid proxy=ff30_vw,iwm_spy")
    notebooks = select_notebooks(names, notebooks_dir)
    check_grid_size(grid, len(notebooks), allow_large)
    check_grid(notebooks, grid, params)
    kernel = resolve_kernel(kernel_name)
    out_dir = Path(out).expanduser().resolve() if out is not None else new_run_dir()
    check_out_dir(out_dir, force)
    own_client = executor == "dask" and client is None
    if own_client:
        client = connect(scheduler)  # type: ignore[arg-type]
    from rotation import config
    from rotation.data.store.pins import run_pin

    try:  # one store version for every combination: the pin's variable goes to the workers with ROTATION_*
        with run_pin(config.data_dir()):
            return _run(grid, notebooks, params, out_dir, kernel, jobs, executor, client, progress, timeout,
                        notebooks_dir)
    finally:
        if own_client:
            client.close()


Task = tuple[int, tuple]
"""One combination to run: its index among the grid's combinations and the arguments of :func:`_run_combo`."""


def _plan(grid: Mapping[str, Sequence[object]], notebooks: list[Path], params: Mapping[str, object] | None,
          out_dir: Path, kernel: str, timeout: int | None,
          notebooks_dir: Path | str | None) -> tuple[list[dict[str, Any]], list[Task]]:
    """The grid's combinations (``grid.json`` entries; a combination that cannot be served is skipped with its
    reason) and the tasks that run the others."""
    nb_names = [str(nb) for nb in notebooks]
    env = _rotation_env()
    combos: list[dict[str, Any]] = []
    todo: list[Task] = []
    all_combos = combinations(grid)
    for combo, label in zip(all_combos, combo_labels(all_combos), strict=True):
        entry: dict[str, Any] = {"label": label, "parameters": combo, "folder": label}
        reason = skip_reason(combo)
        if reason:
            entry.update(status="skipped", reason=reason)
        else:
            args = (nb_names, {**dict(params or {}), **combo}, str(out_dir / label), kernel, timeout,
                    str(notebooks_dir) if notebooks_dir else None, env)
            todo.append((len(combos), args))
        combos.append(entry)
    return combos, todo


def _failed(exc: BaseException) -> dict[str, Any]:
    return {"status": "failed", "error": f"{type(exc).__name__}: {exc}", "notebooks": {}}


def _run_local(todo: list[Task], done: Callable[[int, dict[str, Any]], None], jobs: int) -> None:
    """The tasks on a local process pool of ``jobs`` processes, at most the cores (in this process when one at a
    time). Raises ``KeyboardInterrupt`` when a signal stopped a combination (its workers and kernels stopped)."""
    jobs = min(jobs, available_cores())
    if jobs == 1 or len(todo) <= 1:
        for i, args in todo:
            res = _run_combo(*args)
            done(i, res)
            if res["status"] == interrupt.INTERRUPTED:
                raise KeyboardInterrupt
        return
    # spawned like the runner's own pool: no fork of a process that may hold threads
    before = set(multiprocessing.active_children())
    pool = cf.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=multiprocessing.get_context("spawn"),
                                  initializer=interrupt.worker_init)
    try:
        with interrupt.signals_blocked():  # the workers start with SIGINT/SIGTERM blocked until worker_init
            futures = {pool.submit(_run_combo, *args): i for i, args in todo}
        for fut in cf.as_completed(futures):
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker process
                res = _failed(exc)
            done(futures[fut], res)
    except KeyboardInterrupt:
        interrupt.stop_workers(before)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run(grid: dict[str, list[object]], notebooks: list[Path], params: Mapping[str, object] | None, out_dir: Path,
         kernel: str, jobs: int, executor: str, client: Any, progress: bool, timeout: int | None,
         notebooks_dir: Path | str | None) -> GridSummary:
    """The checked grid, run: skip, execute, then write grid.json, the robustness page and the run pages."""
    from tqdm.auto import tqdm

    claim_out_dir(out_dir)
    combos, todo = _plan(grid, notebooks, params, out_dir, kernel, timeout, notebooks_dir)
    bar = tqdm(total=len(combos), desc="grid", unit="combination", disable=not progress)
    bar.update(len(combos) - len(todo))

    def done(i: int, res: dict[str, Any]) -> None:
        combos[i].update(res)
        bar.update(1)

    try:
        with interrupt.stopping_on_signals():
            if executor == "dask":
                _run_dask(todo, done, client)
            else:
                _run_local(todo, done, jobs)
    except KeyboardInterrupt:  # what finished is kept; the rest is recorded as interrupted, with its run pages
        finish_interrupted_grid(combos, todo)
    bar.close()
    summary = GridSummary(out_dir=out_dir, grid={k: list(v) for k, v in grid.items()}, combos=combos)
    write_grid_file(out_dir, summary.grid, combos)
    write_grid_pages(out_dir)
    return summary


DASK_CONNECT_TIMEOUT = "30s"
"""How long to wait for the Dask scheduler given with ``--scheduler`` before giving up."""


def connect(scheduler: str) -> Any:
    """A ``distributed.Client`` of the scheduler at ``scheduler`` (``tcp://HOST:PORT``).

    Raises
    ------
    ParameterError
        ``distributed`` is not installed, or the scheduler does not answer within
        :data:`DASK_CONNECT_TIMEOUT` (the message says how to start one).
    """
    try:
        from distributed import Client
    except ImportError:
        raise ParameterError("--executor dask needs the `distributed` package: pip install -e '.[grid]'") from None
    try:
        return Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, ValueError) as exc:  # refused, timed out, or a malformed address
        raise ParameterError(f"--scheduler {scheduler}: no Dask scheduler answered within {DASK_CONNECT_TIMEOUT} "
                             f"({type(exc).__name__}: {exc}); start one with `dask scheduler` and give the address "
                             "it prints (tcp://HOST:8786), with at least one `dask worker ADDRESS`") from None


def _run_dask(todo: list[Task], done: Callable[[int, dict[str, Any]], None], client: Any) -> None:
    """The tasks on a Dask cluster, one task per combination."""
    from distributed import as_completed

    run_id = uuid.uuid4().hex[:12]  # task keys unique per grid: a reused client must not return old results
    futures = {client.submit(_run_combo, *args, pure=False, key=f"rotation-grid-{run_id}-{i}"): i for i, args in todo}
    try:
        for fut in as_completed(list(futures)):
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker, a worker without the package
                res = _failed(exc)
            done(futures[fut], res)
    except KeyboardInterrupt:  # tasks not started are cancelled; a running one finishes on its worker
        client.cancel(list(futures))
        raise
