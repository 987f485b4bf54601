"""nbconvert for reader's reports: a notebook's cells as an HTML fragment, with readable heading anchors.

The exporter is nbconvert's ``HTMLExporter`` with the template ``templates/nbconvert_cells.html.j2``
(extending nbconvert's ``lab/base.html.j2``): every code cell folded into a ``<details class="rot-code">``
(open for a failed cell, or all of them for the "with code" page), input and output prompts left out,
images with an ``alt`` text. It renders cells only; the page around them is ``report.html.j2``
(:mod:`rotation.present.report`). The exporter is built once per process.

:func:`anchor_headings` gives the rendered headings ids a reader can type (``#findings-and-caveats``)
and lists them for the page's contents.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from rotation.present.reader import slugify
from rotation.present.templating import template_source

__all__ = ["render_cells", "anchor_headings", "code_css", "Heading"]

_TEMPLATE_FILE = "nbconvert_cells.html.j2"


def _reader_exporter_class() -> type:
    """HTMLExporter without its BeautifulSoup pass over the finished page.

    nbconvert's ``HTMLExporter.from_notebook_node`` re-parses the whole page with BeautifulSoup to
    add ``alt`` texts and ``tabindex`` attributes, which takes longer than rendering the notebook;
    the template adds the ``alt`` texts instead. Should nbconvert's internals change, the subclass
    falls back to the full method.
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
                body, resources = super().from_notebook_node(nb, resources, **kw)
                # BeautifulSoup re-serialises a boolean attribute as open=""
                return body.replace('<details class="rot-code" open="">', '<details class="rot-code" open>'), resources
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return _ReaderExporter


@functools.lru_cache(maxsize=1)
def _exporter() -> Any:
    """One configured exporter per process (building one costs more than rendering a notebook)."""
    from jinja2 import DictLoader

    return _reader_exporter_class()(
        template_name="lab",
        template_file=_TEMPLATE_FILE,
        extra_loaders=[DictLoader({_TEMPLATE_FILE: template_source(_TEMPLATE_FILE)})],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="¶",
    )


def render_cells(nb: Any, *, name: str, code_open: bool = False) -> str:
    """The cells of notebook ``nb`` as an HTML fragment (``""`` for a notebook without cells).

    ``name`` is the notebook's stem (nbconvert's resources); ``code_open`` opens every folded code cell.
    """
    if not nb.cells:
        return ""
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": name},
                                                            "rotation_code_open": code_open})
    return body


@functools.lru_cache(maxsize=1)
def code_css() -> str:
    """Pygments' stylesheet for the highlighted code (added to a report's page)."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")


class Heading(NamedTuple):
    """One heading of a rendered fragment: its level (1-6), its id and its text."""

    level: int
    slug: str
    text: str


_HEADING_RE = re.compile(r"<h([1-6])([^>]*?)\sid=\"([^\"]*)\"([^>]*)>(.*?)</h\1>", re.DOTALL)


def anchor_headings(fragments: Sequence[str]) -> tuple[list[str], list[Heading]]:
    """Give every heading of the fragments (in order, one page) a readable unique id from :func:`slugify`.

    nbconvert's ids keep the heading's text with its punctuation; these are ``1-the-relative-strength-line``,
    a second ``Notes`` becoming ``notes-2``. Returns the fragments with the new ids (the headings' own
    anchor links follow) and every heading found.
    """
    seen: dict[str, int] = {}
    found: list[Heading] = []

    def fix(m: re.Match[str]) -> str:
        level, before, old, after, inner = int(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5)
        text = re.sub(r"<a class=\"anchor-link\"[^>]*>.*?</a>", "", inner, flags=re.DOTALL)
        text = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        slug = slugify(text)
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        if n:
            slug = f"{slug}-{n + 1}"
        found.append(Heading(level, slug, text))
        inner = inner.replace(f'href="#{old}"', f'href="#{slug}"')
        return f'<h{level}{before} id="{slug}"{after}>{inner}</h{level}>'

    return [_HEADING_RE.sub(fix, fragment) for fragment in fragments], found
