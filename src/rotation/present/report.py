"""Reports a reader can use: one HTML page per executed notebook, and the run page.

A notebook report opens with the notebook's title and question, then an **Answer** box built
from the verdicts the notebook recorded (:func:`rotation.present.findings.answer_box_html`), then a
table of contents, then the notebook's text, tables and charts. Code is folded: every code cell
sits in a closed ``<details>`` element (a "Show code" button opens them all), and the optional
"with code" variant is the same page with the code open. What a reader should not see is left
out: the ``parameters`` and papermill ``injected-parameters`` cells (folded into a "Parameters of
this run" box), outputs of MIME type ``application/vnd.rotation.*`` (the runner's records), the
``Out[]`` value of a cell that ends in ``record(...)``, stray object reprs such as
``<Axes: ...>``, and every stderr stream (warnings).

Tables are tidied where they were printed raw: in pandas' own HTML tables (``class="dataframe"``)
each float column gets one number of decimals chosen from its typical magnitude (three significant
digits, integers without decimals); in every table ``YYYY-MM-DD 00:00:00`` loses its midnight and
``NaN``/``<NA>``/``NaT``/``None`` become a dash.

The run page (:func:`render_run_page`) starts with a claim scorecard (one row per claim of
:data:`rotation.evidence.claims.CLAIMS_LIST`, from :func:`rotation.present.findings.scorecard_rows`) linking each
decided claim to the findings of the report that decides it, then one section per notebook:
question, headline answer, status, time, data as of, files, parameters (folded) and, for a failed
notebook, the failing cell and its error.

A robustness grid (:mod:`rotation.runner.grid`) gets its own page in the same style
(:func:`render_robustness_page`: claims x combinations, a consistency label per claim, its legend,
the combinations), and each combination's run page a note and "depends on the proxy" flags on its
scorecard (:func:`mark_grid_scorecard`).

Rendering uses nbconvert's HTMLExporter with a small template kept in this module (no template
files to ship); the exporter is built once per process.
"""

from __future__ import annotations

import ast
import functools
import html
import json
import math
import re
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rotation.present import findings as _findings

__all__ = [
    "ROTATION_MIME_PREFIX",
    "FINDINGS_ANCHOR",
    "render_report",
    "render_run_page",
    "render_robustness_page",
    "mark_grid_scorecard",
    "grid_effect_text",
    "notebook_title_and_question",
    "data_as_of",
    "format_tables",
    "slugify",
]

ROTATION_MIME_PREFIX = "application/vnd.rotation."
"""Outputs with a MIME type starting with this are records for the runner, never shown."""

FINDINGS_ANCHOR = "findings-and-caveats"
"""Anchor of the "Findings and caveats" section every notebook ends with (the verdicts live there)."""

_PARAMETER_TAGS = {"parameters", "injected-parameters"}
_SLOT = "<!--rotation-answer-slot-->"
_NA_TEXT = "–"

# --------------------------------------------------------------------------- small helpers


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


# --------------------------------------------------------------------------- tables

_FLOAT_RE = re.compile(r"^-?(?:\d+\.\d+(?:e[+-]?\d+)?|\d+e[+-]?\d+|inf)$", re.IGNORECASE)
_MISSING = {"nan", "<na>", "nat", "none"}
_ROW_RE = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.DOTALL | re.IGNORECASE)
_CELL_RE = re.compile(r"(<t([dh])\b[^>]*>)(.*?)(</t\2>)", re.DOTALL | re.IGNORECASE)
_TABLE_RE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL | re.IGNORECASE)
_MIDNIGHT_RE = re.compile(r"\b(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?\b")


_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?%?$|^[+-]?\.\d+%?$",
                        re.IGNORECASE)
_DATE_RE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?(?:[ T][\d:.]+Z?)?$")


def _with_class(tag: str, cls: str) -> str:
    """``<td ...>`` with ``cls`` added to its class attribute."""
    if not cls:
        return tag
    if re.search(r"\sclass=\"", tag):
        return re.sub(r"(\sclass=\")", rf"\1{cls} ", tag, count=1)
    return tag[:-1] + f' class="{cls}">'


def _plain_range_index(rows: Sequence[Sequence[re.Match[str]]]) -> bool:
    """True when a pandas table's row labels are 0, 1, 2, ... under an empty corner cell."""
    body = [cells for cells in rows if cells and any(c.group(2).lower() == "d" for c in cells)]
    heads = [cells for cells in rows if cells and not any(c.group(2).lower() == "d" for c in cells)]
    if not body or len(heads) != 1 or html.unescape(heads[0][0].group(3)).strip():
        return False
    for i, cells in enumerate(body):
        first = cells[0]
        if first.group(2).lower() != "h" or "rowspan" in first.group(1) or first.group(3).strip() != str(i):
            return False
    return True


def _decimals(values: Sequence[float]) -> int:
    """Decimals for a float column: 3 significant digits of its typical (median absolute non-zero) value,
    at least one of its smallest non-zero value (up to 4 decimals), at most 6; 0 for whole numbers."""
    if all(v == int(v) for v in values if math.isfinite(v)):
        return 0
    nonzero = [abs(v) for v in values if math.isfinite(v) and v != 0]
    if not nonzero:
        return 0
    typical = 2 - math.floor(math.log10(statistics.median(nonzero)))
    smallest = 1 - math.floor(math.log10(min(nonzero)))  # the smallest value keeps one digit (up to 4 dp)
    return max(0, min(6, max(typical, min(4, smallest))))


def _format_number(v: float, decimals: int) -> str:
    if not math.isfinite(v):
        return _NA_TEXT if math.isnan(v) else ("∞" if v > 0 else "-∞")
    big = abs(v) >= 10_000
    return f"{v:,.{decimals}f}" if big else f"{v:.{decimals}f}"


