"""Executing notebooks with papermill: the kernel, its environment, one job per notebook, the run.

A job runs in the notebook's run folder (also the kernel's working directory), then
reads the executed notebook once: the records become ``results.json``, the store reads
and the kernel's interpreter go into ``manifest.json``, and the HTML is rendered there
too (in the worker process when ``jobs > 1``).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as _dt
import functools
import multiprocessing
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rotation import config
from rotation.errors import ParameterError
from rotation.outputs import dump_results, notebook_kernel, notebook_reads, notebook_results
from rotation.present.reader import notebook_title_and_question
from rotation.runner import interrupt, provenance
from rotation.runner.html import export_html
from rotation.runner.status import NotebookError, NotebookResult, notebook_paths

__all__ = ["resolve_kernel", "execute", "crashed", "interrupted", "Job", "KERNEL_MPLBACKEND", "KERNEL_ARGUMENTS",
           "BLAS_THREAD_VARIABLES", "kernel_environment", "temporary_environ", "ipc_kernel_manager", "run_jobs", "now",
           "title_and_question", "new_run_dir", "check_out_dir", "claim_out_dir", "make_jobs", "label",
           "available_cores", "cap_jobs"]

# Headless plotting in the kernels.  The inline backend renders with Agg (no GUI) *and* puts figures into the
# executed notebook; the notebooks' check cell selects it too, for runs outside `rotation run`.
KERNEL_MPLBACKEND = "module://matplotlib_inline.backend_inline"
# ipykernel 7 logs "Kernel is running over TCP without encryption" for every kernel and "KeyboardInterrupt
# caught in kernel" when nbclient shuts it down; a real failure still reaches the notebook as an error.
# IPython's history is off: a run writes nothing outside its folder and the store (with history on, every
# kernel appends a session, the injected parameters included, to ~/.ipython/profile_default/history.sqlite).
# The notebooks' `In` list (what check_parameters reads) does not depend on it.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
# Thread counts of the numerical libraries in the kernels (see kernel_environment).
BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def resolve_kernel(kernel_name: str | None = None) -> str:
    """The kernel to use: the argument, ``ROTATION_KERNEL``, ``rotation`` if installed, else ``python3``."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    name = kernel_name or os.environ.get("ROTATION_KERNEL") or ("rotation" if "rotation" in specs else "python3")
    if name not in specs:
        installed = ", ".join(sorted(specs)) or "(none)"
        raise ParameterError(
            f"Jupyter kernel {name!r} is not installed (installed: {installed}); install it with "
            f"`python -m ipykernel install --user --name {name}` from the project environment, "
            "or choose another with --kernel / ROTATION_KERNEL"
        )
    return name


@contextlib.contextmanager
def kernel_environment() -> Iterator[dict[str, str]]:
    """Set the variables the kernels inherit; restore the old values afterwards.

    ``ROTATION_RUN=1`` only tells notebook code it runs under ``rotation run`` (records do not
    depend on it any more), the inline ``MPLBACKEND`` keeps figures, ``PYTHONHASHSEED=0``
    (unless set) makes set and str-dict orders reproducible, and one BLAS/OpenMP thread per
    kernel (:data:`BLAS_THREAD_VARIABLES`, unless set) because notebooks are the parallel unit:
    the notebooks' matrices are small, and with ``--jobs 2`` two kernels that each spin a
    BLAS thread per core oversubscribe the cores (measured: about a fifth more wall time on
    2 cores). Every run uses the same count, so results never depend on ``--jobs``.

    The store is pinned for the block (``ROTATION_STORE_PIN``, :mod:`rotation.data.store.pins`): every
    kernel of the run reads the version of the store the run started with, whatever is imported
    meanwhile, and the pin is released when the block ends (or the run dies). A grid's pin, already
    set, is used as it is.
    """
    from rotation.data.store.pins import PIN_ENV, run_pin

    wanted = {"ROTATION_RUN": "1", "MPLBACKEND": KERNEL_MPLBACKEND}
    if "PYTHONHASHSEED" not in os.environ:
        wanted["PYTHONHASHSEED"] = "0"  # deterministic set/dict-of-str ordering in the kernels
    for name in BLAS_THREAD_VARIABLES:
        if name not in os.environ:
            wanted[name] = "1"
    with run_pin(config.data_dir()) as pin:
        if pin:
            wanted[PIN_ENV] = pin
        with temporary_environ(wanted):
            yield wanted


