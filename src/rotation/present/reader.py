"""An executed notebook as a reader should see it: what is kept, what is left out, where the Answer box goes.

Left out: the ``parameters`` and papermill ``injected-parameters`` cells (their source becomes the report's
"Parameters of this run" box), outputs of MIME type ``application/vnd.rotation.*`` (the runner's records),
the ``Out[]`` value of a cell that ends in ``record(...)``, stray object reprs such as ``<Axes: ...>``, and
every stderr stream (warnings). Tables printed as HTML are tidied
(:func:`rotation.present.report_tables.format_tables`).

The notebook is split where the Answer box goes: :attr:`ReaderNotebook.intro` holds the title and the
paragraph after it (the question), :attr:`ReaderNotebook.body` everything else -- code cells above the
title (a parameter check) move below the Answer box. A notebook without a ``# `` title has no intro.
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rotation.present.report_tables import format_tables

__all__ = ["ROTATION_MIME_PREFIX", "PARAMETER_TAGS", "ReaderNotebook", "reader_notebook",
           "notebook_title_and_question", "slugify"]

ROTATION_MIME_PREFIX = "application/vnd.rotation."
"""Outputs with a MIME type starting with this are records for the runner, never shown."""

PARAMETER_TAGS = frozenset({"parameters", "injected-parameters"})
"""Tags of the code cells that hold a run's parameters (not cells of the report)."""


def slugify(text: str) -> str:
    """A URL fragment for a heading: lower case, letters and digits, words joined by ``-``.

    ``"## 1 · The relative-strength line"`` -> ``"1-the-relative-strength-line"``;
    ``"Findings and caveats"`` -> ``"findings-and-caveats"``.
    """
    plain = re.sub(r"<[^>]+>", "", html.unescape(text))
    slug = re.sub(r"[^0-9a-z]+", "-", plain.lower()).strip("-")
    return slug or "section"


def _markdown_plain(text: str) -> str:
    """Heading text without markdown emphasis, code ticks or links."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def notebook_title_and_question(nb: Any) -> tuple[str, str]:
    """(title, question) of a notebook: the first ``# `` heading and the paragraph after it.

    ``nb`` is a notebook node or a path to an ``.ipynb``. The question keeps its markdown
    (``**Question.** ...``); the title is plain text. ("", "") when there is no ``# `` heading.
    """
    if isinstance(nb, (str, Path)):
        from rotation.nbformat_loader import nbformat

        nb = nbformat.read(str(nb), as_version=4)
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        blocks = re.split(r"\n\s*\n", _source(cell).strip())
        for i, block in enumerate(blocks):
            if block.startswith("# "):
                title = _markdown_plain(block.splitlines()[0][2:])
                rest = [b for b in blocks[i + 1:] if b.strip() and not b.lstrip().startswith("#")]
                return title, (rest[0].strip() if rest else "")
    return "", ""


_STRAY_REPR = re.compile(r"^<(?:[\w.]+ (?:at 0x[0-9a-f]+|object at 0x[0-9a-f]+)|Axes:.*|Figure size .*|"
                         r"matplotlib\.[\w.]+(?: at 0x[0-9a-f]+)?.*)>$", re.DOTALL)


def _ends_in_record(source: str) -> bool:
    """True when the cell's last statement is a bare ``record(...)`` call (its value is not for readers)."""
    clean = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines())
    try:
        body = ast.parse(clean).body
    except SyntaxError:
        return False
    if not body or not isinstance(body[-1], ast.Expr) or not isinstance(body[-1].value, ast.Call):
        return False
    func = body[-1].value.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name == "record"


def _keep_output(out: Mapping[str, Any], ends_in_record: bool) -> bool:
    kind = out.get("output_type")
    if kind == "stream":
        return out.get("name") != "stderr"
    if kind in ("display_data", "execute_result"):
        data = out.get("data", {})
        if any(str(k).startswith(ROTATION_MIME_PREFIX) for k in data):
            return False
        if kind == "execute_result" and ends_in_record:
            return False
        if set(data) <= {"text/plain"}:
            text = str(data.get("text/plain", "")).strip()
            if _STRAY_REPR.match(text):
                return False
    return True


