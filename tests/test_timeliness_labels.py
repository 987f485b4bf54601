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
#: "Real-time" is right for values read from the vintage published at the time (issue 28: FRED-MD and the
#: Philadelphia Fed's Real-Time Data Set): the basis name, the real-time basis, check and vintages, and the source's
#: own name and address. Anything else that says real-time is a latest-vintage value overstated.
TRUE_VINTAGES = re.compile(r"real-time (basis|check|vintages?|where vintages)|Real-Time Data Set|real-time-data|"
                           r"^real-time$|'real-time'", re.IGNORECASE)


def overstated(text: str) -> bool:
    """The text calls something real-time (or as published) that is not read from true vintages."""
    return bool(OVERSTATED.search(TRUE_VINTAGES.sub("", text)))


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
             for line, text in _shown_strings(p) if overstated(text)]
    assert not found, "say 'release-timed (latest vintage)' instead:\n" + "\n".join(found)


def test_the_check_catches_the_labels_issue_27_found(tmp_path: Path):
    bad = tmp_path / "m.py"
    bad.write_text('"""Docstrings may say real-time."""\nX = "real-time NFCI tightening minus easing"\n'
                   'Y = f"Sahm rule (unemployment, as published) {1}"\n', encoding="utf-8")
    assert [t for _, t in _shown_strings(bad) if overstated(t)] == [
        "real-time NFCI tightening minus easing", "Sahm rule (unemployment, as published) "]


def test_true_vintages_may_say_real_time():
    assert not overstated("On the real-time basis (each month's vintage)") and not overstated("real-time")
    assert not overstated("no real-time vintages for UNRATE")
    assert not overstated("Real-Time Data Set for Macroeconomists")
    assert overstated("real-time NFCI beside the real-time basis") and overstated("real-time values")