def _format_table(table: str) -> str:
    is_pandas = 'class="dataframe"' in table
    rows = [list(_CELL_RE.finditer(m.group(2))) for m in _ROW_RE.finditer(table)]
    # Float columns of a pandas table: position among the <td>s of a row (index cells are <th>).
    decimals: dict[int, int] = {}
    if is_pandas:
        columns: dict[int, list[str]] = {}
        for cells in rows:
            for j, c in enumerate(c for c in cells if c.group(2).lower() == "d"):
                columns.setdefault(j, []).append(html.unescape(c.group(3)).strip())
        for j, texts in columns.items():
            present = [t for t in texts if t.lower() not in _MISSING and t]
            if present and all(_FLOAT_RE.match(t) for t in present) and any("." in t or "e" in t.lower()
                                                                             for t in present):
                decimals[j] = _decimals([float(t) for t in present])

    drop_index = is_pandas and _plain_range_index(rows)
    # Header cells over numeric columns are right-aligned like their numbers (simple headers only).
    body_rows = [cells for cells in rows if any(c.group(2).lower() == "d" for c in cells)]
    numeric: set[int] = set()
    n_label_cells = 0
    if body_rows:
        n_label_cells = sum(c.group(2).lower() == "h" for c in body_rows[0])
        by_col: dict[int, list[str]] = {}
        for cells in body_rows:
            for j, c in enumerate(c for c in cells if c.group(2).lower() == "d"):
                by_col.setdefault(j, []).append(html.unescape(c.group(3)).strip())
        for j, texts in by_col.items():
            present = [t for t in texts if t and t.lower() not in _MISSING]
            if present and all(_FLOAT_RE.match(t) or _NUMBER_RE.match(t) for t in present):
                numeric.add(j)

    def fix_row(m: re.Match[str]) -> str:
        td_index = -1
        dropped = not drop_index
        is_header = "<td" not in m.group(2).lower() and "colspan" not in m.group(2).lower()
        position = -1

        def fix_cell(c: re.Match[str]) -> str:
            nonlocal td_index, dropped, position
            is_td = c.group(2).lower() == "d"
            if not dropped:
                dropped = True
                return ""  # the 0, 1, 2, ... row labels of a default RangeIndex say nothing
            position += 1
            if is_td:
                td_index += 1
            elif is_header and (position - n_label_cells + (1 if drop_index else 0)) in numeric:
                return _with_class(c.group(1), "rot-num") + c.group(3) + c.group(4)
            raw = c.group(3)
            text = html.unescape(raw).strip()
            if text.lower() in _MISSING:
                new, kind = _NA_TEXT, "rot-na"
            elif is_td and td_index in decimals and _FLOAT_RE.match(text):
                new, kind = _format_number(float(text), decimals[td_index]), "rot-num"
            else:
                new = _MIDNIGHT_RE.sub(r"\1", raw)
                plain = html.unescape(new).strip()
                kind = ("rot-num" if _NUMBER_RE.match(plain) else "rot-date" if _DATE_RE.match(plain) else "")
                return _with_class(c.group(1), kind) + new + c.group(4)
            return _with_class(c.group(1), kind) + html.escape(new, quote=False) + c.group(4)

        return m.group(1) + _CELL_RE.sub(fix_cell, m.group(2)) + m.group(3)

    return _ROW_RE.sub(fix_row, table)


def format_tables(fragment: str) -> str:
    """Tidy every ``<table>`` of an HTML fragment (see the module docstring); other markup is kept."""
    if "<table" not in fragment:
        return fragment
    return _TABLE_RE.sub(lambda m: _format_table(m.group(0)), fragment)


# --------------------------------------------------------------------------- notebook -> reader's notebook


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


def _reader_notebook(nb: Any) -> tuple[Any, dict[str, Any]]:
    """A copy of ``nb`` prepared for readers, and what was learned on the way.

    The info dict holds ``title``, ``question``, ``parameters`` (source of the injected or
    declared parameters cell) and ``failed`` (whether a cell has an error output).
    """
    from rotation.nbformat_loader import nbformat

    title, question = notebook_title_and_question(nb)
    params_src = {"parameters": "", "injected-parameters": ""}
    cells: list[Any] = []
    before_title: list[Any] = []  # code cells above the title (a parameter check): moved below the answer
    failed = False
    slot_done = False
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags") or [])
        if cell.get("cell_type") == "code" and tags & _PARAMETER_TAGS:
            for t in tags & _PARAMETER_TAGS:
                params_src[t] = _source(cell)
            continue
        if cell.get("cell_type") == "code":
            new = nbformat.from_dict(dict(cell))
            ends = _ends_in_record(_source(cell))
            new["outputs"] = [_tidy_output(nbformat.from_dict(dict(o))) for o in cell.get("outputs", [])
                              if _keep_output(o, ends)]
            if any(o.get("output_type") == "error" for o in new["outputs"]):
                failed = True
                new.setdefault("metadata", {})["rotation_failed"] = True
            (cells if slot_done or not title else before_title).append(new)
            continue
        if not slot_done and cell.get("cell_type") == "markdown" and title:
            src = _source(cell)
            blocks = re.split(r"(\n\s*\n)", src.strip())
            heads = [i for i, b in enumerate(blocks) if b.startswith("# ")]
            if heads:
                # title + first paragraph, then the answer slot, then the rest of the cell
                cut = heads[0] + 3 if len(blocks) > heads[0] + 2 else len(blocks)
                first, rest = "".join(blocks[:cut]), "".join(blocks[cut:]).strip()
                cells.append(nbformat.v4.new_markdown_cell(first))
                cells.append(_slot_cell())
                cells.extend(before_title)
                if rest:
                    cells.append(nbformat.v4.new_markdown_cell(rest))
                slot_done = True
                continue
        cells.append(cell)
    if not slot_done:
        cells[:0] = [_slot_cell(), *before_title]
    out = nbformat.v4.new_notebook(cells=cells, metadata=dict(nb.get("metadata", {})))
    out.nbformat_minor = max(int(nb.get("nbformat_minor", 4)), 4)
    info = {"title": title, "question": question, "failed": failed,
            "parameters": params_src["injected-parameters"] or params_src["parameters"],
            "overridden": bool(params_src["injected-parameters"])}
    return out, info


