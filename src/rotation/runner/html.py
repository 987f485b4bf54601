"""HTML of a run: each executed notebook as a reader's report, and the run's page.

A report is built by :mod:`rotation.present.report` (title, question and an Answer box from the
notebook's verdicts first, code folded; the rotation outputs -- records, reads, kernel: MIME types
``application/vnd.rotation.*`` -- never show) in the worker that executed the notebook; if rendering
fails, the page says why instead. The run page (:mod:`rotation.present.pages`: a claim scorecard and one
section per notebook) is rendered from the run folder's files (:mod:`rotation.runner.folder`), when the
run ends and again, with the grid's flags, when a robustness grid is complete.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rotation.outputs import notebook_reads, notebook_results
from rotation.present.docpages import write_doc_pages
from rotation.present.explore import write_plotly_js
from rotation.present.pages import GridInfo, render_run_page
from rotation.present.report import data_as_of, render_report
from rotation.runner.folder import run_page_inputs
from rotation.runner.provenance import write_text
from rotation.runner.status import NotebookError

__all__ = ["export_html", "write_run_page", "RUN_PAGE"]

RUN_PAGE = "index.html"
"""The run page's file name in a run folder."""


def export_html(nb: Any, html_path: Path, error: NotebookError | None, title: str,
                siblings: Sequence[str] = ()) -> None:
    """Render the executed notebook ``nb`` (a NotebookNode, or None if unreadable) to ``html_path``; ``siblings``:
    the run's notebooks, for the links to the reports before and after it."""
    try:
        if nb is None:
            raise ValueError("the executed notebook could not be read")
        render_report(nb, html_path, results=notebook_results(nb), data_as_of=data_as_of(notebook_reads(nb)),
                      siblings=siblings)
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


def write_run_page(out_dir: Path, grid: GridInfo | None = None) -> Path:
    """Render ``out_dir/index.html`` from the run folder's files (:func:`rotation.runner.folder.run_page_inputs`).

    ``grid`` (the run is one combination of a robustness grid) adds the grid's note and the "depends on the
    proxy" flags. The page is written whole: writing it again from the same files gives the same page.
    """
    out_dir = Path(out_dir)
    notebooks, meta, given = run_page_inputs(out_dir)
    path = out_dir / RUN_PAGE
    write_text(path, render_run_page(out_dir, notebooks, meta=meta, given=given, grid=grid))
    write_doc_pages(out_dir)  # how verdicts are decided and the glossary, beside the run page
    write_plotly_js(out_dir)  # the one script the reports' explorable charts load (no network, no CDN)
    return path
