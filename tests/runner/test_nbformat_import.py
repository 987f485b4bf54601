"""rotation.nbformat_loader: nbformat without jsonschema's IRI grammars, nothing else changed."""

from __future__ import annotations

import subprocess
import sys


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_nbformat_imported_without_the_iri_grammars_and_still_validates():
    out = _python(
        "import sys\n"
        "from rotation.nbformat_loader import nbformat\n"
        "print('rfc3987_syntax' in sys.modules)\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')])\n"
        "nbformat.validate(nb)\n"
        "bad = nbformat.v4.new_notebook(); bad.cells = [{'cell_type': 'code'}]\n"
        "try:\n    nbformat.validate(bad)\nexcept nbformat.ValidationError:\n    print('refused')\n"
        "import rfc3987_syntax  # the mark is gone: the module can still be imported on purpose\n"
        "print('importable')\n"
    )
    assert out.splitlines() == ["False", "refused", "importable"]


def test_a_process_that_imported_jsonschema_first_keeps_its_checkers():
    out = _python(
        "import jsonschema\n"
        "from rotation.nbformat_loader import nbformat\n"
        "print('iri' in jsonschema.FormatChecker.checkers)\n"
    )
    assert out == "True"