def _slot_cell() -> Any:
    from rotation.nbformat_loader import nbformat

    cell = nbformat.v4.new_raw_cell(_SLOT)
    cell.metadata["rotation_html"] = True
    return cell


# --------------------------------------------------------------------------- nbconvert

_TEMPLATE = r"""
{%- extends 'lab/base.html.j2' -%}
{% block input_group -%}
<details class="rot-code"{% if cell.metadata.get('rotation_failed') %} open{% endif %}><summary>code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
{% block input %}
{#- pygments escapes the source, so its HTML needs no second sanitising pass (the slow part of the lab template) -#}
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
{{ cell.source | highlight_code(metadata=cell.metadata) }}
</div>
{%- endblock input %}
{% block rawcell scoped %}
{%- if cell.metadata.get('rotation_html') -%}
{{ cell.source }}
{%- else -%}
{{ super() }}
{%- endif -%}
{%- endblock rawcell %}
"""


def _reader_exporter_class() -> type:
    """HTMLExporter without its BeautifulSoup pass over the finished page.

    nbconvert's ``HTMLExporter.from_notebook_node`` re-parses the whole page with BeautifulSoup to
    add ``alt`` texts and ``tabindex`` attributes, which takes longer than rendering the notebook;
    :func:`render_report` adds the ``alt`` texts with one regular expression instead. Should
    nbconvert's internals change, the subclass falls back to the full method.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class _ReaderExporter(HTMLExporter):  # type: ignore[misc]
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            try:
                from nbconvert.filters.highlight import Highlight2HTML
                from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                self.register_filter("highlight_code", self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
                resources = self._init_resources(resources)
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            except (ImportError, AttributeError, TypeError):  # pragma: no cover - other nbconvert versions
                return super().from_notebook_node(nb, resources, **kw)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return _ReaderExporter


@functools.lru_cache(maxsize=1)
def _exporter() -> Any:
    """One configured exporter per process (building one costs more than rendering a notebook)."""
    from jinja2 import DictLoader

    exporter = _reader_exporter_class()(
        template_name="lab",
        template_file="rotation_report.html.j2",
        extra_loaders=[DictLoader({"rotation_report.html.j2": _TEMPLATE})],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="¶",
    )
    return exporter


@functools.lru_cache(maxsize=1)
def _code_css() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")


_IMG_NO_ALT = re.compile(r"<img (?![^>]*\balt=)")
_HEADING_RE = re.compile(r"<h([1-6])([^>]*?)\sid=\"([^\"]*)\"([^>]*)>(.*?)</h\1>", re.DOTALL)


def _anchor_headings(body: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Give every heading a readable unique id; return the body and ``(level, id, text)`` of each."""
    seen: dict[str, int] = {}
    found: list[tuple[int, str, str]] = []

    def fix(m: re.Match[str]) -> str:
        level, before, old, after, inner = int(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5)
        text = re.sub(r"<a class=\"anchor-link\"[^>]*>.*?</a>", "", inner, flags=re.DOTALL)
        text = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        slug = slugify(text)
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        if n:
            slug = f"{slug}-{n + 1}"
        found.append((level, slug, text))
        inner = inner.replace(f'href="#{old}"', f'href="#{slug}"')
        return f'<h{level}{before} id="{slug}"{after}>{inner}</h{level}>'

    return _HEADING_RE.sub(fix, body), found


def _toc_html(headings: Sequence[tuple[int, str, str]]) -> str:
    items = [(slug, text) for level, slug, text in headings if level == 2]
    if not items:
        return ""
    lis = "".join(f'<li><a href="#{slug}">{html.escape(text)}</a></li>' for slug, text in items)
    return f'<nav class="rot-toc" aria-label="Contents"><h2 class="rot-toc-title">Contents</h2><ol>{lis}</ol></nav>'


def _no_verdict_box(stem: str, data_as_of_text: str | None, has_findings: bool, failed: bool) -> str:
    """The Answer box of a notebook that recorded no verdict: say why instead of inventing an answer."""
    from rotation.evidence import claims as _claims

    asof = f"<p class='rot-asof'>Data as of {html.escape(data_as_of_text)}.</p>" if data_as_of_text else ""
    where = (f" <a href='#{FINDINGS_ANCHOR}'>Findings and caveats</a> sums up what it shows."
             if has_findings else "")
    owned = _claims.for_notebook(stem)
    if failed:
        text = "The notebook failed before it recorded a verdict; the failing cell is shown open below."
    elif owned:
        quotes = "; ".join(f"“{c.quote}”" for c in owned)
        text = (f"No verdict was recorded in this run for the claims this notebook decides: "
                f"{html.escape(quotes)}.{where}")
    else:
        text = f"This notebook decides no claim of the commentary; it describes the data.{where}"
    return f"<div class='rot-answer rot-answer-none'><h2>Answer</h2><p>{text}</p>{asof}</div>"


