"""The project's reference pages shipped in every run folder: how verdicts are decided and the glossary.

``docs/verdicts.md`` and ``docs/glossary.md`` are rendered to ``verdicts.html`` and ``glossary.html`` beside the run
page, with nbconvert's Markdown renderer and the pages' own template, so a run folder explains itself offline. The
run page and each report link to them.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from rotation import config
from rotation.present.templating import render

__all__ = ["DOC_PAGES", "render_doc_page", "write_doc_pages"]

#: Page in the run folder -> (the Markdown file in ``docs/``, the page's title).
DOC_PAGES: dict[str, tuple[str, str]] = {
    "verdicts.html": ("verdicts.md", "How verdicts are decided"),
    "glossary.html": ("glossary.md", "Glossary"),
}


def render_doc_page(markdown: str, title: str) -> str:
    """One reference page from its Markdown."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return render("doc_page.html.j2", title=title, main_class="rot-report rot-doc",
                  body=Markup(markdown2html_mistune(markdown)))


def write_doc_pages(out_dir: Path, docs_dir: Path | None = None) -> list[Path]:
    """Write :data:`DOC_PAGES` into ``out_dir`` from ``docs_dir`` (default: the project's ``docs/``); a Markdown
    file that is not there (an installed package without its docs) writes a page saying where to read it."""
    docs = Path(docs_dir) if docs_dir is not None else config.project_root() / "docs"
    written = []
    for page, (source, title) in DOC_PAGES.items():
        path = docs / source
        text = (path.read_text(encoding="utf-8") if path.is_file() else
                f"# {title}\n\nThis copy of rotation has no `docs/{source}`: read it in the project's repository.\n")
        out = Path(out_dir) / page
        out.write_text(render_doc_page(text, title), encoding="utf-8")
        written.append(out)
    return written
