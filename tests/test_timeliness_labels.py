"""No label or sentence in the package calls a latest-vintage value "real-time" or "as published" (issue 27).

FRED serves today's vintage: a value dated by its publication lag is *release-timed (latest vintage)*, not what a
reader saw at the time. Docstrings may explain the difference; the strings a reader sees (labels, sentences, table
rows) must not overstate it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rotation"
OVERSTATED = re.compile(r"real[- ]time|as published\)|\(as published|as known then", re.IGNORECASE)


def _shown_strings(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that are not docstrings, with their line numbers (f-string parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_shown_string_overstates_timeliness():
    found = [f"{p.relative_to(SRC)}:{line}: {text[:80]!r}" for p in sorted(SRC.rglob("*.py"))
             for line, text in _shown_strings(p) if OVERSTATED.search(text)]
    assert not found, "say 'release-timed (latest vintage)' instead:\n" + "\n".join(found)


def test_the_check_catches_the_labels_issue_27_found(tmp_path: Path):
    bad = tmp_path / "m.py"
    bad.write_text('"""Docstrings may say real-time."""\nX = "real-time NFCI tightening minus easing"\n'
                   'Y = f"Sahm rule (unemployment, as published) {1}"\n', encoding="utf-8")
    assert [t for _, t in _shown_strings(bad) if OVERSTATED.search(t)] == [
        "real-time NFCI tightening minus easing", "Sahm rule (unemployment, as published) "]