def _parameters_box(source: str, overridden: bool) -> str:
    if not source.strip():
        return ""
    label = "Parameters of this run" + (" (overrides given)" if overridden else " (notebook defaults)")
    return (f"<details class='rot-params'><summary>{label}</summary>"
            f"<pre>{html.escape(source.strip())}</pre></details>")


_CSS = """
:root { --rot-fg: #1f2328; --rot-muted: #57606a; --rot-line: #d0d7de; --rot-bg-soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--rot-fg); background: #fff;
       font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main.rot-report, main.rot-run { max-width: 1160px; margin: 0 auto; padding: 1.2em 2em 4em; }
h1 { font-size: 1.75em; line-height: 1.25; margin: 0.4em 0 0.5em; }
h2 { font-size: 1.35em; margin: 1.8em 0 0.5em; border-bottom: 1px solid var(--rot-line); padding-bottom: 0.2em; }
h3 { font-size: 1.1em; margin: 1.4em 0 0.4em; }
a.anchor-link { visibility: hidden; margin-left: 0.3em; text-decoration: none; color: var(--rot-muted); }
h1:hover a.anchor-link, h2:hover a.anchor-link, h3:hover a.anchor-link { visibility: visible; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.88em; background: var(--rot-bg-soft);
       padding: 0.05em 0.3em; border-radius: 3px; }
pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85em; white-space: pre-wrap;
      overflow-x: auto; }
.rot-toolbar { position: sticky; top: 0; z-index: 5; display: flex; gap: 1em; justify-content: flex-end;
               align-items: center; font-size: 0.85em; background: rgba(255,255,255,0.95);
               border-bottom: 1px solid var(--rot-line); padding: 0.35em 0; }
.rot-toolbar a, .rot-toolbar button { color: #0969da; background: none; border: 0; cursor: pointer; font: inherit;
                                      text-decoration: none; padding: 0; }
.rot-toolbar .rot-crumb { margin-right: auto; color: var(--rot-muted); }
.rot-answer { border: 2px solid #0969da; border-radius: 8px; background: #f3f8ff; padding: 0.4em 1.2em 0.6em;
              margin: 1em 0 1.2em; }
.rot-answer h2 { border: 0; margin: 0.3em 0 0.2em; font-size: 1.2em; }
.rot-answer ul { margin: 0.3em 0; padding-left: 1.1em; }
.rot-answer li { margin: 0.35em 0; }
.rot-status { display: inline-block; color: #fff; border-radius: 4px; padding: 0 0.45em; font-size: 0.82em;
              font-weight: 600; white-space: nowrap; }
.rot-rule, .rot-asof, .rot-how { color: var(--rot-muted); font-size: 0.88em; }
.rot-asof, .rot-how { margin: 0.3em 0; }
.rot-toc { background: var(--rot-bg-soft); border: 1px solid var(--rot-line); border-radius: 6px;
           padding: 0.2em 1.2em 0.4em; margin: 0 0 1em; font-size: 0.95em; }
.rot-toc h2.rot-toc-title { border: 0; font-size: 1em; margin: 0.5em 0 0.2em; }
.rot-toc ol { margin: 0.2em 0; columns: 2; column-gap: 2em; }
.rot-params summary, details.rot-code > summary { cursor: pointer; color: var(--rot-muted); font-size: 0.82em; }
details.rot-code { margin: 0.3em 0; }
details.rot-code > summary { list-style-position: inside; width: max-content; }
details.rot-code[open] { border-left: 3px solid var(--rot-line); padding-left: 0.6em; }
.highlight pre { background: var(--rot-bg-soft); padding: 0.6em 0.8em; border-radius: 4px; margin: 0.3em 0; }
.jp-OutputArea-output { margin: 0.6em 0; overflow-x: auto; }
.jp-RenderedImage img, .jp-OutputArea-output img { max-width: 100%; height: auto; display: block; }
.jp-RenderedText pre { background: none; margin: 0.3em 0; }
.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"] { background: #fff5f5; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.87em; }
th, td { border: 0; border-bottom: 1px solid var(--rot-line); padding: 0.28em 0.7em; vertical-align: top; }
main thead th { border-bottom: 2px solid #8c959f; text-align: left; vertical-align: bottom; }
main thead th.rot-num { text-align: right; }
table[border] { border: 0; }
caption { caption-side: top; text-align: left; color: var(--rot-muted); font-size: 0.92em; padding: 0.2em 0; }
td { text-align: left; }
td.rot-num, td.rot-na { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.rot-date { white-space: nowrap; font-variant-numeric: tabular-nums; }
tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
.jp-RenderedMarkdown table td, .rot-run table td { text-align: left; }
.ansi-red-fg { color: #b42318; } .ansi-green-fg { color: #1a7f37; } .ansi-cyan-fg { color: #0e7490; }
.ansi-blue-fg { color: #0550ae; } .ansi-yellow-fg { color: #9a6700; } .ansi-bold { font-weight: bold; }
.rot-error { border: 2px solid #b42318; border-radius: 6px; background: #fff5f5; padding: 0.4em 1em; }
.rot-ok { color: #1a7f37; font-weight: 600; } .rot-failed { color: #b42318; font-weight: 600; }
.rot-meta { color: var(--rot-muted); font-size: 0.9em; }
.rot-run table.rot-scorecard td.rot-effect { font-variant-numeric: tabular-nums; }
.rot-run section.rot-nb { border-top: 1px solid var(--rot-line); margin-top: 1.2em; }
.rot-run section.rot-nb h3 { margin-top: 0.8em; }
.rot-headline { margin: 0.3em 0; padding-left: 1.1em; }
.rot-grid-note { border-left: 4px solid #b8860b; background: #fffbeb; padding: 0.4em 0.9em; margin: 0.6em 0; }
.rot-proxy-dep { display: inline-block; color: #9a6700; font-size: 0.82em; font-weight: 600; }
.rot-wide { overflow-x: auto; }
table.rot-grid th.rot-combo { font-weight: normal; font-size: 0.9em; white-space: nowrap; }
table.rot-grid td.rot-cell { white-space: nowrap; }
table.rot-grid td:first-child { min-width: 15em; }
table.rot-grid td.rot-consistency { min-width: 11em; }
table.rot-grid .rot-effect { font-variant-numeric: tabular-nums; font-size: 0.92em; }
.rot-skipped { color: var(--rot-muted); font-weight: 600; }
dl.rot-legend dt { margin-top: 0.4em; } dl.rot-legend dd { margin-left: 1.5em; color: var(--rot-muted); }
"""