@contextlib.contextmanager
def temporary_environ(wanted: Mapping[str, str]) -> Iterator[None]:
    """Set ``wanted`` in ``os.environ`` for the block; restore (or remove) each name afterwards."""
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass(frozen=True)
class Job:
    """One notebook to execute into ``folder`` with ``overrides`` (``effective``: defaults + overrides)."""

    notebook: Path
    folder: Path
    overrides: dict[str, Any]
    effective: dict[str, Any]
    kernel: str
    timeout: int | None
    git: dict[str, Any] | None
    env: dict[str, str]
    source_label: str
    siblings: tuple[str, ...] = ()  # the run's notebooks (stems, in order): the report links to its neighbours


@functools.cache
def ipc_kernel_manager() -> type:
    """The kernel manager class of a run on POSIX: its kernel talks over Unix sockets, not TCP ports.

    With TCP, jupyter_client picks "free" ports by binding and releasing them before the kernel
    binds them, so two notebooks starting at once (``--jobs 2``, grids) can race for a port and
    one fails with "Kernel died before replying to kernel_info" (papermill issue 511; seen here
    on 2 cores). IPC endpoints named after a fresh UUID in the temporary folder cannot collide,
    and nothing listens on the network (in a temporary folder too deep for a socket's path, the
    kernel uses TCP as before). nbclient owns the manager as with its default class and
    shuts the kernel down; jupyter_client removes the socket files then. Each kernel is in this
    process's registry (:mod:`rotation.runner.interrupt`) from its start to its shutdown, so an
    interrupted run can kill it.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:
            await super().start_kernel(**kw)
            interrupt.track(self)

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            try:
                await super().shutdown_kernel(now=now, restart=restart)
            finally:
                interrupt.untrack(self)

        @default("transport")
        def _rotation_transport(self) -> str:
            return "ipc" if _ipc_base() is not None else "tcp"

        @default("ip")
        def _rotation_ip(self) -> str:
            base = _ipc_base()
            if self.transport != "ipc" or base is None:  # configured back to TCP, or a temp folder too deep
                from jupyter_client.localinterfaces import localhost

                return localhost()
            import uuid

            return base + uuid.uuid4().hex

    return IPCKernelManager


_SOCKET_PATH_MAX = 100
"""Longest path of a kernel's socket file (a Unix socket's path has room for 104 to 108 bytes by platform)."""


def _ipc_base() -> str | None:
    """``<temp folder>/rotation-kernel-`` when a socket path under it fits (a 32-digit id and ``-N``), else None
    (a temporary folder that deep makes kernels use TCP: a socket there could not be bound)."""
    import tempfile

    base = os.path.join(tempfile.gettempdir(), "rotation-kernel-")
    return base if len(os.fsencode(base)) + 32 + 3 <= _SOCKET_PATH_MAX else None


def _kernel_manager_kwargs() -> dict[str, Any]:
    return {"kernel_manager_class": ipc_kernel_manager()} if os.name == "posix" else {}


def now() -> str:
    """The current time, ISO 8601 to the second with the local UTC offset (manifests, the run record)."""
    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


def title_and_question(notebook: Path) -> tuple[str, str]:
    """(title, question) of a source notebook for its manifest; ("", "") when it cannot be read."""
    try:  # the source notebook (small, no outputs) holds the title and the question
        return notebook_title_and_question(notebook)
    except Exception:  # noqa: BLE001 - a missing or damaged source must not lose the run page
        return "", ""


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _tags(cell: Any) -> list[str]:
    return cell.get("metadata", {}).get("tags") or []


def _error_from_papermill(exc: Any, stem: str, executed: Any) -> NotebookError:
    """The failure papermill reported, with the failing cell's index in the *source* notebook."""
    cell_index = exc.cell_index
    if executed is not None:
        # papermill inserted an error banner at the top and an anchor before the failing cell
        cells = [c for c in executed.cells if "papermill-error-cell-tag" not in _tags(c)]
        injected = sum("injected-parameters" in _tags(c) for c in cells[: exc.cell_index])
        cell_index = exc.cell_index - injected
    source = exc.source if isinstance(exc.source, str) else "".join(exc.source or [])
    return NotebookError(notebook=stem, cell_index=cell_index, ename=str(exc.ename), evalue=str(exc.evalue),
                         exec_count=exc.exec_count, cell_source=source[:2000],
                         traceback=_strip_ansi("\n".join(exc.traceback or []))[-20000:])


