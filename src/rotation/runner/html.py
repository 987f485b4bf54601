"""HTML of a run: each executed notebook as a reader's report, and the run's index page.

Both pages are built by :mod:`rotation.present.report`: a report opens with the title, the question and
an Answer box from the notebook's verdicts, code folded; the rotation outputs (records, reads,
kernel: MIME types ``application/vnd.rotation.*``) never show. The index is a claim scorecard
and one section per notebook. Rendering runs in the worker that executed the notebook; if it
fails, the page says why instead.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rotation.present import report as reports
from rotation.outputs import notebook_reads, notebook_results
from rotation.runner.status import NotebookError, NotebookResult
from rotation.runner.provenance import write_text

__all__ = ["export_html", "write_index"]


def export_html(nb: Any, html_path: Path, error: NotebookError | None, title: str) -> None:
    """Render the executed notebook ``nb`` (a NotebookNode, or None if unreadable) to ``html_path``."""
    try:
        if nb is None:
            raise ValueError("the executed notebook could not be read")
        reports.render_report(nb, html_path, results=notebook_results(nb),
                              data_as_of=reports.data_as_of(notebook_reads(nb)))
        return
    except Exception as exc:  # noqa: BLE001 - always leave a page behind
        msg = f"Could not render {title}: {type(exc).__name__}: {exc}"
        if error is not None:
            msg = error.describe() + "\n\n" + msg
        body = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(title)}</title></head><body><pre>{html.escape(msg)}</pre></body></html>"
        )
    write_text(html_path, body)


def _manifest_data(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("data")
    except (OSError, ValueError, AttributeError):
        return None


def write_index(out_dir: Path, results: Sequence[NotebookResult], params: Mapping[str, Any], kernel: str,
                git: dict[str, Any] | None, started: str, finished: str) -> Path:
    """Write ``out_dir/index.html``: the claim scorecard, then per notebook its question, answer, status, time,
    data as of, files and parameters (see :func:`rotation.present.report.render_run_page`)."""

    def rel(p: Path) -> str:
        try:
            return p.relative_to(out_dir).as_posix()
        except ValueError:
            return p.as_posix()

    notebooks = []
    for r in results:
        try:  # the source notebook (small, no outputs) holds the title and the question
            title, question = reports.notebook_title_and_question(r.notebook)
        except Exception:  # noqa: BLE001 - a missing or damaged source must not lose the index
            title, question = "", ""
        notebooks.append({
            "name": r.name, "title": title, "status": r.status, "seconds": r.seconds, "question": question,
            "results": r.values, "error": r.error.to_dict() if r.error else None,
            "files": {"html": rel(r.paths.html), "ipynb": rel(r.paths.ipynb), "results.json": rel(r.paths.results),
                      "manifest.json": rel(r.paths.manifest)},
            "parameters": r.parameters, "data_as_of": reports.data_as_of(_manifest_data(r.paths.manifest)),
        })
    commit = "not a git checkout"
    if git:
        commit = f"{git.get('commit')}" + (" (uncommitted changes)" if git.get("dirty") else "")
    pythons = ", ".join(sorted({r.kernel_python for r in results if r.kernel_python})) or "unknown"
    meta = f"started {started} · finished {finished} · kernel {kernel} ({pythons}) · commit {commit}"
    path = out_dir / "index.html"
    write_text(path, reports.render_run_page(out_dir, notebooks, meta=meta, given=params))
    return path
