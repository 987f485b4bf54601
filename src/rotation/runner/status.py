"""What a run returns: per-notebook outcomes, where each failed, and a printable summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["NotebookError", "NotebookPaths", "NotebookResult", "RunSummary", "notebook_paths"]


@dataclass(frozen=True)
class NotebookError:
    """Where and how a notebook failed.

    ``cell_index`` is the 0-based index of the failing cell in the *source* notebook
    (None when unknown, e.g. a timeout or a dead kernel); ``exec_count`` is its
    ``In [n]`` number in the executed notebook.
    """

    notebook: str
    cell_index: int | None
    ename: str
    evalue: str
    exec_count: int | None = None
    cell_source: str = ""
    traceback: str = ""

    def describe(self) -> str:
        if self.ename == "Interrupted":
            return f"{self.notebook} was interrupted: {self.evalue}"
        where = f"cell {self.cell_index}" if self.cell_index is not None else "an unknown cell"
        if self.exec_count is not None:
            where += f" (In [{self.exec_count}])"
        first = self.evalue.strip().splitlines()[0] if self.evalue.strip() else ""
        return f"{self.notebook} failed at {where}: {self.ename}" + (f": {first}" if first else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "notebook": self.notebook,
            "cell_index": self.cell_index,
            "exec_count": self.exec_count,
            "ename": self.ename,
            "evalue": self.evalue,
            "cell_source": self.cell_source,
            "traceback": self.traceback,
        }


@dataclass(frozen=True)
class NotebookPaths:
    """Files of one notebook in a run folder."""

    folder: Path
    ipynb: Path
    html: Path
    results: Path
    manifest: Path


def notebook_paths(folder: Path, stem: str) -> NotebookPaths:
    """The files of notebook ``stem`` in its run folder ``folder``."""
    return NotebookPaths(folder=folder, ipynb=folder / f"{stem}.ipynb", html=folder / f"{stem}.html",
                         results=folder / "results.json", manifest=folder / "manifest.json")


@dataclass(frozen=True)
class NotebookResult:
    """Outcome of one notebook: ``status`` is ``"ok"``, ``"failed"`` or ``"interrupted"`` (a signal stopped the run
    before it finished); ``kernel_python`` the kernel's interpreter."""

    name: str
    notebook: Path
    status: str
    seconds: float
    error: NotebookError | None
    paths: NotebookPaths
    parameters: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    kernel_python: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class RunSummary:
    """Outcome of :func:`rotation.runner.run_notebooks`; ``results`` follow the notebook order."""

    out_dir: Path
    results: tuple[NotebookResult, ...]
    parameters: dict[str, Any] = field(default_factory=dict)
    kernel: str = ""

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[NotebookResult]:
        return [r for r in self.results if not r.ok]

    @property
    def interrupted(self) -> bool:
        """A signal (Ctrl-C, SIGTERM) stopped the run: some notebooks did not finish."""
        return any(r.status == "interrupted" for r in self.results)

    @property
    def index_html(self) -> Path:
        return self.out_dir / "index.html"

    def to_text(self) -> str:
        """A plain-text table, one line per failure naming the notebook and cell, and the kernel's interpreter."""
        width = max([len("notebook")] + [len(r.name) for r in self.results])
        sw = max([6] + [len(r.status) for r in self.results])
        lines = [f"{'notebook':<{width}}  {'status':<{sw}}   seconds", f"{'-' * width}  {'-' * sw}  --------"]
        for r in self.results:
            status = "ok" if r.ok else r.status.upper()
            lines.append(f"{r.name:<{width}}  {status:<{sw}}  {r.seconds:8.1f}")
        for r in self.failed:
            if r.error is not None:
                lines.append(r.error.describe())
        pythons = sorted({r.kernel_python for r in self.results if r.kernel_python})
        if pythons:
            lines.append(f"kernel {self.kernel!r} runs {', '.join(pythons)}")
        n_failed = len(self.failed)
        n_int = sum(r.status == "interrupted" for r in self.results)
        stopped = f" (interrupted: {n_int} did not finish)" if n_int else ""
        lines.append(f"{len(self.results) - n_failed} ok, {n_failed} failed{stopped}; report: {self.index_html}")
        return "\n".join(lines)
