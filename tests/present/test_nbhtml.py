"""nbconvert for reports (rotation.present.nbhtml): folded code, readable heading anchors."""

from __future__ import annotations

import nbformat

from rotation.present.nbhtml import anchor_headings, code_css, render_cells


def test_anchor_headings_are_readable_unique_and_listed():
    first = '<h1 id="Title-·-x">Title · x<a class="anchor-link" href="#Title-·-x">¶</a></h1>'
    second = ('<h2 id="Notes">Notes<a class="anchor-link" href="#Notes">¶</a></h2>'
              '<h2 id="Notes">Notes</h2><p>text</p>')
    (a, b), headings = anchor_headings([first, second])
    assert [(h.level, h.slug, h.text) for h in headings] == [(1, "title-x", "Title · x"), (2, "notes", "Notes"),
                                                              (2, "notes-2", "Notes")]
    assert 'id="title-x"' in a and 'href="#title-x"' in a  # the heading's own anchor link follows
    assert 'id="notes"' in b and 'id="notes-2"' in b and "<p>text</p>" in b


def test_render_cells_folds_code_and_opens_it_on_request():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## A part"),
                                         nbformat.v4.new_code_cell("x = 1  # SECRET")])
    closed = render_cells(nb, name="x")
    opened = render_cells(nb, name="x", code_open=True)
    assert '<details class="rot-code"><summary>code</summary>' in closed and "SECRET" in closed
    assert '<details class="rot-code" open><summary>code</summary>' in opened
    assert "<html" not in closed  # cells only: the page around them is report.html.j2
    assert render_cells(nbformat.v4.new_notebook(), name="x") == ""
    assert ".highlight" in code_css()
