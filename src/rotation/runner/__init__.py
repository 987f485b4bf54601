"""Execute the research notebooks with papermill and collect what they report.

One run writes a folder (``runs/<YYYYmmdd-HHMMSS>/`` or ``--out``) with::

    index.html                      table of notebooks, status, links, parameters
    <stem>/<stem>.ipynb             the executed notebook (its records are outputs of it)
    <stem>/<stem>.html              the same, rendered (nbconvert), records hidden
    <stem>/results.json             the records of the executed notebook (rotation.outputs)
    <stem>/manifest.json            parameters, status, error, timing, git commit, versions,
                                    the kernel's interpreter and the data the notebook read

Modules: :mod:`~rotation.runner.discovery` (which notebooks),
:mod:`~rotation.runner.parameters` (declarations and overrides, checked with
:mod:`rotation.notebook.parameters` before any kernel starts), :mod:`~rotation.runner.execution`
(papermill, one job per notebook), :mod:`~rotation.runner.provenance` (git, packages,
file writing), :mod:`~rotation.runner.html` (reports and the index page) and
:mod:`~rotation.runner.status` (what a run returns).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from rotation import config
from rotation.errors import ParameterError
from rotation.notebook.parameters import ParamSpec, parse_parameters_source
from rotation.runner import provenance
from rotation.runner.discovery import available, list_notebooks, resolve_notebook
from rotation.runner.execution import (
    KERNEL_MPLBACKEND,
    _now,
    check_out_dir,
    claim_out_dir,
    kernel_environment,
    make_jobs,
    new_run_dir,
    resolve_kernel,
    run_jobs,
)
from rotation.runner.html import write_index
from rotation.runner.status import NotebookError, NotebookPaths, NotebookResult, RunSummary
from rotation.runner.parameters import coerce_parameters, notebook_parameters, plan_parameters

__all__ = [
    "ParamSpec", "NotebookError", "NotebookPaths", "NotebookResult", "RunSummary", "list_notebooks",
    "resolve_notebook", "notebook_parameters", "parse_parameters_source", "coerce_parameters", "plan_parameters",
    "resolve_kernel", "run_notebooks", "KERNEL_MPLBACKEND",
]


def _select(names: Sequence[str] | None, notebooks_dir: Path | str | None) -> list[Path]:
    if names:
        notebooks: list[Path] = []
        for name in names:
            nb = resolve_notebook(name, notebooks_dir)
            if nb not in notebooks:
                notebooks.append(nb)
    else:
        notebooks = [nb.resolve() for nb in list_notebooks(notebooks_dir)]
        if not notebooks:
            raise ParameterError(available(notebooks_dir))
    stems = [nb.stem for nb in notebooks]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise ParameterError(f"two selected notebooks share the name {dupes[0]!r}; their run folders would clash")
    return notebooks


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
    notebooks = _select(names, notebooks_dir)
    specs = [notebook_parameters(nb) for nb in notebooks]  # each notebook parsed once per run
    plan = plan_parameters(notebooks, params, specs)
    kernel = resolve_kernel(kernel_name)
    out_dir = Path(out).expanduser().resolve() if out is not None else new_run_dir()
    check_out_dir(out_dir, force)
    claim_out_dir(out_dir)
    git = provenance.git_info(config.project_root())
    started = _now()
    with kernel_environment() as env:
        job_list = make_jobs(notebooks, plan, out_dir, kernel, timeout, git, env)
        done = run_jobs(job_list, jobs, progress)
    write_index(out_dir, done, dict(params or {}), kernel, git, started, _now())
    return RunSummary(out_dir=out_dir, results=tuple(done), parameters=dict(params or {}), kernel=kernel)