def _read_executed(path: Path) -> Any:
    try:
        from rotation.nbformat_loader import nbformat

        return nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - a damaged or missing output notebook: report without it
        return None


def execute(job: Job) -> NotebookResult:
    """Run one notebook into ``job.folder`` and write its results, manifest and HTML."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from rotation.nbformat_loader import nbformat  # noqa: F401 - first, without jsonschema's slow IRI grammars

    os.environ.update(job.env)  # a spawned worker process inherits them too; be explicit
    stem = job.notebook.stem
    paths = notebook_paths(job.folder, stem)
    job.folder.mkdir(parents=True, exist_ok=True)
    for stale in (paths.results, paths.ipynb, paths.html, paths.manifest):
        stale.unlink(missing_ok=True)

    started = now()
    t0 = time.perf_counter()
    caught: Exception | None = None
    try:
        # in a helper thread: nbclient must not take SIGINT/SIGTERM over (rotation.runner.interrupt)
        interrupt.call_in_thread(
            papermill.execute_notebook, str(job.notebook), str(paths.ipynb), parameters=dict(job.overrides),
            kernel_name=job.kernel, cwd=str(job.folder), progress_bar=False, request_save_on_cell_execute=False,
            execution_timeout=job.timeout, extra_arguments=KERNEL_ARGUMENTS, **_kernel_manager_kwargs())
    except Exception as exc:  # noqa: BLE001 - failures, timeouts, dead kernels: record, don't abort the run
        caught = exc
    seconds = round(time.perf_counter() - t0, 3)
    finished = now()
    if not paths.ipynb.exists():  # papermill could not write it (e.g. a timeout): keep the source
        shutil.copyfile(job.notebook, paths.ipynb)
    executed = _read_executed(paths.ipynb)  # the one read of the executed notebook

    error: NotebookError | None = None
    if isinstance(caught, PapermillExecutionError):
        error = _error_from_papermill(caught, stem, executed)
    elif caught is not None:
        error = NotebookError(notebook=stem, cell_index=None, ename=type(caught).__name__,
                              evalue=_strip_ansi(str(caught))[:5000])
    status = "ok" if error is None else "failed"
    values = notebook_results(executed) if executed is not None else {}
    kernel = notebook_kernel(executed) if executed is not None else None
    provenance.write_text(paths.results, dump_results(values))
    manifest = provenance.manifest(
        job, status=status, error=error.to_dict() if error else None,
        reads=notebook_reads(executed) if executed is not None else [], kernel_python=kernel,
        files={"ipynb": paths.ipynb.name, "html": paths.html.name, "results": paths.results.name},
        about=title_and_question(job.notebook), started=started, finished=finished, seconds=seconds,
    )
    manifest["store"] = _store_version(job.env)
    provenance.write_json(paths.manifest, manifest)
    export_html(executed, paths.html, error, stem, siblings=job.siblings)
    return NotebookResult(name=stem, notebook=job.notebook, status=status, seconds=seconds, error=error, paths=paths,
                          parameters=dict(job.effective), values=values,
                          kernel_python=kernel.get("executable") if kernel else None)


def _store_version(env: Mapping[str, str]) -> dict[str, Any] | None:
    """The store version the run's kernels read (its root and generation), from the run's pin; None if unpinned."""
    from rotation.data.store.pins import PIN_ENV, pin_record

    return pin_record(env.get(PIN_ENV))


def crashed(job: Job, exc: BaseException, status: str = "failed") -> NotebookResult:
    """Result for a notebook whose worker process died (or, ``status="interrupted"``, that a signal stopped);
    leaves results, page and manifest behind."""
    stem = job.notebook.stem
    paths = notebook_paths(job.folder, stem)
    job.folder.mkdir(parents=True, exist_ok=True)
    error = NotebookError(notebook=stem, cell_index=None, ename=type(exc).__name__, evalue=str(exc))
    if not paths.ipynb.exists() and job.notebook.is_file():  # the page links it: the source, as for a timeout
        shutil.copyfile(job.notebook, paths.ipynb)
    if not paths.results.exists() or status == interrupt.INTERRUPTED:
        provenance.write_text(paths.results, dump_results({}))
    if not paths.html.exists() or status == interrupt.INTERRUPTED:
        export_html(None, paths.html, error, stem)
    manifest = provenance.manifest(
        job, status=status, error=error.to_dict(), reads=None, kernel_python=None,
        files={"ipynb": paths.ipynb.name, "html": paths.html.name, "results": paths.results.name},
        about=title_and_question(job.notebook), seconds=0.0)
    manifest["store"] = _store_version(job.env)
    provenance.write_json(paths.manifest, manifest)
    return NotebookResult(name=stem, notebook=job.notebook, status=status, seconds=0.0, error=error, paths=paths,
                          parameters=dict(job.effective))


class Interrupted(Exception):  # noqa: N818 - the ename a user reads on the run page
    """Why a notebook has no results: the run was stopped by a signal."""


def interrupted(job: Job) -> NotebookResult:
    """Result (and files) for a notebook a signal stopped before it finished, or before it started."""
    name = interrupt.signal_name(interrupt.received() or signal.SIGINT)
    return crashed(job, Interrupted(f"the run was stopped by {name} before this notebook finished; run it again "
                                    "for its results"), status=interrupt.INTERRUPTED)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform tells, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cap_jobs(jobs: int) -> tuple[int, str | None]:
    """``jobs`` capped at :func:`available_cores`, and the note saying so (None when not capped).

    Each job is a process with a kernel of its own (a few hundred MB): more jobs than cores only compete
    for the cores and the memory, so a run never starts more.
    """
    cores = available_cores()
    if jobs <= cores:
        return jobs, None
    return cores, (f"--jobs {jobs:,} is more than the {cores} core(s) this machine gives the run; running {cores} at "
                   "a time (each job is a process with a kernel of its own)")


def _run_pool(job_list: Sequence[Job], jobs: int, results: list[NotebookResult | None], done: Callable) -> None:
    """The jobs on a pool of spawned worker processes; on a signal, the workers and their kernels are stopped."""
    before = set(multiprocessing.active_children())
    pool = cf.ProcessPoolExecutor(max_workers=min(jobs, len(job_list)), mp_context=multiprocessing.get_context("spawn"),
                                  initializer=interrupt.worker_init)
    try:
        with interrupt.signals_blocked():  # the workers start with SIGINT/SIGTERM blocked until worker_init
            futures = {pool.submit(execute, job): i for i, job in enumerate(job_list)}
        for fut in cf.as_completed(futures):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker fails only its notebook
                results[i] = crashed(job_list[i], exc)
            done(job_list[i])
    except KeyboardInterrupt:
        interrupt.stop_workers(before)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_jobs(job_list: Sequence[Job], jobs: int, progress: bool) -> list[NotebookResult]:
    """Execute the jobs (in ``jobs`` spawned processes when > 1, at most :func:`available_cores`); results in job
    order. SIGINT or SIGTERM stop the run: kernels killed, what did not finish recorded as ``interrupted``."""
    from tqdm import tqdm

    results: list[NotebookResult | None] = [None] * len(job_list)
    bar = tqdm(total=len(job_list), desc="notebooks", unit="nb", file=sys.stderr, disable=not progress)

    def done(job: Job) -> None:
        bar.set_postfix_str(job.notebook.stem)
        bar.update(1)

    try:
        with interrupt.stopping_on_signals():
            workers = min(jobs, available_cores())
            if workers == 1 or len(job_list) == 1:
                for i, job in enumerate(job_list):
                    results[i] = execute(job)
                    done(job)
            else:
                _run_pool(job_list, workers, results, done)
    except KeyboardInterrupt:
        results = [r if r is not None else interrupted(job) for r, job in zip(results, job_list, strict=True)]
    finally:
        bar.close()
    return [r for r in results if r is not None]


def new_run_dir() -> Path:
    """``runs_dir()/<YYYYmmdd-HHMMSS>`` (with ``-2``, ``-3``... if taken)."""
    base = config.runs_dir()
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = base / stamp
    n = 2
    while candidate.exists():
        candidate = base / f"{stamp}-{n}"
        n += 1
    return candidate


def _made_by_rotation(folder: Path) -> bool:
    if (folder / provenance.RUN_MARKER).exists():
        return True
    # run folders from before the marker: an index page and per-notebook manifests
    return (folder / "index.html").is_file() and any(folder.glob("*/manifest.json"))


def check_out_dir(out: Path, force: bool) -> None:
    """Refuse an ``--out`` that is a file, a filesystem root, or a non-empty folder rotation did not create.

    ``force`` allows a foreign non-empty folder, but its ``index.html`` is never overwritten.
    """
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {out} is an existing file, not a folder; choose a new folder for the run")
    if out == Path(out.anchor) or out == Path.home():
        raise ParameterError(f"--out {out} is {'your home folder' if out == Path.home() else 'a filesystem root'}; "
                             "choose a new folder for the run, e.g. runs/mine")
    if not out.is_dir() or not any(out.iterdir()) or _made_by_rotation(out):
        return
    if not force:
        raise ParameterError(f"--out {out} is a folder rotation did not create and it is not empty; choose a new or "
                             "empty folder (or an earlier run folder), or pass --force to write into it")
    if (out / "index.html").exists():
        raise ParameterError(f"--out {out} holds an index.html rotation did not write; it will not be overwritten, "
                             "even with --force: choose another folder")


def claim_out_dir(out: Path) -> None:
    """Create the run folder and mark it as rotation's."""
    out.mkdir(parents=True, exist_ok=True)
    marker = out / provenance.RUN_MARKER
    if not marker.exists():
        provenance.write_text(marker, "a run folder written by `rotation run`\n")


def label(path: Path) -> str:
    """``path`` relative to the project root when inside it (for manifests)."""
    try:
        return path.resolve().relative_to(config.project_root()).as_posix()
    except ValueError:
        return str(path.resolve())


def make_jobs(notebooks: Sequence[Path], plan: Sequence[tuple[dict[str, Any], dict[str, Any]]], out_dir: Path,
              kernel: str, timeout: int | None, git: dict[str, Any] | None, env: Mapping[str, str]) -> list[Job]:
    """One :class:`Job` per notebook, each in ``out_dir/<stem>``."""
    return [Job(notebook=nb, folder=out_dir / nb.stem, overrides=overrides, effective=effective, kernel=kernel,
                timeout=timeout, git=git, env=dict(env), source_label=label(nb),
                siblings=tuple(n.stem for n in notebooks))
            for nb, (overrides, effective) in zip(notebooks, plan, strict=False)]
