"""The reader's notebook (rotation.present.reader): what is kept, what is left out, where the Answer box goes."""

from __future__ import annotations

import nbformat
from report_samples import TITLE, notebook

from rotation.present.reader import ROTATION_MIME_PREFIX, notebook_title_and_question, reader_notebook, slugify


def _sources(nb) -> str:
    return "\n".join(c.source for c in nb.cells)


def test_title_and_question_helper(tmp_path):
    title, question = notebook_title_and_question(notebook())
    assert title == TITLE
    assert question.startswith("**Question.** Does the reader")
    path = tmp_path / "x.ipynb"
    nbformat.write(notebook(), str(path))
    assert notebook_title_and_question(path) == (title, question)
    assert notebook_title_and_question(nbformat.v4.new_notebook()) == ("", "")


def test_slugify():
    assert slugify("1 · The relative-strength line") == "1-the-relative-strength-line"
    assert slugify("Findings and caveats") == "findings-and-caveats"
    assert slugify("<i>!!</i>") == "section"


def test_split_around_the_answer_box():
    reader = reader_notebook(notebook())
    assert reader.title == TITLE and reader.question.startswith("**Question.**")
    # the intro: the title and the question only; everything else below the Answer box
    assert [c.cell_type for c in reader.intro.cells] == ["markdown"]
    intro = reader.intro.cells[0].source
    assert intro.startswith(f"# {TITLE}") and "Does the reader see" in intro
    assert "Conventions: decimal returns" not in _sources(reader.intro)
    body = _sources(reader.body)
    assert body.index("SECRET_CHECK_CODE") < body.index("Conventions: decimal returns")  # the check moved down
    # the parameters cells are not cells of the report; their source is kept for the parameters box
    assert "# Parameters" not in body and "first month of the sample" not in body
    assert reader.parameters.startswith("# Parameters") and reader.overridden
    assert not reader.failed
    # the split cells' ids are derived, not random: the same notebook gives the same report
    nb = notebook()
    title_cell = next(c for c in nb.cells if c.cell_type == "markdown")
    assert reader_notebook(nb).intro.cells[0].id == f"{title_cell.id}-title" == reader_notebook(nb).intro.cells[0].id


def test_outputs_a_reader_should_not_see():
    reader = reader_notebook(notebook())
    outputs = [o for c in reader.body.cells if c.cell_type == "code" for o in c.outputs]
    kinds = [(o.output_type, sorted(o.get("data", {}))) for o in outputs]
    assert not any(o.output_type == "stream" and o.name == "stderr" for o in outputs)
    assert not any(k.startswith(ROTATION_MIME_PREFIX) for _, keys in kinds for k in keys)
    assert not any("0.987654321" in str(o.get("data", {})) for o in outputs)  # Out[] of a record(...) cell
    assert not any("<Axes:" in str(o.get("data", {})) for o in outputs)
    assert any("image/png" in keys for _, keys in kinds)
    table = next(o for o in outputs if "text/html" in o.get("data", {}))
    assert "1000.000000" not in table.data["text/html"]  # tidied


def test_failed_and_untitled_notebooks():
    failed = reader_notebook(notebook(fail=True))
    assert failed.failed
    assert [c for c in failed.body.cells if c.get("metadata", {}).get("rotation_failed")]
    untitled = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                               nbformat.v4.new_markdown_cell("Some text")])
    reader = reader_notebook(untitled)
    assert reader.title == "" and not reader.intro.cells  # the Answer box goes first
    assert [c.cell_type for c in reader.body.cells] == ["code", "markdown"]
    assert reader.parameters == "" and not reader.overridden