_SCRIPT = """
<script>
function rotToggleCode(btn) {
  var all = document.querySelectorAll('details.rot-code');
  var open = btn.getAttribute('data-open') !== '1';
  all.forEach(function (d) { d.open = open; });
  btn.setAttribute('data-open', open ? '1' : '0');
  btn.textContent = open ? 'Hide code' : 'Show code';
}
</script>
"""


def _page(title: str, body: str, css_extra: str = "", *, main_class: str = "rot-report") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}{css_extra}</style>\n</head>\n<body>\n"
        f"<main class=\"{main_class}\">\n{body}\n</main>\n{_SCRIPT}</body>\n</html>\n"
    )


def render_report(
    executed_ipynb: Path | Any,
    html_path: Path,
    *,
    results: dict[str, Any],
    data_as_of: str | None,
    with_code_path: Path | None = None,
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

    Notes
    -----
    The page order is: title and question, Answer box, contents (the ``##`` headings, with
    anchors from :func:`slugify`), a folded "Parameters of this run" box, then the notebook. See
    the module docstring for what is left out and how tables are tidied.
    """
    from rotation.nbformat_loader import nbformat

    html_path = Path(html_path)
    stem = html_path.stem  # <stem>/<stem>.html in a run folder
    if hasattr(executed_ipynb, "cells"):  # a notebook node the caller has already read
        nb = executed_ipynb
    else:
        nb = nbformat.read(str(Path(executed_ipynb)), as_version=4)
    reader_nb, info = _reader_notebook(nb)
    body, _ = _exporter().from_notebook_node(reader_nb, resources={"metadata": {"name": stem}})
    body = body.replace('<details class="rot-code" open="">', '<details class="rot-code" open>')
    body = _IMG_NO_ALT.sub('<img alt="chart" ', body)
    body, headings = _anchor_headings(body)
    has_findings = any(slug == FINDINGS_ANCHOR for _, slug, _ in headings)

    records = _findings.records_from_results(results or {})
    box = (_findings.answer_box_html(records, data_as_of=data_as_of) if records
           else _no_verdict_box(stem, data_as_of, has_findings, info["failed"]))
    if records and has_findings:
        box = box.replace("details in the findings at the end.",
                          f"details in the <a href='#{FINDINGS_ANCHOR}'>findings at the end</a>.")
    slot = box + _toc_html(headings) + _parameters_box(info["parameters"], info["overridden"])
    body = body.replace(_SLOT, slot, 1)
    title = info["title"] or stem
    css = _code_css()

    def toolbar(other: Path | None, other_label: str, code_open: bool) -> str:
        parts = ['<span class="rot-crumb"><a href="../index.html">&larr; run</a></span>']
        state = "1" if code_open else "0"
        parts.append(f'<button type="button" data-open="{state}" onclick="rotToggleCode(this)">'
                     f'{"Hide code" if code_open else "Show code"}</button>')
        if other is not None:
            parts.append(f'<a href="{html.escape(other.name)}">{other_label}</a>')
        return '<div class="rot-toolbar">' + " ".join(parts) + "</div>\n"

    html_path.write_text(_page(title, toolbar(with_code_path, "Page with code", False) + body, css),
                         encoding="utf-8")
    if with_code_path is not None:
        opened = body.replace('<details class="rot-code">', '<details class="rot-code" open>')
        opened = opened.replace("<details class='rot-params'>", "<details class='rot-params' open>")
        Path(with_code_path).write_text(
            _page(f"{title} (with code)", toolbar(html_path, "Page without code", True) + opened, css),
            encoding="utf-8")


# --------------------------------------------------------------------------- run page


def _status_badge(status: str) -> str:
    colour = _findings.STATUS_COLOURS.get(status, "#8c8c8c")
    return f"<span class='rot-status' style='background:{colour}'>{html.escape(status)}</span>"


def _md_inline(text: str) -> str:
    """Escape text and keep the little markdown a question uses (``**bold**``, ``*em*``, ``code``)."""
    out = html.escape(text, quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1", out)


def _report_link(nb: Mapping[str, Any]) -> str | None:
    files = nb.get("files") or {}
    link = files.get("html") if isinstance(files, Mapping) else None
    return str(link) if link else None


def _error_block(err: Mapping[str, Any]) -> str:
    where = f"cell {err.get('cell_index')}" if err.get("cell_index") is not None else "an unknown cell"
    if err.get("exec_count") is not None:
        where += f" (In [{err.get('exec_count')}])"
    src = str(err.get("cell_source") or "").strip()
    code = f"<p>The failing cell:</p><pre>{html.escape(src)}</pre>" if src else ""
    return (f"<div class='rot-error'><p><b>Failed at {html.escape(where)}:</b> "
            f"<code>{html.escape(str(err.get('ename', 'Error')))}</code>: "
            f"{html.escape(str(err.get('evalue', '')).strip())}</p>{code}</div>")


def render_run_page(run_dir: Path, notebooks: list[dict[str, Any]], *, meta: str | None = None,
                    given: Mapping[str, Any] | None = None) -> str:
    """The run page (``index.html``) of a run folder, as an HTML string (the caller writes it).

    Parameters
    ----------
    run_dir : Path
        The run folder (its name is the run's name; links are relative to it).
    notebooks : list of dict
        One dict per notebook, in run order, with keys ``name`` (stem), ``status`` ("ok" or
        "failed"), ``seconds`` (float), ``question`` (markdown of the paragraph after the title),
        ``results`` (dict: the notebook's ``results.json``), ``error`` (None or a dict with
        ``cell_index``, ``exec_count``, ``ename``, ``evalue``, ``cell_source``), ``files`` (dict
        label -> link relative to ``run_dir``; ``"html"`` is the report), ``parameters`` (dict) and
        ``data_as_of`` (str or None). Optional: ``title`` (the notebook's title).
    meta : str, optional
        One line of plain text for the page header (started, finished, kernel, commit).
    given : dict, optional
        The parameters given for the run (command line or file), shown folded at the end.

    Returns
    -------
    str
        A complete HTML page: a claim scorecard (one row per claim of the project; decided claims
        link to ``<report>#findings-and-caveats``), then per notebook its question, headline
        answer, status, time, data as of, files, folded parameters and, when it failed, the
        failing cell and error.
    """
    run_dir = Path(run_dir)
    esc = html.escape
    by_name = {nb["name"]: nb for nb in notebooks}
    rows = _findings.scorecard_rows({nb["name"]: nb.get("results") or {} for nb in notebooks})

    score = []
    for r in rows:
        nb = by_name.get(r["notebook"])
        link = _report_link(nb) if nb else None
        decided = r["status"] not in ("not run",) and nb is not None
        if r["status"] == "not run" and nb is not None:  # its notebook ran but recorded no verdict
            r = {**r, "status": "notebook failed" if nb.get("status") != "ok" else "no verdict recorded"}
        if link and decided:
            where = f"<a href=\"{esc(link)}#{FINDINGS_ANCHOR}\">{esc(r['notebook'])}</a>"
        else:
            where = esc(r["notebook"] or "")
        score.append(
            f"<tr class='rot-claim' data-claim='{esc(r['claim_id'])}'><td>{esc(r['claim'])}</td>"
            f"<td>{_status_badge(r['status'])}</td><td class='rot-effect'>{esc(r['effect'] or '')}</td>"
            f"<td>{esc(r['sample'] or '')}</td><td>{where}</td></tr>")
    n_decided = sum(r["status"] not in ("not run", "not testable") for r in rows)

    sections = []
    for nb in notebooks:
        name = nb["name"]
        link = _report_link(nb)
        title = nb.get("title") or name
        head = f"<a href=\"{esc(link)}\">{esc(title)}</a>" if link else esc(title)
        question = f"<p class='rot-question'>{_md_inline(str(nb.get('question') or ''))}</p>" \
            if nb.get("question") else ""
        records = _findings.records_from_results(nb.get("results") or {})
        if records:
            items = "".join(
                f"<li>{_status_badge(rec['status'])} {esc(rec.get('quote', rec.get('claim_id', '')))}.</li>"
                for rec in records)
            headline = f"<ul class='rot-headline'>{items}</ul>"
        elif nb.get("status") == "ok":
            headline = "<p class='rot-meta'>No claim decided here (a descriptive notebook).</p>"
        else:
            headline = ""
        ok = nb.get("status") == "ok"
        status = "<span class='rot-ok'>ok</span>" if ok else "<span class='rot-failed'>FAILED</span>"
        seconds = nb.get("seconds")
        secs = f"{float(seconds):.1f} s" if isinstance(seconds, (int, float)) else ""
        asof = f"data as of {esc(str(nb['data_as_of']))}" if nb.get("data_as_of") else "data as of: unknown"
        files = nb.get("files") or {}
        file_links = " &middot; ".join(f"<a href=\"{esc(str(v))}\">{esc(str(k))}</a>" for k, v in files.items())
        facts = " &middot; ".join(p for p in (status, secs, asof, file_links) if p)
        params = nb.get("parameters") or {}
        prow = "".join(f"<tr><td><code>{esc(str(k))}</code></td><td><code>{esc(json.dumps(v, default=str))}"
                       f"</code></td></tr>" for k, v in params.items())
        pbox = (f"<details class='rot-params'><summary>Parameters ({len(params)})</summary>"
                f"<table><tr><th>name</th><th>value</th></tr>{prow}</table></details>") if params else ""
        err = _error_block(nb["error"]) if nb.get("error") else ""
        sections.append(
            f"<section class='rot-nb' id='nb-{esc(slugify(name))}' data-notebook='{esc(name)}'>"
            f"<h3>{head}</h3>{question}{headline}<p class='rot-meta'>{facts}</p>{err}{pbox}</section>")

    n_failed = sum(nb.get("status") != "ok" for nb in notebooks)
    as_ofs = sorted({str(nb["data_as_of"]) for nb in notebooks if nb.get("data_as_of")})
    if len(as_ofs) == 1:
        as_of_line = f" &middot; data as of {esc(as_ofs[0])}"
    elif as_ofs:  # each notebook reads different series: the range, the details per notebook below
        as_of_line = f" &middot; data as of: {esc(as_ofs[0])} &hellip; {esc(as_ofs[-1])} (per notebook below)"
    else:
        as_of_line = ""
    extra = f" &middot; {esc(meta)}" if meta else ""
    given_rows = "".join(f"<tr><td><code>{esc(str(k))}</code></td><td><code>{esc(json.dumps(v, default=str))}"
                         f"</code></td></tr>" for k, v in (given or {}).items())
    given_box = (f"<details class='rot-params rot-given'><summary>Parameters given for this run ({len(given or {})})"
                 f"</summary><table><tr><th>name</th><th>value</th></tr>{given_rows}</table></details>"
                 if given_rows else "<p class='rot-meta'>Parameters given for this run: none (notebook defaults).</p>")
    body = f"""<h1>rotation run {esc(run_dir.name)}</h1>
<p class="rot-meta">{len(notebooks) - n_failed} ok, {n_failed} failed{as_of_line}{extra}</p>
<nav class="rot-toc" aria-label="Contents"><ol><li><a href="#claim-scorecard">Claim scorecard</a></li>
<li><a href="#notebooks">Notebooks</a></li></ol></nav>
<h2 id="claim-scorecard">Claim scorecard</h2>
<p class="rot-meta">{n_decided} of {len(rows)} claims decided in this run. Statuses follow one rubric
(docs/verdicts.md); each decided claim links to the findings of the report that decides it.</p>
<table class="rot-scorecard">
<thead><tr><th>Claim</th><th>Verdict</th><th>Effect (interval)</th><th>Sample</th><th>Decided in</th></tr></thead>
<tbody>
{chr(10).join(score)}
</tbody>
</table>
<h2 id="notebooks">Notebooks</h2>
{chr(10).join(sections)}
{given_box}"""
    return _page(f"rotation run {run_dir.name}", body, main_class="rot-run")



# --------------------------------------------------------------------------- robustness grid page

_CONSISTENCY_COLOURS = {
    "same verdict everywhere": "#1b7837", "sign stable, significance varies": "#b8860b", "flips": "#b2182b",
    "verdict varies": "#6b6b6b", "one combination only": "#8c8c8c", "not run": "#8c8c8c",
}


def _consistency_badge(label: str) -> str:
    colour = _CONSISTENCY_COLOURS.get(label, "#8c8c8c")
    return f"<span class='rot-status' style='background:{colour}'>{html.escape(label)}</span>"


def grid_effect_text(rec: Mapping[str, Any]) -> str:
    """``"+1.20% [-0.40%, +3.00%]"``: a verdict record's headline estimate [interval] (see
    :func:`rotation.present.findings.brief_effect_text`); "n/a" without an estimate."""
    return _findings.brief_effect_text(rec.get("headline"))


def render_robustness_page(grid_dir: Path, claims: Sequence[Mapping[str, Any]],
                           combinations: Sequence[Mapping[str, Any]], *, grid: Mapping[str, Sequence[Any]],
                           legend: Mapping[str, str], meta: str | None = None) -> str:
    """The robustness page (``robustness.html``) of a grid folder, as an HTML string (the caller writes it).

    Parameters
    ----------
    grid_dir : Path
        The grid folder; each combination's run folder is ``grid_dir/<folder>`` (links are relative).
    claims : list of dict
        One per claim (:func:`rotation.runner.grid.robustness_rows`): ``claim_id``, ``claim`` (its quote),
        ``notebook`` (stem), ``cells`` (combination label -> verdict record or None), ``consistency``
        and ``depends_on_proxy`` ("" or how the verdict changes with the proxy).
    combinations : list of dict
        ``label``, ``parameters``, ``status`` (ok / skipped / failed), ``folder``, ``reason`` or ``error``.
    grid : mapping
        The grid, name -> values (for the header).
    legend : mapping
        Consistency label -> what it means.
    meta : str, optional
        One more line of plain text for the header.

    Returns
    -------
    str
        A complete page in the run page's style: claims x combinations (verdict badge coloured as on
        the scorecard, headline effect [interval] in the scorecard's format, each cell linking to the
        findings of that combination's report), the consistency label and the proxy dependence per
        claim, the legend of the labels, then the combinations with their status, reason or failing
        cell and a link to each run page.
    """
    esc = html.escape
    grid_dir = Path(grid_dir)
    n = {s: sum(c.get("status") == s for c in combinations) for s in ("ok", "skipped", "failed")}
    spec = " &times; ".join(f"{esc(str(k))} = {esc(', '.join(map(str, v)))}" for k, v in grid.items())

    def params_html(c: Mapping[str, Any]) -> str:
        return "<br>".join(f"{esc(str(k))}={esc(str(v))}" for k, v in (c.get("parameters") or {}).items())

    heads = []
    for i, c in enumerate(combinations, 1):
        inner = f"[{i}]<br>{params_html(c)}"
        if c.get("status") != "skipped":
            inner = f"<a href=\"{esc(str(c['folder']))}/index.html\">{inner}</a>"
        heads.append(f"<th class='rot-combo'>{inner}</th>")
    body_rows = []
    for r in claims:
        cells = []
        for c in combinations:
            rec = (r.get("cells") or {}).get(c["label"])
            if rec:
                nb = esc(str(r.get("notebook") or ""))
                link = f"{esc(str(c['folder']))}/{nb}/{nb}.html#{FINDINGS_ANCHOR}"
                cells.append(f"<td class='rot-cell'><a href=\"{link}\">{_status_badge(str(rec.get('status')))}</a>"
                             f"<br><span class='rot-effect'>{esc(grid_effect_text(rec))}</span></td>")
            elif c.get("status") == "skipped":
                cells.append("<td class='rot-cell'><span class='rot-skipped'>skipped</span></td>")
            elif c.get("status") == "failed":
                cells.append("<td class='rot-cell'><span class='rot-failed'>failed</span></td>")
            else:
                cells.append(f"<td class='rot-cell rot-na'>{_NA_TEXT}</td>")
        dep = (f"<br><span class='rot-proxy-dep'>depends on the proxy: {esc(r['depends_on_proxy'])}</span>"
               if r.get("depends_on_proxy") else "")
        body_rows.append(
            f"<tr class='rot-claim' data-claim='{esc(str(r['claim_id']))}'><td>{esc(str(r.get('claim') or ''))}"
            f"<br><span class='rot-meta'>{esc(str(r['claim_id']))} &middot; {esc(str(r.get('notebook') or ''))}"
            f"</span></td><td class='rot-consistency'>{_consistency_badge(str(r.get('consistency')))}{dep}</td>"
            f"{''.join(cells)}</tr>")
    if claims:
        table = (f"<div class='rot-wide'><table class='rot-scorecard rot-grid'><thead><tr><th>Claim</th>"
                 f"<th>Consistency</th>{''.join(heads)}</tr></thead><tbody>\n" + "\n".join(body_rows)
                 + "\n</tbody></table></div>")  # many combinations scroll sideways inside the page column
    else:
        table = "<p class='rot-meta'>No verdicts recorded in this grid (descriptive notebooks, or every " \
                "combination failed).</p>"
    legend_html = "".join(f"<dt>{_consistency_badge(k)}</dt><dd>{esc(v)}</dd>" for k, v in legend.items())
    combo_rows = []
    for i, c in enumerate(combinations, 1):
        status = str(c.get("status"))
        cls = {"ok": "rot-ok", "failed": "rot-failed"}.get(status, "rot-skipped")
        detail = esc(str(c.get("reason") or c.get("error") or ""))
        page = ("" if status == "skipped"
                else f"<a href=\"{esc(str(c['folder']))}/index.html\">run page</a>")
        params = ", ".join(f"{esc(str(k))}={esc(str(v))}" for k, v in (c.get("parameters") or {}).items())
        combo_rows.append(f"<tr><td>[{i}]</td><td>{params}</td><td><span class='{cls}'>{esc(status)}</span></td>"
                          f"<td>{detail}</td><td>{page}</td></tr>")
    extra = f" &middot; {esc(meta)}" if meta else ""
    body = f"""<h1>Robustness grid {esc(grid_dir.name)}</h1>
<p class="rot-meta">{len(combinations)} combinations of {spec}: {n['ok']} ok, {n['skipped']} skipped,
{n['failed']} failed{extra}</p>
<nav class="rot-toc" aria-label="Contents"><ol><li><a href="#claims-across-combinations">Claims across
combinations</a></li><li><a href="#consistency-labels">Consistency labels</a></li>
<li><a href="#combinations">Combinations</a></li></ol></nav>
<h2 id="claims-across-combinations">Claims across combinations</h2>
<p class="rot-meta">Each cell: the verdict (statuses follow one rubric, docs/verdicts.md) and the headline effect
[95% interval], as on a run page's scorecard; a verdict links to the findings of that combination's report, a
column head to its run page. &ldquo;Depends on the proxy&rdquo;: the verdict changes with the proxy when the other
values of the grid are held fixed.</p>
{table}
<h2 id="consistency-labels">Consistency labels</h2>
<dl class="rot-legend">{legend_html}</dl>
<h2 id="combinations">Combinations</h2>
<table><thead><tr><th>#</th><th>Parameters</th><th>Status</th><th>Reason or failing cell</th><th>Run page</th></tr>
</thead><tbody>
{chr(10).join(combo_rows)}
</tbody></table>"""
    return _page(f"Robustness grid {grid_dir.name}", body, main_class="rot-run")


_SCORECARD_HEADING = '<h2 id="claim-scorecard">Claim scorecard</h2>'


def mark_grid_scorecard(page: str, *, robustness_href: str, parameters: Mapping[str, Any],
                        depends_on_proxy: Mapping[str, str]) -> str:
    """A run page (:func:`render_run_page`) of one grid combination, told it is part of the grid.

    Adds a note under the scorecard's heading (the combination's parameters and a link to the grid's
    robustness page) and, in the scorecard row of each claim of ``depends_on_proxy`` (claim id -> how
    its verdict changes with the proxy), a "depends on the proxy" flag under the verdict. A page that
    already has the note is returned unchanged.
    """
    esc = html.escape
    if "<p class='rot-grid-note'>" in page or _SCORECARD_HEADING not in page:
        return page
    params = ", ".join(f"{esc(str(k))}={esc(str(v))}" for k, v in parameters.items())
    if depends_on_proxy:
        n = len(depends_on_proxy)
        dep = (" In this grid the verdict of 1 claim depends on the proxy (flagged below)." if n == 1 else
               f" In this grid the verdicts of {n} claims depend on the proxy (flagged below).")
    elif "proxy" in parameters:
        dep = " In this grid no verdict depends on the proxy."
    else:
        dep = ""
    note = (f"<p class='rot-grid-note'>This run is one combination ({params}) of a robustness grid: every "
            f"combination side by side on <a href=\"{esc(robustness_href)}\">the robustness page</a>.{dep}</p>")
    page = page.replace(_SCORECARD_HEADING, _SCORECARD_HEADING + "\n" + note, 1)
    for cid, how in depends_on_proxy.items():
        flag = f"<br><span class='rot-proxy-dep'>depends on the proxy: {esc(how)}</span>"
        row = re.compile(r"(<tr class='rot-claim' data-claim='" + re.escape(esc(cid))
                         + r"'><td>.*?</td><td>.*?)(</td>)", re.DOTALL)
        page = row.sub(lambda m: m.group(1) + flag + m.group(2), page, count=1)
    return page
