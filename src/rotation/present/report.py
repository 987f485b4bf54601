"""A reader's report: one HTML page per executed notebook.

A report opens with the notebook's title and question, then an **Answer** box built from the verdicts
the notebook recorded (status, headline effect from :func:`rotation.present.findings.effect_text`,
sample, rule), then a table of contents, then a folded "Parameters of this run" box, then the
notebook's text, tables and charts. Code is folded: every code cell sits in a closed ``<details>``
element (a "Show code" button opens them all), and the optional "with code" variant is the same page
with the code open. What a reader should not see is left out (:mod:`rotation.present.reader`); tables
printed raw are tidied (:mod:`rotation.present.report_tables`).

The page is rendered whole by ``templates/report.html.j2`` from :func:`report_context`; the notebook's
cells come from nbconvert (:mod:`rotation.present.nbhtml`) in two fragments, above and below the
Answer box.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from rotation.evidence import claims as _claims
from rotation.present import findings
from rotation.present.nbhtml import Heading, anchor_headings, code_css, render_cells
from rotation.present.reader import ReaderNotebook, reader_notebook
from rotation.present.templating import render, stylesheet

__all__ = ["FINDINGS_ANCHOR", "render_report", "report_context", "answer_context", "data_as_of", "neighbours"]

FINDINGS_ANCHOR = "findings-and-caveats"
"""Anchor of the "Findings and caveats" section every notebook ends with (the verdicts live there)."""


def data_as_of(data: Sequence[Mapping[str, Any]] | None) -> str | None:
    """A "data as of" line from dataset records: a store summary, or the reads a notebook made.

    Each record may carry ``acquired_at`` (when the file was fetched or imported) and ``last``
    (its last observation). Returns ``"store snapshot of YYYY-MM-DD; latest observation
    YYYY-MM-DD"`` from the latest of each (either part left out when no record has it), or None.
    """
    if not data:
        return None
    acquired = [str(d.get("acquired_at"))[:10] for d in data if d.get("acquired_at")]
    last = [str(d.get("last"))[:10] for d in data if d.get("last")]
    parts = []
    if acquired:
        parts.append(f"store snapshot of {max(acquired)}")
    if last:
        parts.append(f"latest observation {max(last)}")
    return "; ".join(parts) or None


def answer_context(stem: str, results: Mapping[str, Any], *, data_as_of: str | None, has_findings: bool,
                   failed: bool) -> dict[str, Any]:
    """What the Answer box shows (``report.html.j2``).

    ``verdicts``: one dict per verdict record (``status``, ``colour``, ``quote``, ``effect``, ``sample``,
    ``rule``, ``answer``: what the Answer says beside the headline, empty when nothing, and ``dated``: a state
    claim's verdict then, :func:`rotation.present.findings.then_now`); without any, the box says why: ``failed``,
    or ``owned`` (the quotes of the claims notebook ``stem`` decides; empty for a descriptive notebook).
    ``findings_href`` links the findings section when the report has one; ``data_as_of`` as given.
    """
    verdicts = []
    for r in findings.records_from_results(dict(results or {})):
        verdicts.append({"status": r["status"], "colour": findings.STATUS_COLOURS.get(r["status"], "#444"),
                         "quote": r.get("quote", r.get("claim_id", "")),
                         "effect": findings.answer_effect(r), "sample": findings.answer_sample(r),
                         "rule": r.get("rule", ""), "answer": r.get("answer", ""),
                         "dated": findings.then_now(r)})
    return {"verdicts": verdicts, "failed": failed, "owned": [c.quote for c in _claims.for_notebook(stem)],
            "findings_href": f"#{FINDINGS_ANCHOR}" if has_findings else None, "data_as_of": data_as_of}


def report_context(reader: ReaderNotebook, intro: str, body: str, headings: Sequence[Heading], *, stem: str,
                   results: Mapping[str, Any], data_as_of: str | None, code_open: bool = False,
                   other_page: Mapping[str, str] | None = None, siblings: Sequence[str] = ()) -> dict[str, Any]:
    """Everything ``report.html.j2`` renders: the page's title, toolbar, the nbconvert fragments ``intro`` and
    ``body`` (as :class:`~markupsafe.Markup`), the Answer box, the contents (level-2 ``headings``) and the
    parameters box."""
    has_findings = any(h.slug == FINDINGS_ANCHOR for h in headings)
    title = reader.title or stem
    return {
        "title": f"{title} (with code)" if code_open else title,
        "main_class": "rot-report",
        "extra_css": Markup(code_css()),
        "css": Markup(stylesheet()),
        "code_open": code_open,
        "other_page": other_page,
        "neighbours": neighbours(stem, siblings),
        "intro": Markup(intro),
        "body": Markup(body),
        "explorable": "plotly-graph-div" in body,  # the page loads the run folder's shared script
        "answer": answer_context(stem, results, data_as_of=data_as_of, has_findings=has_findings,
                                 failed=reader.failed),
        "contents": [(h.slug, h.text) for h in headings if h.level == 2],
        "parameters": reader.parameters.strip(),
        "overridden": reader.overridden,
    }


def neighbours(stem: str, siblings: Sequence[str]) -> dict[str, dict[str, str] | None]:
    """The reports before and after ``stem`` among the run's notebooks (``siblings``, in run order): ``prev`` and
    ``next`` as ``{"href", "label"}`` relative to ``<stem>/<stem>.html``, None at either end or outside the run."""
    order = list(siblings)
    if stem not in order:
        return {"prev": None, "next": None}
    i = order.index(stem)

    def link(j: int) -> dict[str, str] | None:
        return {"href": f"../{order[j]}/{order[j]}.html", "label": order[j]} if 0 <= j < len(order) else None

    return {"prev": link(i - 1), "next": link(i + 1)}


def _page(reader: ReaderNotebook, stem: str, *, code_open: bool, other_page: Mapping[str, str] | None,
          results: Mapping[str, Any], data_as_of: str | None, siblings: Sequence[str] = ()) -> str:
    fragments, headings = anchor_headings([render_cells(reader.intro, name=stem, code_open=code_open),
                                           render_cells(reader.body, name=stem, code_open=code_open)])
    context = report_context(reader, *fragments, headings, stem=stem, results=results, data_as_of=data_as_of,
                             code_open=code_open, other_page=other_page, siblings=siblings)
    return render("report.html.j2", **context)


def render_report(
    executed_ipynb: Path | Any,
    html_path: Path,
    *,
    results: dict[str, Any],
    data_as_of: str | None,
    with_code_path: Path | None = None,
    siblings: Sequence[str] = (),
) -> None:
    """Write the reader's HTML report of an executed notebook (and optionally a "with code" variant).

    Parameters
    ----------
    executed_ipynb : Path or NotebookNode
        The notebook as executed by papermill: its path, or the node the caller already read
        (not modified; nothing is read twice).
    html_path : Path
        Where the report goes; its folder must exist. Its name is the notebook's stem
        (``<stem>.html``), which says which claims the notebook decides.
    results : dict
        The notebook's recorded values (``results.json``); ``verdicts.<claim_id>`` records feed
        the Answer box.
    data_as_of : str or None
        Shown in the Answer box ("Data as of ..."); None leaves the line out.
    with_code_path : Path, optional
        Also write the same report with every code cell open (and the run's parameters shown).
    siblings : sequence of str
        The run's notebooks (stems, in run order): the report links to the ones before and after it.

    Notes
    -----
    The page order is: title and question, Answer box, contents (the ``##`` headings, with
    anchors from :func:`rotation.present.reader.slugify`), a folded "Parameters of this run" box, then
    the notebook. See :mod:`rotation.present.reader` for what is left out.
    """
    from rotation.nbformat_loader import nbformat

    html_path = Path(html_path)
    stem = html_path.stem  # <stem>/<stem>.html in a run folder
    if hasattr(executed_ipynb, "cells"):  # a notebook node the caller has already read
        nb = executed_ipynb
    else:
        nb = nbformat.read(str(Path(executed_ipynb)), as_version=4)
    reader = reader_notebook(nb)
    with_code = Path(with_code_path) if with_code_path is not None else None
    other = {"href": with_code.name, "label": "Page with code"} if with_code is not None else None
    html_path.write_text(_page(reader, stem, code_open=False, other_page=other, results=results,
                               data_as_of=data_as_of, siblings=siblings), encoding="utf-8")
    if with_code is not None:
        back = {"href": html_path.name, "label": "Page without code"}
        with_code.write_text(_page(reader, stem, code_open=True, other_page=back, results=results,
                                   data_as_of=data_as_of, siblings=siblings), encoding="utf-8")