def _tidy_output(out: Any) -> Any:
    data = out.get("data")
    if data and "text/html" in data:
        value = data["text/html"]
        text = value if isinstance(value, str) else "".join(value)
        data["text/html"] = format_tables(text)
    return out



@dataclass(frozen=True)
class ReaderNotebook:
    """A notebook prepared for readers (see the module docstring) and what was learned on the way."""

    intro: Any
    """The title and the question: the cells above the Answer box (no cells when there is no title)."""
    body: Any
    """Everything below the Answer box."""
    title: str
    question: str
    parameters: str
    """Source of the injected parameters cell, else of the declared one ("" when there is none)."""
    overridden: bool
    """Whether papermill injected parameters (the run gave overrides)."""
    failed: bool
    """Whether a cell has an error output (that cell's code is shown open)."""


def _reader_cell(cell: Any) -> Any:
    """A copy of a code cell with only the outputs a reader should see, tables tidied; failed cells marked."""
    from rotation.nbformat_loader import nbformat

    new = nbformat.from_dict(dict(cell))
    ends = _ends_in_record(_source(cell))
    new["outputs"] = [_tidy_output(nbformat.from_dict(dict(o))) for o in cell.get("outputs", [])
                      if _keep_output(o, ends)]
    if any(o.get("output_type") == "error" for o in new["outputs"]):
        new.setdefault("metadata", {})["rotation_failed"] = True
    return new


def _split_title_cell(cell: Any) -> tuple[str, str] | None:
    """(title and first paragraph, the rest) of the markdown cell holding the ``# `` title, or None."""
    blocks = re.split(r"(\n\s*\n)", _source(cell).strip())
    heads = [i for i, b in enumerate(blocks) if b.startswith("# ")]
    if not heads:
        return None
    cut = heads[0] + 3 if len(blocks) > heads[0] + 2 else len(blocks)
    return "".join(blocks[:cut]), "".join(blocks[cut:]).strip()


def _derived_id(cell: Mapping[str, Any], part: str) -> str:
    """A cell id for a part of ``cell`` (the same on every render: reports do not change between runs)."""
    base = str(cell.get("id") or "cell")
    return f"{base[:63 - len(part)]}-{part}"


def reader_notebook(nb: Any) -> ReaderNotebook:
    """``nb`` (an executed notebook, not modified) split and filtered for readers (see the module docstring)."""
    from rotation.nbformat_loader import nbformat

    title, question = notebook_title_and_question(nb)
    params_src = {"parameters": "", "injected-parameters": ""}
    intro: list[Any] = []
    body: list[Any] = []
    before_title: list[Any] = []  # code cells above the title (a parameter check): moved below the answer
    split = False
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags") or [])
        if cell.get("cell_type") == "code" and tags & PARAMETER_TAGS:
            for t in tags & PARAMETER_TAGS:
                params_src[t] = _source(cell)
            continue
        if cell.get("cell_type") == "code":
            (body if split or not title else before_title).append(_reader_cell(cell))
            continue
        parts = _split_title_cell(cell) if not split and title and cell.get("cell_type") == "markdown" else None
        if parts is not None:
            first, rest = parts
            intro.append(nbformat.v4.new_markdown_cell(first, id=_derived_id(cell, "title")))
            body.extend(before_title)
            if rest:
                body.append(nbformat.v4.new_markdown_cell(rest, id=_derived_id(cell, "rest")))
            split = True
            continue
        (body if split or not title else intro).append(cell)
    if not split:  # no title: the Answer box goes first
        intro, body = [], [*before_title, *intro, *body]

    def notebook(cells: list[Any]) -> Any:
        out = nbformat.v4.new_notebook(cells=cells, metadata=dict(nb.get("metadata", {})))
        out.nbformat_minor = max(int(nb.get("nbformat_minor", 4)), 4)
        return out

    failed = any(c.get("metadata", {}).get("rotation_failed") for c in body)
    return ReaderNotebook(intro=notebook(intro), body=notebook(body), title=title, question=question,
                          parameters=params_src["injected-parameters"] or params_src["parameters"],
                          overridden=bool(params_src["injected-parameters"]), failed=failed)
