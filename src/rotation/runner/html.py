"""HTML of a run: each executed notebook rendered with nbconvert, and the run's index page.

The rotation outputs (records, reads, kernel: MIME types ``application/vnd.rotation.*``)
are removed before rendering, so they never show in a report (no "mimetype not
supported" text).  Rendering runs in the worker that executed the notebook.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rotation.report import strip_rotation_outputs
from rotation.runner.outcome import NotebookError, NotebookResult
from rotation.runner.provenance import write_text

__all__ = ["export_html", "write_index"]


def export_html(nb: Any, html_path: Path, error: NotebookError | None, title: str) -> None:
    """Render the executed notebook ``nb`` (a NotebookNode, or None if unreadable) to ``html_path``."""
    try:
        if nb is None:
            raise ValueError("the executed notebook could not be read")
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(exclude_input_prompt=True)
        body, _ = exporter.from_notebook_node(strip_rotation_outputs(nb))
    except Exception as exc:  # noqa: BLE001 - always leave a page behind
        msg = f"Could not render {title}: {type(exc).__name__}: {exc}"
        if error is not None:
            msg = error.describe() + "\n\n" + msg
        body = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(title)}</title></head><body><pre>{html.escape(msg)}</pre></body></html>"
        )
    write_text(html_path, body)


_CSS = """
body { font-family: system-ui, -apple-system, Segoe UI, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #17692b; font-weight: bold; }
.failed { color: #b00020; font-weight: bold; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
pre { white-space: pre-wrap; margin: 0.3em 0 0 0; }
"""


def _row(r: NotebookResult, rel: Any) -> str:
    esc = html.escape
    if r.ok:
        status = '<span class="ok">ok</span>'
    else:
        detail = esc(r.error.describe()) if r.error else ""
        status = f'<span class="failed">FAILED</span><pre>{detail}</pre>'
    links = " · ".join(
        f'<a href="{esc(rel(p))}">{label}</a>'
        for label, p in (("html", r.paths.html), ("ipynb", r.paths.ipynb), ("results.json", r.paths.results),
                         ("manifest.json", r.paths.manifest))
    )
    shown = ", ".join(f"{k}={json.dumps(v, default=str)}" for k, v in r.parameters.items())
    return (f"<tr><td><a href=\"{esc(rel(r.paths.html))}\">{esc(r.name)}</a></td><td>{status}</td>"
            f"<td class=\"num\">{r.seconds:.1f}</td><td>{links}</td><td><code>{esc(shown)}</code></td></tr>")


def write_index(out_dir: Path, results: Sequence[NotebookResult], params: Mapping[str, Any], kernel: str,
                git: dict[str, Any] | None, started: str, finished: str) -> Path:
    """Write ``out_dir/index.html``: one row per notebook (status, time, files, parameters)."""
    esc = html.escape

    def rel(p: Path) -> str:
        try:
            return p.relative_to(out_dir).as_posix()
        except ValueError:
            return p.as_posix()

    rows = "\n".join(_row(r, rel) for r in results)
    n_failed = sum(not r.ok for r in results)
    given = "".join(
        f"<tr><td><code>{esc(k)}</code></td><td><code>{esc(json.dumps(v, default=str))}</code></td></tr>"
        for k, v in params.items()
    ) or '<tr><td colspan="2">none (notebook defaults)</td></tr>'
    commit = "not a git checkout"
    if git:
        commit = f"{git.get('commit')}" + (" (uncommitted changes)" if git.get("dirty") else "")
    pythons = ", ".join(sorted({r.kernel_python for r in results if r.kernel_python})) or "unknown"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rotation run {esc(out_dir.name)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>rotation run {esc(out_dir.name)}</h1>
<p>{len(results) - n_failed} ok, {n_failed} failed &middot; started {esc(started)} &middot; finished {esc(finished)}
&middot; kernel <code>{esc(kernel)}</code> (<code>{esc(pythons)}</code>) &middot; commit <code>{esc(commit)}</code></p>
<table>
<tr><th>notebook</th><th>status</th><th>seconds</th><th>files</th><th>parameters</th></tr>
{rows}
</table>
<h2>Parameters given</h2>
<table>
<tr><th>name</th><th>value</th></tr>
{given}
</table>
</body>
</html>
"""
    path = out_dir / "index.html"
    write_text(path, page)
    return path
