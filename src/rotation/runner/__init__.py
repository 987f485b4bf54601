"""Execute the research notebooks with papermill and collect what they report.

One run writes a folder (``runs/<YYYYmmdd-HHMMSS>/`` or ``--out``) with::

    index.html                      the run page: claim scorecard, then each notebook's status, links, parameters
    .rotation-run                   the run record (JSON: notebooks, times, kernel, commit, parameters given)
    <stem>/<stem>.ipynb             the executed notebook (its records are outputs of it)
    <stem>/<stem>.html              the same, rendered (nbconvert), records hidden
    <stem>/results.json             the records of the executed notebook (rotation.outputs)
    <stem>/manifest.json            parameters, status, error, timing, git commit, versions,
                                    the kernel's interpreter and the data the notebook read

Modules: :mod:`~rotation.runner.discovery` (which notebooks),
:mod:`~rotation.runner.parameters` (declarations and overrides, checked with
:mod:`rotation.notebook.parameters` before any kernel starts), :mod:`~rotation.runner.execution`
(papermill, one job per notebook), :mod:`~rotation.runner.provenance` (git, packages,
file writing), :mod:`~rotation.runner.folder` (the run folder read back as the run page's data),
:mod:`~rotation.runner.html` (reports and the run page), :mod:`~rotation.runner.status` (what a run
returns), :mod:`~rotation.runner.recorded` (``rotation results``), and the robustness grids:
:mod:`~rotation.runner.grid` (parsing, expansion, the local and Dask executors) and
:mod:`~rotation.runner.robustness` (``grid.json``, the robustness page and table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from rotation import config
from rotation.errors import ParameterError
from rotation.notebook.parameters import ParamSpec, parse_parameters_source
from rotation.runner import provenance
from rotation.runner.discovery import list_notebooks, resolve_notebook, select_notebooks
from rotation.runner.execution import (
    KERNEL_MPLBACKEND,
    check_out_dir,
    claim_out_dir,
    kernel_environment,
    make_jobs,
    new_run_dir,
    now,
    resolve_kernel,
    run_jobs,
)
from rotation.runner.folder import RunRecord, write_run_record
from rotation.runner.html import write_run_page
from rotation.runner.parameters import coerce_parameters, notebook_parameters, plan_parameters
from rotation.runner.status import NotebookError, NotebookPaths, NotebookResult, RunSummary

__all__ = [
    "ParamSpec", "NotebookError", "NotebookPaths", "NotebookResult", "RunSummary", "list_notebooks",
    "resolve_notebook", "notebook_parameters", "parse_parameters_source", "coerce_parameters", "plan_parameters",
    "resolve_kernel", "run_notebooks", "KERNEL_MPLBACKEND",
]


def run_notebooks(
    names: Sequence[str] | None = None,
    params: Mapping[str, object] | None = None,
    out: Path | str | None = None,
    jobs: int = 1,
    kernel_name: str | None = None,
    progress: bool = True,
    timeout: int | None = 1800,
    notebooks_dir: Path | str | None = None,
    force: bool = False,
) -> RunSummary:
    """Execute notebooks with papermill into a run folder and return a summary.

    Parameters
    ----------
    names : list of str, optional
        Notebooks to run (stem, file name, unique prefix or path); default: all ``NN_*.ipynb``.
    params : dict, optional
        Overrides ``name -> value``; strings are parsed as in :func:`coerce_parameters`.
        Each name goes to every selected notebook that declares it.
    out : path, optional
        Run folder (created; existing per-notebook files are replaced).  Default:
        ``runs_dir()/<YYYYmmdd-HHMMSS>``.  Refused: an existing file, a filesystem root,
        the home folder, and a non-empty folder rotation did not create (unless ``force``).
    jobs : int
        Notebooks executed at once (separate processes when > 1).
    kernel_name : str, optional
        Jupyter kernel; default ``ROTATION_KERNEL``, else ``rotation`` if installed, else ``python3``.
    progress : bool
        Show a tqdm bar on stderr.
    timeout : int or None
        Seconds allowed per *cell* (papermill ``execution_timeout``); None for no limit.
    notebooks_dir : path, optional
        Where names are looked up (default ``config.notebooks_dir()``).
    force : bool
        Write into a non-empty folder rotation did not create (never over its ``index.html``).

    Raises
    ------
    ParameterError
        Unknown notebook, unknown parameter, wrong type or value, missing kernel, jobs < 1,
        a refused ``out`` -- all checked before anything runs.  A failing notebook does not
        raise: see ``RunSummary.ok`` / ``NotebookResult.error``.
    """
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ParameterError(f"jobs must be a positive integer, got {jobs!r}")
    if timeout is not None and (not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0):
        raise ParameterError(f"timeout must be a positive number of seconds or None, got {timeout!r}")
    notebooks = select_notebooks(names, notebooks_dir)
    specs = [notebook_parameters(nb) for nb in notebooks]  # each notebook parsed once per run
    plan = plan_parameters(notebooks, params, specs)
    kernel = resolve_kernel(kernel_name)
    out_dir = Path(out).expanduser().resolve() if out is not None else new_run_dir()
    check_out_dir(out_dir, force)
    claim_out_dir(out_dir)
    git = provenance.git_info(config.project_root())
    started = now()
    with kernel_environment() as env:
        job_list = make_jobs(notebooks, plan, out_dir, kernel, timeout, git, env)
        done = run_jobs(job_list, jobs, progress)
    write_run_record(out_dir, RunRecord(notebooks=tuple(r.name for r in done), started=started, finished=now(),
                                        kernel=kernel, git=git, given=dict(params or {})))
    write_run_page(out_dir)
    return RunSummary(out_dir=out_dir, results=tuple(done), parameters=dict(params or {}), kernel=kernel)
